import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCompileChecker, findCargo } from '../../../src/compile';
import { MemoryProjectFs, NodeProjectFs } from '../../../src/core/projectFs';
import type { ChangeSet } from '../../../src/domain';

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-compile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const posix = process.platform !== 'win32';
const realCargo = findCargo();

const TOML = '[package]\nname = "tiny"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n';
const LIB = 'pub struct Order {\n    pub id: i32,\n}\n\nimpl Order {\n    pub fn id(&self) -> i32 {\n        self.id\n    }\n}\n';

/** A crate without dependencies on disk (cargo checks it offline in about a second). */
function project(name: string, lib = LIB): NodeProjectFs {
  const root = path.join(tmp, 'projects', name);
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'Cargo.toml'), TOML);
  writeFileSync(path.join(root, 'src/lib.rs'), lib);
  return new NodeProjectFs(root);
}

/** Adds `code` as the impl's last item, re-indented the way the modes insert it. */
function addFn(lib: string, code: string): ChangeSet {
  const indented = code.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  const proposed = lib.replace(/\n}\n$/, `\n\n${indented}\n}\n`);
  return { mode: 'diesel-model-fn', summary: 'add', files: [{ path: 'src/lib.rs', original: lib, proposed, ops: [] }] };
}

const checker = (name: string, extra: Partial<Parameters<typeof createCompileChecker>[0]> = {}) =>
  createCompileChecker({ cacheDir: path.join(tmp, `cache-${name}`), timeoutMs: 120_000, ...extra });

