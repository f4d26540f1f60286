import { z } from 'zod';
import type { ProductSummary, SpecialistRole } from '../domain';
import { SPECIALIST_ROLES } from '../domain';
import { projectManagerPlan } from '../../prompts/team';
import { callAgent, type AgentContext, type AgentResult } from './agentCall';
import { fewShotPrompt } from './prompt';
import { clean, cleanBlock, dedupeBy, dedupeKey, stripListMarker } from './text';
import { describeSummary } from './transcript';

// A runaway list is cut here. A small shop's app at one-small-thing-per-task needs about ten tasks
// per kind of record (table, record, create and list functions and endpoints, two pages, two menu
// links): four kinds (customers, products, orders, their items) make 40.
export const MAX_TASKS = 40;
const MAX_CRITERIA = 5;

const RawTask = z.object({
  title: z.string(),
  description: z.string().optional(),
  acceptance: z.array(z.string()).optional(),
  // A string so that "database" or "designer" can be mapped instead of failing the whole plan.
  role: z.string().meta({ enum: [...SPECIALIST_ROLES] }),
  dependsOn: z.array(z.union([z.number(), z.string()])).optional(),
});
const RawPlan = z.object({
  epic: z.string(),
  goal: z.string().optional(),
  tasks: z.array(RawTask),
});
type RawPlan = z.infer<typeof RawPlan>;

export interface PlannedTask {
  title: string;
  description: string;
  acceptanceCriteria: string[];
  role: SpecialistRole;
  /** Indexes into the plan's tasks, resolved and cycle-free. */
  dependsOn: number[];
  /** What was repaired for this task (mapped role, dropped dependencies), kept as a comment. */
  notes: string[];
}

export interface PlannedEpic {
  title: string;
  description: string;
  tasks: PlannedTask[];
}

/** Maps what a model writes for a role onto the four roles; undefined when nothing fits. */
export function mapRole(text: string): SpecialistRole | undefined {
  const t = text.toLowerCase().trim();
  if ((SPECIALIST_ROLES as readonly string[]).includes(t)) return t as SpecialistRole;
  const k = t.replace(/[^a-z]+/g, ' ').trim();
  if (/^(ui|ux)( designer)?$/.test(k) || k === 'ui designer' || k === 'ui ux') return 'ui_designer';
  if (/front|client|web app|screen|page|solid|react/.test(k)) return 'frontend';
  if (/\b(db|dba|database|sql|sqlite|postgres|mysql|schema|data|migration|table|diesel)\b/.test(k)) return 'db';
  if (/design|\bui\b|\bux\b|style|layout|css|visual/.test(k)) return 'ui_designer';
  if (/back|server|\bapi\b|rust|actix|endpoint|engineer|developer|dev\b/.test(k)) return 'backend';
  return undefined;
}

/**
 * Resolves dependencies written as task numbers (1-based, or 0-based when a 0 appears), `#2`,
 * `task 2`, or titles. Drops self references, unknown tasks and edges that would close a cycle,
 * with a note each — in task order, so the result is the same every time.
 */
export function resolveDependencies(
  tasks: readonly { title: string; refs: readonly (number | string)[] }[],
  /** Index of the task a written number means; default: 1-based, or 0-based when a 0 appears. */
  numberToIndex?: (n: number) => number | undefined,
): { deps: number[][]; notes: string[][] } {
  const zeroBased = tasks.some((t) => t.refs.some((r) => refNumber(r) === 0));
  const toIndex = numberToIndex ?? ((n: number) => (zeroBased ? n : n - 1));
  const keys = tasks.map((t) => dedupeKey(t.title));
  const deps: number[][] = tasks.map(() => []);
  const notes: string[][] = tasks.map(() => []);
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const stack = [from];
    while (stack.length) {
      const n = stack.pop()!;
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...deps[n]!);
    }
    return false;
  };
  tasks.forEach((t, i) => {
    for (const ref of t.refs) {
      const n = refNumber(ref);
      let j: number | undefined;
      if (n !== undefined) j = toIndex(n);
      else {
        const key = dedupeKey(String(ref));
        j = keys.indexOf(key);
        if (j < 0 && key) {
          const partial = keys.flatMap((k, idx) => (k.includes(key) || key.includes(k) ? [idx] : []));
          j = partial.length === 1 ? partial[0] : undefined;
        }
      }
      const shown = typeof ref === 'number' ? `task ${ref}` : `"${clean(ref, 60)}"`;
      if (j === undefined || j < 0 || j >= tasks.length) notes[i]!.push(`The dependency on ${shown} was dropped: there is no such task in the plan.`);
      else if (j === i) notes[i]!.push(`The dependency on ${shown} was dropped: a task cannot wait for itself.`);
      else if (deps[i]!.includes(j)) continue;
      else if (reaches(j, i)) notes[i]!.push(`The dependency on "${tasks[j]!.title}" was dropped: it would make the two tasks wait for each other.`);
      else deps[i]!.push(j);
    }
  });
  return { deps, notes };
}

