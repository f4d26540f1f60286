import { existsSync, promises as fsp, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { MODE_INPUT_FIELDS, modeDescriptor } from '../domain';
import { initRustParser } from '../rust';
import { loadHarness, type Harness } from './harness';
import { extractFunctionText, maskFunction, readTree } from './project';
import { isTsxMode } from './tsx';
import { MODEL_FREE_MODES, TaskFile, type EvalTask } from './types';

/** A task set could not be loaded; `problems` lists every bad file with what is wrong in it. */
export class TaskLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems in the task files:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'TaskLoadError';
  }
}

const TASK_FILE = 'task.json';
/** A set's held-out half, written down: `{ "heldout": ["<task folder>", …] }` (src/eval/split.ts). */
const HELDOUT_FILE = 'heldout.json';
const OVERLAY_DIR = 'project';

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

function zodProblems(err: z.ZodError): string[] {
  return err.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
}

/**
 * Task folders under `root`: `root` itself when it holds a task.json, else its sub-folders that
 * do (one set named after `root`), else those of its sub-sub-folders (one set per sub-folder).
 */
export function findTaskDirs(root: string): { set: string; dir: string }[] {
  if (!isDir(root)) throw new TaskLoadError([`${root}: no such folder (pass --tasks <dir> with task sets, e.g. eval/tasks).`]);
  const has = (d: string): boolean => existsSync(path.join(d, TASK_FILE));
  const children = (d: string): string[] =>
    listDirs(d)
      .map((n) => path.join(d, n))
      .sort();
  if (has(root)) return [{ set: path.basename(path.dirname(root)), dir: root }];
  const direct = children(root).filter(has);
  if (direct.length) return direct.map((dir) => ({ set: path.basename(root), dir }));
  const out: { set: string; dir: string }[] = [];
  for (const setDir of children(root)) for (const dir of children(setDir).filter(has)) out.push({ set: path.basename(setDir), dir });
  if (!out.length) throw new TaskLoadError([`${root}: no ${TASK_FILE} found in it, its sub-folders or theirs.`]);
  return out;
}

