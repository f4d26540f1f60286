import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/types';
import { writeAllOrNothing } from '../../src/proposals/writeFiles';
import { NodeProjectFs } from '../../src/core/projectFs';

// Issue #14, section 3: `nocodo generate --write` stays inside the project and writes all or nothing.

const BAKERY = path.resolve(__dirname, '../fixtures/bakery');
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-sec-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let project: string;
let outside: string;
beforeEach(() => {
  const dir = mkdtempSync(path.join(tmp, 'case-'));
  project = path.join(dir, 'bakery');
  outside = path.join(dir, 'outside');
  // The Rust side only: the sample's frontend (and its node_modules) plays no part here.
  cpSync(BAKERY, project, { recursive: true, filter: (src) => !/[/\\](node_modules|frontend|target)$/.test(src) });
  mkdirSync(outside);
});

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: path.dirname(project), env: { LLAMA_CPP_BASE_URL: 'http://127.0.0.1:9/v1' }, out: () => out, err: () => err };
}

// diesel-model-struct needs no model: it writes src/models/order_item.rs and adds it to src/models/mod.rs.
const structArgs = () => ['generate', 'diesel-model-struct', '--project', project, '--table', 'order_items', '--write'];

describe('nocodo generate --write', () => {
  it('refuses a symlinked file that points outside the project, and writes none of the set', async () => {
    // The new struct file already exists as a link out of the project: it reads as missing (nothing
    // outside is read), so the proposal creates it, and the write must be refused, mod.rs included.
    const victim = path.join(outside, 'order_item.rs');
    writeFileSync(victim, 'outside\n');
    symlinkSync(victim, path.join(project, 'src/models/order_item.rs'));
    const modRs = path.join(project, 'src/models/mod.rs');
    const modBefore = readFileSync(modRs, 'utf8');
    const a = io();
    expect(await runCli(structArgs(), a)).toBe(1);
    expect(a.err()).toMatch(/^nocodo generate: refusing to write src\/models\/order_item\.rs: .*outside the project folder\. Nothing was written\.\n$/);
    expect(readFileSync(victim, 'utf8')).toBe('outside\n');
    expect(readFileSync(modRs, 'utf8')).toBe(modBefore);
  });

  it('refuses a symlinked folder that points outside the project', async () => {
    cpSync(path.join(project, 'src/models'), outside, { recursive: true });
    rmSync(path.join(project, 'src/models'), { recursive: true });
    symlinkSync(outside, path.join(project, 'src/models'));
    const a = io();
    expect(await runCli(structArgs(), a)).toBe(1);
    expect(a.err()).toContain('outside the project folder');
    expect(existsSync(path.join(outside, 'order_item.rs'))).toBe(false);
  });

  it('a migrations path that is a file leaves schema.rs as it was', async () => {
    const schema = path.join(project, 'src/schema.rs');
    const before = readFileSync(schema, 'utf8');
    rmSync(path.join(project, 'migrations'), { recursive: true });
    writeFileSync(path.join(project, 'migrations'), 'not a folder\n');
    const writes = [
      { path: 'src/schema.rs', text: () => `${before}\n// new table\n` },
      { path: 'migrations/2026-01-01-000000_add/up.sql', text: () => 'CREATE TABLE x ();\n' },
    ];
    await expect(writeAllOrNothing(project, writes)).rejects.toThrow(/migrations is a file, not a folder\. Nothing was written\./);
    expect(readFileSync(schema, 'utf8')).toBe(before);
  });

  it('a write that fails half way is rolled back: no new folder, no new file, old texts kept', async () => {
    const schema = path.join(project, 'src/schema.rs');
    const before = readFileSync(schema, 'utf8');
    const writes = [
      { path: 'src/schema.rs', text: () => 'changed\n' },
      { path: 'migrations/2026-01-01-000000_add/up.sql', text: () => 'CREATE TABLE x ();\n' },
      // A name the file system refuses (its temporary sibling is longer than 255 bytes).
      { path: `src/${'a'.repeat(240)}.rs`, text: () => 'x\n' },
    ];
    await expect(writeAllOrNothing(project, writes)).rejects.toThrow(/every file is as it was/);
    expect(readFileSync(schema, 'utf8')).toBe(before);
    expect(existsSync(path.join(project, 'migrations/2026-01-01-000000_add'))).toBe(false);
    expect(readdirSync(path.join(project, 'src')).filter((f) => f.includes('.nocodo-'))).toEqual([]);
  });
});

describe('nocodo generate --file and project reads', () => {
  it('refuses a --file outside the project, even with --dry-run', async () => {
    const a = io();
    expect(await runCli(['generate', 'diesel-model-fn', '--project', project, '--struct', 'Order', '--file', '../../../etc/passwd', '--prompt', 'x', '--dry-run'], a)).toBe(1);
    expect(a.err()).toMatch(/^nocodo generate: --file \.\.\/\.\.\/\.\.\/etc\/passwd: .*leads out of the project/);
    expect(a.out()).toBe('');
  });

  it('does not read a symlink that leaves the project into a prompt', async () => {
    const secret = path.join(outside, 'secret.rs');
    writeFileSync(secret, 'pub const TOKEN: &str = "hunter2";\n');
    symlinkSync(secret, path.join(project, 'src/leak.rs'));
    const fs = new NodeProjectFs(project);
    expect(await fs.readFile('src/leak.rs')).toBeUndefined();
    expect(await fs.readFile('src/models/order.rs')).toContain('pub struct Order');
    const a = io();
    expect(await runCli(['generate', 'diesel-model-fn', '--project', project, '--struct', 'Order', '--prompt', 'all orders', '--dry-run'], a)).toBe(0);
    expect(a.out()).not.toContain('hunter2');
  });
});
