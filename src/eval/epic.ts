import { Team } from '../agents/team';
import type { ProjectFs } from '../core/projectFs';
import { modeDescriptor, type ModelRole, type ProductSummary, type RunRecord, type Task, type TaskState } from '../domain';
import type { ModelClient } from '../llm/types';
import type { CompileStepOptions } from '../pipeline/compileStep';
import type { NocodoStore } from '../store/types';

/**
 * The epic flow as a measured experiment (`npm run eval:epic`, scripts/eval-epic.ts): a confirmed
 * summary → the Project Manager's epic → the Engineering Manager's shaping → every task run by its
 * specialist, accepted automatically when every check passes, with the coding calls on a REAL
 * model. Per task it records whether the first answer passed every check, the re-ask did, or
 * where it failed (clean, parse, schema, compile: from the runs' diagnostics).
 *
 * One failure must not hide the rest: when a task fails on the real model, the scripted answer
 * (the fixture model server) stands in for it, so its dependents are still measured on the real
 * model; the report names the tasks that ran on top of a stand-in. With `agents: 'real'` the
 * Project Manager and the Engineering Manager run on the real model too, and the report says
 * where that flow stops.
 */

/** Where an answer stopped: no answer at all, post-processing, syntax, validation against the project, rustc. */
export type CheckStage = 'model' | 'clean' | 'parse' | 'schema' | 'compile' | 'cancelled';
export const CHECK_STAGES: readonly CheckStage[] = ['model', 'clean', 'parse', 'schema', 'compile', 'cancelled'];

/** Post-processing found nothing usable (prose only, no item of the kind asked, cut off by the token cap). */
const CLEAN_CODES = new Set(['no-code', 'no-function', 'no-table-macro', 'truncated', 'no-page', 'no-router']);
const PARSE_CODES = new Set(['rust-syntax', 'tsx-syntax', 'parse-error']);

/** The check one answer (one run) stopped at, or 'passed'. */
export function stageOfRun(run: RunRecord): CheckStage | 'passed' {
  if (run.outcome === 'ok') return 'passed';
  if (run.outcome === 'cancelled') return 'cancelled';
  if (run.outcome === 'error') return 'model';
  const codes = run.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code ?? '');
  if (!run.extracted?.trim() || codes.some((c) => CLEAN_CODES.has(c))) return 'clean';
  if (codes.some((c) => PARSE_CODES.has(c))) return 'parse';
  // rustc only judges answers the static checks accepted: any other error is the static checks'.
  if (codes.some((c) => c !== 'rustc')) return 'schema';
  return 'compile';
}

/** The first error of a run, one line. */
export function problemOfRun(run: RunRecord): string | undefined {
  const d = run.diagnostics.find((x) => x.severity === 'error');
  const text = d?.message ?? run.error;
  return text?.split('\n')[0]!.trim().slice(0, 300);
}

/** What the model calls of one attempt at a task cost. */
export interface CallCost {
  calls: number;
  modelMs: number;
  promptTokens: number;
  completionTokens: number;
}

export function costOf(runs: readonly RunRecord[]): CallCost {
  return {
    calls: runs.length,
    modelMs: Math.round(runs.reduce((n, r) => n + r.timings.totalMs, 0)),
    promptTokens: runs.reduce((n, r) => n + (r.usage?.promptTokens ?? 0), 0),
    completionTokens: runs.reduce((n, r) => n + (r.usage?.completionTokens ?? 0), 0),
  };
}

export type TaskVerdict =
  /** The first answer passed every check and was accepted automatically. */
  | 'first-try'
  /** The first answer failed a check; the one re-ask passed. */
  | 'after-re-ask'
  /** No answer passed (or the passing one was not accepted). */
  | 'failed'
  /** A deterministic mode (no model call): built from the project. */
  | 'deterministic'
  /** Never ran: a dependency stayed undone, or the task was not shaped. */
  | 'not-run';

