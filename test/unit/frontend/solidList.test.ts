import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { solidListMode } from '../../../modes/solid-list';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { createModelClient, resolveLlmConfig } from '../../../src/llm';
import { initRustParser } from '../../../src/rust';
import { startModelServer, type ModelServer, type Rule } from '../../fixtures/model-server/server.mjs';
import { withoutBuildDirs } from '../actix/helpers';

const BAKERY = path.resolve(__dirname, '../../fixtures/bakery');
let server: ModelServer;
beforeAll(async () => {
  await initRustParser();
  server = await startModelServer();
});
afterEach(() => {
  server.setScript([]);
  server.requests.splice(0);
});
afterAll(() => server.close());

const client = () => {
  const config = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
  config.timeouts = { connectMs: 5000, firstTokenMs: 60_000, idleMs: 60_000 };
  return createModelClient({ config, retryDelayMs: 1 });
};
const script = (first: string, second: string): Rule[] => [
  { match: { messageCount: 2 }, reply: { content: first } },
  { match: { messageCount: 4 }, reply: { content: second } },
];

const REACT_ANSWER = `Here is the React-style list you asked for:
\`\`\`tsx
import { useState, useEffect } from 'react';
import { listAllProducts } from '../api/client';

export default function ProductList() {
  const [rows, setRows] = useState([]);
  useEffect(() => { listAllProducts().then(setRows); }, []);
  return <table className="table">{rows.map((p) => <tr key={p.id}><td>{p.name}</td></tr>)}</table>;
}
\`\`\``;

const GOOD = `\`\`\`tsx
export default function ProductList() {
  const [products] = createResource(() => dataOrThrow(listProducts()));
  return (
    <section class="card bg-base-100 shadow">
      <div class="card-body">
        <Switch>
          <Match when={products.error as Error | undefined}>{(err) => <div role="alert" class="alert alert-error">{err().message}</div>}</Match>
          <Match when={products.loading}><span class="loading loading-spinner" /></Match>
          <Match when={products()?.length === 0}><p>No products yet.</p></Match>
          <Match when={products()}>
            {(rows) => (
              <table class="table">
                <tbody>
                  <For each={rows()}>{(p) => <tr><td>{p.name}</td><td class="text-right">{(p.price_cents / 100).toFixed(2)}</td></tr>}</For>
                </tbody>
              </table>
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
}
\`\`\``;

describe('solid-list', () => {
  it('the prompt shows the type, the list function and the file; examples are Solid', async () => {
    const prompt = await solidListMode.buildPrompt({ project: new NodeProjectFs(BAKERY), struct: 'Product', request: 'show the products' });
    const user = prompt.messages[1]!.content;
    expect(user).toContain('// File: src/pages/ProductList.tsx (component ProductList, default export)');
    expect(user).toContain('export interface Product {');
    expect(user).toContain('export function listProducts(): Promise<ApiResult<Product[]>>; // GET /api/products');
    expect(prompt.messages[0]!.content.match(/## Example \d+/g)).toHaveLength(12);
    expect(prompt.messages[0]!.content.split('# Examples')[1]).not.toMatch(/className|useState|useEffect/);
  });

  it('a React answer with an invented client function is re-asked with Solid messages, then proposed', async () => {
    server.setScript(script(REACT_ANSWER, GOOD));
    const r = await solidListMode.run({ project: new NodeProjectFs(BAKERY), struct: 'Product', request: 'A table of our products with prices.' }, { client: client() });
    expect(r.runs[0]!.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['unknown-client-function']));
    // The outcome in the message: under load the reason the re-ask was not sent is what matters.
    expect(server.chatRequests(), JSON.stringify(r.diagnostics)).toHaveLength(2);
    const reask = server.chatRequests()[1]!.body.messages[3].content as string;
    expect(reask).toContain('The API client has no `listAllProducts`');
    expect(reask).toContain('```tsx block');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['frontend/src/pages/ProductList.tsx']);
    expect(r.code!.split('\n').slice(0, 2)).toEqual(["import { createResource, For, Match, Switch } from 'solid-js';", "import { dataOrThrow, listProducts } from '../api/client';"]);
  }, 180_000);

  it('React habits alone are caught by the checks with the Solid way', async () => {
    const react = REACT_ANSWER.replaceAll('listAllProducts', 'listProducts');
    server.setScript(script(react, react));
    const r = await solidListMode.run({ project: new NodeProjectFs(BAKERY), struct: 'Product', request: 'products' }, { client: client() });
    expect(r.ok).toBe(false);
    const codes = r.runs[0]!.diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['react-import', 'react-hook', 'react-classname']));
  }, 180_000);

  it('bad input: an unknown struct, a struct without a list route, a .tsx outside the Solid project', async () => {
    const fs = new NodeProjectFs(BAKERY);
    await expect(solidListMode.buildPrompt({ project: fs, struct: 'Customer', request: 'x' })).rejects.toThrow('`Customer` is not a type the API takes or returns');
    await expect(solidListMode.buildPrompt({ project: fs, struct: 'Order', request: 'x' })).rejects.toThrow('No API route returns a list of `Order`');
    await expect(solidListMode.buildPrompt({ project: fs, struct: 'Product', file: 'src/other/App.tsx', request: 'x' })).rejects.toThrow('is not inside the Solid project (frontend/)');
    const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-nosolid-'));
    try {
      cpSync(BAKERY, tmp, { recursive: true, filter: (p) => withoutBuildDirs(p) && !p.includes(`${path.sep}frontend`) });
      await expect(solidListMode.buildPrompt({ project: new NodeProjectFs(tmp), struct: 'Product', request: 'x' })).rejects.toThrow('This project has no Solid frontend');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
