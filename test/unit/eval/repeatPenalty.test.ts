import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import { REPEAT_PENALTY_WINDOW } from '../../../src/llm/config';
import { RECORDED_MODEL as MODEL, recordedModelServer } from '../../helpers/fixtureModel';

// `nocodo eval --repeat-penalty` measures a penalty without touching settings: every call of the
// run carries it in llama-server's fields.

const ROOT = path.resolve(__dirname, '../../..');
const BAKERY = path.join(ROOT, 'eval/tasks/bakery');

function io(): CliIo & { err: () => string } {
  let err = '';
  return { stdout: () => {}, stderr: (t) => (err += t), cwd: ROOT, env: {}, stderrIsTTY: false, err: () => err };
}

const model = recordedModelServer(BAKERY);

describe('nocodo eval --repeat-penalty', () => {
  it('sends the penalty with every call, and refuses a value out of range', async () => {
    const base = ['eval', '--base-url', model.server().baseUrl, '--model', MODEL, '--tasks', BAKERY, '--mode', 'diesel-schema', '--per-set', '1'];
    expect(await runCli([...base, '--repeat-penalty', '1.3'], io())).toBe(0);
    const bodies = model.server().chatRequests().map((q) => q.body);
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b).toMatchObject({ repeat_penalty: 1.3, repeat_last_n: REPEAT_PENALTY_WINDOW });

    const bad = io();
    expect(await runCli([...base, '--repeat-penalty', '0.9'], bad)).toBe(2);
    expect(bad.err()).toContain('--repeat-penalty is a number from 1 (off) to 2, not "0.9"');
  }, 120_000);
});
