import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRustfmt, forgetFormattedAnswers, prepareRustfmt, rustfmt, standbyRustfmtPid } from '../../../src/pipeline/rust/rustfmt';

const bin = findRustfmt();
const messy = 'pub fn f(conn:&mut PgConnection)->QueryResult<Vec<Order>>{orders::table.load(conn)}';
const tidy = 'pub fn f(conn: &mut PgConnection) -> QueryResult<Vec<Order>> {\n    orders::table.load(conn)\n}';

// Needs a real rustfmt (the machine's toolchain); the pipeline works without one (other tests).
describe.skipIf(!bin)('rustfmt started ahead of the answer', () => {
  it('formats with the waiting process, then has none waiting until asked again', async () => {
    forgetFormattedAnswers();
    prepareRustfmt({});
    const pid = standbyRustfmtPid();
    expect(pid).toBeTypeOf('number');
    prepareRustfmt({}); // one per binary
    expect(standbyRustfmtPid()).toBe(pid);
    expect(await rustfmt(messy)).toEqual({ text: tidy, formatted: true });
    expect(standbyRustfmtPid()).toBeUndefined();
  });

  it('starts a fresh rustfmt when the waiting one died', async () => {
    forgetFormattedAnswers();
    prepareRustfmt({});
    const pid = standbyRustfmtPid()!;
    process.kill(pid, 'SIGKILL');
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        try {
          process.kill(pid, 0);
          setTimeout(poll, 10);
        } catch {
          resolve();
        }
      };
      poll();
    });
    expect(await rustfmt(messy)).toEqual({ text: tidy, formatted: true });
  });

  it('does not keep a CLI process alive, and does not outlive it', () => {
    const script = path.join(os.tmpdir(), `nocodo-standby-${process.pid}.ts`);
    const mod = path.resolve('src/pipeline/rust/rustfmt.ts');
    writeFileSync(script, `import { prepareRustfmt, standbyRustfmtPid } from ${JSON.stringify(mod)};\nprepareRustfmt({});\nconsole.log(standbyRustfmtPid());\n`);
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    // Far below the standby's idle time (60 s): nothing held the event loop.
    expect(Date.now() - started).toBeLessThan(20_000);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // Its stdin closed with the parent: rustfmt read an empty input and exited (allow it a moment under load).
    const until = Date.now() + 10_000;
    let alive = true;
    while (alive && Date.now() < until) {
      try {
        process.kill(pid, 0);
        spawnSync('sleep', ['0.05']);
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });
});