function listDirs(d: string): string[] {
  try {
    return readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** Sets `heldOut` on the tasks of every set whose folder has a heldout.json; a name it lists that is no task of the set is a problem. */
function markHeldOut(tasks: EvalTask[], problems: string[]): void {
  const bySetDir = new Map<string, EvalTask[]>();
  for (const t of tasks) bySetDir.set(path.dirname(t.dir), [...(bySetDir.get(path.dirname(t.dir)) ?? []), t]);
  for (const [setDir, list] of bySetDir) {
    const file = path.join(setDir, HELDOUT_FILE);
    if (!existsSync(file)) continue;
    let names: unknown;
    try {
      names = (JSON.parse(readFileSync(file, 'utf8')) as { heldout?: unknown }).heldout;
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      problems.push(`${file}: "heldout" must be a list of task folder names.`);
      continue;
    }
    const held = new Set(names as string[]);
    // A single task folder (--tasks <set>/<task>) is checked against the whole set on disk.
    const known = new Set(listDirs(setDir));
    const unknown = [...held].filter((n) => !known.has(n));
    if (unknown.length) problems.push(`${file}: no task folder ${unknown.join(', ')} in the set.`);
    for (const t of list) t.heldOut = held.has(path.basename(t.dir));
  }
}

/** Reads and checks one task folder; every problem found is pushed (the task is undefined then). */
async function loadOne(set: string, dir: string, problems: string[]): Promise<EvalTask | undefined> {
  const file = path.join(dir, TASK_FILE);
  const fail = (msg: string): undefined => {
    problems.push(`${file}: ${msg}`);
    return undefined;
  };
  let json: unknown;
  try {
    json = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (err) {
    return fail(err instanceof SyntaxError ? `not valid JSON (${err.message})` : `cannot be read (${(err as Error).message})`);
  }
  const parsed = TaskFile.safeParse(json);
  if (!parsed.success) {
    for (const p of zodProblems(parsed.error)) problems.push(`${file}: ${p}`);
    return undefined;
  }
  const t = parsed.data;
  const before = problems.length;

  // The project: fixture files (all, or the mapped ones), then the task's overlay folder.
  const files = new Map<string, string>();
  const fixture = t.project.fixture ? path.resolve(dir, t.project.fixture) : undefined;
  if (fixture && !isDir(fixture)) fail(`project.fixture ${t.project.fixture} is not a folder (resolved to ${fixture}).`);
  else if (fixture && t.project.files) {
    for (const [target, source] of Object.entries(t.project.files)) {
      const text = await fsp.readFile(path.resolve(fixture, source), 'utf8').catch(() => undefined);
      if (text === undefined) fail(`project.files["${target}"]: ${source} does not exist in ${t.project.fixture}.`);
      else files.set(target, text);
    }
  } else if (fixture) {
    for (const [rel, text] of await readTree(fixture)) files.set(rel, text);
  } else if (t.project.files) fail('project.files needs project.fixture (the folder the sources are in).');
  for (const o of t.project.overlay ?? []) {
    const abs = path.resolve(dir, o);
    if (!isDir(abs)) fail(`project.overlay ${o} is not a folder (resolved to ${abs}).`);
    else for (const [rel, text] of await readTree(abs)) files.set(rel, text);
  }
  const own = path.join(dir, OVERLAY_DIR);
  if (isDir(own)) for (const [rel, text] of await readTree(own)) files.set(rel, text);
  if (!files.size) fail(`the project is empty: set project.fixture or add files under ${OVERLAY_DIR}/.`);

  // The reference, read before masking (it may be the masked function).
  let reference: string | undefined;
  if (typeof t.reference === 'string') {
    reference = await fsp.readFile(path.resolve(dir, t.reference), 'utf8').catch(() => undefined);
    if (reference === undefined) fail(`reference file ${t.reference} does not exist.`);
  } else if (t.reference) {
    const base = fixture ?? dir;
    const text = await fsp.readFile(path.resolve(base, t.reference.file), 'utf8').catch(() => undefined);
    if (text === undefined) fail(`reference.file ${t.reference.file} does not exist in ${fixture ? t.project.fixture : 'the task folder'}.`);
    else {
      reference = extractFunctionText(text, t.reference.fn);
      if (reference === undefined) fail(`reference.fn: ${t.reference.file} has no function \`${t.reference.fn}\`.`);
    }
  }

  for (const m of t.project.mask ?? []) {
    const text = files.get(m.file);
    if (text === undefined) {
      fail(`project.mask: ${m.file} is not a project file.`);
      continue;
    }
    const masked = maskFunction(text, m.fn);
    if (masked === undefined) fail(`project.mask: ${m.file} has no function \`${m.fn}\` to mask.`);
    else files.set(m.file, masked);
  }

  if (t.file && !files.has(t.file)) fail(`file ${t.file} is not a project file.`);
  if (t.expectFile && !files.has(t.expectFile)) fail(`expectFile ${t.expectFile} is not a project file.`);
  let harness: Harness | undefined;
  if (t.harness) {
    try {
      harness = await loadHarness(path.resolve(dir, t.harness));
    } catch (err) {
      fail(`harness: ${(err as Error).message}`);
    }
  }
  let render: EvalTask['render'];
  if (t.render) {
    const { seed, view, ...rest } = t.render;
    const seedSql = await fsp.readFile(path.resolve(dir, seed), 'utf8').catch(() => undefined);
    const viewText = view === undefined ? undefined : await fsp.readFile(path.resolve(dir, view), 'utf8').catch(() => undefined);
    if (!isTsxMode(t.mode)) fail(`render: only the Solid modes' answers can be rendered, not ${t.mode}.`);
    if (seedSql === undefined) fail(`render.seed ${seed} does not exist.`);
    if (view !== undefined && viewText === undefined) fail(`render.view ${view} does not exist.`);
    if (seedSql !== undefined && (view === undefined || viewText !== undefined)) {
      render = { ...rest, seed: { path: path.resolve(dir, seed), sql: seedSql }, ...(view !== undefined ? { view: { path: view, text: viewText! } } : {}) };
    }
  }
  if (!reference && !t.checks.length) fail('give a reference answer or at least one check, or the answer cannot be scored.');
  // A field the mode does not read would be silently ignored: the task would not test what it says.
  const reads: readonly string[] = modeDescriptor(t.mode)?.inputs ?? [];
  for (const field of MODE_INPUT_FIELDS) if (t[field] !== undefined && !reads.includes(field)) fail(`${field}: ${t.mode} does not use it (it reads ${reads.join(', ') || 'only the request'}).`);
  if (!MODEL_FREE_MODES.has(t.mode) && !t.request.trim()) fail(`request is empty: say what ${t.mode} should write, as a user would.`);
  if (t.mode === 'diesel-model-fn' && !t.struct && !t.table && !t.file) fail('diesel-model-fn needs struct, table or file.');
  if (t.mode === 'diesel-model-struct' && !t.table && !t.struct) fail('diesel-model-struct needs table or struct.');
  if (t.mode === 'actix-handler' && !t.function) fail('actix-handler needs function (the Diesel function the handler calls: a name, module::fn or Type::method).');
  if (problems.length > before) return undefined;

  return {
    id: `${set}/${t.id ?? path.basename(dir)}`,
    set,
    dir,
    mode: t.mode,
    ...(t.title ? { title: t.title } : {}),
    ...(t.source ? { source: t.source } : {}),
    files,
    ...(fixture ? { fixtureDir: fixture } : {}),
    ...(t.file ? { file: t.file } : {}),
    ...(t.struct ? { struct: t.struct } : {}),
    ...(t.table ? { table: t.table } : {}),
    ...(t.function ? { function: t.function } : {}),
    ...(t.route ? { route: t.route } : {}),
    ...(t.handler ? { handler: t.handler } : {}),
    request: t.request.trim(),
    ...(reference !== undefined ? { reference } : {}),
    checks: t.checks,
    ...(t.expectFile ? { expectFile: t.expectFile } : {}),
    cargo: t.cargo,
    ...(harness ? { harness } : {}),
    ...(render ? { render } : {}),
  };
}

/** Loads every task under `root` (see findTaskDirs). Throws TaskLoadError listing ALL bad files. */
export async function loadTasks(root: string): Promise<EvalTask[]> {
  await initRustParser();
  const dirs = findTaskDirs(path.resolve(root));
  const problems: string[] = [];
  const tasks: EvalTask[] = [];
  for (const { set, dir } of dirs) {
    const t = await loadOne(set, dir, problems);
    if (t) tasks.push(t);
  }
  markHeldOut(tasks, problems);
  const seen = new Map<string, string>();
  for (const t of tasks) {
    const other = seen.get(t.id);
    if (other) problems.push(`${path.join(t.dir, TASK_FILE)}: id ${t.id} is also used by ${path.join(other, TASK_FILE)}.`);
    seen.set(t.id, t.dir);
  }
  if (problems.length) throw new TaskLoadError(problems);
  return tasks;
}
