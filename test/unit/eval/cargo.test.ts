import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCargoChecker } from '../../../src/eval';
import type { ChangeSet } from '../../../src/domain';

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-eval-cargo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stand-in `cargo` that records what it saw and answers like cargo does in one situation. */
function fakeCargo(name: string, behaviour: 'ok' | 'compile-error' | 'offline'): string {
  const file = path.join(tmp, name);
  const log = `${file}.log`;
  const body = {
    ok: 'exit 0',
    'compile-error': 'echo "src/lib.rs:2:5: error[E0425]: cannot find value \\`nope\\` in this scope" >&2; echo "error: could not compile \\`x\\`" >&2; exit 101',
    offline: 'echo "    Updating crates.io index" >&2; echo "error: failed to get \\`diesel\\` as a dependency of package \\`x v0.1.0 ($PWD)\\`" >&2; echo "Caused by: Couldn\'t resolve host name" >&2; exit 101',
  }[behaviour];
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "cargo 1.0.0"; exit 0; fi\necho "$PWD $CARGO_TARGET_DIR $*" >> "${log}"\ncat Cargo.toml src/lib.rs >> "${log}"\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const files = new Map([
  ['Cargo.toml', '[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n'],
  ['src/lib.rs', 'pub fn a() {}\n'],
]);
const change: ChangeSet = { mode: 'diesel-model-fn', summary: '', files: [{ path: 'src/lib.rs', original: 'pub fn a() {}\n', proposed: 'pub fn a() {}\npub fn b() {}\n', ops: [] }] };
const posix = process.platform !== 'win32';

describe.runIf(posix)('cargo check in a scratch copy', () => {
  it('writes the project with the change applied, runs `cargo check` with a shared target dir, passes on exit 0', async () => {
    const cargo = fakeCargo('ok', 'ok');
    const c = createCargoChecker({ cargo });
    expect(await c.check(files, change)).toEqual({ outcome: 'pass' });
    expect(await c.check(files, undefined)).toEqual({ outcome: 'pass' });
    const log = readFileSync(`${cargo}.log`, 'utf8').split('\n');
    const [dir1, target1, ...args] = log[0]!.split(' ');
    expect(args.join(' ')).toBe('check --quiet --message-format short');
    expect(log.join('\n')).toContain('pub fn b() {}');
    expect(existsSync(dir1!)).toBe(false); // the scratch copy is removed
    const second = log.find((l, i) => i > 0 && l.startsWith('/'))!;
    expect(second.split(' ')[1]).toBe(target1); // dependencies build once per run
    await c.dispose();
    expect(existsSync(target1!)).toBe(false);
  });

  it('a compile error fails with the error line, the scratch path hidden', async () => {
    const c = createCargoChecker({ cargo: fakeCargo('bad', 'compile-error') });
    const r = await c.check(files, change);
    expect(r.outcome).toBe('fail');
    expect(r.detail).toBe('src/lib.rs:2:5: error[E0425]: cannot find value `nope` in this scope');
    expect(c.unusable()).toBeUndefined();
    await c.dispose();
  });

  it('no network to crates.io: skipped with "cargo not usable", and every later check skipped without running cargo', async () => {
    const cargo = fakeCargo('offline', 'offline');
    const c = createCargoChecker({ cargo });
    const r = await c.check(files, change);
    expect(r.outcome).toBe('skipped');
    expect(r.detail).toMatch(/^cargo not usable: it could not fetch the crates \(error: failed to get `diesel` as a dependency of package `x v0\.1\.0 \(<scratch>\)`\)$/);
    expect(await c.check(files, change)).toEqual(r);
    expect(readFileSync(`${cargo}.log`, 'utf8').match(/--message-format/g)).toHaveLength(1);
    expect(c.unusable()).toBe(r.detail);
    await c.dispose();
  });

  it('no cargo at all: skipped, naming the command', async () => {
    const c = createCargoChecker({ cargo: path.join(tmp, 'no-such-cargo') });
    const r = await c.check(files, change);
    expect(r.outcome).toBe('skipped');
    expect(r.detail).toMatch(/^cargo not usable: `.*no-such-cargo --version` failed/);
    await c.dispose();
  });

  const hasCargo = spawnSync('cargo', ['--version']).status === 0;
  it.runIf(hasCargo)('with the real cargo: a crate without dependencies checks offline, and a type error fails', async () => {
    const c = createCargoChecker({ timeoutMs: 120_000 });
    try {
      expect(await c.check(files, change)).toEqual({ outcome: 'pass' });
      const broken: ChangeSet = { ...change, files: [{ ...change.files[0]!, proposed: 'pub fn a() -> i32 { "text" }\n' }] };
      const r = await c.check(files, broken);
      expect(r.outcome).toBe('fail');
      expect(r.detail).toMatch(/mismatched types/);
    } finally {
      await c.dispose();
    }
  }, 120_000);
});
