import { z } from 'zod';
import type { ModeId, ProductSummary, Task, TaskTarget } from '../domain';
import { MODE_DESCRIPTORS, MODE_IDS, TASK_REQUEST_MAX } from '../domain';
import { engineeringManagerShape } from '../../prompts/team';
import type { Mode } from '../pipeline/mode';
import type { ProjectInfo } from '../rust/types';
import { callAgent, type AgentContext, type AgentResult } from './agentCall';
import { fewShotPrompt } from './prompt';
import { creates } from './shapingChecks';
import { clean, cleanBlock, pascalCase, snakeCase, structForTable, tableForStruct } from './text';

const RawShape = z.object({
  // A string so near-misses ("diesel_schema", "model struct") map instead of failing the answer.
  mode: z.string().meta({ enum: [...MODE_IDS, 'none'] }),
  table: z.string().optional(),
  struct: z.string().optional(),
  function: z.string().optional(),
  request: z.string(),
  notes: z.string().optional(),
  contract: z.string().optional(),
});
type RawShape = z.infer<typeof RawShape>;

export interface Shaping {
  /** undefined: no coding mode fits; the task stays with the user. */
  mode?: ModeId;
  target: TaskTarget;
  request: string;
  technicalNotes: string;
  dataContract?: string;
  /** What normalising filled in or changed. */
  notes: string[];
}

/** What models write instead of a mode id, from each descriptor's shaping aliases. */
const MODE_ALIASES: [RegExp, ModeId][] = MODE_DESCRIPTORS.flatMap((d) => d.shaping.aliases.map((re): [RegExp, ModeId] => [re, d.id]));

/** A mode id from what a model wrote: exact, spelled with `_`/spaces, or a known alias; null for "none". */
export function mapMode(text: string): ModeId | null | undefined {
  const t = text.toLowerCase().trim();
  if ((MODE_IDS as readonly string[]).includes(t)) return t as ModeId;
  const k = t.replace(/[^a-z]+/g, ' ').trim();
  if (k === '' || /^(none|no mode|manual|n a|na|null|user|by hand)$/.test(k)) return null;
  const dashed = k.replace(/ /g, '-');
  if ((MODE_IDS as readonly string[]).includes(dashed)) return dashed as ModeId;
  return MODE_ALIASES.find(([re]) => re.test(k))?.[1];
}

/** `Order::list_for_date()` → struct Order, function list_for_date. */
function splitFunction(fn: string): { struct?: string; function?: string } {
  const cleaned = fn.trim().replace(/\(.*$/, '').replace(/^fn\s+/, '');
  const parts = cleaned.split('::').filter(Boolean);
  const name = snakeCase(parts.pop() ?? '');
  const struct = parts.length ? pascalCase(parts[parts.length - 1]!) : undefined;
  return { ...(struct ? { struct } : {}), ...(name ? { function: name } : {}) };
}

export function normaliseShaping(raw: RawShape): { shaping: Shaping; problem?: string } {
  const notes: string[] = [];
  const mode = mapMode(raw.mode);
  const target: TaskTarget = {};
  const table = snakeCase(raw.table ?? '');
  let struct = (raw.struct ?? '').trim() ? pascalCase(raw.struct!.split('::').pop()!) : '';
  const fn = splitFunction(raw.function ?? '');
  if (fn.struct && !struct) struct = fn.struct;
  if (table) target.table = table;
  if (struct) target.struct = struct;
  if (fn.function) target.function = fn.function;
  // Diesel's naming conventions fill the half a model forgot.
  if (mode === 'diesel-model-struct' || mode === 'diesel-model-fn') {
    if (!target.struct && target.table) {
      target.struct = structForTable(target.table);
      notes.push(`The struct was taken to be ${target.struct}, the usual name for table ${target.table}.`);
    }
  }
  if ((mode === 'diesel-model-struct' || mode === 'diesel-schema') && !target.table && target.struct) {
    target.table = tableForStruct(target.struct);
    notes.push(`The table was taken to be ${target.table}, the usual table of ${target.struct}.`);
  }
  const shaping: Shaping = {
    ...(mode ? { mode } : {}),
    target,
    request: cleanBlock(raw.request, TASK_REQUEST_MAX),
    technicalNotes: cleanBlock(raw.notes ?? '', 3000),
    ...(raw.contract?.trim() ? { dataContract: cleanBlock(raw.contract, 3000) } : {}),
    notes,
  };
  if (mode === undefined) return { shaping, problem: `mode: "${clean(raw.mode, 40)}" is not a coding mode; use one of ${MODE_IDS.join(', ')}, or "none".` };
  return { shaping };
}

export const ShapingSchema: z.ZodType<Shaping> = RawShape.transform((raw, ctx) => {
  const { shaping, problem } = normaliseShaping(raw);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem, path: ['mode'], input: raw });
    return z.NEVER;
  }
  return shaping;
}) as unknown as z.ZodType<Shaping>;

