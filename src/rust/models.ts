import type { Node } from 'web-tree-sitter';
import { cachedParse } from './parseCache';
import { diag, type Diagnostic } from '../core/diagnostics';
import { effectiveMetas, lastSegment, leadingAttrs, readAttributeItem, type Meta } from './attrs';
import { readOrSkipDeep, withRustTree } from './parser';
import { allChildren, forEachNode } from './walk';
import { SpanMaker } from './spans';
import { collapse } from './tokens';
import type { FnParam, FnSig, ImplBlock, ModelStruct, RustEnum, RustFileInfo, StructField, UseDecl } from './types';

/** Derives that make a struct a Diesel model. */
export const DIESEL_DERIVES = new Set([
  'Queryable',
  'QueryableByName',
  'Insertable',
  'AsChangeset',
  'Identifiable',
  'Associations',
  'Selectable',
  'HasQuery',
]);

const MAX_SYNTAX_DIAGS = 20;

/**
 * Diesel's own rule for the table of a struct that names none: the first letter lowercased, an
 * `_` before every later capital, then a plain `s` (`BlogPost` → `blog_posts`, `Category` →
 * `categorys`: Diesel does not know English plurals).
 */
export function inferTableName(structName: string): string {
  let out = '';
  for (let i = 0; i < structName.length; i++) {
    const ch = structName[i]!;
    const lower = ch.toLowerCase();
    out += i > 0 && ch !== lower ? `_${lower}` : lower;
  }
  return `${out}s`;
}

/** Type text with whitespace normalised so multi-line types read like one-line rustfmt output. */
export function normalizeType(text: string): string {
  return collapse(text)
    .replace(/<\s+/g, '<')
    .replace(/\s+>/g, '>')
    .replace(/\s*::\s*/g, '::')
    .replace(/\s+,/g, ',')
    .replace(/,>/g, '>')
    .replace(/\(\s+/g, '(')
    .replace(/,\s+\)/g, ')')
    .replace(/\s+\)/g, ')');
}

class FileReader {
  readonly info: RustFileInfo;
  private readonly spans: SpanMaker;
  private syntaxDiags = 0;

  constructor(
    private readonly src: string,
    file: string | undefined,
  ) {
    this.spans = new SpanMaker(src);
    this.info = { uses: [], structs: [], enums: [], impls: [], functions: [], mods: [], diagnostics: [] };
    if (file !== undefined) this.info.file = file;
  }

