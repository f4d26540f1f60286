import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExamples } from '../../../src/pipeline/promptBank';
import ts from 'typescript';
import { checkTsx } from '../../../src/pipeline/tsx';
import { deriveClassChanges } from '../../../src/pipeline/tsx/classOps';
import { readFields } from '../../../modes/solid-common/fields';
import { checkForm } from '../../../modes/solid-form/validate';
import { checkStore } from '../../../modes/solid-state/validate';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'test/fixtures/bakery/frontend');
const BANKS = ['solid-list', 'solid-detail', 'solid-form', 'solid-state', 'daisyui-style'];

/** The example's context as real files: its types as types.ts, its client signatures declared in client.ts. */
function apiFromContext(context: string): Map<string, string> {
  const lines = context.split('\n');
  const at = (marker: string): number => lines.findIndex((l) => l.startsWith(marker));
  const types = lines.slice(at('// from ../api/types') + 1, at('// from ../api/client')).join('\n');
  const fns = lines.slice(at('// from ../api/client') + 1).map((l) => l.replace(/^export function/, 'export declare function'));
  const names = [...types.matchAll(/export (?:interface|type) (\w+)/g)].map((m) => m[1]!);
  const client = [
    `import type { ${names.join(', ')} } from './types';`,
    "export type ApiError = { kind: 'http'; status: number; message: string; body: unknown } | { kind: 'network'; message: string } | { kind: 'decode'; status: number; message: string };",
    'export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };',
    ...fns,
  ].join('\n');
  return new Map([
    ['src/api/types.ts', `${types}\n`],
    ['src/api/client.ts', `${client}\n`],
  ]);
}

describe('Solid example banks', () => {
  for (const bank of BANKS) {
    const md = readFileSync(path.join(ROOT, 'prompts/solid', bank, 'examples.md'), 'utf8');
    const examples = parseExamples(md, bank);
    it(`${bank}: 10–15 examples`, () => {
      expect(examples.length).toBeGreaterThanOrEqual(10);
      expect(examples.length).toBeLessThanOrEqual(15);
    });
    // One test per example keeps the worker answering vitest between the (synchronous) checks.
    for (const ex of examples) {
      it(`${bank} / ${ex.title}: the answer passes every check against its own context`, async () => {
        const file = /\/\/ File: (\S+)/.exec(ex.context)![1]!;
        const restyle = bank === 'daisyui-style';
        const others = restyle ? new Map<string, string>() : apiFromContext(ex.context);
        const ds = await checkTsx({ frontendAbs: SAMPLE, file, text: ex.answers[0]!.code, others });
        expect(ds.map((d) => `${d.code} ${d.line}: ${d.message}`)).toEqual([]);
        if (restyle) {
          // The example teaches a restyle the mode can apply as class changes: some, and nothing else.
          const derived = deriveClassChanges(ts, file, ex.context.replace(/^\/\/ File: .*\n/, ''), ex.answers[0]!.code);
          expect(derived.diagnostics).toEqual([]);
          expect(derived.changes.length).toBeGreaterThan(0);
        }
        // The mode's own checks pass too (the bank teaches what they demand).
        const api = apiFromContext(ex.context);
        if (bank === 'solid-form') {
          const body = /createStore<(\w+)>/.exec(ex.context)![1]!;
          expect(checkForm(ts, ex.answers[0]!.code, body, readFields(ts, api.get('src/api/types.ts')!, body)!)).toEqual([]);
        }
        if (bank === 'solid-state') {
          const exported = /\(exports (\w+), (\w+)\)/.exec(ex.context)!;
          expect(checkStore(ts, ex.answers[0]!.code, { provider: exported[1]!, hook: exported[2]! })).toEqual([]);
        }
      }, 120_000);
    }
  }
});
