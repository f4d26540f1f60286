import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import { bundleCli } from '../../helpers/cliBundle';

const ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.join(ROOT, 'test/fixtures/corpus');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function io(cwd = ROOT): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd,
    env: {},
    out: () => out,
    err: () => err,
  };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runCli', () => {
  it('--help lists every registered command; --version prints package.json version', async () => {
    const a = io();
    expect(await runCli(['--help'], a)).toBe(0);
    const width = Math.max(...commands.map((c) => c.name.length));
    for (const c of commands) expect(a.out()).toContain(`${c.name.padEnd(width)}  ${c.summary}`);
    const b = io();
    expect(await runCli(['--version'], b)).toBe(0);
    expect(b.out()).toBe(`${VERSION}\n`);
  });

  it('unknown command or no command: usage on stderr, exit 2', async () => {
    const a = io();
    expect(await runCli(['frobnicate'], a)).toBe(2);
    expect(a.err()).toContain('unknown command "frobnicate"');
    expect(a.err()).toContain('Usage: nocodo <command>');
    expect(await runCli([], io())).toBe(2);
  });

  it('`schema --help` and bad options print the command usage', async () => {
    const a = io();
    expect(await runCli(['schema', '--help'], a)).toBe(0);
    expect(a.out()).toContain('Usage: nocodo schema <file-or-dir>... [--json]');
    const b = io();
    expect(await runCli(['schema', '--bogus', 'x.rs'], b)).toBe(2);
    expect(b.err()).toContain('Usage: nocodo schema');
    const c = io();
    expect(await runCli(['schema'], c)).toBe(2);
    expect(c.err()).toContain('give at least one schema file');
  });

  it('schema <file> --json prints the schema shape', async () => {
    const a = io(CORPUS);
    expect(await runCli(['schema', 'realworld-rust-rocket/schema.rs', '--json'], a)).toBe(0);
    const json = JSON.parse(a.out()) as {
      tables: { name: string; primaryKey: string[]; columns: { name: string; sqlType: string; nullable: boolean }[]; file: string }[];
      joinables: unknown[];
      allowedTogether: string[][];
      sqlTypes: unknown[];
      diagnostics: unknown[];
    };
    expect(Object.keys(json)).toEqual(['tables', 'joinables', 'allowedTogether', 'sqlTypes', 'diagnostics']);
    expect(json.tables.map((t) => t.name)).toEqual(['articles', 'comments', 'favorites', 'follows', 'users']);
    expect(json.tables[2]).toMatchObject({ primaryKey: ['user', 'article'], file: 'realworld-rust-rocket/schema.rs' });
    expect(json.tables[4]!.columns.find((c) => c.name === 'bio')).toMatchObject({ sqlType: 'Nullable<Text>', nullable: true });
    expect(json.joinables).toHaveLength(5);
    expect(json.diagnostics).toEqual([]);
  });

  it('schema <dir> resolves the project (diesel.toml, split schema) and prints a listing', async () => {
    const proj = path.join(tmp, 'proj');
    mkdirSync(path.join(proj, 'db/tables'), { recursive: true });
    writeFileSync(path.join(proj, 'Cargo.toml'), '[package]\nname = "p"\n[dependencies]\ndiesel = { version = "2", features = ["sqlite"] }\n');
    writeFileSync(path.join(proj, 'diesel.toml'), '[print_schema]\nfile = "db/tables.rs"\n');
    writeFileSync(path.join(proj, 'db/tables.rs'), 'pub mod extra;\ndiesel::table! { notes (id) { id -> Integer, #[max_length = 80] title -> Text, } }\n');
    writeFileSync(path.join(proj, 'db/tables/extra.rs'), 'diesel::table! { tags (note_id, tag) { note_id -> Integer, tag -> Text, } }\ndiesel::joinable!(tags -> notes (note_id));\n');
    const a = io(tmp);
    expect(await runCli(['schema', 'proj'], a)).toBe(0);
    expect(a.out()).toContain('notes (id)  proj/db/tables.rs:2');
    expect(a.out()).toContain('  title  Text  [max_length 80]');
    expect(a.out()).toContain('tags (note_id, tag)  proj/db/tables/extra.rs:1');
    expect(a.out()).toContain('  tags -> notes (note_id)');
    expect(a.out()).toMatch(/2 tables, 1 joinable, 0 errors, 0 warnings\n$/);
  });

  it('schema src/schema/mod.rs follows its `pub mod` declarations (a schema split across files)', async () => {
    const dir = path.join(tmp, 'split/src/schema');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'mod.rs'), 'pub mod account;\npub mod billing;\n');
    writeFileSync(path.join(dir, 'account.rs'), 'diesel::table! { accounts (id) { id -> Int4, name -> Text, } }\n');
    writeFileSync(path.join(dir, 'billing.rs'), 'diesel::table! { invoices (id) { id -> Int4, account_id -> Int4, } }\n');
    const a = io(tmp);
    expect(await runCli(['schema', 'split/src/schema/mod.rs', '--json'], a)).toBe(0);
    const json = JSON.parse(a.out()) as { tables: { name: string; module?: string }[] };
    expect(json.tables.map((t) => [t.name, t.module])).toEqual([
      ['accounts', 'account'],
      ['invoices', 'billing'],
    ]);
  });

  it('exit 1 when the schema has errors, still printing what it read', async () => {
    const bad = path.join(tmp, 'bad.rs');
    writeFileSync(bad, 'diesel::table! {\n    users (id) {\n        id -> Int4,\n        name -> Nullable<\n');
    const a = io(tmp);
    expect(await runCli(['schema', 'bad.rs', 'missing.rs'], a)).toBe(1);
    expect(a.out()).toContain('users (id)');
    expect(a.out()).toContain('error [file-missing]: missing.rs does not exist.');
    expect(a.out()).toMatch(/bad\.rs:4:9: error \[schema-syntax\]/);
  });
});

/**
 * Builds dist/cli.js with the project's build script; when that fails for reasons outside the
 * CLI (another part of the extension not building yet), builds just the CLI the same way.
 */
async function buildCli(): Promise<string> {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  const dist = path.join(ROOT, 'dist');
  if (r.status === 0 && existsSync(path.join(dist, 'cli.js')) && existsSync(path.join(dist, 'tree-sitter-rust.wasm'))) return path.join(dist, 'cli.js');
  return bundleCli(path.join(tmp, 'dist'));
}

describe('the built CLI', () => {
  let cli = '';
  beforeAll(async () => {
    cli = await buildCli();
  }, 300_000);

  it('runs from its bundle, loading the wasm files beside it', async () => {
    // Run from a folder without node_modules, so only the wasm beside the bundle can be found.
    const run = promisify(execFile);
    const version = await run(process.execPath, [cli, '--version'], { cwd: tmp });
    expect(version.stdout).toBe(`${VERSION}\n`);
    const schema = await run(process.execPath, [cli, 'schema', path.join(CORPUS, 'crates-io/schema.rs'), '--json'], { cwd: tmp, maxBuffer: 64 * 1024 * 1024 });
    const json = JSON.parse(schema.stdout) as { tables: unknown[]; joinables: unknown[] };
    expect(json.tables).toHaveLength(36);
    expect(json.joinables).toHaveLength(33);
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  }, 60_000);
});