export interface EpicTaskReport {
  title: string;
  role: string;
  /** The coding mode the Engineering Manager chose (absent: not shaped, or no mode fits). */
  mode?: string;
  verdict: TaskVerdict;
  /** The first answer: passed, or the check it stopped at (and why). */
  firstAnswer?: CheckStage | 'passed';
  firstProblem?: string;
  /** The re-ask's answer, when there was one. */
  reAsk?: CheckStage | 'passed';
  reAskProblem?: string;
  /** A failed task: the check its last answer stopped at ('accept': passed, but not accepted automatically). */
  failedAt?: CheckStage | 'accept';
  failure?: string;
  /** The real model's calls for the task. */
  cost: CallCost;
  /** `cargo check` time within the real attempt. */
  compileMs: number;
  /** After a failure on the real model: the scripted answer stood in ('done'), or could not ('failed'). */
  standIn?: 'done' | 'failed';
  standInProblem?: string;
  /** Earlier tasks (direct or not) this one was built on whose result is a stand-in, not the real model's. */
  onTopOfStandIn: string[];
  /** The board state at the end. */
  state: TaskState;
  /** A task that did not run: why (as the board says it). */
  why?: string;
  /** Load average (1 min) when the task started. */
  loadAtStart?: number;
}

/** An agent step (Project Manager plan, Engineering Manager shaping of one task). */
export interface AgentStepReport {
  step: string;
  ok: boolean;
  problem?: string;
  cost: CallCost;
  /** The shaping: the mode chosen, the scripted one, and the task's state after the checks. */
  detail?: string;
}

export interface EpicEvalReport {
  agents: 'fixture' | 'real';
  planning: AgentStepReport;
  shaping: AgentStepReport[];
  tasks: EpicTaskReport[];
  /** Where the flow stopped short of every task done, in words (absent: every task done). */
  stoppedAt?: string;
  counts: Record<TaskVerdict, number> & { total: number; standIns: number; onTopOfStandIn: number };
  /** Every real-model call of the flow. */
  realCost: CallCost;
  /** Team errors from the flow (background work, unexpected throws). */
  errors: string[];
}

export interface EpicEvalOptions {
  store: NocodoStore;
  project: ProjectFs;
  summary: ProductSummary;
  /** The coding roles on the real model; the agent roles on the real model or the fixture (per `agents`). */
  real: ModelClient;
  /** The fixture server's scripted answers, for every role: the stand-in. */
  standIn: ModelClient;
  agents: 'fixture' | 'real';
  /** The compile check of the Rust modes (`cargo check` of each change). */
  compile?: () => CompileStepOptions | undefined;
  /** Wraps each piece of heavy work (a task's run: the model and cargo) to serialise it on a shared machine. */
  exclusive?: <T>(label: string, work: () => Promise<T>) => Promise<T>;
  /** The 1-minute load average now (recorded per task). */
  load?: () => number;
  log?: (line: string) => void;
  /** The report so far, after the shaping and after each task (a long run that is stopped still leaves its figures). */
  onProgress?: (partial: EpicEvalReport) => void;
  /** Also stop after this many tasks ran (a budget for partial runs); default: all. */
  maxTasks?: number;
}

const CODING_ROLES: readonly ModelRole[] = ['rustEngineer', 'frontendEngineer'];
const isCoding = (r: RunRecord): boolean => CODING_ROLES.includes(r.role);

/** A client that hands each call to the client `pick` chooses now (the route can change between tasks). */
export function routedClient(pick: (role: ModelRole) => ModelClient): ModelClient {
  return {
    chat: (req) => pick(req.role).chat(req),
    structured: (req) => pick(req.role).structured(req),
    health: (role) => pick(role ?? 'rustEngineer').health(role),
    roleConfig: (role) => pick(role).roleConfig(role),
  };
}

