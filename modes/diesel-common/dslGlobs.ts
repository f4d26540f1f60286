import type { Node } from 'web-tree-sitter';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { Table } from '../../src/rust';
import { withRustTree } from '../../src/rust/parser';
import { boundName } from './imports';
import { tableModulePath, type ProjectStyle } from './style';

/**
 * `use …::<t>::dsl::*` globs, made consistent. With the glob in scope `<t>` names the table
 * struct, so every `<t>::column` path beside it fails to compile (E0599, diesel-rs/diesel#1503).
 * Small models write both forms at once. One form is kept per table:
 * - the body uses `<t>::…` paths: the glob goes, bare columns become `<t>::col`, bare `<t>` becomes
 *   `<t>::table`;
 * - the body uses only bare names: one glob stays, inside the body, with a path that resolves in
 *   the target file (the project's real schema module, split schemas included).
 * Needs `await initRustParser()`.
 */

export interface GlobEnv {
  style: ProjectStyle;
  tables: readonly Table[];
  /** Expanded file-level `use` paths of the file the function goes into (`crate::schema`). */
  fileUses: readonly string[];
}

export interface GlobResult {
  code: string;
  diagnostics: Diagnostic[];
}

/** The table a dsl glob path names (`crate::schema::orders::dsl::*` → orders); the path must end in `dsl::*`. */
export function dslGlobTable(path: string): string | undefined {
  return /(?:^|::)((?:r#)?\w+)::dsl::\*$/.exec(path.replace(/\s+/g, ''))?.[1];
}

/** Whether `path` (`schema::casbin_rule`, `crate::domain::schema::x`) reaches `real` from the target file. */
function resolves(path: string, real: string, fileUses: readonly string[]): boolean {
  if (path === real) return true;
  const [head, ...rest] = path.split('::');
  if (!head || head === 'crate') return false;
  // A name the file imports (`use crate::schema;` makes `schema::x` work in edition 2018+).
  return fileUses.some((u) => boundName(u) === head && [u.replace(/ as \w+$/, ''), ...rest].join('::') === real);
}

/** Names bound by patterns in the function (parameters, lets, closures, for loops, match arms). */
export function boundNames(root: Node): Set<string> {
  const out = new Set<string>();
  const addPattern = (n: Node | null): void => {
    if (!n) return;
    if (n.type === 'identifier') out.add(n.text);
    for (const c of n.namedChildren) if (c && c.type !== 'type_identifier' && c.type !== 'scoped_identifier') addPattern(c);
  };
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'parameter' || n.type === 'let_declaration' || n.type === 'for_expression') addPattern(n.childForFieldName('pattern'));
    if (n.type === 'closure_parameters' || n.type === 'match_pattern') addPattern(n);
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return out;
}

interface Usage {
  /** `<t>::…` paths outside `use` declarations. */
  qualified: boolean;
  /** Bare identifiers that mean a column of the table (or the table itself) under the glob. */
  bare: Node[];
}

/** Whether an identifier node stands alone as a value (not a path segment, binding, field, macro name…). */
function isBareValue(n: Node): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'scoped_identifier' || p.type === 'scoped_type_identifier' || p.type === 'use_declaration' || p.type === 'use_list' || p.type === 'scoped_use_list') return false;
  if (p.type === 'macro_invocation' || p.type === 'function_item' || p.type === 'parameter' || p.type === 'shorthand_field_initializer') return false;
  if (p.type === 'field_initializer' && p.childForFieldName('field')?.id === n.id) return false;
  if (p.type === 'call_expression' && p.childForFieldName('function')?.id === n.id) return false;
  if (p.type === 'let_declaration' && p.childForFieldName('pattern')?.id === n.id) return false;
  return true;
}

/**
 * Makes the function's dsl globs consistent (see the file comment). `answerGlobs` are the glob
 * paths the answer put at file level; they count as if written in the body.
 */
