import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { tsxParses } from '../../../src/eval/tsx';
import { cleanTsxAnswer } from '../../../src/pipeline/tsx/answer';
import { packageExports, textExports } from '../../../src/pipeline/tsx/exports';
import { reinjectImports, type ImportSource } from '../../../src/pipeline/tsx/imports';
import { parseTsx, syntaxErrors } from '../../../src/pipeline/tsx/syntax';

const SAMPLE = path.resolve(__dirname, '../../fixtures/bakery/frontend');

function sources(): ImportSource[] {
  const pkgs = packageExports(SAMPLE, ['solid-js', 'solid-js/store', '@solidjs/router']);
  return [
    { from: 'solid-js', exports: pkgs.get('solid-js')! },
    { from: 'solid-js/store', exports: pkgs.get('solid-js/store')! },
    { from: '@solidjs/router', exports: pkgs.get('@solidjs/router')! },
    { from: '../api/client', exports: textExports(ts, readFileSync(path.join(SAMPLE, 'src/api/client.ts'), 'utf8')) },
    { from: '../api/types', exports: textExports(ts, readFileSync(path.join(SAMPLE, 'src/api/types.ts'), 'utf8')), typeOnly: true },
  ];
}

describe('TSX answers', () => {
  it('keeps the tsx fence among prose and think blocks', () => {
    const raw = '<think>maybe a table</think>Sure! Here is the component:\n```tsx\nexport default function A() {\n  return <p>hi</p>;\n}\n```\nThis renders a paragraph.';
    expect(cleanTsxAnswer(ts, raw)).toEqual({ code: 'export default function A() {\n  return <p>hi</p>;\n}', diagnostics: [] });
  });

  it('takes JSX code written inside prose without fences', () => {
    const raw = 'Here you go.\nexport default function A() {\n  return <p>hi</p>;\n}\nHope it helps!';
    expect(cleanTsxAnswer(ts, raw).code).toBe('export default function A() {\n  return <p>hi</p>;\n}');
  });

  it('an answer cut off at the token limit is named as such', () => {
    const raw = '```tsx\nexport default function A() {\n  return (\n    <div class="card">\n      <For each={rows()}>{(r) => <p>{r.name}';
    const r = cleanTsxAnswer(ts, raw);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['cut-off']);
  });

  it('one syntax check: the answer cleaner, the eval and the accept check agree on every cut of real components', () => {
    const files = ['src/App.tsx', 'src/pages/ProductList.tsx', 'src/pages/NewOrderForm.tsx'].map((f) => readFileSync(path.join(SAMPLE, f), 'utf8'));
    let broken = 0;
    for (const text of files) {
      for (let i = 0; i <= text.length; i += Math.max(1, Math.floor(text.length / 60))) {
        const code = text.slice(0, i).trim();
        if (!code) continue;
        const errors = syntaxErrors(ts, parseTsx(ts, 'answer.tsx', code));
        const cleaned = cleanTsxAnswer(ts, `\`\`\`tsx\n${code}\n\`\`\``);
        const flagged = cleaned.diagnostics.find((d) => d.code === 'cut-off' || d.code === 'tsx-syntax');
        expect(tsxParses(code), code.slice(-60)).toBe(errors.length === 0);
        if (cleaned.code !== code) continue; // the cleaner kept less than the cut (prose-looking tail)
        expect(!!flagged, code.slice(-60)).toBe(errors.length > 0);
        if (flagged) {
          expect(flagged.message).toContain(errors[0]!.message);
          broken++;
        }
      }
    }
    expect(broken).toBeGreaterThan(100);
  });

  it('re-injects imports from the installed packages and the generated client; invented client functions are named', () => {
    const code = `import { createResource } from "solid-js";\nimport { listCustomers } from '../api/client';\n\nexport default function L() {\n  const [rows] = createResource(() => dataOrThrow(listProducts()));\n  const p: Product | undefined = undefined;\n  return <Show when={rows()}>{(r) => <For each={r()}>{(x) => <A href="/">{x.name}</A>}</For>}</Show>;\n}`;
    const r = reinjectImports(ts, code, sources(), '../api/client');
    expect(r.code.split('\n\n')[0]).toBe(
      [
        "import { createResource, For, Show } from 'solid-js';",
        "import { A } from '@solidjs/router';",
        "import { dataOrThrow, listProducts } from '../api/client';",
        "import type { Product } from '../api/types';",
      ].join('\n'),
    );
    expect(r.diagnostics.map((d) => d.message)).toEqual(['The API client has no `listCustomers`; its functions are: ApiCallError, createOrder, dataOrThrow, getOrder, listProducts, setApiBaseUrl. Use one of them.']);
  }, 60_000);
});
