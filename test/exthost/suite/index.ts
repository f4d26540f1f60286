// Entry point the VS Code extension host loads (`extensionTestsPath`): runs every bundled
// `*.test.js` next to this file with Mocha and reports the counts in a machine-readable form.
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULT_MARKER = 'NOCODO_EXTHOST_RESULT';

interface Failure {
  title: string;
  error: string;
}

export async function run(): Promise<void> {
  // nocodo's debug lines (each step of a generation and of an accept, with its time) go into the
  // logs a failed run keeps: a test that hangs then says where. Extension tests only (VS Code's
  // own test command), so this changes nothing for users.
  await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'debug');
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.NOCODO_EXTHOST_TIMEOUT_MS) || 60_000,
    grep: process.env.NOCODO_EXTHOST_GREP || undefined,
  });
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(join(__dirname, f));

  const failures: Failure[] = [];
  let passed = 0;
  let pending = 0;
  let declared = 0;
  let failedTests = 0;
  const failed = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((n) => resolve(n));
      // Tests the suites declare (after --grep): a failing hook makes Mocha skip the rest of its
      // suite silently, so whatever neither passed, failed nor was marked pending never ran.
      declared = runner.total;
      runner.on('pass', () => passed++);
      runner.on('pending', () => pending++);
      runner.on('fail', (test, err: unknown) => {
        if (test.type === 'test') failedTests++;
        const e = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
        failures.push({ title: test.fullTitle(), error: e.slice(0, 4000) });
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });

  const neverRan = Math.max(0, declared - passed - failedTests - pending);
  if (neverRan > 0) failures.push({ title: `${neverRan} of ${declared} declared test(s) never ran`, error: 'a hook failed before them, so Mocha skipped them; they count as failed' });
  // A failing hook fails no test by itself in Mocha's pass count; tests that never ran count as failed.
  const result = { passed, failed: Math.max(failed, failures.length - (neverRan > 0 ? 1 : 0)) + neverRan, pending, declared, neverRan, files, failures };
  // The console line stays short (Mocha already printed the details); the file has everything.
  const brief = { ...result, failures: failures.map((f) => ({ title: f.title, error: f.error.split('\n')[0]?.slice(0, 300) ?? '' })) };
  const line = `${RESULT_MARKER} ${JSON.stringify(brief)}`;
  console.log(line);
  const out = process.env.NOCODO_EXTHOST_RESULT_FILE;
  if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  if (files.length === 0) throw new Error('no *.test.js files next to the test index');
  if (result.failed > 0) throw new Error(`${result.failed} extension-host test(s) failed`);
}