export async function runEpicEval(opts: EpicEvalOptions): Promise<EpicEvalReport> {
  const { store } = opts;
  const log = opts.log ?? (() => {});
  const exclusive = opts.exclusive ?? (<T>(_label: string, work: () => Promise<T>) => work());
  // Coding calls go to the real model unless a stand-in is running; agent calls per `agents`.
  let standingIn = false;
  // Scripted agents answer at once: only the real model's work is heavy.
  const agentStep = <T>(label: string, work: () => Promise<T>): Promise<T> => (opts.agents === 'real' ? exclusive(label, work) : work());
  const client = routedClient((role) => (standingIn || (!CODING_ROLES.includes(role) && opts.agents === 'fixture') ? opts.standIn : opts.real));
  const errors: string[] = [];
  const team = new Team({ store, client, project: opts.project, settings: { autoRun: false }, onError: (e) => errors.push(message(e)), ...(opts.compile ? { compile: opts.compile } : {}) });
  const session = store.sessions.create({ title: opts.summary.appName });
  store.sessions.update(session.id, { summary: opts.summary, summaryConfirmed: true, phase: 'planning' });
  team.selectSession(session.id);
  const sessionRuns = () => store.runs.list({ sessionId: session.id });
  const report: EpicEvalReport = {
    agents: opts.agents,
    planning: { step: 'Project Manager: plan', ok: false, cost: costOf([]) },
    shaping: [],
    tasks: [],
    counts: { total: 0, 'first-try': 0, 'after-re-ask': 0, failed: 0, deterministic: 0, 'not-run': 0, standIns: 0, onTopOfStandIn: 0 },
    realCost: costOf([]),
    errors,
  };
  const results = new Map<string, EpicTaskReport>();
  /** The report as it stands: measured tasks, the rest with why they did not run (yet). */
  const snapshot = (running: boolean): EpicEvalReport => {
    const tasks = team.tasks();
    report.tasks = tasks.map((t) => {
      const r = results.get(t.id) ?? {
        title: t.title,
        role: t.role,
        ...(t.mode ? { mode: t.mode } : {}),
        verdict: 'not-run' as const,
        cost: costOf([]),
        compileMs: 0,
        onTopOfStandIn: [],
        state: t.state,
        why: running ? 'not reached yet' : (team.whyNotRunnable(t.id) ?? (t.state === 'ready' ? 'the run budget (--max-tasks) ended' : `left ${t.state}`)),
      };
      return { ...r, state: t.state };
    });
    const standIns = new Set(report.tasks.filter((r) => r.standIn === 'done').map((r) => r.title));
    tasks.forEach((t, i) => (report.tasks[i]!.onTopOfStandIn = ancestors(tasks, t).filter((a) => standIns.has(a.title)).map((a) => a.title)));
    const undone = report.tasks.filter((r) => r.state !== 'done');
    if (report.planning.ok) {
      delete report.stoppedAt;
      if (running) report.stoppedAt = 'still running (a partial report)';
      else if (undone.length) report.stoppedAt = `${undone.length} of ${report.tasks.length} tasks not done: ${undone.map((r) => `"${r.title}" (${r.why ?? r.standInProblem ?? r.failure ?? r.state})`).join('; ')}`;
    }
    summarise(report);
    report.realCost = costOf(sessionRuns().filter((r) => isRealRun(r, opts)));
    return structuredClone(report);
  };
  const finish = (): EpicEvalReport => {
    const final = snapshot(false);
    team.dispose();
    return final;
  };

  // ---- the Project Manager plans --------------------------------------------------------------
  try {
    const { epic, tasks } = await agentStep('planning', () => team.plan());
    report.planning = { step: 'Project Manager: plan', ok: true, cost: costOf(sessionRuns().filter((r) => !r.taskId)), detail: `"${epic.title}": ${tasks.length} tasks (${tasks.map((t) => t.title).join('; ')})` };
    await team.setEpicAutoAccept(epic.id, true);
  } catch (e) {
    report.planning = { step: 'Project Manager: plan', ok: false, problem: message(e), cost: costOf(sessionRuns().filter((r) => !r.taskId)) };
    report.stoppedAt = `The Project Manager's plan: ${message(e)}`;
    return finish();
  }
  log(`planned: ${team.tasks().map((t) => t.title).join(', ')}`);

  // ---- the Engineering Manager shapes ----------------------------------------------------------
  try {
    await agentStep('shaping', () => team.shapeAll());
  } catch (e) {
    errors.push(message(e));
  }
  for (const t of team.tasks()) {
    const runs = store.runs.list({ taskId: t.id }).filter((r) => r.role === 'engineeringManager');
    const comment = store.comments.list(t.id).filter((c) => c.author === 'engineering_manager' || c.author === 'system').at(-1)?.body;
    const ok = t.mode !== undefined && t.state === 'ready';
    report.shaping.push({
      step: `Engineering Manager: shape "${t.title}"`,
      ok,
      cost: costOf(runs),
      detail: `${t.mode ?? 'no mode'}${t.target?.function ? ` ${t.target.struct ?? ''}::${t.target.function}` : t.target?.table ? ` ${t.target.table}` : ''} → ${t.state}`,
      ...(ok ? {} : { problem: (comment ? oneLine(comment) : undefined) ?? (runs.at(-1) ? problemOfRun(runs.at(-1)!) : undefined) ?? `left ${t.state}` }),
    });
  }

  // ---- the specialists build, on the real model, a stand-in after a failure -------------------
  const measureTask = async (next: Task): Promise<EpicTaskReport> => {
    const loadAtStart = opts.load?.();
    log(`task "${next.title}" (${next.mode}) on the real model${loadAtStart !== undefined ? `, load ${loadAtStart.toFixed(1)}` : ''}`);
    const seen = new Set(store.runs.list({ taskId: next.id }).map((r) => r.id));
    standingIn = false;
    const outcome = await team.runTask(next.id).catch((e: unknown) => ({ kind: 'error' as const, message: message(e) }));
    const realRuns = store.runs.list({ taskId: next.id }).filter((r) => isCoding(r) && !seen.has(r.id));
    const result = verdictOf(store, store.tasks.get(next.id)!, realRuns, outcome);
    if (loadAtStart !== undefined) result.loadAtStart = loadAtStart;
    log(`  → ${result.verdict}${result.failedAt ? ` at ${result.failedAt}: ${result.failure ?? ''}` : ''} (${(result.cost.modelMs / 1000).toFixed(0)} s model, ${result.cost.promptTokens} prompt tokens)`);
    if (result.verdict === 'failed') {
      // A proposal left for review (checks not all passed) must go before the task can run again.
      for (const p of store.proposals.list({ taskId: next.id, status: 'pending' })) team.onProposalDecided(p.id, 'rejected', 'The eval replaces the real answer with the scripted one.');
      standingIn = true;
      const before = new Set(store.runs.list({ taskId: next.id }).map((r) => r.id));
      const again = await team.runTask(next.id).catch((e: unknown) => ({ kind: 'error' as const, message: message(e) }));
      standingIn = false;
      const done = store.tasks.get(next.id)!.state === 'done';
      result.standIn = done ? 'done' : 'failed';
      if (!done) {
        const last = store.runs.list({ taskId: next.id }).filter((r) => isCoding(r) && !before.has(r.id)).at(-1);
        result.standInProblem = (last ? problemOfRun(last) : undefined) ?? ('message' in again ? again.message : 'not accepted automatically');
      }
      log(`  stand-in: ${result.standIn}${result.standInProblem ? ` (${result.standInProblem})` : ''}`);
    }
    return result;
  };
  const attempted = new Set<string>();
  opts.onProgress?.(snapshot(true));
  for (;;) {
    if (opts.maxTasks !== undefined && attempted.size >= opts.maxTasks) break;
    const next = team.runnableTasks().find((t) => !attempted.has(t.id));
    if (!next) break;
    attempted.add(next.id);
    // One chunk of heavy work per task: its run on the real model and, after a failure, the stand-in.
    const result = await exclusive(`task "${next.title}"`, () => measureTask(next));
    results.set(next.id, result);
    opts.onProgress?.(snapshot(true));
  }

  return finish();
}

