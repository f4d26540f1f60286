#!/usr/bin/env node
// Warms the shared cargo build folder for the eval's compile harness crates
// (eval/tasks/*/_crates/<crate>, see src/eval/harness.ts): assembles each crate (its harness.json
// maps upstream fixture files in, its own files lie over them) in a scratch folder and runs
// `cargo check --locked` there, so the cargo layer only compiles the crates themselves.
// Usage: node scripts/warm-harness.mjs   (CARGO_TARGET_DIR: the shared build folder)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tasksDir = path.join(root, 'eval/tasks');
// A folder of this run's own: a fixed name let a second warm (another checkout's CI on the same
// machine) delete the crate under a running `cargo check` (rustc: "No such file or directory").
const scratch = mkdtempSync(path.join(tmpdir(), 'nocodo-warm-harness-'));
let failed = 0;
for (const set of readdirSync(tasksDir)) {
  const crates = path.join(tasksDir, set, '_crates');
  if (!existsSync(crates)) continue;
  for (const name of readdirSync(crates)) {
    const dir = path.join(crates, name);
    // Only folders with a harness.json are crates (the folder also holds its README).
    if (!existsSync(path.join(dir, 'harness.json'))) continue;
    const spec = JSON.parse(readFileSync(path.join(dir, 'harness.json'), 'utf8'));
    // A system library the crate links (harness.json `needs`): the eval skips such a crate with the
    // same words when it is missing, so warming says so instead of failing on it.
    const lacking = (spec.needs ?? []).find((n) => spawnSync('pkg-config', ['--exists', n.pkgConfig]).status !== 0);
    if (lacking) {
      console.log(`warm ${set}/${name}: skipped (${lacking.what} is not installed: ${lacking.install})`);
      continue;
    }
    const out = path.join(scratch, `${set}-${name}`);
    mkdirSync(out, { recursive: true });
    for (const [target, source] of Object.entries(spec.files ?? {})) {
      mkdirSync(path.dirname(path.join(out, target)), { recursive: true });
      cpSync(path.resolve(dir, spec.fixture, source), path.join(out, target));
    }
    cpSync(dir, out, { recursive: true, filter: (p) => path.basename(p) !== 'harness.json' });
    // Upstream code warns a lot on today's rustc: print the compiler's output only when it fails.
    const r = spawnSync('cargo', ['check', '--locked', '--quiet'], { cwd: out, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    console.log(`warm ${set}/${name}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status ?? r.error?.message})`}`);
    if (r.status !== 0) {
      process.stderr.write(r.stderr ?? '');
      failed++;
    }
  }
}
rmSync(scratch, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
