import type { FnSig, Joinable, ModelStruct, RustEnum, Table, UseDecl } from '../../src/rust';
import { estimatePromptTokens } from '../../src/llm/tokenEstimate';
import { renderEnum, renderFreeSignatures, renderImplSignatures, renderJoinable, renderStruct } from '../diesel-common/render';
import { isQueryFunction, promptUses, renderPromptTable } from '../diesel-common/promptText';

/**
 * The token budget of diesel-model-fn's Context (the per-request part of the prompt). On a CPU
 * the prompt is read at a few hundred tokens a second, and the stable prefix (system text and
 * examples) is cached by the server, so the Context is what each request pays for. When the
 * project is wide (crates.io: a hub table joined by dozens), the least relevant pieces go first,
 * and the run says what was left out.
 */
export const FN_CONTEXT_BUDGET_TOKENS = 600;

export interface FnContextPieces {
  fileUses: readonly UseDecl[];
  table: Table;
  /** Related tables, most relevant first (named by the request, joinable, bridges, then the rest). */
  related: readonly Table[];
  joinables: readonly Joinable[];
  targetStruct: ModelStruct;
  siblings: readonly ModelStruct[];
  rowStructs: readonly { t: Table; s: ModelStruct }[];
  enums: readonly RustEnum[];
  typeName: string;
  methods: readonly FnSig[];
  freeByFile: ReadonlyMap<string, readonly FnSig[]>;
  request: string;
}

export interface FittedContext {
  rendered: string;
  tables: Table[];
  joinables: Joinable[];
  /** What was left out to fit the budget, for the run's diagnostics (empty when all fitted). */
  dropped: string[];
  estimatedTokens: number;
}

interface Selection {
  related: Table[];
  /** Columns shown of a related table (absent: all). */
  columns: Map<string, Set<string>>;
  siblings: number;
  signatures: number;
}

function render(p: FnContextPieces, sel: Selection): string {
  const shown = new Set([p.table.name, ...sel.related.map((t) => t.name)]);
  const parts: string[] = [renderPromptTable(p.table), ...sel.related.map((t) => renderPromptTable(t, sel.columns.has(t.name) ? { columns: sel.columns.get(t.name)! } : {}))];
  const joinables = p.joinables.filter((j) => shown.has(j.child) && shown.has(j.parent));
  if (joinables.length) parts.push(joinables.map(renderJoinable).join('\n'));
  parts.push(renderStruct(p.targetStruct), ...p.siblings.slice(0, sel.siblings).map(renderStruct));
  const rows = p.rowStructs.filter((x) => shown.has(x.t.name));
  if (rows.length) parts.push(rows.map((x) => `// Rows of ${x.t.name} load as ${x.s.name} (${x.s.derives.filter((d) => d === 'Queryable' || d === 'Selectable').join(', ')}).`).join('\n'));
  for (const e of p.enums) parts.push(renderEnum(e));
  // Only query functions teach the project's style: `fn full_name(&self) -> String` is prompt the answer cannot use.
  const methods = p.methods.filter(isQueryFunction);
  if (methods.length) parts.push(renderImplSignatures(p.typeName, methods, sel.signatures));
  for (const [f, list] of p.freeByFile) {
    const fns = list.filter(isQueryFunction);
    if (fns.length) parts.push(renderFreeSignatures(f, fns, sel.signatures));
  }
  const uses = promptUses(p.fileUses, parts.join('\n'));
  if (uses.length) parts.unshift(uses.join('\n'));
  return parts.join('\n\n');
}

/** Columns a query on a related table needs: its keys, its foreign keys, and those the request names. */
function essentialColumns(t: Table, joinables: readonly Joinable[], request: string): Set<string> {
  const words = new Set(request.toLowerCase().split(/[^a-z0-9_]+/).filter((w) => w.length > 2));
  const fks = new Set(joinables.filter((j) => j.child === t.name).map((j) => j.foreignKey));
  return new Set(t.columns.filter((c) => t.primaryKey.includes(c.name) || fks.has(c.name) || words.has(c.name) || c.name.split('_').every((w) => words.has(w))).map((c) => c.name));
}

/**
 * How strongly the request points at a related table: its name or singular as a word (3), a word
 * sharing its stem ("favorited" → favorites, 2), one of its columns named (1). Ties keep the
 * order the context chose (joinable before merely named).
 */
export function relevance(t: Table, request: string): number {
  const words = request.toLowerCase().split(/[^a-z0-9_]+/).filter(Boolean);
  const forms = [t.name, t.name.replace(/_/g, ' '), t.name.replace(/s$/, ''), t.name.replace(/ies$/, 'y')];
  const text = ` ${words.join(' ')} `;
  if (forms.some((f) => text.includes(` ${f} `))) return 3;
  const stem = t.name.split('_').pop()!.replace(/(?:ies|es|s)$/, '').slice(0, 6);
  if (stem.length >= 4 && words.some((w) => w.startsWith(stem))) return 2;
  return t.columns.some((c) => !/^id$|_id$/.test(c.name) && words.includes(c.name)) ? 1 : 0;
}

/** The Context within the budget: related tables' other columns first, then the other structs and signatures, then the least relevant tables. */
export function fitFnContext(p: FnContextPieces, budget = FN_CONTEXT_BUDGET_TOKENS): FittedContext {
  const sel: Selection = { related: [...p.related], columns: new Map(), siblings: 3, signatures: 12 };
  const dropped: string[] = [];
  let text = render(p, sel);
  const over = (): boolean => estimatePromptTokens(text) > budget;
  // Least relevant first; among equals, the later (less related) one.
  const byLeastRelevant = p.related
    .map((t, i) => ({ t, i, r: relevance(t, p.request) }))
    .sort((a, b) => a.r - b.r || b.i - a.i)
    .map((x) => x.t);
  const steps: (() => string | undefined)[] = [
    // Column trims first: a wide related table costs more than it helps, and its join stays visible.
    ...byLeastRelevant.map((t) => () => {
      const keep = essentialColumns(t, p.joinables, p.request);
      if (keep.size >= t.columns.length) return undefined;
      sel.columns.set(t.name, keep);
      return `${t.columns.length - keep.size} columns of ${t.name}`;
    }),
    () => (sel.siblings > 0 ? ((sel.siblings = 0), 'the other structs of the table') : undefined),
    () => {
      const most = Math.max(p.methods.filter(isQueryFunction).length, ...[...p.freeByFile.values()].map((l) => l.filter(isQueryFunction).length));
      if (most <= 4) return undefined;
      sel.signatures = 4;
      return 'existing function signatures beyond 4';
    },
    ...byLeastRelevant.map((t) => () => {
      sel.related = sel.related.filter((x) => x !== t);
      const trimmed = dropped.findIndex((d) => d.endsWith(` columns of ${t.name}`));
      if (trimmed >= 0) dropped.splice(trimmed, 1);
      return `table ${t.name}`;
    }),
  ];
  for (const step of steps) {
    if (!over()) break;
    const what = step();
    if (!what) continue;
    dropped.push(what);
    text = render(p, sel);
  }
  const shown = new Set([p.table.name, ...sel.related.map((t) => t.name)]);
  return { rendered: text, tables: sel.related, joinables: p.joinables.filter((j) => shown.has(j.child) && shown.has(j.parent)), dropped, estimatedTokens: estimatePromptTokens(text) };
}
