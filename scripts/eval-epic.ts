// `npm run eval:epic`: the epic flow of the end-to-end test (a bakery's customers: plan, shaping,
// six tasks accepted automatically when every check passes) with the coding roles on a REAL model
// through the embedded runtime (default: Gemma 3 270M from scripts/setup-local-model.sh). A
// measured experiment, not a gate: per task, passed every check on the first try, after the
// re-ask, or where it failed; model time and prompt tokens. A task that fails on the real model
// gets the scripted answer of the fixture model server as a stand-in so the tasks after it still
// run on the real model (src/eval/epic.ts). When every task is done, the app is built and started.
//
//   npx tsx scripts/eval-epic.ts [--agents fixture|real] [--local-model file.gguf] [--threads n]
//        [--max-tokens n] [--agent-max-tokens n] [--no-cargo] [--no-app] [--lock file]
//        [--max-tasks n] [--out-dir dir]
//
// --lock: a file to hold with flock(1) around each heavy step (a task's model calls and cargo
// check, the app build), so a shared machine serialises them with its other heavy jobs.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { registerMarkdownLoader } from '../bench/lib/markdown';
import type { sharedTargetDir as SharedTargetDir } from '../src/compile/paths';
import type { startApp as StartApp } from '../src/runApp';

const root = path.resolve(__dirname, '..');

/** Holds `file` with flock(1) until the returned release is called. */
async function holdLock(file: string): Promise<() => void> {
  const child = spawn('flock', [file, 'sh', '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`flock ${file} exited (${code}) before taking the lock`)));
  });
  return () => child.stdin.end();
}