  private report(severity: Diagnostic['severity'], code: string, message: string, node: Node): void {
    const at = { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
    this.info.diagnostics.push(diag(severity, code, message, { ...(this.info.file !== undefined ? { file: this.info.file } : {}), ...at }));
  }

  private span(start: number, end: number) {
    return this.spans.span(start, end);
  }

  /** Reads the items of a module body (the file, or an inline `mod x { ... }`). */
  readItems(container: Node, topLevel: boolean): void {
    for (const node of container.namedChildren) {
      if (!node) continue;
      switch (node.type) {
        case 'struct_item':
          this.readStruct(node);
          break;
        case 'enum_item':
          this.readEnum(node);
          break;
        case 'impl_item':
          this.readImpl(node);
          break;
        case 'function_item':
          this.info.functions.push(this.readFn(node));
          break;
        case 'use_declaration':
          this.readUse(node);
          break;
        case 'mod_item': {
          const name = node.childForFieldName('name')?.text;
          const body = node.childForFieldName('body');
          if (!body) {
            if (name && topLevel) this.info.mods.push(name);
          } else if (!this.isTestModule(node)) {
            this.readItems(body, false);
          }
          break;
        }
        case 'ERROR':
          // Items tree-sitter could still shape inside the error are worth keeping.
          this.readItems(node, topLevel);
          break;
        default:
          break;
      }
    }
  }

  private isTestModule(node: Node): boolean {
    return leadingAttrs(node, this.src).metas.some((m) => m.path === 'cfg' && m.list?.some((x) => x.path === 'test'));
  }

  /** Reports ERROR nodes and MISSING ones (an absent `;` or `}` tree-sitter assumed). */
  findSyntaxErrors(root: Node): void {
    forEachNode(
      root,
      (node) => {
        if (this.syntaxDiags >= MAX_SYNTAX_DIAGS) return false;
        if (node.type === 'ERROR') {
          this.syntaxDiags++;
          const snippet = node.text.trim().split('\n')[0]!.slice(0, 60);
          this.report('error', 'rust-syntax', `Rust syntax error near \`${snippet}\`.`, node);
          return false;
        }
        if (node.isMissing) {
          this.syntaxDiags++;
          this.report('error', 'rust-syntax', `Missing \`${node.type}\`.`, node);
          return false;
        }
        return node.hasError;
      },
      allChildren,
    );
  }

  private readStruct(node: Node): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const lead = leadingAttrs(node, this.src);
    const s: ModelStruct = {
      name,
      derives: derivesOf(lead.metas),
      tableInferred: false,
      belongsTo: [],
      checkForBackend: [],
      fields: [],
      tuple: false,
      span: this.span(lead.start, node.endIndex),
    };
    const vis = visibilityOf(node);
    if (vis) s.visibility = vis;
    const generics = node.childForFieldName('type_parameters');
    if (generics) s.generics = normalizeType(generics.text);
    if (lead.doc) s.doc = lead.doc;
    if (lead.texts.length) s.attributes = lead.texts;
    applyDieselAttrs(s, lead.metas);
    if (!s.tableName && s.derives.some((d) => DIESEL_DERIVES.has(d))) {
      s.tableName = inferTableName(name);
      s.tableInferred = true;
    }
    const body = node.childForFieldName('body');
    if (body?.type === 'field_declaration_list') {
      for (const f of body.namedChildren) if (f?.type === 'field_declaration') s.fields.push(this.readField(f));
    } else if (body?.type === 'ordered_field_declaration_list') {
      s.tuple = true;
      s.fields = this.readTupleFields(body);
    }
    this.info.structs.push(s);
  }

  private readField(node: Node): StructField {
    const lead = leadingAttrs(node, this.src);
    const field: StructField = {
      name: node.childForFieldName('name')?.text ?? '',
      type: normalizeType(node.childForFieldName('type')?.text ?? ''),
      attributes: lead.texts,
    };
    const vis = visibilityOf(node);
    if (vis) field.visibility = vis;
    if (lead.doc) field.doc = lead.doc;
    applyFieldAttrs(field, lead.metas);
    return field;
  }

  /** Tuple struct fields: `(pub i32, #[diesel(sql_type = Text)] String)`. */
  private readTupleFields(body: Node): StructField[] {
    const fields: StructField[] = [];
    let attrs: Node[] = [];
    let vis: string | undefined;
    for (const c of body.namedChildren) {
      if (!c) continue;
      if (c.type === 'attribute_item') attrs.push(c);
      else if (c.type === 'visibility_modifier') vis = c.text;
      else if (c.type === 'line_comment' || c.type === 'block_comment') continue;
      else {
        const metas = attrs.map((a) => readAttributeItem(a, this.src));
        const field: StructField = { name: String(fields.length), type: normalizeType(c.text), attributes: metas.map((m) => m.text) };
        if (vis) field.visibility = vis;
        applyFieldAttrs(field, metas);
        fields.push(field);
        attrs = [];
        vis = undefined;
      }
    }
    return fields;
  }