/** The verdict of a task's run on the real model, from the task's state and the runs it made. */
export function verdictOf(store: NocodoStore, task: Task, runs: readonly RunRecord[], outcome: { kind: string; message?: string }): EpicTaskReport {
  const first = runs.find((r) => !r.parentRunId) ?? runs[0];
  const reAsk = first ? runs.find((r) => r.parentRunId === first.id) : undefined;
  const base = {
    title: task.title,
    role: task.role,
    ...(task.mode ? { mode: task.mode } : {}),
    cost: costOf(runs),
    compileMs: runs.reduce((n, r) => n + (r.compile?.ms ?? 0), 0),
    onTopOfStandIn: [],
    state: task.state,
    ...(first ? { firstAnswer: stageOfRun(first) } : {}),
    ...(first && stageOfRun(first) !== 'passed' ? { firstProblem: problemOfRun(first) } : {}),
    ...(reAsk ? { reAsk: stageOfRun(reAsk) } : {}),
    ...(reAsk && stageOfRun(reAsk) !== 'passed' ? { reAskProblem: problemOfRun(reAsk) } : {}),
  } satisfies Partial<EpicTaskReport>;
  if (task.state === 'done') return { ...base, verdict: runs.length === 0 ? 'deterministic' : reAsk ? 'after-re-ask' : 'first-try' };
  const last = reAsk ?? first;
  const lastStage = last ? stageOfRun(last) : undefined;
  if (last && lastStage !== 'passed') return { ...base, verdict: 'failed', failedAt: lastStage!, failure: problemOfRun(last) ?? 'no usable change' };
  // Every check passed but the task is not done: the automatic accept refused, or the run broke.
  const why = store.comments.list(task.id).at(-1)?.body.split('\n')[0];
  return { ...base, verdict: 'failed', failedAt: last ? 'accept' : 'model', failure: (outcome.kind === 'error' ? outcome.message : why) ?? 'not accepted' };
}

