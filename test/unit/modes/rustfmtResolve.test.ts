import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRustfmt } from '../../../src/pipeline/rust/rustfmt';

// Issue #18: rustup's proxy (~/.cargo/bin/rustfmt) picks a toolchain on every start (1.4x the
// time); nocodo asks `rustup which rustfmt` once and runs the real binary from then on.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A cargo bin folder with a rustfmt proxy and, if asked, a rustup that names a toolchain's rustfmt and counts its calls. */
function fakeCargo(withRustup: boolean): { bin: string; real: string; calls: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'nocodo-rustup-'));
  dirs.push(home);
  const bin = path.join(home, 'bin');
  const real = path.join(home, 'toolchains', 'stable', 'bin', 'rustfmt');
  const calls = path.join(home, 'calls');
  mkdirSync(bin, { recursive: true });
  mkdirSync(path.dirname(real), { recursive: true });
  for (const f of [path.join(bin, 'rustfmt'), real]) writeFileSync(f, '#!/bin/sh\ncat\n');
  if (withRustup) writeFileSync(path.join(bin, 'rustup'), `#!/bin/sh\necho "$@" >> '${calls}'\necho '${real}'\n`);
  for (const f of [path.join(bin, 'rustfmt'), real, path.join(bin, 'rustup')]) if (withRustup || !f.endsWith('rustup')) chmodSync(f, 0o755);
  return { bin, real, calls };
}

describe.skipIf(process.platform === 'win32')('finding rustfmt', () => {
  it("resolves rustup's proxy to the toolchain's binary, asking rustup once", () => {
    const { bin, real, calls } = fakeCargo(true);
    const env = { PATH: bin, HOME: path.dirname(bin) };
    expect(findRustfmt({ env })).toBe(real);
    expect(findRustfmt({ env })).toBe(real);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['which rustfmt']);
  });

  it('uses the rustfmt found when there is no rustup beside it', () => {
    const { bin } = fakeCargo(false);
    expect(findRustfmt({ env: { PATH: bin, HOME: path.dirname(bin) } })).toBe(path.join(bin, 'rustfmt'));
  });
});
