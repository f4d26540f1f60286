import type { Node } from 'web-tree-sitter';
import { cachedParse } from './parseCache';
import { diag, type Diagnostic } from '../core/diagnostics';
import { effectiveMetas, lastSegment, leadingAttrs, metaValue, parseMeta, type Meta } from './attrs';
import { readOrSkipDeep, withRustTree } from './parser';
import { SpanMaker } from './spans';
import {
  compactText,
  docLineText,
  flatten,
  isComment,
  isOpen,
  isWord,
  joinDoc,
  matchClose,
  skipTree,
  sourceText,
  splitTopLevel,
  type Token,
} from './tokens';
import type { Backend, Column, Joinable, SchemaInfo, SqlTypeDef, Table } from './types';

export interface SchemaSource {
  file: string;
  text: string;
  /** Module path of the file under the schema module (`account` for `src/schema/account.rs`), for split schemas. */
  module?: string;
}

type MacroKind = 'table' | 'joinable' | 'allow';
const MACROS: Record<string, MacroKind> = {
  table: 'table',
  joinable: 'joinable',
  allow_tables_to_appear_in_same_query: 'allow',
};

/** Tokens that start a Rust item: an unclosed macro body cannot run past them. */
const ITEM_KEYWORDS = new Set(['pub', 'struct', 'fn', 'impl', 'mod', 'enum', 'trait', 'const', 'static', 'extern', 'type']);

const RUST_KEYWORDS = new Set(
  'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while abstract become box do final macro override priv typeof unsized virtual yield try gen'.split(
    ' ',
  ),
);

const MAX_SYNTAX_DIAGS = 20;

/** `Nullable<...>`, also spelled with a path (`diesel::sql_types::Nullable<...>`). */
export function isNullableType(sqlType: string): boolean {
  return /^(?:(?:::)?[A-Za-z_][A-Za-z0-9_]*::)*Nullable</.test(sqlType);
}

class SchemaReader {
  readonly tables: Table[] = [];
  readonly joinables: Joinable[] = [];
  readonly allowedTogether: string[][] = [];
  readonly sqlTypes: SqlTypeDef[] = [];
  readonly diagnostics: Diagnostic[] = [];

  private file = '';
  private src = '';
  private spans = new SpanMaker('');
  private syntaxDiags = 0;

  read(source: SchemaSource): void {
    this.file = source.file;
    this.src = source.text;
    this.spans = new SpanMaker(source.text);
    this.syntaxDiags = 0;
    const module = source.module ? source.module.split('::') : [];
    readOrSkipDeep(source.file, () => withRustTree(source.text, (tree) => this.walk(tree.rootNode, module)), (d) => this.diagnostics.push(d));
  }

  private report(severity: Diagnostic['severity'], code: string, message: string, at?: Token | number): void {
    const pos =
      at === undefined
        ? {}
        : typeof at === 'number'
          ? { line: this.spans.lineAt(at) }
          : { line: at.row + 1, column: at.column + 1 };
    this.diagnostics.push(diag(severity, code, message, { file: this.file, ...pos }));
  }

  /** Reads the items under `root`, iteratively (a hostile file can nest 100 000 levels deep). */
  private walk(root: Node, rootModule: string[]): void {
    const stack: { node: Node; module: string[]; inSqlTypes: boolean }[] = [{ node: root, module: rootModule, inSqlTypes: false }];
    while (stack.length) {
      const { node, module, inSqlTypes } = stack.pop()!;
      const push = (children: readonly (Node | null)[], mod: string[], sqlTypes: boolean): void => {
        for (let i = children.length - 1; i >= 0; i--) {
          const c = children[i];
          if (c) stack.push({ node: c, module: mod, inSqlTypes: sqlTypes });
        }
      };
      switch (node.type) {
        case 'ERROR':
          if (this.syntaxDiags++ < MAX_SYNTAX_DIAGS) {
            const snippet = node.text.trim().split('\n')[0]!.slice(0, 60);
            this.report('error', 'rust-syntax', `Rust syntax error near \`${snippet}\`.`, node.startIndex);
          }
          this.scanMacros(flatten(node), module);
          break;
        case 'macro_invocation':
          this.scanMacros(flatten(node), module);
          break;
        case 'mod_item': {
          const name = node.childForFieldName('name')?.text;
          const body = node.childForFieldName('body');
          if (name && body) push(body.namedChildren, [...module, name], name === 'sql_types');
          break;
        }
        case 'struct_item':
          this.readSqlTypeStruct(node, inSqlTypes);
          break;
        default:
          push(node.children, module, inSqlTypes);
      }
    }
  }