/** The tasks `task` depends on, directly or through others. */
function ancestors(all: readonly Task[], task: Task): Task[] {
  const byId = new Map(all.map((t) => [t.id, t]));
  const out = new Map<string, Task>();
  const stack = [...task.dependsOn];
  while (stack.length) {
    const id = stack.pop()!;
    const t = byId.get(id);
    if (!t || out.has(id)) continue;
    out.set(id, t);
    stack.push(...t.dependsOn);
  }
  return all.filter((t) => out.has(t.id));
}

function summarise(report: EpicEvalReport): void {
  const c = report.counts;
  for (const k of Object.keys(c) as (keyof typeof c)[]) c[k] = 0;
  c.total = report.tasks.length;
  for (const r of report.tasks) c[r.verdict]++;
  c.standIns = report.tasks.filter((r) => r.standIn === 'done').length;
  c.onTopOfStandIn = report.tasks.filter((r) => r.onTopOfStandIn.length > 0 && r.verdict !== 'not-run').length;
}

/** A run made on the real model (not the fixture server standing in, nor fixture-answered agents). */
function isRealRun(r: RunRecord, opts: EpicEvalOptions): boolean {
  return r.baseUrl === opts.real.roleConfig(r.role).baseUrl && r.baseUrl !== opts.standIn.roleConfig(r.role).baseUrl;
}

/** A comment as one line: its bullet lines joined. */
const oneLine = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.replace(/^\s*-\s*/, '').trim())
    .filter(Boolean)
    .join(' ')
    .slice(0, 600);

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

// ---- Markdown -----------------------------------------------------------------------------------

const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
const num = (n: number): string => n.toLocaleString('en-US');
const cell = (s: string | undefined): string => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function answerText(stage: CheckStage | 'passed' | undefined, problem: string | undefined): string {
  if (!stage) return '–';
  return stage === 'passed' ? 'passed' : `${stage}${problem ? `: ${cell(problem).slice(0, 140)}` : ''}`;
}

function verdictText(r: EpicTaskReport): string {
  switch (r.verdict) {
    case 'first-try':
      return '**first try**';
    case 'after-re-ask':
      return '**after the re-ask**';
    case 'deterministic':
      return 'no model call (deterministic mode)';
    case 'not-run':
      return `not run: ${cell(r.why)}`;
    case 'failed':
      return `failed at **${r.failedAt}**; stand-in ${r.standIn === 'done' ? 'done' : `failed too${r.standInProblem ? ` (${cell(r.standInProblem)})` : ''}`}`;
  }
}

export interface EpicMarkdownHeader {
  model: string;
  /** The model file and its size. */
  file: string;
  quantization: string;
  machine: string;
  threads: number;
  maxTokens: number;
  date: string;
  load: string;
  cargo: string;
}