/** A dependency written as a task number (`2`, `"2"`, `"#2"`, `"task 2"`), else undefined. */
function refNumber(r: number | string): number | undefined {
  if (typeof r === 'number') return Number.isInteger(r) ? r : undefined;
  const m = /^\s*(?:#|task\s*#?\s*)?(\d+)\s*$/i.exec(r);
  return m ? Number(m[1]) : undefined;
}

export function normalisePlan(raw: RawPlan): { plan: PlannedEpic; problems: { path: (string | number)[]; message: string }[] } {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const extraNotes = new Map<number, string[]>();
  let tasks = raw.tasks.map((t, i) => ({ ...t, index: i, title: clean(stripListMarker(t.title), 120) })).filter((t) => t.title);
  tasks = dedupeBy(tasks, (t) => dedupeKey(t.title));
  if (tasks.length > MAX_TASKS) tasks = tasks.slice(0, MAX_TASKS);
  if (tasks.length === 0) problems.push({ path: ['tasks'], message: 'write at least one task with a title and a role.' });

  const roles: SpecialistRole[] = [];
  tasks.forEach((t, i) => {
    const role = mapRole(t.role);
    if (!role) problems.push({ path: ['tasks', t.index, 'role'], message: `"${t.role}" is not a role; use one of ${SPECIALIST_ROLES.join(', ')}.` });
    else if (role !== t.role) extraNotes.set(i, [`The role "${t.role}" was read as "${role}".`]);
    roles.push(role ?? 'backend');
  });
  // Numbers in the model's answer count the tasks as it wrote them, before titles were de-duplicated.
  const keptIndex = new Map(tasks.map((t, i) => [t.index, i]));
  const zeroBased = raw.tasks.some((t) => (t.dependsOn ?? []).some((r) => refNumber(r) === 0));
  const refs = tasks.map((t) => ({ title: t.title, refs: t.dependsOn ?? [] }));
  const { deps, notes } = resolveDependencies(refs, (n) => keptIndex.get(zeroBased ? n : n - 1));

  const plan: PlannedEpic = {
    title: clean(raw.epic, 120) || 'The app',
    description: cleanBlock(raw.goal ?? '', 1000),
    tasks: tasks.map((t, i) => ({
      title: t.title,
      description: cleanBlock(t.description ?? '', 2000) || t.title,
      acceptanceCriteria: dedupeBy(
        (t.acceptance ?? []).map((a) => clean(stripListMarker(a), 300)).filter(Boolean),
        dedupeKey,
      ).slice(0, MAX_CRITERIA),
      role: roles[i]!,
      dependsOn: deps[i]!,
      notes: [...(extraNotes.get(i) ?? []), ...notes[i]!],
    })),
  };
  return { plan, problems };
}

export const PlanSchema: z.ZodType<PlannedEpic> = RawPlan.transform((raw, ctx) => {
  const { plan, problems } = normalisePlan(raw);
  for (const p of problems) ctx.addIssue({ code: 'custom', message: p.message, path: p.path, input: raw });
  return problems.length ? z.NEVER : plan;
}) as unknown as z.ZodType<PlannedEpic>;

export function planPrompt(summary: ProductSummary) {
  return fewShotPrompt(projectManagerPlan, describeSummary(summary));
}

export function planEpic(ctx: AgentContext, summary: ProductSummary): Promise<AgentResult<PlannedEpic>> {
  return callAgent(ctx, 'projectManager', 'ProjectPlan', PlanSchema, planPrompt(summary));
}
