import { applyOps } from '../pipeline/rust/applyOps';
import type { Diagnostic } from '../core/diagnostics';
import type { ChangeSet, EditOp, FileChange } from '../domain';
import { onlyClassesChanged } from '../pipeline/tsx/classOnly';
import { initRustParser, parseRustFile } from '../rust';
import { checkRelativePath, resolveInsideRoot } from './paths';
import { keepsAllCode, sameContent, stripBom, toLf } from './text';
import { isTsFile, tsAcceptCheck, typescriptFor, type PlannedTsFile } from './tsxCheck';

/**
 * What accepting a proposal would do to each file, decided against the files as they are NOW.
 * The user may have edited a file after the proposal was computed: then the proposal's edit
 * operations are re-applied by syntax to the current text (re-anchoring) — never the old
 * proposed text written over the user's work.
 */

export type FilePlan =
  /** The file is as the proposal expected: write `text` (LF). */
  | { kind: 'write'; path: string; abs: string; text: string; isNew: boolean }
  /** The file changed since; `text` is the proposal re-applied to `current`. Needs the user's review. */
  | { kind: 'reanchored'; path: string; abs: string; text: string; current: string; diagnostics: Diagnostic[] }
  /** Nothing to write: the file already has the proposed content. */
  | { kind: 'unchanged'; path: string; abs: string; why: string }
  /** Cannot be applied without losing or ignoring something; the message says what. */
  | { kind: 'conflict'; path: string; message: string; diagnostics: Diagnostic[] };

export type AcceptPlan =
  /** `notes`: what the user should know that does not refuse the accept (a type check out of time). */
  | { kind: 'apply'; files: Array<Extract<FilePlan, { kind: 'write' | 'unchanged' }>>; notes: string[] }
  | { kind: 'reanchored'; files: FilePlan[]; reanchored: Array<Extract<FilePlan, { kind: 'reanchored' }>> }
  | { kind: 'refused'; problems: string[]; files: FilePlan[] };

/** The current text of a project file (the editor's buffer when open), undefined when it does not exist. */
export type ReadCurrent = (rel: string, abs: string) => Promise<string | undefined>;

const errorsIn = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');

/** Names of items (types, free functions, methods per impl type) defined more than once. */
function definedTwice(text: string): Map<string, number> {
  const info = parseRustFile(text);
  const names = [
    ...info.structs.map((x) => x.name),
    ...info.enums.map((x) => x.name),
    ...info.functions.map((f) => `${f.name}()`),
    ...info.impls.filter((i) => !i.trait).flatMap((i) => i.functions.map((f) => `${i.typeName}::${f.name}()`)),
  ];
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return count;
}

/**
 * Items the re-anchored text defines twice that the user's text did not: re-applying by syntax
 * skips identical items but cannot tell that the user wrote their own `struct NewOrder` meanwhile.
 */
function newDuplicates(before: string, after: string): string[] {
  const was = definedTwice(before);
  return [...definedTwice(after)].filter(([name, n]) => n > 1 && n > (was.get(name) ?? 0)).map(([name]) => name);
}

/**
 * Re-applying only added code (every op but `setClasses`), or changed nothing but class
 * attributes (`setClasses` replaces class strings: that removal is the change itself).
 */
function keptUserText(ops: readonly EditOp[], path: string, abs: string, before: string, after: string): boolean {
  if (!ops.some((op) => op.op === 'setClasses')) return keepsAllCode(before, after);
  const ts = typescriptFor(abs);
  return !!ts && onlyClassesChanged(ts, before, after, path).length === 0;
}

