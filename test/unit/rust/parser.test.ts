import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initRustParser, isRustParserReady, locateWasm, parseRustFile, setWasmDir } from '../../../src/rust';

const dir = mkdtempSync(path.join(tmpdir(), 'nocodo-wasm-'));
afterAll(() => {
  setWasmDir(undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('wasm loading', () => {
  it('refuses to parse before the parser is loaded, with a clear message', () => {
    expect(isRustParserReady()).toBe(false);
    expect(() => parseRustFile('struct A;')).toThrow(/await initRustParser\(\)/);
  });

  it('skips a configured folder without the files and finds them in node_modules', () => {
    setWasmDir(path.join(dir, 'nothing-here'));
    expect(locateWasm('tree-sitter-rust.wasm')).toMatch(/node_modules[/\\]tree-sitter-rust[/\\]tree-sitter-rust\.wasm$/);
    expect(locateWasm('web-tree-sitter.wasm')).toMatch(/node_modules[/\\]web-tree-sitter[/\\]web-tree-sitter\.wasm$/);
    expect(() => locateWasm('no-such-grammar.wasm')).toThrow(/Cannot find no-such-grammar\.wasm; looked in:/);
  });

  it('prefers the configured folder (the layout of the bundle: wasm beside dist/cli.js)', async () => {
    copyFileSync(locateWasm('web-tree-sitter.wasm'), path.join(dir, 'web-tree-sitter.wasm'));
    copyFileSync(locateWasm('tree-sitter-rust.wasm'), path.join(dir, 'tree-sitter-rust.wasm'));
    setWasmDir(dir);
    expect(locateWasm('tree-sitter-rust.wasm')).toBe(path.join(dir, 'tree-sitter-rust.wasm'));
    await initRustParser();
    await initRustParser(); // memoised: a second call is free
    expect(isRustParserReady()).toBe(true);
    expect(parseRustFile('pub struct A;').structs.map((s) => s.name)).toEqual(['A']);
  });
});