export function renderEpicMarkdown(report: EpicEvalReport, h: EpicMarkdownHeader, app?: string): string {
  const c = report.counts;
  const deterministic = report.tasks.filter((t) => t.mode !== undefined && modeDescriptor(t.mode)?.deterministic).length;
  const modelTasks = c.total - deterministic;
  const out: string[] = [];
  out.push(`# The epic flow on ${h.model} (\`npm run eval:epic${report.agents === 'real' ? ' -- --agents real' : ''}\`)`, '');
  out.push(`- Model: ${h.model} (${h.file}), ${h.quantization}, ${h.threads} thread${h.threads === 1 ? '' : 's'}, max ${h.maxTokens} tokens per coding answer`);
  out.push(`- Agents (Project Manager, Engineering Manager): ${report.agents === 'real' ? 'the real model' : 'scripted answers (fixture model server)'}; coding roles: the real model`);
  out.push(`- Machine: ${h.machine}; load average ${h.load}`);
  out.push(`- cargo check of each change: ${h.cargo}`);
  out.push(`- Date: ${h.date}`);
  out.push('', '## Summary', '');
  out.push(`- Tasks: ${c.total} (${modelTasks} with a model call, ${deterministic} deterministic)`);
  out.push(`- Passed every check on the first try: **${c['first-try']}/${modelTasks}**`);
  out.push(`- Passed after the re-ask: **${c['after-re-ask']}/${modelTasks}**`);
  out.push(`- Failed: **${c.failed}/${modelTasks}**${c.failed ? ` (${failedAtText(report)})` : ''}`);
  if (c['not-run']) out.push(`- Not run: ${c['not-run']}`);
  out.push(`- Scripted stand-ins after a failure: ${c.standIns}; tasks measured on top of a stand-in: ${c.onTopOfStandIn}`);
  out.push(`- Real-model calls: ${c.total ? report.realCost.calls : 0}, model time ${secs(report.realCost.modelMs)}, prompt tokens ${num(report.realCost.promptTokens)}`);
  out.push(`- ${report.stoppedAt ? `Stopped: ${cell(report.stoppedAt)}` : 'Every task done.'}`);
  if (app) out.push(`- The app: ${app}`);
  out.push('', '## Agents', '', '| step | result | calls | model time | prompt tokens |', '|---|---|---:|---:|---:|');
  for (const s of [report.planning, ...report.shaping]) {
    out.push(`| ${cell(s.step)} | ${s.ok ? 'ok' : 'failed'}${s.detail ? `: ${cell(s.detail)}` : ''}${s.problem ? ` — ${cell(s.problem)}` : ''} | ${s.cost.calls} | ${secs(s.cost.modelMs)} | ${num(s.cost.promptTokens)} |`);
  }
  out.push('', '## Tasks (coding calls on the real model)', '');
  out.push('| task | mode | result | first answer | re-ask | on top of a stand-in | calls | model time | prompt tokens | cargo check | load |', '|---|---|---|---|---|---|---:|---:|---:|---:|---:|');
  for (const r of report.tasks) {
    out.push(
      `| ${cell(r.title)} | ${r.mode ?? '–'} | ${verdictText(r)} | ${answerText(r.firstAnswer, r.firstProblem)} | ${answerText(r.reAsk, r.reAskProblem)} | ${r.onTopOfStandIn.length ? cell(r.onTopOfStandIn.join(', ')) : '–'} | ${r.cost.calls} | ${secs(r.cost.modelMs)} | ${num(r.cost.promptTokens)} | ${r.compileMs ? secs(r.compileMs) : '–'} | ${r.loadAtStart?.toFixed(1) ?? '–'} |`,
    );
  }
  out.push(
    '',
    'Checks, in order: **clean** (post-processing found the code asked for), **parse** (it is valid Rust), **schema** (validation against the project: tables, columns, types, routes), **compile** (`cargo check` of the project with the change), then the automatic accept. A failed task is retried with the scripted answer of the fixture model server standing in, so the tasks after it still run on the real model; "on top of a stand-in" names those earlier results.',
  );
  if (report.errors.length) out.push('', '## Errors', '', ...report.errors.map((e) => `- ${cell(e)}`));
  return `${out.join('\n')}\n`;
}

function failedAtText(report: EpicEvalReport): string {
  const by = new Map<string, number>();
  for (const r of report.tasks) if (r.verdict === 'failed') by.set(r.failedAt!, (by.get(r.failedAt!) ?? 0) + 1);
  return [...by].map(([k, n]) => `${n} at ${k}`).join(', ');
}