/** Decides one file. `current` is its text now (undefined: no such file). */
export async function planFile(change: FileChange, abs: string, current: string | undefined): Promise<FilePlan> {
  const { path } = change;
  const conflict = (message: string, diagnostics: Diagnostic[] = []): FilePlan => ({ kind: 'conflict', path, message, diagnostics });
  if (current === undefined) {
    if (change.original === null) return { kind: 'write', path, abs, text: toLf(change.proposed), isNew: true };
    return conflict(`${path} was deleted after the change was proposed; nocodo will not recreate it.`);
  }
  if (sameContent(current, change.proposed)) return { kind: 'unchanged', path, abs, why: `${path} already has the proposed content.` };
  if (change.original !== null && sameContent(current, change.original)) return { kind: 'write', path, abs, text: toLf(change.proposed), isNew: false };

  // Stale: the file exists but is not what the proposal was computed from.
  const what = change.original === null ? `${path} was created after the change was proposed` : `${path} was edited after the change was proposed`;
  if (change.ops.length === 0) return conflict(`${what}, and this proposal has no edit operations to re-apply.`);
  if (change.ops.some((op) => op.op === 'createFile')) {
    return conflict(`${what}, and the proposal replaces the whole file, so applying it would overwrite those edits.`);
  }
  const before = toLf(stripBom(current));
  let result;
  try {
    await initRustParser();
    result = applyOps(before, change.ops, isTsFile(path) ? { ts: typescriptFor(abs), file: path } : { file: path });
  } catch (e) {
    return conflict(`${what}, and re-applying the change to the new text failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const errors = errorsIn(result.diagnostics);
  if (errors.length) return conflict(`${what}, and the change no longer fits: ${errors.map((d) => d.message).join(' ')}`, result.diagnostics);
  if (sameContent(result.text, before)) return { kind: 'unchanged', path, abs, why: `${what}; it already contains the proposed code.` };
  if (!keptUserText(change.ops, path, abs, before, result.text)) return conflict(`${what}, and re-applying the change would remove some of that text.`, result.diagnostics);
  if (isTsFile(path)) return { kind: 'reanchored', path, abs, text: result.text, current: before, diagnostics: result.diagnostics };
  const twice = newDuplicates(before, result.text);
  if (twice.length) return conflict(`${what}, and it now already defines ${twice.map((n) => `\`${n}\``).join(', ')}: applying the change would define ${twice.length > 1 ? 'them' : 'it'} twice.`, result.diagnostics);
  return { kind: 'reanchored', path, abs, text: result.text, current: before, diagnostics: result.diagnostics };
}

/** A planned TypeScript file as the accept-time check sees it (what would be written, and the text now). */
function tsPlanned(f: FilePlan, current: string | undefined): PlannedTsFile[] {
  if (!isTsFile(f.path)) return [];
  if (f.kind === 'write') return [{ path: f.path, abs: f.abs, text: f.text, current: f.isNew ? undefined : current === undefined ? undefined : toLf(stripBom(current)) }];
  if (f.kind === 'reanchored') return [{ path: f.path, abs: f.abs, text: f.text, current: f.current }];
  return [];
}

/**
 * Plans a whole change set rooted at `root`. Any unsafe path or conflict refuses everything:
 * a change set is accepted together or not at all.
 */
export interface PlanOptions {
  /** The time limit of the accept-time type checks together (tsxCheck.ts). */
  typecheckLimitMs?: number;
}

export async function planAccept(changeSet: ChangeSet, root: string, read: ReadCurrent, opts: PlanOptions = {}): Promise<AcceptPlan> {
  const files: FilePlan[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const currents = new Map<string, string | undefined>();
  if (changeSet.files.length === 0) return { kind: 'refused', problems: ['The proposal changes no files.'], files };
  for (const change of changeSet.files) {
    const where = await resolveInsideRoot(root, change.path);
    if (!where.ok) {
      problems.push(`Refusing to write ${JSON.stringify(change.path)}: ${where.reason}.`);
      continue;
    }
    if (seen.has(where.rel)) {
      problems.push(`The proposal changes ${where.rel} twice.`);
      continue;
    }
    seen.add(where.rel);
    const current = where.exists ? await read(where.rel, where.abs) : undefined;
    currents.set(where.rel, current);
    const plan = await planFile({ ...change, path: where.rel }, where.abs, current);
    files.push(plan);
    if (plan.kind === 'conflict') problems.push(plan.message);
  }
  if (problems.length) return { kind: 'refused', problems, files };
  const ts = await tsAcceptCheck(files.flatMap((f) => tsPlanned(f, currents.get(f.path))), root, opts.typecheckLimitMs);
  if (ts.problems.length) return { kind: 'refused', problems: ts.problems, files };
  const reanchored = files.filter((f): f is Extract<FilePlan, { kind: 'reanchored' }> => f.kind === 'reanchored');
  if (reanchored.length) return { kind: 'reanchored', files, reanchored };
  return { kind: 'apply', files: files as Array<Extract<FilePlan, { kind: 'write' | 'unchanged' }>>, notes: ts.notes };
}

/**
 * The change set after re-anchoring: each re-anchored file now expects the user's current text
 * and proposes the re-applied result, so accepting it again writes exactly what the diff shows.
 */
export function reanchoredChangeSet(changeSet: ChangeSet, reanchored: ReadonlyArray<{ path: string; text: string; current: string }>): ChangeSet {
  const byPath = new Map(reanchored.map((r) => [r.path, r]));
  return {
    ...changeSet,
    files: changeSet.files.map((f) => {
      const norm = checkRelativePath(f.path);
      const r = norm.ok ? byPath.get(norm.rel) : undefined;
      return r ? { ...f, original: r.current, proposed: r.text } : f;
    }),
  };
}