describe.runIf(posix && realCargo)('compile check with the real cargo (a crate without dependencies)', () => {
  it('compiles the change in a shadow copy and never touches the project files', async () => {
    const p = project('ok');
    const before = readFileSync(path.join(p.root, 'src/lib.rs'), 'utf8');
    const c = checker('ok');
    const change = addFn(LIB, 'pub fn double(&self) -> i32 {\n    self.id * 2\n}');
    const r = await c.check({ project: p, changeSet: change, generated: { file: 'src/lib.rs', code: 'pub fn double(&self) -> i32 {\n    self.id * 2\n}' } });
    expect(r).toMatchObject({ ran: true, ok: true, errors: [], preExisting: [] });
    expect(readFileSync(path.join(p.root, 'src/lib.rs'), 'utf8')).toBe(before);
    expect(readdirSync(p.root).sort()).toEqual(['Cargo.toml', 'src']); // no target/, no Cargo.lock in the project
    expect(r.cacheBytes).toBeGreaterThan(0);
    await c.dispose();
  }, 180_000);

  it('maps an error in the generated code to the code’s own line and column', async () => {
    const p = project('err');
    const code = 'pub fn label(&self) -> String {\n    let n: i32 = "seven";\n    format!("{}", n + self.id)\n}';
    const c = checker('err');
    const r = await c.check({ project: p, changeSet: addFn(LIB, code), generated: { file: 'src/lib.rs', code } });
    expect(r.ran).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ message: 'mismatched types', code: 'E0308', line: 2, column: 18, file: 'src/lib.rs', fileLine: 11, label: 'expected `i32`, found `&str`' });
    expect(r.errors[0]!.rendered).toContain('expected `i32`, found `&str`');
    expect(r.preExisting).toEqual([]);
    expect(r.output).toContain('mismatched types');
    await c.dispose();
  }, 180_000);

  it('a crate in a subfolder (New App: backend/ next to frontend/): cargo runs there, errors are named by their project path', async () => {
    const root = path.join(tmp, 'projects', 'app');
    mkdirSync(path.join(root, 'backend', 'src'), { recursive: true });
    mkdirSync(path.join(root, 'frontend', 'src'), { recursive: true });
    writeFileSync(path.join(root, 'backend', 'Cargo.toml'), TOML);
    writeFileSync(path.join(root, 'backend', 'src/lib.rs'), LIB);
    writeFileSync(path.join(root, 'frontend', 'src/main.ts'), 'export {};\n');
    const p = new NodeProjectFs(root);
    const inBackend = (cs: ChangeSet): ChangeSet => ({ ...cs, files: cs.files.map((f) => ({ ...f, path: `backend/${f.path}` })) });
    const c = checker('app');
    const good = await c.check({ project: p, changeSet: inBackend(addFn(LIB, 'pub fn twice(&self) -> i32 {\n    self.id * 2\n}')) });
    expect(good).toMatchObject({ ran: true, ok: true, errors: [] });
    const code = 'pub fn label(&self) -> String {\n    let n: i32 = "seven";\n    format!("{}", n + self.id)\n}';
    const bad = await c.check({ project: p, changeSet: inBackend(addFn(LIB, code)), generated: { file: 'backend/src/lib.rs', code } });
    expect(bad.ok).toBe(false);
    expect(bad.errors[0]).toMatchObject({ code: 'E0308', line: 2, file: 'backend/src/lib.rs', fileLine: 11 });
    // A change with no Rust file under a crate is not checked, and says why.
    const ts = await c.check({ project: p, changeSet: { mode: 'solid-list', summary: 'x', files: [{ path: 'frontend/src/main.ts', original: 'export {};\n', proposed: 'export const x = 1;\n', ops: [] }] } });
    expect(ts).toMatchObject({ ran: false, skipped: 'the project has no Cargo.toml at its root or above the changed Rust files' });
    await c.dispose();
  }, 180_000);

  it('errors that were there before the change are reported apart and do not count against it', async () => {
    const broken = `${LIB}\npub fn elsewhere() -> u8 {\n    300\n}\n`;
    const p = project('pre', broken);
    const code = 'pub fn double(&self) -> i32 {\n    self.id * 2\n}';
    const c = checker('pre');
    const proposed = broken.replace('        self.id\n    }\n}\n', `        self.id\n    }\n\n    pub fn double(&self) -> i32 {\n        self.id * 2\n    }\n}\n`);
    const change: ChangeSet = { mode: 'diesel-model-fn', summary: '', files: [{ path: 'src/lib.rs', original: broken, proposed, ops: [] }] };
    const r = await c.check({ project: p, changeSet: change, generated: { file: 'src/lib.rs', code } });
    expect(r.ran).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.preExisting).toHaveLength(1);
    expect(r.preExisting[0]!.message).toMatch(/literal out of range for `u8`/);
    expect(r.ok).toBe(false);
    // The same change again: the baseline is cached, one cargo run instead of two.
    const again = await c.check({ project: p, changeSet: change, generated: { file: 'src/lib.rs', code } });
    expect(again.preExisting).toHaveLength(1);
    await c.dispose();
  }, 180_000);

  it('unsaved editor text (a ProjectFs overlay) is what gets compiled; a cancelled check says so', async () => {
    const files = new Map([
      ['Cargo.toml', TOML],
      ['src/lib.rs', LIB],
    ]);
    const p = new MemoryProjectFs(path.join(tmp, 'memory-project'), files);
    const c = checker('cancel');
    const ac = new AbortController();
    ac.abort();
    const r = await c.check({ project: p, changeSet: addFn(LIB, 'pub fn z(&self) {}'), signal: ac.signal });
    expect(r).toMatchObject({ ran: false, cancelled: true });
    await c.dispose();
  }, 180_000);
});