  private readEnum(node: Node): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const lead = leadingAttrs(node, this.src);
    const body = node.childForFieldName('body');
    const variants: string[] = [];
    for (const v of body?.namedChildren ?? []) {
      const vn = v?.type === 'enum_variant' ? v.childForFieldName('name')?.text : undefined;
      if (vn) variants.push(vn);
    }
    const e: RustEnum = { name, variants, derives: derivesOf(lead.metas), span: this.span(lead.start, node.endIndex) };
    const vis = visibilityOf(node);
    if (vis) e.visibility = vis;
    if (lead.texts.length) e.attributes = lead.texts;
    if (lead.doc) e.doc = lead.doc;
    this.info.enums.push(e);
  }

  private readImpl(node: Node): void {
    const typeNode = node.childForFieldName('type');
    if (!typeNode) return;
    const lead = leadingAttrs(node, this.src);
    const base = typeNode.type === 'generic_type' ? (typeNode.childForFieldName('type') ?? typeNode) : typeNode;
    const block: ImplBlock = { typeName: normalizeType(base.text), functions: [], span: this.span(lead.start, node.endIndex) };
    const trait = node.childForFieldName('trait');
    if (trait) block.trait = normalizeType(trait.text);
    const generics = node.childForFieldName('type_parameters');
    if (generics) block.generics = normalizeType(generics.text);
    const body = node.childForFieldName('body');
    for (const c of body?.namedChildren ?? []) {
      if (c?.type === 'function_item' || c?.type === 'function_signature_item') block.functions.push(this.readFn(c));
    }
    this.info.impls.push(block);
  }

  private readFn(node: Node): FnSig {
    const lead = leadingAttrs(node, this.src);
    const body = node.childForFieldName('body');
    const sigEnd = body ? body.startIndex : node.endIndex;
    const signature = normalizeSignature(this.src.slice(node.startIndex, sigEnd));
    const fn: FnSig = {
      name: node.childForFieldName('name')?.text ?? '',
      isAsync: false,
      params: [],
      signature,
      hasBody: body !== null,
      span: this.span(lead.start, node.endIndex),
    };
    const vis = visibilityOf(node);
    if (vis) fn.visibility = vis;
    for (const c of node.children) if (c?.type === 'function_modifiers' && /\basync\b/.test(c.text)) fn.isAsync = true;
    const generics = node.childForFieldName('type_parameters');
    if (generics) fn.generics = normalizeType(generics.text);
    const ret = node.childForFieldName('return_type');
    if (ret) fn.returnType = normalizeType(ret.text);
    if (lead.texts.length) fn.attributes = lead.texts;
    if (lead.doc) fn.doc = lead.doc;
    const params = node.childForFieldName('parameters');
    for (const p of params?.namedChildren ?? []) {
      if (!p) continue;
      if (p.type === 'self_parameter') fn.selfParam = normalizeType(p.text);
      else if (p.type === 'parameter') {
        // `mut` is a sibling of the pattern in tree-sitter: take everything before the `:`.
        const type = p.childForFieldName('type');
        const head = type ? this.src.slice(p.startIndex, type.startIndex).replace(/:\s*$/, '') : (p.childForFieldName('pattern')?.text ?? '');
        const param: FnParam = { pattern: collapse(head), type: normalizeType(type?.text ?? '') };
        fn.params.push(param);
      }
    }
    return fn;
  }

  private readUse(node: Node): void {
    const arg = node.childForFieldName('argument');
    if (!arg) return;
    const decl: UseDecl = { path: normalizeUsePath(arg.text), text: node.text, span: this.span(node.startIndex, node.endIndex), items: expandUse(arg, '') };
    const vis = visibilityOf(node);
    if (vis) decl.visibility = vis;
    this.info.uses.push(decl);
  }
}

function visibilityOf(node: Node): string | undefined {
  for (const c of node.children) if (c?.type === 'visibility_modifier') return collapse(c.text);
  return undefined;
}

function derivesOf(metas: readonly Meta[]): string[] {
  const out: string[] = [];
  for (const m of effectiveMetas(metas)) if (m.path === 'derive') for (const d of m.list ?? []) if (d.path) out.push(lastSegment(d.path));
  return out;
}

