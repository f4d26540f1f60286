import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { solidStateMode } from '../../../modes/solid-state';
import { checkStore } from '../../../modes/solid-state/validate';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { BAKERY, firstThenReask, fixtureModel, ROOT, tsxBlock } from './helpers';

const model = fixtureModel();

/** The bakery's product store as the bank teaches it (the eval's reference; imports left out: nocodo writes them). */
export const GOOD_STORE = readFileSync(path.join(ROOT, 'eval/tasks/solid/product-store/reference.tsx'), 'utf8');

// What a small model writes from React memory: useReducer, the provider's props destructured, no guard.
const REACT_STORE = `<think>a context like in React</think>
\`\`\`tsx
import { createContext, useContext, useReducer } from 'react';
const ProductContext = createContext(null);
export function ProductProvider({ children }) {
  const [state, dispatch] = useReducer((s, a) => s, { rows: [] });
  listProducts().then((r) => r.ok && dispatch({ rows: r.data }));
  return <ProductContext.Provider value={state}>{children}</ProductContext.Provider>;
}
export const useProduct = () => useContext(ProductContext);
\`\`\``;

describe('solid-state', () => {
  it('the prompt lists the state, the functions with their client calls, and the exports', async () => {
    const prompt = await solidStateMode.buildPrompt({ project: new NodeProjectFs(BAKERY), struct: 'Product', request: 'share the products' });
    const user = prompt.messages[1]!.content;
    expect(user).toContain('// File: src/state/ProductStore.tsx (exports ProductProvider, useProducts)');
    expect(user).toContain('// load(): listProducts() → rows (called once when the provider is created)');
    expect(user).not.toContain('add(body');
    expect(prompt.messages[0]!.content.match(/## Example \d+/g)).toHaveLength(12);
  });

  it('the store checks name what is missing', () => {
    expect(checkStore(ts, GOOD_STORE, { provider: 'ProductProvider', hook: 'useProducts' })).toEqual([]);
    const codes = checkStore(ts, REACT_STORE.split('```tsx\n')[1]!.split('```')[0]!, { provider: 'ProductProvider', hook: 'useProducts' }).map((d) => d.code);
    expect(codes).toEqual(['store-missing-export', 'store-no-guard']);
  });

  it('a React store is re-asked with Solid messages, then the good one is proposed under src/state', async () => {
    model.server().setScript(firstThenReask(REACT_STORE, tsxBlock(GOOD_STORE)));
    const r = await solidStateMode.run({ project: new NodeProjectFs(BAKERY), struct: 'Product', request: 'Products are shown on several pages.' }, { client: model.client() });
    const first = r.runs[0]!.diagnostics.map((d) => d.code);
    expect(first).toEqual(expect.arrayContaining(['react-import', 'react-hook', 'store-missing-export', 'store-no-guard']));
    // The outcome in the message: under load the reason the re-ask was not sent is what matters.
    expect(model.server().chatRequests(), JSON.stringify(r.diagnostics)).toHaveLength(2);
    const reask = model.server().chatRequests()[1]!.body.messages[3].content as string;
    expect(reask).toContain('The module must export `useProducts`');
    expect(r.ok).toBe(true);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['frontend/src/state/ProductStore.tsx']);
    expect(r.code!.split('\n').slice(0, 4)).toEqual([
      "import { createContext, useContext, type ParentProps } from 'solid-js';",
      "import { createStore } from 'solid-js/store';",
      "import { listProducts } from '../api/client';",
      "import type { Product } from '../api/types';",
    ]);
  }, 180_000);

  it('bad input: a type without a list route cannot have a shared store', async () => {
    await expect(solidStateMode.buildPrompt({ project: new NodeProjectFs(BAKERY), struct: 'Order', request: 'x' })).rejects.toThrow('No API route returns all `Order` rows');
  });
});