/** A stand-in `cargo` for the faults a real one cannot be made to show on demand. */
function fakeCargo(name: string, script: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "cargo 1.95.0"; exit 0; fi\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe.runIf(posix)('compile check faults', () => {
  const change = addFn(LIB, 'pub fn z(&self) {}');

  it('cargo missing: said once, every check skipped with the reason', async () => {
    const notices: string[] = [];
    const c = checker('missing', { cargo: path.join(tmp, 'no-such-cargo'), onNotice: (m) => notices.push(m) });
    const a = await c.check({ project: project('missing'), changeSet: change });
    const b = await c.check({ project: project('missing'), changeSet: change });
    expect(a.ran).toBe(false);
    expect(a.skipped).toMatch(/^cargo is not installed or does not run/);
    expect(b.skipped).toBe(a.skipped);
    expect(notices).toHaveLength(1);
    expect(c.unavailable()).toBe(a.skipped);
  });

  it('dependencies cannot be fetched: "dependencies not available (cargo fetch: …)", and check is not run', async () => {
    const log = path.join(tmp, 'offline.log');
    const cargo = fakeCargo('offline', `echo "$1" >> ${log}\nif [ "$1" = "fetch" ]; then echo "    Updating crates.io index" >&2; echo "error: failed to get \\\`diesel\\\` as a dependency of package \\\`tiny v0.1.0\\\`" >&2; echo "" >&2; echo "Caused by:" >&2; echo "  Couldn't resolve host name (Could not resolve host: index.crates.io)" >&2; exit 101; fi\nexit 0`);
    const c = checker('offline', { cargo });
    const r = await c.check({ project: project('offline'), changeSet: change });
    expect(r.ran).toBe(false);
    expect(r.skipped).toBe("dependencies not available (cargo fetch: failed to get `diesel` as a dependency of package `tiny v0.1.0`: Couldn't resolve host name (Could not resolve host: index.crates.io))");
    await c.check({ project: project('offline'), changeSet: change });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['fetch']); // fetched once per dependency set, never checked
  });

  it('a check that hangs is killed after the timeout, its children too', async () => {
    const pidFile = path.join(tmp, 'hang.pid');
    const cargo = fakeCargo('hang', `if [ "$1" = "fetch" ]; then exit 0; fi\nsleep 600 &\necho $! > ${pidFile}\nwait`);
    const c = checker('hang', { cargo, timeoutMs: 1500 });
    const r = await c.check({ project: project('hang'), changeSet: change });
    expect(r.ran).toBe(false);
    expect(r.skipped).toMatch(/^`cargo check` took longer than 2 s and was stopped/);
    const child = Number(readFileSync(pidFile, 'utf8'));
    // Gone, or a zombie waiting for a reaper (a container's init may not reap): not running either way.
    const state = existsSync(`/proc/${child}/stat`) ? readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
    expect(['gone', 'Z', 'X']).toContain(state);
  }, 30_000);

  it('a cargo that exits while a child it detached holds its output open: the check ends anyway, with what cargo said', async () => {
    // A build script's daemon started with setsid leaves the process group: the timeout's group
    // kill cannot reach it, and it keeps cargo's stdout open. Waiting for the pipes hung for ever.
    const pidFile = path.join(tmp, 'daemon.pid');
    const cargo = fakeCargo('daemon', `if [ "$1" = "fetch" ]; then exit 0; fi\nsetsid sleep 120 &\necho $! > ${pidFile}\necho '{"reason":"build-finished","success":true}'\nexit 0`);
    const c = checker('daemon', { cargo, timeoutMs: 60_000 });
    const started = Date.now();
    try {
      const r = await c.check({ project: project('daemon'), changeSet: change });
      expect(r).toMatchObject({ ran: true, ok: true });
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      if (existsSync(pidFile)) spawnSync('kill', [readFileSync(pidFile, 'utf8').trim()]);
    }
  }, 30_000);

  it('a check past its whole-check limit is stopped, says where it was, and frees the project for the next check', async () => {
    const pidFile = path.join(tmp, 'slow-check.pid');
    const cargo = fakeCargo('stuck', `if [ "$1" = "fetch" ]; then exit 0; fi\necho $$ > ${pidFile}\nsleep 60\nexit 0`);
    // Each cargo command may take a minute, the whole check only 1 s: where no cargo timeout reaches.
    const c = checker('stuck', { cargo, timeoutMs: 60_000, runLimitMs: 1_000 });
    const started = Date.now();
    const r = await c.check({ project: project('stuck'), changeSet: change });
    expect(r.ran).toBe(false);
    expect(r.skipped).toBe('the check did not finish within 1 s and was stopped (it was at: `cargo check`)');
    expect(Date.now() - started).toBeLessThan(15_000);
    // Its cargo was stopped with it.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => (existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone'), { timeout: 10_000 }).toMatch(/gone|Z|X/);
    // The next check of the same project does not wait behind it.
    const next = await c.check({ project: project('stuck'), changeSet: change });
    expect(next.skipped).toMatch(/^the check did not finish within 1 s/);
    expect(Date.now() - started).toBeLessThan(20_000);
    await c.dispose();
  }, 40_000);

  it('progress ticks while cargo runs', async () => {
    const cargo = fakeCargo('slow', 'if [ "$1" = "fetch" ]; then exit 0; fi\nsleep 2.5\necho \'{"reason":"build-finished","success":true}\'\nexit 0');
    const ticks: string[] = [];
    const c = checker('slow', { cargo });
    const r = await c.check({ project: project('slow'), changeSet: change, onProgress: (p) => ticks.push(`${p.phase} ${Math.round(p.elapsedMs / 1000)}`) });
    expect(r.ok).toBe(true);
    expect(ticks).toContain('check 1');
    expect(ticks).toContain('check 2');
  }, 30_000);

  it('a shadow left by a process that died mid-check is removed at the next start', async () => {
    const cacheDir = path.join(tmp, 'cache-crash');
    const stale = path.join(cacheDir, 'shadows', 'bakery-0123456789ab');
    mkdirSync(path.join(stale, 'src'), { recursive: true });
    writeFileSync(path.join(stale, 'src/lib.rs'), 'fn unaccepted() {}');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path.join(stale, '.nocodo-shadow-in-use'), dead);
    const idle = path.join(cacheDir, 'shadows', 'idle-0123456789ab');
    mkdirSync(idle, { recursive: true });
    const notices: string[] = [];
    const c = createCompileChecker({ cacheDir, cargo: fakeCargo('crash', 'exit 0'), onNotice: (m) => notices.push(m) });
    await c.check({ project: project('crash'), changeSet: change });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(idle)).toBe(true);
    expect(notices.join('\n')).toMatch(/Removed 1 cargo check shadow copy left by an earlier session/);
  });

  it('a project too large for a shadow copy is not copied: the check is skipped, saying the cap', async () => {
    const cargo = fakeCargo('huge', 'exit 0');
    const big = project('huge');
    writeFileSync(path.join(big.root, 'src/data.json'), 'x'.repeat(2 * 1024 * 1024));
    const c = checker('huge', { cargo, maxShadowBytes: 1024 * 1024 });
    const r = await c.check({ project: big, changeSet: change });
    expect(r).toMatchObject({ ran: false, ok: false, skipped: "the project's files take more than 1 MB, too much for a shadow copy" });
    expect(readdirSync(path.join(tmp, 'cache-huge', 'shadows'))).toEqual([]);
  });

  it('a build folder over its cap is cleared, and the result says what it took', async () => {
    const cargo = fakeCargo('big', 'if [ "$1" = "fetch" ]; then exit 0; fi\nmkdir -p "$CARGO_TARGET_DIR/debug" && head -c 3000000 /dev/zero > "$CARGO_TARGET_DIR/debug/blob"\nexit 0');
    const c = checker('big', { cargo, maxCacheBytes: 1024 * 1024 });
    const r = await c.check({ project: project('big'), changeSet: change });
    expect(r.ok).toBe(true);
    expect(r.cacheBytes).toBeGreaterThanOrEqual(3_000_000);
    expect(r.notes.join('\n')).toMatch(/took 3 MB, over its 1 MB cap, so it was cleared/);
    expect(existsSync(path.join(tmp, 'cache-big', 'targets'))).toBe(true);
    expect(readdirSync(path.join(tmp, 'cache-big', 'targets'))).toEqual([]);
  });
});
