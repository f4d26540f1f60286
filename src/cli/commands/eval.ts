import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { listModes } from '../../../modes';
import { MODE_IDS } from '../../domain';
import {
  createProgress,
  createRenderStep,
  EVAL_SPLITS,
  evalCompileStep,
  EvalHarnessError,
  firstPerSet,
  splitTasks,
  type EvalSplit,
  loadTasks,
  renderConsoleSummary,
  renderMarkdown,
  runEval,
  TaskLoadError,
  type EvalReport,
} from '../../eval';
import { DEFAULT_BASE_URL, DEFAULT_MODEL, ENV_BASE_URL, ENV_RUST_ENGINEER_MODEL } from '../../llm';
import { RepeatPenaltyField } from '../../settings';
import { writeFileAtomic } from '../../store/persistence';
import { startLocalRuntime, type LocalRuntime } from '../localRuntime';
import { apiKeyFrom, CLI_KNOBS, cliLlmConfig, TIMEOUT_OPTIONS, TIMEOUT_USAGE, timeoutSettings } from '../llmOptions';
import { parseCommandArgs, positiveInt, RUSTFMT_USAGE, rustfmtOption, UsageError, type CliCommand, type CliIo } from '../types';

const usage = `Usage: nocodo eval --base-url <url> --model <name> [options]

Runs every mode over a task set against a model server and scores each FIRST answer:
(1) post-processed cleanly, (2) parses, (3) passes the mode's validation against the project,
(4) matches the reference answer (normalised syntax tree) or every listed check, and with --cargo
(5) \`cargo check\` passes in a scratch copy, and with --render (6) the Solid answer's frontend
builds with \`vite build\` and its page, in headless Chromium against the task's own backend
(cargo run on a throwaway PostgreSQL with the task's seed rows), shows the rows. Prints pass@1 per mode and model, latency, prompt
tokens split into the stable prefix and the variable part, tokens/s.

Options:
  --base-url <url>  OpenAI-compatible server (default: $${ENV_BASE_URL} or ${DEFAULT_BASE_URL})
  --model <name>    Model to evaluate; repeat for several (default: $${ENV_RUST_ENGINEER_MODEL} or ${DEFAULT_MODEL})
  --mode <id>       Only tasks of this mode; repeat or comma-separate (${listModes()
    .map((m) => m.id)
    .join(', ')})
  --tasks <dir>     Task sets: a folder of sets, one set, or one task (default: ./eval/tasks)
  --out <file>      Write the full report as JSON
  --markdown <file> Write the report as Markdown (printed to stdout when neither file is given)
  --cargo           Also run \`cargo check\` on passing answers (needs cargo and crates.io)
  --cargo-timeout <s>
                    Stop one \`cargo check\` after s seconds (default: 300; a first build of
                    new dependencies on a busy machine can take longer)
  --render          Solid tasks with a render spec: vite build, then the page in headless Chromium
                    against the task project's backend (needs cargo, PostgreSQL's server
                    programs, Chromium at $NOCODO_CHROMIUM or /usr/bin/chromium)
  --local-model <file.gguf>
                    Serve this GGUF with the embedded runtime (a child process on 127.0.0.1,
                    random port and token) and evaluate it; --base-url and --model are ignored
  --threads <n>     Embedded runtime: CPU threads (default: all math cores)
  --split <half>    Only one fixed half of every set: holdout (the tasks its heldout.json
                    names, never tuned on) or tune (the rest)
  --per-set <n>     At most n tasks of each set (after --split)
  --max-tokens <n>  Cap on answer tokens for every call (default: the role's setting)
  --repeat-penalty <x>
                    Repeat penalty for every call, 1 (off) to 2 (default: the role's setting;
                    sent as llama.cpp's repeat_penalty)
  --resume          Continue the run whose report is --out: tasks it scored are kept, not asked
                    again (the report is written after every task, so a stopped run loses at most one)
  --stop-after <s>  Start no new task after s seconds (a chunk of a long run; continue with --resume)
${RUSTFMT_USAGE}
${TIMEOUT_USAGE}
  --debug           Print stack traces of unexpected errors
  -h, --help        Show this help

Exit code: 0 when the run completed (even with failing tasks), 1 when it could not run (server
down, bad task files), 2 for bad usage.`;