  /** Finds `table!`, `joinable!` and `allow_tables_to_appear_in_same_query!` in a token run. */
  private scanMacros(tokens: Token[], module: string[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!isWord(t) || tokens[i + 1]?.text !== '!' || !isOpen(tokens[i + 2])) continue;
      const kind = MACROS[t.text];
      if (!kind) continue;
      let first = i;
      while (tokens[first - 1]?.text === '::' && isWord(tokens[first - 2])) first -= 2;
      if (tokens[first - 1]?.text === '::') first -= 1;
      const prefix = compactText(tokens.slice(first, i)).replace(/^::/, '');
      // `diesel::table!` or a bare `table!`; another crate's `table!` is not Diesel's.
      if (prefix && !prefix.startsWith('diesel::')) continue;

      const open = i + 2;
      const close = matchClose(tokens, open);
      let bodyEnd: number;
      let next: number;
      if (close >= 0) {
        bodyEnd = close;
        next = close + 1;
      } else {
        bodyEnd = this.cutoff(tokens, open + 1);
        next = bodyEnd;
        this.report('error', 'unclosed-macro', `\`${t.text}!\` is not closed: add the missing \`${tokens[open]!.text === '{' ? '}' : ')'}\`.`, t);
      }
      const body = tokens.slice(open + 1, bodyEnd);
      const end = close >= 0 ? tokens[close]!.end : (tokens[bodyEnd - 1]?.end ?? tokens[open]!.end);
      const range = { start: tokens[first]!.start, end };
      if (kind === 'table') this.readTableMacro(body, range, module);
      else if (kind === 'joinable') this.readJoinable(body, t);
      else this.readAllowTogether(body);
      i = next - 1;
    }
  }

  /** Where an unclosed macro body most likely ends: at the next macro call or item keyword. */
  private cutoff(tokens: readonly Token[], from: number): number {
    for (let k = from; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (ITEM_KEYWORDS.has(t.type)) return k;
      if (isWord(t) && tokens[k + 1]?.text === '!') {
        // Include a `diesel::` path in front of the macro name.
        let s = k;
        while (tokens[s - 1]?.text === '::' && isWord(tokens[s - 2])) s -= 2;
        return s;
      }
    }
    return tokens.length;
  }

  private readTableMacro(body: Token[], range: { start: number; end: number }, module: string[]): void {
    const found: Table[] = [];
    const uses: string[] = [];
    let docs: string[] = [];
    let attrs: Meta[] = [];
    let declStart: number | undefined;
    let i = 0;
    while (i < body.length) {
      const t = body[i]!;
      if (isComment(t)) {
        if (t.doc === 'outer') {
          docs.push(docLineText(t));
          declStart ??= t.start;
        }
        i++;
        continue;
      }
      if (t.type === 'use') {
        let j = i;
        while (j < body.length && body[j]!.text !== ';') j = skipTree(body, j);
        if (j >= body.length) this.report('error', 'schema-syntax', 'A `use` line in `table!` has no closing `;`.', t);
        uses.push(sourceText(this.src, body.slice(i, Math.min(j + 1, body.length))));
        i = j + 1;
        continue;
      }
      if (t.text === '#' && body[i + 1]?.text === '[') {
        const close = matchClose(body, i + 1);
        attrs.push(parseMeta(body.slice(i + 2, close < 0 ? body.length : close), this.src));
        declStart ??= t.start;
        if (close < 0) {
          this.report('error', 'schema-syntax', 'An attribute in `table!` is not closed with `]`.', t);
          break;
        }
        i = close + 1;
        continue;
      }
      if (isWord(t)) {
        declStart ??= t.start;
        const { table, next } = this.readTableDecl(body, i, docs, attrs, uses, module);
        const last = body[next - 1];
        table.span = this.spans.span(declStart, last ? last.end : t.end);
        found.push(table);
        docs = [];
        attrs = [];
        declStart = undefined;
        i = next;
        continue;
      }
      this.report('error', 'schema-syntax', `Unexpected \`${t.text}\` in \`table!\`: expected \`name (primary_key) { column -> Type, ... }\`.`, t);
      i = skipTree(body, i);
    }
    if (docs.length || attrs.length) this.report('warning', 'schema-syntax', 'Doc comments or attributes at the end of `table!` belong to no table.', range.start);
    if (found.length === 0) this.report('error', 'schema-syntax', '`table!` declares no table.', range.start);
    // One table per invocation (the usual case): its span is the whole macro, ready to replace.
    if (found.length === 1) found[0]!.span = this.spans.span(range.start, range.end);
    this.tables.push(...found);
  }

  private readTableDecl(
    body: Token[],
    at: number,
    docs: string[],
    attrs: Meta[],
    uses: string[],
    module: string[],
  ): { table: Table; next: number } {
    let name = body[at]!.text;
    let schema: string | undefined;
    let k = at + 1;
    if (body[k]?.text === '.' && isWord(body[k + 1])) {
      schema = name;
      name = body[k + 1]!.text;
      k += 2;
    }
    const table: Table = { name, primaryKey: ['id'], columns: [], uses: [...uses], file: this.file };
    if (schema) table.schema = schema;
    if (module.length) table.module = module.join('::');
    const doc = joinDoc(docs);
    if (doc) table.doc = doc;
    const others: string[] = [];
    for (const a of attrs) {
      if (a.path === 'sql_name' && a.value !== undefined) table.sqlName = a.value;
      else others.push(a.text);
    }
    if (others.length) table.attributes = others;

    if (body[k]?.text === '(') {
      const close = matchClose(body, k);
      const inner = body.slice(k + 1, close < 0 ? body.length : close);
      const keys: string[] = [];
      for (const part of splitTopLevel(inner)) {
        if (part.length === 1 && isWord(part[0])) keys.push(part[0]!.text);
        else this.report('error', 'schema-syntax', `Primary key of \`${name}\` must list column names: found \`${compactText(part)}\`.`, part[0]);
      }
      if (keys.length) table.primaryKey = keys;
      else this.report('error', 'schema-syntax', `Table \`${name}\` has an empty primary key list.`, body[k]);
      if (close < 0) {
        this.report('error', 'schema-syntax', `The primary key list of \`${name}\` is not closed with \`)\`.`, body[k]);
        return { table, next: body.length };
      }
      k = close + 1;
    }
    if (body[k]?.text !== '{') {
      this.report('error', 'schema-syntax', `Table \`${name}\` needs its columns in \`{ ... }\`.`, body[k] ?? body[at]);
      return { table, next: k };
    }
    const close = matchClose(body, k);
    if (close < 0) this.report('error', 'schema-syntax', `The column block of \`${name}\` is not closed with \`}\`.`, body[k]);
    const end = close < 0 ? body.length : close;
    table.columns = this.readColumns(body.slice(k + 1, end), name);
    return { table, next: close < 0 ? body.length : close + 1 };
  }

  private readColumns(tokens: Token[], table: string): Column[] {
    const columns: Column[] = [];
    let docs: string[] = [];
    let attrs: Meta[] = [];
    let colStart: number | undefined;
    const reset = (): void => {
      docs = [];
      attrs = [];
      colStart = undefined;
    };
    let i = 0;
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (isComment(t)) {
        if (t.doc === 'outer') {
          docs.push(docLineText(t));
          colStart ??= t.start;
        }
        i++;
        continue;
      }
      if (t.text === '#' && tokens[i + 1]?.text === '[') {
        const close = matchClose(tokens, i + 1);
        attrs.push(parseMeta(tokens.slice(i + 2, close < 0 ? tokens.length : close), this.src));
        colStart ??= t.start;
        if (close < 0) {
          this.report('error', 'schema-syntax', `An attribute in table \`${table}\` is not closed with \`]\`.`, t);
          break;
        }
        i = close + 1;
        continue;
      }
      if (t.text === ',') {
        this.report('warning', 'schema-syntax', `Extra \`,\` in the columns of \`${table}\`.`, t);
        i++;
        continue;
      }
      if (!isWord(t) || tokens[i + 1]?.text !== '->') {
        this.report('error', 'schema-syntax', `Expected \`column -> Type,\` in table \`${table}\`, found \`${t.text}\`.`, t);
        while (i < tokens.length && tokens[i]!.text !== ',') i = skipTree(tokens, i);
        i++;
        reset();
        continue;
      }
      colStart ??= t.start;
      const name = t.text;
      if (RUST_KEYWORDS.has(name)) this.report('error', 'schema-syntax', `Column \`${name}\` of \`${table}\` is a Rust keyword: write \`r#${name}\`.`, t);
      const { typeTokens, next, broken } = this.readType(tokens, i + 2);
      let k = next;
      if (broken || typeTokens.length === 0) {
        this.report(
          'error',
          'schema-syntax',
          typeTokens.length === 0 ? `Column \`${name}\` of \`${table}\` has no SQL type.` : `The SQL type of column \`${name}\` in \`${table}\` is incomplete: \`${compactText(typeTokens)}\`.`,
          t,
        );
        if (tokens[k]?.text === ',') k++;
        i = k;
        reset();
        continue;
      }
      const column: Column = { name, sqlType: compactText(typeTokens), nullable: false, attributes: [] };
      column.nullable = isNullableType(column.sqlType);
      // Diesel 1.x-era syntax: `name -> VarChar { 255 }`.
      if (tokens[k]?.text === '{') {
        const close = matchClose(tokens, k);
        const n = Number(compactText(tokens.slice(k + 1, close < 0 ? tokens.length : close)));
        if (Number.isInteger(n)) column.maxLength = n;
        k = close < 0 ? tokens.length : close + 1;
      }
      const endTok = tokens[k - 1] ?? t;
      if (tokens[k]?.text === ',') k++;
      else if (k < tokens.length) this.report('error', 'schema-syntax', `Missing \`,\` after column \`${name}\` of \`${table}\`.`, endTok);
      for (const a of attrs) {
        if (a.path === 'sql_name' && a.value !== undefined) column.sqlName = a.value;
        else if (a.path === 'max_length' && a.value !== undefined && /^\d+$/.test(a.value)) column.maxLength = Number(a.value);
        else column.attributes.push(a.text);
      }
      const doc = joinDoc(docs);
      if (doc) column.doc = doc;
      column.span = this.spans.span(colStart, endTok.end);
      if (columns.some((c) => c.name === name)) this.report('error', 'duplicate-column', `Column \`${name}\` appears twice in \`${table}\`.`, t);
      columns.push(column);
      reset();
      i = k;
    }
    if (docs.length || attrs.length) this.report('warning', 'schema-syntax', `Doc comments or attributes at the end of \`${table}\` belong to no column.`, tokens[tokens.length - 1]);
    return columns;
  }

  /**
   * Reads a SQL type (`Nullable<diesel::sql_types::Array<Text>>`) starting at `from`. At the top
   * level a type is `seg(::seg)*<...>?`, so a second word without `::` starts the next column (a
   * forgotten comma); `->` anywhere means the type was cut short.
   */
  private readType(tokens: Token[], from: number): { typeTokens: Token[]; next: number; broken: boolean } {
    const out: Token[] = [];
    let depth = 0;
    let expectSegment = true;
    let k = from;
    while (k < tokens.length) {
      const u = tokens[k]!;
      if (isComment(u)) {
        k++;
        continue;
      }
      if (u.text === '->') {
        // `name -> Nullable<` followed by the next column: back up to that column's name.
        if (out.length && isWord(out[out.length - 1]) && tokens[k - 1] === out[out.length - 1]) {
          out.pop();
          k--;
        }
        return { typeTokens: out, next: k, broken: true };
      }
      if (depth === 0) {
        if (u.text === ',' || u.text === '{' || u.text === '#') break;
        if (!expectSegment && u.text !== '::' && u.text !== '<') break;
      }
      if (isOpen(u)) {
        const next = skipTree(tokens, k);
        out.push(...tokens.slice(k, next));
        k = next;
        continue;
      }
      if (/^>+$/.test(u.text)) {
        depth -= u.text.length;
        if (depth < 0) return { typeTokens: [...out, u], next: k + 1, broken: true };
        if (depth === 0) expectSegment = false;
      } else if (u.text === '<') {
        depth++;
      } else if (depth === 0) {
        if (u.text === '::') expectSegment = true;
        else if (isWord(u)) expectSegment = false;
        else return { typeTokens: [...out, u], next: k + 1, broken: true };
      }
      out.push(u);
      k++;
    }
    return { typeTokens: out, next: k, broken: depth !== 0 || expectSegment };
  }

  private readJoinable(body: Token[], at: Token): void {
    const code = body.filter((t) => !isComment(t));
    const arrow = code.findIndex((t) => t.text === '->');
    const group = code.findIndex((t, idx) => idx > arrow && t.text === '(');
    const close = group < 0 ? -1 : matchClose(code, group);
    const child = arrow > 0 ? lastSegment(compactText(code.slice(0, arrow))) : '';
    const parent = group > arrow + 1 ? lastSegment(compactText(code.slice(arrow + 1, group))) : '';
    const fk = close > group ? compactText(code.slice(group + 1, close)) : '';
    const ok = /^(?:r#)?\w+$/;
    if (!ok.test(child) || !ok.test(parent) || !ok.test(fk)) {
      this.report('error', 'schema-syntax', `\`joinable!\` must read \`joinable!(child -> parent (foreign_key))\`: found \`${compactText(code)}\`.`, at);
      return;
    }
    this.joinables.push({ child, parent, foreignKey: fk, file: this.file, line: at.row + 1 });
  }

  private readAllowTogether(body: Token[]): void {
    const names = splitTopLevel(body)
      .map((p) => lastSegment(compactText(p)))
      .filter((n) => n.length > 0);
    if (names.length) this.allowedTogether.push(names);
  }

  private readSqlTypeStruct(node: Node, inSqlTypes: boolean): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const { metas, doc } = leadingAttrs(node, this.src);
    const eff = effectiveMetas(metas);
    const derivesSqlType = eff.some((m) => m.path === 'derive' && m.list?.some((d) => lastSegment(d.path) === 'SqlType'));
    if (!inSqlTypes && !derivesSqlType) return;
    const def: SqlTypeDef = { name, file: this.file, line: this.spans.lineAt(node.startIndex) };
    if (doc) def.doc = doc;
    const setDb = (backend: Backend, dbName: string | undefined, dbSchema: string | undefined): void => {
      def.backend = backend;
      if (dbName !== undefined) def.dbName = dbName;
      if (dbSchema !== undefined) def.dbSchema = dbSchema;
    };
    for (const m of eff) {
      if (m.path === 'diesel') {
        for (const inner of m.list ?? []) {
          if (inner.path === 'postgres_type') setDb('pg', metaValue(inner.list, 'name'), metaValue(inner.list, 'schema'));
          else if (inner.path === 'mysql_type') setDb('mysql', metaValue(inner.list, 'name'), undefined);
          else if (inner.path === 'sqlite_type') setDb('sqlite', metaValue(inner.list, 'name'), undefined);
        }
      } else if (m.path === 'postgres') {
        setDb('pg', metaValue(m.list, 'type_name'), metaValue(m.list, 'type_schema'));
      } else if (m.path === 'mysql_type') setDb('mysql', m.value, undefined);
      else if (m.path === 'sqlite_type') setDb('sqlite', m.value, undefined);
    }
    this.sqlTypes.push(def);
  }

  /** Checks Diesel would also make: keys and foreign keys name real columns, tables exist. */
  validate(): void {
    const byName = new Map<string, Table>();
    for (const t of this.tables) {
      const key = t.schema ? `${t.schema}.${t.name}` : t.name;
      if (byName.has(key)) this.push('error', 'duplicate-table', `Table \`${key}\` is declared twice.`, t.file, t.span?.startLine);
      byName.set(key, t);
      if (!byName.has(t.name)) byName.set(t.name, t);
      if (t.columns.length === 0) this.push('warning', 'empty-table', `Table \`${key}\` has no columns.`, t.file, t.span?.startLine);
      for (const pk of t.primaryKey) {
        if (t.columns.length && !t.columns.some((c) => c.name === pk))
          this.push('error', 'unknown-column', `Primary key \`${pk}\` is not a column of \`${key}\`.`, t.file, t.span?.startLine);
      }
    }
    if (this.tables.length === 0) return;
    for (const j of this.joinables) {
      const child = byName.get(j.child);
      if (!byName.has(j.parent)) this.push('warning', 'unknown-table', `\`joinable!\` names table \`${j.parent}\`, which no \`table!\` declares.`, j.file, j.line);
      if (!child) this.push('warning', 'unknown-table', `\`joinable!\` names table \`${j.child}\`, which no \`table!\` declares.`, j.file, j.line);
      else if (child.columns.length && !child.columns.some((c) => c.name === j.foreignKey))
        this.push('error', 'unknown-column', `\`joinable!\` foreign key \`${j.foreignKey}\` is not a column of \`${j.child}\`.`, j.file, j.line);
    }
    for (const group of this.allowedTogether)
      for (const n of group)
        if (!byName.has(n)) this.push('warning', 'unknown-table', `\`allow_tables_to_appear_in_same_query!\` names \`${n}\`, which no \`table!\` declares.`);
  }

  private push(severity: Diagnostic['severity'], code: string, message: string, file?: string, line?: number): void {
    this.diagnostics.push(diag(severity, code, message, { ...(file ? { file } : {}), ...(line ? { line } : {}) }));
  }

  result(): SchemaInfo {
    return {
      tables: this.tables,
      joinables: this.joinables,
      allowedTogether: this.allowedTogether,
      sqlTypes: this.sqlTypes,
      diagnostics: this.diagnostics,
    };
  }
}

/**
 * Reads every Diesel `table!` (1.x and 2.x), `joinable!`, `allow_tables_to_appear_in_same_query!`
 * and custom SQL type in the given files. Never throws on bad Rust: whatever could be read, plus
 * diagnostics with file and line. Needs `await initRustParser()` first.
 */
export function parseSchema(sources: readonly SchemaSource[]): SchemaInfo {
  const key = sources.map((s) => `${s.file}\0${s.module ?? ''}`).join('\0');
  return cachedParse('schema', key, sources.map((s) => s.text), () => {
    const reader = new SchemaReader();
    for (const s of sources) reader.read(s);
    reader.validate();
    return reader.result();
  });
}