async function main(): Promise<void> {
  registerMarkdownLoader();
  const { values } = parseArgs({
    options: {
      agents: { type: 'string', default: 'fixture' },
      'local-model': { type: 'string' },
      threads: { type: 'string' },
      'max-tokens': { type: 'string', default: '192' },
      'agent-max-tokens': { type: 'string', default: '512' },
      'no-cargo': { type: 'boolean', default: false },
      'no-app': { type: 'boolean', default: false },
      lock: { type: 'string' },
      'max-tasks': { type: 'string' },
      'out-dir': { type: 'string', default: 'eval/results' },
      keep: { type: 'boolean', default: false },
    },
  });
  const agents = values.agents;
  if (agents !== 'fixture' && agents !== 'real') throw new Error(`--agents is fixture or real, not "${agents}"`);
  const maxTokens = Number(values['max-tokens']);
  const agentMaxTokens = Number(values['agent-max-tokens']);

  const { startLocalRuntime } = await import('../src/cli/localRuntime');
  const { createModelClient, resolveLlmConfig } = await import('../src/llm');
  const { NodeProjectFs } = await import('../src/core/projectFs');
  const { createNewApp } = await import('../src/scaffold');
  const { openStore } = await import('../src/store');
  const { findCargo } = await import('../src/compile');
  const { sharedTargetDir } = await import('../src/compile/paths');
  const { evalCompileStep } = await import('../src/eval/cargo');
  const { renderEpicMarkdown, runEpicEval } = await import('../src/eval/epic');
  type EpicEvalReport = Awaited<ReturnType<typeof runEpicEval>>;
  const { startApp } = await import('../src/runApp');
  const { startModelServer } = await import('../test/fixtures/model-server/server.mjs');
  const { script, SUMMARY } = await import('../test/fixtures/epic-app/scenario');

  const modelPath = values['local-model'] ?? execFileSync('bash', [path.join(root, 'scripts/setup-local-model.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const log = (line: string) => process.stderr.write(`[eval-epic ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const exclusive = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    if (!values.lock) return work();
    log(`waiting for ${values.lock} (${label})`);
    const release = await holdLock(values.lock);
    try {
      return await work();
    } finally {
      release();
    }
  };
  // Load average through the run: at each task's start (in the report) and every 15 s.
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]!), 15_000);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nocodo-eval-epic-'));
  const app = path.join(tmp, 'bakery');
  await createNewApp({ dir: app, name: 'Bakery' });
  const standInServer = await startModelServer({ script: script() });
  const store = await openStore({ file: path.join(tmp, 'nocodo.sqlite'), saveDelayMs: 50 });
  const local = await startLocalRuntime(modelPath, { ...(values.threads ? { threads: Number(values.threads) } : {}), log: (l) => log(`[runtime] ${l}`) });
  const threads = local.runtime.options.threads ?? 1;
  const started = new Date();
  loads.push(os.loadavg()[0]!);
  let appText: string | undefined;
  try {
    const model = local.endpoint.modelId;
    const roles = {
      rustEngineer: { model, maxTokens },
      frontendEngineer: { model, maxTokens },
      productOwner: { model, maxTokens: agentMaxTokens },
      projectManager: { model, maxTokens: agentMaxTokens },
      engineeringManager: { model, maxTokens: agentMaxTokens },
    };
    // A CPU model reads a 5,000-token prompt for minutes on a loaded machine: wait for it.
    const timeouts = { firstTokenMs: 1_800_000, totalMs: 1_800_000, idleMs: 300_000 };
    const real = createModelClient({ config: resolveLlmConfig({ baseUrl: local.endpoint.baseUrl, maxRetries: 0, timeouts, roles }, {}), getApiKey: async () => local.endpoint.token });
    const standIn = createModelClient({ config: resolveLlmConfig({ baseUrl: standInServer.baseUrl, maxRetries: 0 }, {}), retryDelayMs: 10 });
    const cargo = !values['no-cargo'] && findCargo() !== undefined;
    const compileStep = cargo ? { ...evalCompileStep(process.env, { onNotice: log }), measureRejected: false } : undefined;

    const sizeMb = (statSync(modelPath).size / 1e6).toFixed(0);
    const quant = /(q\d_[a-z0-9_]+|f16|bf16)/i.exec(path.basename(modelPath))?.[1]?.toUpperCase() ?? 'unknown quantization';
    const outDir = path.resolve(root, values['out-dir']);
    const base = path.join(outDir, `epic-agents-${agents}`);
    /** Writes the report (JSON and Markdown); also after each task, so a stopped run keeps its figures. */
    const write = (report: EpicEvalReport, app: string | undefined): string => {
      const header = {
        model,
        file: `${path.basename(modelPath)}, ${sizeMb} MB`,
        quantization: quant,
        machine: `${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}; the eval process at nice ${os.getPriority()}`,
        threads,
        maxTokens,
        date: `${started.toISOString().slice(0, 16).replace('T', ' ')} → ${new Date().toISOString().slice(11, 16)} UTC`,
        load: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (1 min, sampled every 15 s)`,
        cargo: compileStep ? 'on (shadow copy, shared target dir)' : 'off',
      };
      const md = renderEpicMarkdown(report, header, app);
      mkdirSync(outDir, { recursive: true });
      writeFileSync(`${base}.json`, `${JSON.stringify({ ...header, agents, app: app ?? null, loads, report }, null, 2)}\n`);
      writeFileSync(`${base}.md`, md);
      log(`wrote ${base}.json and ${base}.md`);
      return md;
    };

    const report = await runEpicEval({
      store,
      project: new NodeProjectFs(app),
      summary: SUMMARY,
      real,
      standIn,
      agents,
      ...(compileStep ? { compile: () => compileStep } : {}),
      exclusive,
      load: () => os.loadavg()[0]!,
      log,
      ...(values['max-tasks'] ? { maxTasks: Number(values['max-tasks']) } : {}),
      onProgress: (partial) => write(partial, undefined),
    });

    if (report.tasks.length && report.tasks.every((t) => t.state === 'done') && !values['no-app']) {
      appText = await exclusive('building and starting the app', () => checkApp(app, tmp, { startApp, sharedTargetDir, log }));
    } else if (!values['no-app']) {
      appText = 'not started: not every task is done';
    }
    loads.push(os.loadavg()[0]!);
    const md = write(report, appText);
    process.stdout.write(md);
  } finally {
    clearInterval(sampler);
    await local.stop();
    await store.close();
    await standInServer.close();
    if (!values.keep) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
}

/** Builds and starts the generated app; whether it answers: health, a customer created and listed. */
async function checkApp(
  app: string,
  tmp: string,
  deps: { startApp: typeof StartApp; sharedTargetDir: typeof SharedTargetDir; log: (l: string) => void },
): Promise<string> {
  try {
    execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: path.join(app, 'frontend'), stdio: 'ignore' });
  } catch (e) {
    return `not started: npm ci of the frontend failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
  const lines: string[] = [];
  let running: Awaited<ReturnType<typeof deps.startApp>> | undefined;
  try {
    deps.log('building and starting the app');
    running = await deps.startApp({ dir: app, timeoutMs: 30 * 60_000, env: { ...process.env, CARGO_TARGET_DIR: deps.sharedTargetDir(), DATABASE_URL: path.join(tmp, 'bakery-data.sqlite') }, onLine: (part, line) => lines.push(`${part}: ${line}`) });
    const api = running.backendUrl;
    const created = await fetch(`${api}/api/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada Baker', phone: '555-0101' }) });
    const listPath = /request<Customer\[\]>\('GET', '([^']+)'\)/.exec(readFileSync(path.join(app, 'frontend/src/api/client.ts'), 'utf8'))?.[1] ?? '/api/customers';
    const listed = await fetch(`${api}${listPath}`);
    const body = listed.ok ? ((await listed.json()) as unknown[]) : [];
    return `answers: /api/health after ${(running.healthMs / 1000).toFixed(0)} s (build included); POST /api/customers → ${created.status}; GET ${listPath} → ${listed.status} with ${Array.isArray(body) ? body.length : '?'} customer(s)`;
  } catch (e) {
    return `does not answer: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}${lines.length ? ` (last output: ${lines.slice(-3).join(' / ')})` : ''}`;
  } finally {
    await running?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`eval-epic: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
