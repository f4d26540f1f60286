import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileChange } from '../../../src/pipeline/rust/applyOps';
import type { ChangeSet, EditOp } from '../../../src/domain';
import { initRustParser } from '../../../src/rust';
import { planAccept, planFile, reanchoredChangeSet, type ReadCurrent } from '../../../src/proposals';

const MODEL = `use diesel::prelude::*;

use crate::schema::products;

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: i32,
    pub name: String,
}

impl Product {
    pub fn find(conn: &mut PgConnection, id: i32) -> QueryResult<Product> {
        products::table.find(id).select(Product::as_select()).first(conn)
    }
}
`;

const NEW_FN = `pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<Product>> {
    products::table.select(Product::as_select()).load(conn)
}`;

const OPS: EditOp[] = [
  { op: 'addUses', uses: ['diesel::prelude::*'] },
  { op: 'insertInImpl', typeName: 'Product', code: NEW_FN },
];

/** Inserts `code` before the closing brace of the file's last item (the impl block). */
const beforeLastBrace = (text: string, code: string): string => {
  const i = text.lastIndexOf('}\n');
  return text.slice(0, i) + code + text.slice(i);
};

async function proposalFor(original: string | undefined, ops: EditOp[], path = 'src/models/product.rs') {
  await initRustParser();
  return fileChange(path, original, ops).change;
}

describe('planFile', () => {
  it('writes the proposed text when the file is as the proposal expected', async () => {
    const change = await proposalFor(MODEL, OPS);
    const plan = await planFile(change, '/abs', MODEL);
    expect(plan).toMatchObject({ kind: 'write', isNew: false });
    if (plan.kind === 'write') expect(plan.text).toContain('pub fn list(');
  });

  it('treats CRLF and a BOM in the current file as the same content', async () => {
    const change = await proposalFor(MODEL, OPS);
    const plan = await planFile(change, '/abs', `\uFEFF${MODEL.replace(/\n/g, '\r\n')}`);
    expect(plan.kind).toBe('write');
  });

  it('re-anchors by syntax when the user edited the file after the proposal', async () => {
    const change = await proposalFor(MODEL, OPS);
    const edited = MODEL.replace('    pub name: String,\n', '    pub name: String,\n    /// added by the user\n    pub price_cents: i64,\n');
    const withFn = beforeLastBrace(edited, '\n    pub fn user_fn() -> i32 {\n        42\n    }\n');
    // The proposed text was computed from MODEL: writing it now would drop the user's edits.
    expect(change.proposed).not.toContain('price_cents');
    const plan = await planFile(change, '/abs', withFn);
    expect(plan.kind).toBe('reanchored');
    if (plan.kind !== 'reanchored') return;
    expect(plan.text).toContain('pub price_cents: i64,');
    expect(plan.text).toContain('pub fn user_fn() -> i32');
    expect(plan.text).toContain('pub fn list(conn: &mut PgConnection)');
    // The new function lands inside the impl, after the user's function.
    expect(plan.text.indexOf('pub fn list(')).toBeGreaterThan(plan.text.indexOf('pub fn user_fn('));
    expect(plan.current).toBe(withFn);
    expect(plan.text.indexOf('pub fn list(')).toBeLessThan(plan.text.lastIndexOf('}'));
  });

  it('re-anchors CRLF files and keeps the comparison on LF', async () => {
    const change = await proposalFor(MODEL, OPS);
    const edited = `${MODEL}\n// trailing note\n`.replace(/\n/g, '\r\n');
    const plan = await planFile(change, '/abs', edited);
    expect(plan.kind).toBe('reanchored');
    if (plan.kind === 'reanchored') {
      expect(plan.text).not.toContain('\r');
      expect(plan.text).toContain('// trailing note');
    }
  });

  it('reports "unchanged" when the file already has the change', async () => {
    const change = await proposalFor(MODEL, OPS);
    expect((await planFile(change, '/abs', change.proposed)).kind).toBe('unchanged');
    // The user pasted the same function by hand, plus another edit: re-applying adds nothing.
    const byHand = `${change.proposed}\n// more\n`;
    expect((await planFile(change, '/abs', byHand)).kind).toBe('unchanged');
  });

  it('refuses when the re-applied change no longer fits (a function with that name exists)', async () => {
    const change = await proposalFor(MODEL, OPS);
    const clash = beforeLastBrace(MODEL, '\n    pub fn list() -> i32 {\n        0\n    }\n');
    const plan = await planFile(change, '/abs', clash);
    expect(plan.kind).toBe('conflict');
    if (plan.kind === 'conflict') expect(plan.message).toMatch(/edited after the change was proposed.*already has a function `list`/s);
  });

  it('refuses when the user wrote an item of the same name meanwhile', async () => {
    const struct = '#[derive(Insertable)]\n#[diesel(table_name = products)]\npub struct NewProduct {\n    pub name: String,\n}';
    const change = await proposalFor(MODEL, [{ op: 'appendItem', code: struct }]);
    const theirs = `${MODEL}\npub struct NewProduct {\n    pub name: String,\n    pub price_cents: i64,\n}\n`;
    const plan = await planFile(change, '/abs', theirs);
    expect(plan.kind).toBe('conflict');
    if (plan.kind === 'conflict') expect(plan.message).toContain('`NewProduct`');
    // An identical item is recognised as already there.
    expect((await planFile(change, '/abs', `${MODEL}\n${struct}\n`)).kind).toBe('unchanged');
  });

  it('refuses whole-file replacements over user edits', async () => {
    const change = await proposalFor(MODEL, [{ op: 'createFile', content: 'pub fn replaced() {}\n' }]);
    const plan = await planFile(change, '/abs', `${MODEL}// edit\n`);
    expect(plan.kind).toBe('conflict');
    if (plan.kind === 'conflict') expect(plan.message).toContain('overwrite');
  });

  it('handles new files: written when still missing, refused when created meanwhile', async () => {
    const change = await proposalFor(undefined, [{ op: 'createFile', content: 'pub mod x;\n' }], 'src/new.rs');
    expect(await planFile(change, '/abs', undefined)).toMatchObject({ kind: 'write', isNew: true, text: 'pub mod x;\n' });
    expect((await planFile(change, '/abs', 'pub mod x;\n')).kind).toBe('unchanged');
    const meanwhile = await planFile(change, '/abs', '// the user made this file\n');
    expect(meanwhile.kind).toBe('conflict');
  });

  it('re-anchors an append-only new file that the user created meanwhile', async () => {
    const change = await proposalFor(undefined, [{ op: 'addMod', name: 'product', pub: true }], 'src/models/mod.rs');
    const plan = await planFile(change, '/abs', 'pub mod customer;\n');
    expect(plan.kind).toBe('reanchored');
    if (plan.kind === 'reanchored') expect(plan.text).toBe('pub mod customer;\npub mod product;\n');
  });

  it('refuses when the file was deleted after the proposal', async () => {
    const change = await proposalFor(MODEL, OPS);
    const plan = await planFile(change, '/abs', undefined);
    expect(plan.kind).toBe('conflict');
    if (plan.kind === 'conflict') expect(plan.message).toContain('deleted');
  });

  it('refuses a stale file when the proposal carries no operations', async () => {
    const plan = await planFile({ path: 'a.rs', original: 'x\n', proposed: 'y\n', ops: [] }, '/abs', 'z\n');
    expect(plan.kind).toBe('conflict');
  });
});

