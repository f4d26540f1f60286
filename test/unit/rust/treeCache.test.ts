import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser } from '../../../src/rust';
import { clearRustTreeCache, withRustTree } from '../../../src/rust/parser';
import { CORPUS } from './helpers';

// withRustTree keeps the trees of large texts and parses a text that differs from one of them by
// a single splice incrementally. The incremental tree must be the tree a fresh parse gives: every
// node's type, span and position, on real files, for inserts, deletions, replacements with
// non-ASCII text and edits that break the syntax.

beforeAll(() => initRustParser());

function rustFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? rustFiles(p) : p.endsWith('.rs') ? [p] : [];
  });
}

/** Every node in document order: type, error flag, indices and positions. */
function dump(tree: Tree): string[] {
  const out: string[] = [];
  const c = tree.walk();
  try {
    for (;;) {
      const n = c.currentNode;
      out.push(`${n.type}${n.isMissing ? '!' : ''} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}`);
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
    }
  } finally {
    c.delete();
  }
}

const fresh = (text: string): string[] => {
  clearRustTreeCache();
  return withRustTree(text, dump);
};

const edits: Array<[string, (t: string) => string]> = [
  ['a function appended', (t) => `${t}\npub fn added(conn: &mut PgConnection) -> QueryResult<i64> {\n    users::table.count().get_result(conn)\n}\n`],
  ['a line inserted in the middle', (t) => { const at = t.indexOf('\n', t.length >> 1) + 1; return `${t.slice(0, at)}    // é ünïcode — note\n${t.slice(at)}`; }],
  ['a range deleted', (t) => t.slice(0, t.length / 3) + t.slice((t.length * 2) / 3)],
  ['an item broken', (t) => { const at = t.indexOf('fn '); return at < 0 ? `fn broken( {\n${t}` : `${t.slice(0, at)}fn broken( {${t.slice(at + 3)}`; }],
  ['a use line added at the top', (t) => `use crate::schema::things;\n${t}`],
];

describe('tree cache', () => {
  const files = rustFiles(CORPUS).map((f) => [path.relative(CORPUS, f), readFileSync(f, 'utf8')] as const).filter(([, t]) => t.length >= 600);

  it('has real files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(edits)('an incremental parse after %s equals a fresh parse, on every corpus file', (_name, edit) => {
    for (const [file, text] of files) {
      const edited = edit(text);
      const expected = fresh(edited);
      clearRustTreeCache();
      withRustTree(text, () => undefined); // cached: the edited text is parsed from its tree
      expect(withRustTree(edited, dump), file).toEqual(expected);
      expect(withRustTree(edited, dump), `${file}, from the cache`).toEqual(expected);
    }
  });

  it('a tree being read survives other parses that push it out of the cache', () => {
    const [, text] = files[0]!;
    clearRustTreeCache();
    const seen = withRustTree(text, (tree) => {
      for (let i = 0; i < 40; i++) withRustTree(`${text}\nconst C${i}: i32 = ${i};\n`.repeat(2), () => undefined);
      return dump(tree);
    });
    expect(seen).toEqual(fresh(text));
  });
});
