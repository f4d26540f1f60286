import type { ModeId, ModeShaping, Task } from '../domain';
import { modeDescriptor, ROLE_LABELS, SPECIALIST_MODEL_ROLE, SPECIALIST_ROLES } from '../domain';
import { LANGUAGES } from '../pipeline/language';
import type { Mode } from '../pipeline/mode';
import type { ProjectInfo } from '../rust/types';

/** What a task's mode makes that other tasks may use (its descriptor's shaping facts). */
export const creates = (t: Pick<Task, 'mode'>): ModeShaping['creates'] => (t.mode ? modeDescriptor(t.mode)?.shaping.creates : undefined);

export interface CheckContext {
  project?: ProjectInfo;
  /** All tasks of the epic, with their shaping so far. */
  tasks: readonly Task[];
  getMode: (id: ModeId) => Mode | undefined;
}

export interface CheckResult {
  /** Every check passed: the task may become `ready`. */
  ready: boolean;
  /** No coding mode fits: the task stays with the user. */
  manual: boolean;
  problems: string[];
  /** Tasks that create what this one uses but were not dependencies yet (add them). */
  addDependsOn: string[];
  notes: string[];
}

/** All tasks `task` waits for, directly or through others. */
export function dependencyClosure(task: Pick<Task, 'dependsOn'>, tasks: readonly Task[]): Set<string> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out = new Set<string>();
  const stack = [...task.dependsOn];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return out;
}

/**
 * The Engineering Manager's deterministic checks before a task becomes `ready`: a runnable mode
 * that suits the task's role, the inputs the mode needs, and every table/struct it uses either in
 * the project or created by a task it depends on (such a task is added as a dependency when it
 * was missing).
 */
export function checkShaping(task: Task, ctx: CheckContext): CheckResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const addDependsOn: string[] = [];
  if (!task.mode) return { ready: false, manual: true, problems: ['No coding mode fits this task, so it stays with you: do it by hand, then mark it done.'], addDependsOn, notes };

  const mode = ctx.getMode(task.mode);
  if (!mode) problems.push(`The coding mode ${task.mode} is not available in this version of nocodo yet, so the task stays with you.`);
  // What the mode makes and needs, and which model answers, come from its descriptor.
  const d = modeDescriptor(task.mode)!;
  if (SPECIALIST_MODEL_ROLE[task.role] !== d.role) {
    const fit = SPECIALIST_ROLES.filter((r) => SPECIALIST_MODEL_ROLE[r] === d.role).map((r) => ROLE_LABELS[r].toLowerCase());
    problems.push(`${task.mode} writes ${LANGUAGES[d.language].name}, but the task is for the ${ROLE_LABELS[task.role]}. Give the task to the ${fit.join(' or ')}, or choose no mode.`);
  }
  const facts = d.shaping;
  const target = task.target ?? {};
  const needs = mode?.needs ?? { table: facts.usesTable, struct: facts.usesStruct, request: true };
  if (needs.table && !target.table) problems.push(`${task.mode} needs a target table.`);
  if (needs.struct && !target.struct) problems.push(`${task.mode} needs a target struct.`);
  if (needs.request && !task.request?.trim()) problems.push(`${task.mode} needs a request saying what to write.`);

  const others = ctx.tasks.filter((t) => t.id !== task.id);
  const closure = dependencyClosure(task, ctx.tasks);
  const wouldCycle = (creator: Task) => dependencyClosure(creator, ctx.tasks).has(task.id) || creator.id === task.id;
  const requireCreated = (kind: 'table' | 'struct', name: string, existsInProject: boolean, createdBy: (t: Task) => boolean) => {
    if (existsInProject) return;
    const creators = others.filter(createdBy);
    if (creators.some((c) => closure.has(c.id))) return;
    const usable = creators.find((c) => !wouldCycle(c));
    if (usable) {
      addDependsOn.push(usable.id);
      notes.push(`Now waits for "${usable.title}", which creates the ${kind} ${name}.`);
      return;
    }
    problems.push(
      `The ${kind} ${name} is not in the project${ctx.project ? '' : ' (no Rust project is open)'} and no task creates it. Add a task that creates it, or create it yourself, then shape this task again.`,
    );
  };

  if (facts.usesTable && target.table) {
    requireCreated('table', target.table, ctx.project?.findTable(target.table) !== undefined, (t) => creates(t) === 'table' && t.target?.table === target.table);
  }
  if (facts.usesStruct && target.struct) {
    const struct = target.struct;
    requireCreated(
      'struct',
      struct,
      ctx.project?.findStruct(struct) !== undefined,
      (t) => creates(t) === 'struct' && (t.target?.struct === struct || (!t.target?.struct && t.target?.table === target.table)),
    );
  }
  if (facts.creates === 'struct' && target.struct && ctx.project?.findStruct(target.struct)) {
    notes.push(`The struct ${target.struct} already exists in the project; the mode will propose a change to it.`);
  }
  if (facts.creates === 'table' && target.table && ctx.project?.findTable(target.table)) {
    notes.push(`The table ${target.table} already exists in the project; the mode will propose a change to it.`);
  }
  return { ready: problems.length === 0, manual: false, problems, addDependsOn, notes };
}

/** Tasks ordered so that each comes after the tasks it depends on (ties keep the given order). */
export function topologicalOrder(tasks: readonly Task[]): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out: Task[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: Task) => {
    if (state.get(t.id)) return; // done, or a cycle (which the store's data should never have)
    state.set(t.id, 'visiting');
    for (const d of t.dependsOn) {
      const dep = byId.get(d);
      if (dep) visit(dep);
    }
    state.set(t.id, 'done');
    out.push(t);
  };
  for (const t of tasks) visit(t);
  return out;
}
