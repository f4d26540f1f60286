import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryProjectFs, NodeProjectFs } from '../../../src/core/projectFs';
import type { ChangeSet } from '../../../src/domain';
import { withApiRegeneration } from '../../../src/pipeline/apiStep';
import type { Mode, ModeRunOptions } from '../../../src/pipeline/mode';
import { emptyTimings } from '../../../src/pipeline/runner';
import { BAKERY } from './helpers';

/** The stand-in mode never calls a model. */
const NO_MODEL = {} as ModeRunOptions;
const PRODUCT = 'src/models/product.rs';
const productRs = readFileSync(path.join(BAKERY, PRODUCT), 'utf8');
/** A backend change that adds a field to a struct the API returns. */
const addStock = (): ChangeSet => {
  const proposed = productRs.replace('    pub available: bool,\n', '    pub available: bool,\n    pub stock: i32,\n');
  return { mode: 'diesel-model-struct', summary: 'Product gets stock.', files: [{ path: PRODUCT, original: productRs, proposed, ops: [{ op: 'createFile', content: proposed }] }] };
};

/** A mode standing in for any Rust mode: it proposes the given change set. */
const proposing = (changeSet: ChangeSet): Mode => ({
  id: 'diesel-model-struct',
  title: 'x',
  description: 'x',
  needs: { request: false },
  buildPrompt: async () => ({ messages: [], stablePrefixChars: 0 }),
  run: async () => ({ mode: 'diesel-model-struct', ok: true, prompt: { messages: [], stablePrefixChars: 0 }, changeSet, diagnostics: [], runs: [], timings: emptyTimings(), deterministic: true }),
});

describe('API types follow a backend change', () => {
  it('a change to a Rust struct the API returns brings the regenerated types.ts into the same proposal, with a note', async () => {
    const r = await withApiRegeneration(proposing(addStock())).run({ project: new NodeProjectFs(BAKERY), request: '' }, NO_MODEL);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual([PRODUCT, 'frontend/src/api/types.ts']);
    const types = r.changeSet!.files[1]!;
    expect(types.original).toBe(readFileSync(path.join(BAKERY, 'frontend/src/api/types.ts'), 'utf8'));
    expect(types.proposed).toMatch(/export interface Product \{[^}]*\n {2}available: boolean;\n {2}stock: number;\n\}/);
    expect(r.changeSet!.summary).toBe("Product gets stock. The frontend's API files follow the backend change (regenerated, no model): frontend/src/api/types.ts.");
  }, 120_000);

  it('leaves alone: a Rust change that keeps the API, a TSX-only change, a project without generated API files', async () => {
    const fs = new NodeProjectFs(BAKERY);
    const sameApi = productRs.replace('impl Product {', '// Loaves and pastries.\nimpl Product {');
    const keep: ChangeSet = { mode: 'diesel-model-fn', summary: 's', files: [{ path: PRODUCT, original: productRs, proposed: sameApi, ops: [] }] };
    expect((await withApiRegeneration(proposing(keep)).run({ project: fs, request: '' }, NO_MODEL)).changeSet).toEqual(keep);
    const tsx: ChangeSet = { mode: 'solid-list', summary: 's', files: [{ path: 'frontend/src/pages/X.tsx', original: null, proposed: 'x', ops: [] }] };
    expect((await withApiRegeneration(proposing(tsx)).run({ project: fs, request: '' }, NO_MODEL)).changeSet).toEqual(tsx);
    const noApi = new MemoryProjectFs('mem', { 'Cargo.toml': '[package]\nname = "x"\n', [PRODUCT]: productRs, 'frontend/package.json': '{"dependencies":{"solid-js":"1.9.19"}}' });
    const change = addStock();
    expect((await withApiRegeneration(proposing(change)).run({ project: noApi, request: '' }, NO_MODEL)).changeSet).toEqual(change);
  }, 120_000);
});
