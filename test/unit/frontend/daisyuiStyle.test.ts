import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daisyuiStyleMode } from '../../../modes/daisyui-style';
import { NodeProjectFs, OverlayProjectFs } from '../../../src/core/projectFs';
import { createModelClient, resolveLlmConfig } from '../../../src/llm';
import { onlyClassesChanged } from '../../../src/pipeline/tsx/classOnly';
import { initRustParser } from '../../../src/rust';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/server.mjs';

const BAKERY = path.resolve(__dirname, '../../fixtures/bakery');
const BEFORE = `export default function Note(props: { text: string }) {\n  return (\n    <div class="box">\n      <p>{props.text}</p>\n      <button type="button">OK</button>\n    </div>\n  );\n}\n`;
const STYLED = BEFORE.replace('class="box"', 'class="alert alert-info"').replace('<button type="button">', '<button class="btn btn-sm" type="button">');

let server: ModelServer;
beforeAll(async () => {
  await initRustParser();
  server = await startModelServer();
});
afterAll(() => server.close());

describe('daisyui-style', () => {
  it('only class attributes may change: added, changed or removed classes pass; anything else is named', () => {
    expect(onlyClassesChanged(ts, BEFORE, STYLED)).toEqual([]);
    expect(onlyClassesChanged(ts, BEFORE, STYLED.replace('class="alert alert-info"', ''))).toEqual([]);
    const text = onlyClassesChanged(ts, BEFORE, STYLED.replace('>OK<', '>Okay<'));
    expect(text[0]).toMatchObject({ code: 'not-only-classes', line: 5 });
    expect(text[0]!.message).toContain('`OK` became `Okay`');
    expect(onlyClassesChanged(ts, BEFORE, STYLED.replace('type="button"', 'type="submit"'))[0]!.message).toContain('`"button"` became `"submit"`');
    expect(onlyClassesChanged(ts, BEFORE, STYLED.replace('<p>{props.text}</p>', '<p>{props.text}</p><hr />'))[0]!.code).toBe('not-only-classes');
  });

  it('a restyle that changes code or invents classes is re-asked; the fixed one is proposed', async () => {
    const file = 'frontend/src/components/Note.tsx';
    const fs = new OverlayProjectFs(new NodeProjectFs(BAKERY), new Map([[file, BEFORE]]));
    const bad = '```tsx\n' + STYLED.replace('alert-info', 'alert-infoo').replace('>OK<', '>Close<') + '```';
    server.setScript([
      { match: { messageCount: 2 }, reply: { content: bad } },
      { match: { messageCount: 4 }, reply: { content: 'Here it is:\n```tsx\n' + STYLED + '```' } },
    ]);
    const config = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
    config.timeouts = { connectMs: 5000, firstTokenMs: 60_000, idleMs: 60_000 };
    const r = await daisyuiStyleMode.run({ project: fs, file, request: 'make it an info alert with a small button' }, { client: createModelClient({ config, retryDelayMs: 1 }) });
    expect(r.runs[0]!.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['not-only-classes']));
    expect(r.ok).toBe(true);
    expect(r.changeSet!.files).toEqual([
      {
        path: file,
        original: BEFORE,
        proposed: STYLED,
        ops: [
          {
            op: 'setClasses',
            changes: [
              { element: 'Note>div', sig: '', nth: 0, alike: 1, attr: 'class', from: '"box"', to: '"alert alert-info"', after: null },
              { element: 'Note>div>button', sig: 'type="button" OK', nth: 0, alike: 1, attr: 'class', from: null, to: '"btn btn-sm"', after: null },
            ],
          },
        ],
      },
    ]);
  }, 120_000);
});