/** `true`, `"true"` (Diesel 1.x quotes every value). */
const truthy = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : v.replace(/"/g, '') === 'true');

/** Reads `#[diesel(...)]` (2.x) and the loose 1.x attributes into the model. */
function applyDieselAttrs(s: ModelStruct, metas: readonly Meta[]): void {
  const items: Meta[] = [];
  for (const m of effectiveMetas(metas)) {
    if (m.path === 'diesel') items.push(...(m.list ?? []));
    else if (m.path === 'changeset_options') items.push(...(m.list ?? []));
    else items.push(m);
  }
  for (const m of items) {
    switch (m.path) {
      case 'table_name':
        if (m.value) s.tableName = lastSegment(m.value);
        break;
      case 'primary_key':
        if (m.list) s.primaryKey = m.list.map((k) => k.path || k.text).filter(Boolean);
        break;
      case 'belongs_to': {
        const parent = m.list?.[0];
        if (!parent?.path) break;
        const rel: ModelStruct['belongsTo'][number] = { parent: parent.path };
        const fk = m.list?.find((x) => x.path === 'foreign_key')?.value;
        if (fk) rel.foreignKey = fk;
        s.belongsTo.push(rel);
        break;
      }
      case 'check_for_backend':
        for (const b of m.list ?? []) if (b.path) s.checkForBackend.push(b.path);
        break;
      case 'treat_none_as_null': {
        const v = truthy(m.value);
        if (v !== undefined) s.treatNoneAsNull = v;
        break;
      }
      default:
        break;
    }
  }
}

function applyFieldAttrs(f: StructField, metas: readonly Meta[]): void {
  for (const m of effectiveMetas(metas)) {
    const items = m.path === 'diesel' ? (m.list ?? []) : [m];
    for (const x of items) {
      if (x.path === 'column_name' && x.value) f.columnName = x.value;
      else if (x.path === 'sql_type' && x.value) f.sqlType = x.value.replace(/\s+/g, '');
    }
  }
}

function normalizeSignature(text: string): string {
  return collapse(text)
    .replace(/\(\s+/g, '(')
    .replace(/,\s+\)/g, ')')
    .replace(/\s+\)/g, ')')
    .replace(/<\s+/g, '<')
    .replace(/,\s*>/g, '>')
    .replace(/\s+>/g, '>')
    .trim();
}

function normalizeUsePath(text: string): string {
  return collapse(text)
    .replace(/\{\s+/g, '{')
    .replace(/,?\s*\}/g, '}')
    .replace(/\s*::\s*/g, '::');
}

/** Spells out every path a `use` imports; `self` inside a group means the group's prefix. */
function expandUse(node: Node, prefix: string): string[] {
  const join = (p: string, s: string): string => (p ? `${p}::${s}` : s);
  switch (node.type) {
    case 'use_list': {
      const out: string[] = [];
      for (const c of node.namedChildren) if (c && c.type !== 'line_comment' && c.type !== 'block_comment') out.push(...expandUse(c, prefix));
      return out;
    }
    case 'scoped_use_list': {
      const path = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      const p = path ? join(prefix, normalizeUsePath(path.text)) : prefix;
      return list ? expandUse(list, p) : [];
    }
    case 'use_as_clause': {
      const path = node.childForFieldName('path');
      const alias = node.childForFieldName('alias');
      if (!path) return [];
      const p = path.text === 'self' ? prefix || 'self' : join(prefix, normalizeUsePath(path.text));
      return [`${p} as ${alias?.text ?? '_'}`];
    }
    case 'use_wildcard':
      return [join(prefix, normalizeUsePath(node.text))];
    case 'self':
      return [prefix || 'self'];
    default:
      return [join(prefix, normalizeUsePath(node.text))];
  }
}

/**
 * Reads the items of one Rust file: structs (with Diesel attributes of both major versions),
 * enums, impl blocks, free functions, `use` and `mod x;` declarations. Never throws on bad
 * Rust; tree-sitter recovers and syntax errors come back as diagnostics with lines.
 * Needs `await initRustParser()` first.
 */
export function parseRustFile(text: string, file?: string): RustFileInfo {
  return cachedParse('rust-file', file, text, () => {
    const reader = new FileReader(text, file);
    readOrSkipDeep(
      file,
      () =>
        withRustTree(text, (tree) => {
          reader.readItems(tree.rootNode, true);
          reader.findSyntaxErrors(tree.rootNode);
        }),
      (d) => reader.info.diagnostics.push(d),
    );
    return reader.info;
  });
}
