import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppStartError, isPortFree, startApp } from '../../../src/runApp';

/**
 * Run App in an environment that lacks a program (an editor's extension host often has a shorter
 * PATH than the user's shell): it fails at once with a sentence that names the program, never
 * with "exit null" or a wait until the timeout, and leaves nothing running.
 */
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-run-fail-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function app(name: string, withFrontend: boolean): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'backend'), { recursive: true });
  writeFileSync(path.join(dir, 'backend', 'Cargo.toml'), '[package]\nname = "x"\nversion = "0.1.0"\n');
  if (withFrontend) {
    mkdirSync(path.join(dir, 'frontend'), { recursive: true });
    writeFileSync(path.join(dir, 'frontend', 'package.json'), '{}\n');
  }
  return dir;
}

/** A PATH and HOME with nothing in them: no cargo, no npm. */
const bareEnv = (): NodeJS.ProcessEnv => {
  const empty = path.join(tmp, 'empty-home');
  mkdirSync(empty, { recursive: true });
  return { PATH: path.join(tmp, 'no-bin'), HOME: empty, CARGO_HOME: path.join(empty, '.cargo') };
};

describe('startApp when a program is missing', () => {
  it('no cargo on PATH nor in ~/.cargo/bin: says so, names rustup, starts nothing', async () => {
    const started = Date.now();
    const err = await startApp({ dir: app('no-cargo', false), env: bareEnv(), timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppStartError);
    expect((err as Error).message).toMatch(/^cargo was not found \(neither on PATH nor in ~\/\.cargo\/bin\): install Rust from https:\/\/rustup\.rs/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await isPortFree(8088)).toBe(true);
  });

  it('finds cargo in CARGO_HOME/bin when PATH lacks it', async () => {
    const env = bareEnv();
    const bin = path.join(env.CARGO_HOME!, 'bin');
    mkdirSync(bin, { recursive: true });
    // A stand-in that fails like a broken toolchain: what matters is that it was found and run.
    writeFileSync(path.join(bin, 'cargo'), '#!/bin/sh\necho "cargo stand-in ran" >&2\nexit 101\n');
    chmodSync(path.join(bin, 'cargo'), 0o755);
    const lines: string[] = [];
    const err = await startApp({ dir: app('cargo-home', false), env, timeoutMs: 60_000, onLine: (_p, l) => lines.push(l) }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('The app did not start: the backend stopped (exit 101) before answering.');
    expect(lines).toContain('cargo stand-in ran');
  });

  it('a program that cannot be spawned is named in the error (npm for the frontend packages)', async () => {
    const env = bareEnv();
    const bin = path.join(env.CARGO_HOME!, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'cargo'), '#!/bin/sh\nexec /bin/sleep 30\n');
    chmodSync(path.join(bin, 'cargo'), 0o755);
    const started = Date.now();
    const err = await startApp({ dir: app('no-npm', true), env, timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^The frontend's packages could not be installed: npm: spawn npm ENOENT\. Install Node\.js \(with npm\), or run npm ci in /);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