export function normalizeDslGlobs(fnCode: string, answerGlobs: readonly string[], env: GlobEnv): GlobResult {
  const diagnostics: Diagnostic[] = [];
  const byName = new Map(env.tables.map((t) => [t.name, t]));
  return withRustTree(fnCode, (tree) => {
    const root = tree.rootNode;
    const fn = root.namedChildren.find((n) => n?.type === 'function_item');
    const body = fn?.childForFieldName('body');
    if (!fn || !body) return { code: fnCode, diagnostics };

    // Globs: the answer's file-level ones and the body's `use` statements.
    const bodyGlobs: { node: Node; path: string; table: string }[] = [];
    for (const c of body.namedChildren) {
      if (c?.type !== 'use_declaration') continue;
      const path = (c.childForFieldName('argument')?.text ?? '').replace(/\s+/g, '');
      const table = dslGlobTable(path);
      if (table) bodyGlobs.push({ node: c, path, table });
    }
    const globTables = [...new Set([...bodyGlobs.map((g) => g.table), ...answerGlobs.map(dslGlobTable).filter((t): t is string => !!t)])];
    if (!globTables.length) return { code: fnCode, diagnostics };

    const bound = boundNames(fn);
    const usage = new Map<string, Usage>(globTables.map((t) => [t, { qualified: false, bare: [] }]));
    const stack: Node[] = [body];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'use_declaration') continue;
      if (n.type === 'scoped_identifier' && n.parent?.type !== 'scoped_identifier') {
        const head = n.text.replace(/\s+/g, '').split('::')[0]!;
        const u = usage.get(head);
        if (u) u.qualified = true;
      } else if (n.type === 'identifier' && n.parent?.type === 'token_tree' && (n.nextSibling?.type === '::' || n.previousSibling?.type === '::')) {
        // Inside a macro (`db_run! { conn: { users::table… } }`) paths are flat tokens: `users` `::` `table`.
        const u = n.nextSibling?.type === '::' && n.previousSibling?.type !== '::' ? usage.get(n.text) : undefined;
        if (u) u.qualified = true;
      } else if (n.type === 'identifier' && !bound.has(n.text) && isBareValue(n) && !(n.parent?.type === 'token_tree' && /^[!:]$/.test(n.nextSibling?.type ?? ''))) {
        for (const t of globTables) {
          const table = byName.get(t);
          if (table && (t === n.text || table.columns.some((c) => c.name === n.text))) usage.get(t)!.bare.push(n);
        }
      }
      for (const c of n.namedChildren) if (c) stack.push(c);
    }

    const edits: { start: number; end: number; text: string }[] = [];
    const removeStatement = (n: Node): void => {
      const lineStart = fnCode.lastIndexOf('\n', n.startIndex - 1) + 1;
      const onlyOnLine = /^\s*$/.test(fnCode.slice(lineStart, n.startIndex));
      const nl = fnCode.indexOf('\n', n.endIndex);
      const lineEnd = nl < 0 ? fnCode.length : nl + 1;
      const restOfLine = fnCode.slice(n.endIndex, nl < 0 ? fnCode.length : nl);
      edits.push(onlyOnLine && /^\s*$/.test(restOfLine) ? { start: lineStart, end: lineEnd, text: '' } : { start: n.startIndex, end: n.endIndex, text: '' });
    };
    const addAtBodyStart: string[] = [];

    for (const t of globTables) {
      const table = byName.get(t);
      const mine = bodyGlobs.filter((g) => g.table === t);
      if (!table) {
        diagnostics.push(diag('error', 'unknown-table', `\`use …::${t}::dsl::*\` names \`${t}\`, which is not a table in the schema.`));
        continue;
      }
      const u = usage.get(t)!;
      const real = `${tableModulePath(env.style, table)}::dsl::*`;
      if (u.qualified || !u.bare.length) {
        // One form: qualified paths. The glob goes; bare names are qualified.
        for (const g of mine) removeStatement(g.node);
        for (const b of u.bare) edits.push({ start: b.startIndex, end: b.endIndex, text: b.text === t ? `${t}::table` : `${t}::${b.text}` });
        if (u.bare.length) diagnostics.push(diag('info', 'dsl-glob-qualified', `Removed \`use …::${t}::dsl::*\` (beside \`${t}::…\` paths it breaks them) and wrote ${u.bare.length} bare name(s) as \`${t}::…\`.`));
        else if (mine.length || answerGlobs.some((a) => dslGlobTable(a) === t)) diagnostics.push(diag('info', 'dsl-glob-dropped', `Removed \`use …::${t}::dsl::*\`: the function names \`${t}\`'s columns with \`${t}::\` paths.`));
        continue;
      }
      // One form: bare names under one glob that resolves from the target file.
      const keep = mine.find((g) => resolves(g.path.replace(/::dsl::\*$/, ''), real.replace(/::dsl::\*$/, ''), env.fileUses));
      for (const g of mine) if (g !== keep) removeStatement(g.node);
      if (!keep) {
        addAtBodyStart.push(`use ${real};`);
        const wrong = mine[0]?.path ?? answerGlobs.find((a) => dslGlobTable(a) === t);
        if (wrong && wrong.replace(/\s+/g, '') !== real) diagnostics.push(diag('info', 'dsl-glob-path', `Wrote \`use ${real};\` for \`${wrong}\`: that is where \`${t}\` is in this project.`));
      }
    }

    let out = fnCode;
    const open = body.startIndex + 1;
    if (addAtBodyStart.length) edits.push({ start: open, end: open, text: `\n    ${addAtBodyStart.join('\n    ')}` });
    edits.sort((a, b) => b.start - a.start || b.end - a.end);
    for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return { code: out, diagnostics };
  });
}
