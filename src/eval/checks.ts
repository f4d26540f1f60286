import type { Node } from 'web-tree-sitter';
import type { ChangeSet } from '../domain';
import { withRustTree } from '../rust/parser';
import { codeTokens, containsPattern } from './normalize';
import { tsxTokens } from './tsx';
import type { CheckOutcome, TaskCheck } from './types';

/** Listed checks on an answer: token patterns, the return type, `async`, and change-set files. */

const list = (p: string | string[]): string[] => (Array.isArray(p) ? p : [p]);
const show = (p: string | string[]): string =>
  list(p)
    .map((x) => `\`${x}\``)
    .join(' or ');
const squash = (s: string): string => s.replace(/\s+/g, '').replace(/,(?=[>)\]])/g, '');

/** The first function of the code: its return type text and whether it is async. */
function signature(code: string): { returns?: string; isAsync: boolean } | undefined {
  return withRustTree(code, (tree) => {
    let fn: Node | undefined;
    const walk = (n: Node): void => {
      if (fn) return;
      if (n.type === 'function_item') {
        fn = n;
        return;
      }
      for (const c of n.namedChildren) if (c) walk(c);
    };
    walk(tree.rootNode);
    if (!fn) return undefined;
    const ret = fn.childForFieldName('return_type')?.text;
    const isAsync = fn.children.some((c) => c?.type === 'function_modifiers' && /\basync\b/.test(c.text));
    return { ...(ret ? { returns: ret } : {}), isAsync };
  });
}

/** The label a check has in reports. */
export function checkLabel(c: TaskCheck): string {
  const base =
    c.contains !== undefined
      ? `contains ${show(c.contains)}`
      : c.absent !== undefined
        ? `does not contain ${show(c.absent)}`
        : c.returns !== undefined
          ? `returns ${show(c.returns)}`
          : c.async !== undefined
            ? c.async
              ? 'is async'
              : 'is not async'
            : `${c.fileIncludes!.path} includes \`${c.fileIncludes!.text}\``;
  return c.why ? `${base} (${c.why})` : base;
}

/** Runs every check on `code` (and the change set, for fileIncludes). Needs `await initRustParser()`. */
export function runChecks(checks: readonly TaskCheck[], code: string, changeSet?: ChangeSet, lang: 'rust' | 'tsx' = 'rust'): CheckOutcome[] {
  if (!checks.length) return [];
  const tokens = lang === 'tsx' ? tsxTokens(code) : codeTokens(code);
  const sig = checks.some((c) => c.returns !== undefined || c.async !== undefined) ? signature(code) : undefined;
  return checks.map((c): CheckOutcome => {
    const label = checkLabel(c);
    if (c.contains !== undefined) return { label, ok: list(c.contains).some((p) => containsPattern(tokens, p)) };
    if (c.absent !== undefined) {
      const found = list(c.absent).filter((p) => containsPattern(tokens, p));
      return { label, ok: !found.length, ...(found.length ? { detail: `found \`${found[0]}\`` } : {}) };
    }
    if (c.returns !== undefined) {
      if (!sig) return { label, ok: false, detail: 'no function in the answer' };
      const ok = sig.returns !== undefined && list(c.returns).some((r) => squash(r) === squash(sig.returns!));
      return { label, ok, ...(ok ? {} : { detail: sig.returns ? `returns \`${sig.returns}\`` : 'returns nothing' }) };
    }
    if (c.async !== undefined) {
      if (!sig) return { label, ok: false, detail: 'no function in the answer' };
      return { label, ok: sig.isAsync === c.async };
    }
    const want = c.fileIncludes!;
    const file = changeSet?.files.find((f) => f.path === want.path || f.path.endsWith(`/${want.path}`));
    if (!file) return { label, ok: false, detail: changeSet ? `no changed file ends with ${want.path}` : 'no change set' };
    return { label, ok: file.proposed.includes(want.text) };
  });
}