export interface ShapeInput {
  task: Task;
  /** The other tasks of the epic (their shaping so far shows what they create). */
  tasks: readonly Task[];
  summary?: ProductSummary;
  project?: ProjectInfo;
  /** Modes this version can run (shown to the model). */
  modes: readonly Mode[];
}

const MAX_TABLES_SHOWN = 20;
const MAX_COLUMNS_SHOWN = 14;

/** Tables and structs known now: the project's, plus those that shaped tasks will create. */
export function knownArtifacts(project: ProjectInfo | undefined, tasks: readonly Task[]): { tables: string[]; structs: string[] } {
  const tables = new Map<string, string>();
  const structs = new Map<string, string>();
  for (const t of project?.schema.tables ?? []) {
    const cols = t.columns.map((c) => c.name);
    tables.set(t.name, `${t.name}(${cols.slice(0, MAX_COLUMNS_SHOWN).join(', ')}${cols.length > MAX_COLUMNS_SHOWN ? ', …' : ''})`);
  }
  for (const f of project?.files ?? []) for (const s of f.structs) if (s.tableName) structs.set(s.name, `${s.name} (${s.tableName})`);
  for (const t of tasks) {
    if (creates(t) === 'table' && t.target?.table && !tables.has(t.target.table)) tables.set(t.target.table, `${t.target.table} (created by task "${t.title}")`);
    if (creates(t) === 'struct' && t.target?.struct && !structs.has(t.target.struct)) {
      structs.set(t.target.struct, `${t.target.struct} (${t.target.table ?? '?'}, created by task "${t.title}")`);
    }
  }
  return { tables: [...tables.values()].slice(0, MAX_TABLES_SHOWN), structs: [...structs.values()].slice(0, MAX_TABLES_SHOWN) };
}

export function shapePrompt(input: ShapeInput) {
  const { task, tasks, summary, project } = input;
  const known = knownArtifacts(project, tasks.filter((t) => t.id !== task.id));
  const deps = tasks.filter((t) => task.dependsOn.includes(t.id));
  const lines = [`Task: ${task.title} (${task.role})`, cleanBlock(task.description, 1200)];
  if (task.acceptanceCriteria.length) lines.push(`Acceptance: ${task.acceptanceCriteria.join('; ')}`);
  for (const d of deps) {
    const target = [d.target?.table, d.target?.struct && d.target.function ? `${d.target.struct}::${d.target.function}` : d.target?.struct].filter(Boolean).join(', ');
    lines.push(`Needs first: ${d.title}${d.mode ? ` [${d.mode}${target ? ` ${target}` : ''}]` : ''}`);
    if (d.dataContract) lines.push(`Contract of "${d.title}": ${clean(d.dataContract, 400)}`);
  }
  if (summary?.entities.length) {
    lines.push(`Data: ${summary.entities.map((e) => `${e.name}(${e.fields.map((f) => `${f.name} ${f.type}${f.required ? '' : '?'}`).join(', ')})`).join('; ')}`);
  }
  lines.push(`Known tables: ${known.tables.join('; ') || '(none)'}`, `Known structs: ${known.structs.join('; ') || '(none)'}`);
  const modes = [...input.modes.map((m) => `- ${m.id}: ${m.description}`), '- none: no coding mode fits (a design decision, a setup step, anything else); the customer does it by hand'].join('\n');
  return fewShotPrompt(engineeringManagerShape, lines.join('\n'), { modes });
}

export function shapeWithModel(ctx: AgentContext, input: ShapeInput): Promise<AgentResult<Shaping>> {
  return callAgent(ctx, 'engineeringManager', 'TaskShaping', ShapingSchema, shapePrompt(input));
}