describe('planAccept', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    const base = mkdtempSync(join(tmpdir(), 'nocodo-plan-'));
    root = join(base, 'project');
    outside = join(base, 'outside');
    mkdirSync(join(root, 'src', 'models'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(root, 'src', 'models', 'product.rs'), MODEL);
    writeFileSync(join(root, 'src', 'models', 'mod.rs'), 'pub mod customer;\n');
  });
  afterEach(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  const readDisk: ReadCurrent = async (_rel, abs) => readFileSync(abs, 'utf8');

  async function changeSet(): Promise<ChangeSet> {
    const a = await proposalFor(MODEL, OPS);
    const b = await proposalFor('pub mod customer;\n', [{ op: 'addMod', name: 'product', pub: true }], 'src/models/mod.rs');
    const c = await proposalFor(undefined, [{ op: 'createFile', content: '// new\n' }], 'src/generated/new.rs');
    return { mode: 'diesel-model-fn', summary: 'test', files: [a, b, c] };
  }

  it('plans every file of a clean change set', async () => {
    const plan = await planAccept(await changeSet(), root, readDisk);
    expect(plan.kind).toBe('apply');
    if (plan.kind === 'apply') expect(plan.files.map((f) => [f.path, f.kind])).toEqual([
      ['src/models/product.rs', 'write'],
      ['src/models/mod.rs', 'write'],
      ['src/generated/new.rs', 'write'],
    ]);
  });

  it('re-anchors the edited files only and can rebuild the change set from the result', async () => {
    writeFileSync(join(root, 'src', 'models', 'mod.rs'), 'pub mod customer;\npub mod order;\n');
    const cs = await changeSet();
    const plan = await planAccept(cs, root, readDisk);
    expect(plan.kind).toBe('reanchored');
    if (plan.kind !== 'reanchored') return;
    expect(plan.reanchored.map((r) => r.path)).toEqual(['src/models/mod.rs']);
    expect(plan.reanchored[0]!.text).toBe('pub mod customer;\npub mod order;\npub mod product;\n');
    const next = reanchoredChangeSet(cs, plan.reanchored);
    // Accepting the re-anchored change set now writes without another re-anchor.
    const again = await planAccept(next, root, readDisk);
    expect(again.kind).toBe('apply');
  });

  it('refuses everything when one path escapes, and says which', async () => {
    const cs = await changeSet();
    cs.files.push({ path: '../outside/evil.rs', original: null, proposed: 'x', ops: [] });
    const plan = await planAccept(cs, root, readDisk);
    expect(plan.kind).toBe('refused');
    if (plan.kind === 'refused') expect(plan.problems.join(' ')).toContain('"../outside/evil.rs"');
  });

  it('refuses a folder symlinked out of the project', async () => {
    symlinkSync(outside, join(root, 'src', 'generated'));
    const plan = await planAccept(await changeSet(), root, readDisk);
    expect(plan.kind).toBe('refused');
    if (plan.kind === 'refused') expect(plan.problems.join(' ')).toMatch(/src\/generated is a symbolic link/);
  });

  it('refuses duplicates and empty change sets', async () => {
    const cs = await changeSet();
    cs.files.push({ ...cs.files[0]!, path: './src/models/product.rs' });
    expect((await planAccept(cs, root, readDisk)).kind).toBe('refused');
    expect((await planAccept({ mode: 'x', summary: '', files: [] }, root, readDisk)).kind).toBe('refused');
  });

  it('never reads files that do not exist', async () => {
    const read: ReadCurrent = async (rel, abs) => {
      if (rel === 'src/generated/new.rs') throw new Error('read a missing file');
      return readFileSync(abs, 'utf8');
    };
    expect((await planAccept(await changeSet(), root, read)).kind).toBe('apply');
  });
});