/** ./eval/tasks, else the eval/tasks beside the installed CLI (dist/cli.js → ../eval/tasks). */
function defaultTasksDir(cwd: string): string {
  const local = path.join(cwd, 'eval', 'tasks');
  if (existsSync(local)) return local;
  const bundled = typeof __dirname === 'string' ? path.resolve(__dirname, '..', 'eval', 'tasks') : undefined;
  return bundled && existsSync(bundled) ? bundled : local;
}

const display = (cwd: string, abs: string): string => {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel.split(path.sep).join('/') : abs;
};

/** Written whole or not at all (the store's atomic write): a kill mid-write keeps the last report. */
async function writeReport(file: string, report: EvalReport): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8'));
}

function readPreviousReport(text: string): EvalReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`it is not JSON (${(err as Error).message})`);
  }
  const r = parsed as Partial<EvalReport> | null;
  if (!r || typeof r !== 'object' || r.version !== 1 || !Array.isArray(r.results)) throw new Error('it is not a `nocodo eval --out` report (version 1 with results)');
  const bad = r.results.find((x) => !x || typeof x.taskId !== 'string' || typeof x.model !== 'string' || typeof x.score !== 'object');
  if (bad) throw new Error('a result lacks its taskId, model or score');
  return r as EvalReport;
}

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'Score the modes on a task set against a model server (pass@1, latency, prompt tokens)',
  usage,
  async run(argv, io: CliIo) {
    const { values } = parseCommandArgs(argv, {
      'base-url': { type: 'string' },
      model: { type: 'string', multiple: true },
      mode: { type: 'string', multiple: true },
      tasks: { type: 'string' },
      out: { type: 'string' },
      markdown: { type: 'string' },
      cargo: { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      'cargo-timeout': { type: 'string' },
      'local-model': { type: 'string' },
      threads: { type: 'string' },
      'max-tokens': { type: 'string' },
      'repeat-penalty': { type: 'string' },
      split: { type: 'string' },
      'per-set': { type: 'string' },
      resume: { type: 'boolean', default: false },
      'stop-after': { type: 'string' },
      rustfmt: { type: 'string' },
      ...TIMEOUT_OPTIONS,
    });
    const maxTokens = positiveInt(values['max-tokens'], '--max-tokens');
    const threads = positiveInt(values.threads, '--threads');
    const repeatPenalty = values['repeat-penalty'] === undefined ? undefined : Number(values['repeat-penalty']);
    if (repeatPenalty !== undefined && !RepeatPenaltyField.safeParse(repeatPenalty).success) throw new UsageError(`--repeat-penalty is a number from 1 (off) to 2, not "${values['repeat-penalty']}".`);
    const perSet = positiveInt(values['per-set'], '--per-set');
    const cargoTimeoutS = positiveInt(values['cargo-timeout'], '--cargo-timeout');
    const stopAfterS = positiveInt(values['stop-after'], '--stop-after');
    if (values.resume && !values.out) throw new UsageError('--resume continues the report named by --out: give --out <file>.');
    const outFile = values.out ? path.resolve(io.cwd, values.out) : undefined;
    const rustfmt = rustfmtOption(values.rustfmt, io.cwd);
    const split = values.split as EvalSplit | undefined;
    if (split !== undefined && !EVAL_SPLITS.includes(split)) throw new UsageError(`--split is ${EVAL_SPLITS.join(' or ')}, not "${values.split}".`);
    const timeouts = timeoutSettings(values);
    // Validated like the editor's settings: an http(s) URL, no user:password@ in it.
    let baseUrl = cliLlmConfig({ baseUrl: values['base-url'] ?? io.env[ENV_BASE_URL] ?? DEFAULT_BASE_URL, timeouts }, {}).roles.rustEngineer.baseUrl;
    let apiKey = apiKeyFrom(io.env);
    let models = [...new Set((values.model?.length ? values.model : [io.env[ENV_RUST_ENGINEER_MODEL] ?? DEFAULT_MODEL]).map((m) => m.trim()).filter(Boolean))];
    if (!models.length) throw new UsageError('--model needs a model name.');
    const modes = (values.mode ?? []).flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean);
    const unknown = modes.find((m) => !(MODE_IDS as readonly string[]).includes(m));
    if (unknown) throw new UsageError(`unknown mode "${unknown}"; known: ${MODE_IDS.join(', ')}.`);
    const tasksDir = values.tasks ? path.resolve(io.cwd, values.tasks) : defaultTasksDir(io.cwd);

    let tasks;
    try {
      tasks = await loadTasks(tasksDir);
      if (split) tasks = splitTasks(tasks, split);
      if (perSet) tasks = firstPerSet(tasks, perSet);
    } catch (err) {
      if (!(err instanceof TaskLoadError)) throw err;
      io.stderr(`nocodo eval: ${err.message}\n`);
      return 1;
    }

    let previous: EvalReport | undefined;
    if (values.resume && outFile && existsSync(outFile)) {
      try {
        previous = readPreviousReport(await fsp.readFile(outFile, 'utf8'));
      } catch (err) {
        // Never overwrite a report we could not read: it may hold hours of model time.
        io.stderr(`nocodo eval: cannot resume from ${display(io.cwd, outFile)}: ${(err as Error).message}\n`);
        return 1;
      }
      io.stderr(`Resuming ${display(io.cwd, outFile)}: ${previous.results.length} task result(s) kept.\n`);
    }

    let local: LocalRuntime | undefined;
    if (values['local-model']) {
      try {
        local = await startLocalRuntime(path.resolve(io.cwd, values['local-model']), { ...(threads ? { threads } : {}), log: (l) => io.stderr(`[runtime] ${l}\n`) });
      } catch (err) {
        io.stderr(`nocodo eval: ${(err as Error).message}\n`);
        return 1;
      }
      baseUrl = local.endpoint.baseUrl;
      apiKey = local.endpoint.token;
      models = [local.endpoint.modelId];
    }

    const cargo = values.cargo ? evalCompileStep({ ...process.env, ...io.env }, { onNotice: (m) => io.stderr(`${m}\n`), ...(cargoTimeoutS ? { timeoutMs: cargoTimeoutS * 1000 } : {}) }) : undefined;
    const render = values.render ? createRenderStep({ env: { ...process.env, ...io.env }, onNotice: (m) => io.stderr(`${m}\n`) }) : undefined;
    let report;
    try {
      report = await runEval({
        tasks,
        tasksDir: display(io.cwd, tasksDir),
        baseUrl,
        models,
        ...(modes.length ? { modes } : {}),
        ...(cargo ? { cargo } : {}),
        ...(render ? { render } : {}),
        env: io.env,
        // Nothing else competes for the embedded runtime: wait for a long prompt as long as it takes
        // (unless the flags say otherwise).
        timeouts: local ? { firstTokenMs: 1_800_000, totalMs: 1_800_000, ...timeouts } : timeouts,
        knobs: CLI_KNOBS,
        ...(apiKey ? { apiKey } : {}),
        ...(maxTokens ? { maxTokens } : {}),
        ...(repeatPenalty !== undefined ? { repeatPenalty } : {}),
        ...(previous ? { previous } : {}),
        ...(stopAfterS ? { stopAfterMs: stopAfterS * 1000 } : {}),
        ...(outFile ? { onReport: (partial: EvalReport) => writeReport(outFile, partial) } : {}),
        ...(rustfmt !== undefined ? { rustfmt } : {}),
        onProgress: createProgress(io.stderr, io.stderrIsTTY === true),
      });
    } catch (err) {
      if (!(err instanceof EvalHarnessError)) throw err;
      if (io.stderrIsTTY) io.stderr('\n');
      io.stderr(`nocodo eval: ${err.message}\n`);
      return 1;
    } finally {
      await cargo?.checker.dispose();
      await render?.dispose();
      await local?.stop();
    }

    const written: string[] = [];
    if (outFile) {
      await writeReport(outFile, report);
      written.push(display(io.cwd, outFile));
    }
    const markdown = renderMarkdown(report);
    if (values.markdown) {
      const file = path.resolve(io.cwd, values.markdown);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, markdown, 'utf8');
      written.push(display(io.cwd, file));
    }
    if (written.length) {
      io.stdout(renderConsoleSummary(report));
      io.stdout(`Wrote ${written.join(', ')}\n`);
    } else io.stdout(markdown);
    if (report.unfinished) io.stderr(`nocodo eval: stopped after ${stopAfterS} s with ${report.unfinished} task(s) not run; run the same command with --resume to continue.\n`);
    if (report.cargo.startsWith('skipped')) io.stderr(`nocodo eval: cargo check ${report.cargo}\n`);
    if (report.render?.startsWith('skipped')) io.stderr(`nocodo eval: render ${report.render}\n`);
    return 0;
  },
};
