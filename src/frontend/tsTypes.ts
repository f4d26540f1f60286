import { diag, type Diagnostic } from '../core/diagnostics';
import { baseName, parseRustType, rustTypeText, type RustTypeExpr } from './rustTypeExpr';
import { derivesDeserialize, derivesSerialize, type DirName, type SerdeAttrs, type SerdeField, type SerdeItem, type SerdeShape, type SerdeVariant } from './serdeItems';
import { renameField, renameVariant } from './serdeNames';

/** A Rust type the generator could not map: it became `unknown` with a comment naming it. */
export interface UnmappedType {
  rust: string;
  /** Where it was met: `Order.extra`, `GET /api/orders`. */
  where: string;
  reason: string;
}

const LISTS = new Set(['Vec', 'VecDeque', 'HashSet', 'BTreeSet', 'IndexSet', 'LinkedList', 'BinaryHeap', 'SmallVec']);
const MAPS = new Set(['HashMap', 'BTreeMap', 'IndexMap']);
const WRAPPERS = new Set(['Box', 'Rc', 'Arc', 'Cow', 'RefCell', 'Cell', 'Mutex', 'RwLock']);
const STRINGS = new Set(['String', 'str', 'char', 'PathBuf', 'Path', 'OsString', 'Url', 'IpAddr', 'Ipv4Addr', 'Ipv6Addr', 'SocketAddr', 'Email']);
/** chrono, time, uuid and decimal types: serde sends them as text (ISO 8601, hyphenated, decimal). */
const TEXT_VALUES = new Set(['NaiveDateTime', 'NaiveDate', 'NaiveTime', 'DateTime', 'Date', 'Time', 'OffsetDateTime', 'PrimitiveDateTime', 'Uuid', 'Decimal', 'BigDecimal']);
const SMALL_NUMBERS = new Set(['i8', 'i16', 'i32', 'u8', 'u16', 'u32', 'f32', 'f64', 'NonZeroU32', 'NonZeroI32']);
/** 64- and 128-bit integers: see INTEGER_RULE. */
const WIDE_NUMBERS = new Set(['i64', 'u64', 'i128', 'u128', 'isize', 'usize', 'NonZeroU64', 'NonZeroI64']);
const JSON_VALUES = new Set(['Value', 'JsonValue']);

/** The documented i64/u64 rule, written at the top of types.ts. */
export const INTEGER_RULE = [
  'Integers: i64, u64 (and i128, u128, isize, usize) are `number`, because serde_json sends them as',
  'JSON numbers; JavaScript reads them exactly up to 2^53 - 1 (ids, cents, counts fit). A field that',
  'serde sends as text (`#[serde(with = ...)]` / `serialize_with` naming `string`, `display` or',
  '`DisplayFromStr`) is `string`.',
];

const sendsAsText = (withs: readonly string[] | undefined): boolean => (withs ?? []).some((w) => /string|display/i.test(w));

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export const tsKey = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k));
const lit = (s: string): string => JSON.stringify(s);

/** Which way the JSON goes: responses are serialized by the server, request bodies deserialized. */
type Dir = 'ser' | 'de';
const dirOf = (item: SerdeItem): Dir => (derivesSerialize(item) || !derivesDeserialize(item) ? 'ser' : 'de');
const pick = (n: DirName | undefined, dir: Dir): string | undefined => (dir === 'ser' ? (n?.ser ?? n?.de) : (n?.de ?? n?.ser));

interface Where {
  generics: readonly string[];
  where: string;
  with?: readonly string[];
}

/**
 * Maps Rust types to TypeScript, emitting a declaration for every project type it meets (and the
 * types those use). Output order is by name, so the result does not depend on discovery order.
 */
export class TsTypeGen {
  private readonly byName = new Map<string, SerdeItem>();
  private readonly decls = new Map<string, string>();
  readonly unmapped: UnmappedType[] = [];
  readonly diagnostics: Diagnostic[] = [];

  constructor(items: readonly SerdeItem[]) {
    const sorted = [...items].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    for (const it of sorted) {
      const seen = this.byName.get(it.name);
      if (!seen) this.byName.set(it.name, it);
      else if (isSerde(it) && isSerde(seen)) {
        this.diagnostics.push(diag('warning', 'duplicate-type-name', `Two types are named \`${it.name}\` (${seen.file}:${seen.line} and ${it.file}:${it.line}); types.ts uses the first.`, { file: it.file, line: it.line }));
      }
    }
  }

  /** TypeScript for a Rust type written as text; `where` names the place for unmapped-type notes. */
  tsOfText(rust: string, where: string, generics: readonly string[] = []): string {
    return this.tsOf(parseRustType(rust), { generics, where });
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Every declaration emitted so far, sorted by name, blank line between. */
  declarations(): string[] {
    return [...this.decls.keys()].sort().map((k) => this.decls.get(k)!);
  }

  private unknown(rust: string, where: string, reason: string): string {
    if (!this.unmapped.some((u) => u.rust === rust && u.where === where)) this.unmapped.push({ rust, where, reason });
    return `unknown /* ${rust.replace(/\*\//g, '* /')}: ${reason} */`;
  }

  tsOf(t: RustTypeExpr, at: Where): string {
    switch (t.kind) {
      case 'unparsed':
        return this.unknown(t.text, at.where, 'type not understood');
      case 'ref':
        return this.tsOf(t.item, at);
      case 'array':
        return `${arrayItem(this.tsOf(t.item, { ...at, with: undefined }))}[]`;
      case 'tuple':
        return t.items.length === 0 ? 'null' : `[${t.items.map((x) => this.tsOf(x, at)).join(', ')}]`;
      case 'path':
        return this.tsOfPath(t, at);
    }
  }

  private tsOfPath(t: Extract<RustTypeExpr, { kind: 'path' }>, at: Where): string {
    const name = baseName(t)!;
    const arg = (i: number): RustTypeExpr | undefined => t.args[i];
    if (t.segments.length === 1 && at.generics.includes(name)) return name;
    if (name === 'Option' && arg(0)) {
      const inner = this.tsOf(arg(0)!, at);
      return inner.endsWith(' | null') || inner === 'null' ? inner : `${inner} | null`;
    }
    if (LISTS.has(name) && arg(0)) return `${arrayItem(this.tsOf(arg(0)!, { ...at, with: undefined }))}[]`;
    if (MAPS.has(name) && arg(1)) return `Record<string, ${this.tsOf(arg(1)!, { ...at, with: undefined })}>`;
    if (WRAPPERS.has(name) && t.args.length) return this.tsOf(t.args[t.args.length - 1]!, at);
    if (name === 'bool') return 'boolean';
    if (STRINGS.has(name) || TEXT_VALUES.has(name)) return 'string';
    if (SMALL_NUMBERS.has(name)) return sendsAsText(at.with) ? 'string' : 'number';
    if (WIDE_NUMBERS.has(name)) return sendsAsText(at.with) ? 'string' : 'number';
    if (JSON_VALUES.has(name) && (t.segments.length === 1 || t.segments.includes('serde_json'))) return 'unknown';
    const item = this.byName.get(name);
    if (item) {
      const declared = this.require(item);
      if (!declared) return this.unknown(rustTypeText(t), at.where, `\`${name}\` derives neither Serialize nor Deserialize`);
      const args = t.args.map((a) => this.tsOf(a, at));
      return args.length && item.generics.length ? `${name}<${args.slice(0, item.generics.length).join(', ')}>` : name;
    }
    return this.unknown(rustTypeText(t), at.where, 'no TypeScript mapping for this Rust type');
  }

  /** Emits the declaration of a project type once; false when it has no serde derives. */
  private require(item: SerdeItem): boolean {
    if (item.kind === 'alias') {
      if (!this.decls.has(item.name)) {
        this.decls.set(item.name, '');
        const params = item.generics.length ? `<${item.generics.join(', ')}>` : '';
        this.decls.set(item.name, `${docOf(item.doc)}export type ${item.name}${params} = ${this.tsOfText(item.type, item.name, item.generics)};`);
      }
      return true;
    }
    if (!isSerde(item)) {
      if (!this.diagnostics.some((d) => d.code === 'no-serde-derive' && d.message.includes(`\`${item.name}\``))) {
        this.diagnostics.push(
          diag('warning', 'no-serde-derive', `\`${item.name}\` is used by the API but derives neither Serialize nor Deserialize, so its JSON shape is unknown: add \`#[derive(Serialize)]\` (responses) or \`#[derive(Deserialize)]\` (request bodies). It is \`unknown\` in types.ts until then.`, { file: item.file, line: item.line }),
        );
      }
      return false;
    }
    if (this.decls.has(item.name)) return true;
    this.decls.set(item.name, ''); // placeholder: recursive types refer to themselves by name
    this.decls.set(item.name, item.kind === 'struct' ? this.structDecl(item) : this.enumDecl(item));
    return true;
  }

  private structDecl(item: Extract<SerdeItem, { kind: 'struct' }>): string {
    const dir = dirOf(item);
    const head = `${docOf(item.doc)}export type ${item.name}${params(item.generics)}`;
    const shape = item.shape;
    const live = shape.kind === 'unit' ? [] : shape.fields.filter((f) => !skipped(f.attrs, dir));
    if (shape.kind === 'unit') return `${head} = null;`;
    if (item.attrs.transparent || shape.kind === 'tuple') {
      const where = (f: SerdeField): Where => ({ generics: item.generics, where: `${item.name}.${f.name}`, ...(f.attrs.with ? { with: f.attrs.with } : {}) });
      if (item.attrs.transparent || live.length === 1) return `${head} = ${live[0] ? this.tsOf(parseRustType(live[0].type), where(live[0])) : 'null'};`;
      return `${head} = [${live.map((f) => this.tsOf(parseRustType(f.type), where(f))).join(', ')}];`;
    }
    const body = this.objectType(item, shape, pick(item.attrs.renameAll, dir), dir, '');
    const hasFlatten = live.some((f) => f.attrs.flatten);
    if (!hasFlatten) return `${docOf(item.doc)}export interface ${item.name}${params(item.generics)} ${body}`;
    return `${head} = ${body};`;
  }

  /** `{ a: T; b?: U }` for named fields, with flattened fields as `& Inner` after it. */
  private objectType(item: SerdeItem, shape: SerdeShape, rule: string | undefined, dir: Dir, indent: string, tagLine?: string): string {
    const lines: string[] = [];
    if (tagLine) lines.push(`${indent}  ${tagLine}`);
    const flattened: string[] = [];
    const containerDefault = item.attrs.default === true;
    for (const f of shape.kind === 'unit' ? [] : shape.fields) {
      if (skipped(f.attrs, dir)) continue;
      const where: Where = { generics: item.generics, where: `${item.name}.${f.name}`, ...(f.attrs.with ? { with: f.attrs.with } : {}) };
      const ts = this.tsOf(parseRustType(f.type), where);
      if (f.attrs.flatten) {
        flattened.push(ts.includes(' | ') ? `(${ts})` : ts);
        continue;
      }
      const key = pick(f.attrs.rename, dir) ?? renameField(f.name, rule);
      const isOption = baseName(parseRustType(f.type)) === 'Option';
      const optional = dir === 'ser' ? f.attrs.skipSerializingIf !== undefined : f.attrs.default === true || containerDefault || isOption;
      if (f.doc) lines.push(`${indent}  /** ${f.doc.replace(/\*\//g, '* /').replace(/\n/g, ' ')} */`);
      lines.push(`${indent}  ${tsKey(key)}${optional ? '?' : ''}: ${ts};`);
    }
    const obj = lines.length ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
    return [obj, ...flattened].join(' & ');
  }

  private enumDecl(item: Extract<SerdeItem, { kind: 'enum' }>): string {
    const dir = dirOf(item);
    const head = `${docOf(item.doc)}export type ${item.name}${params(item.generics)}`;
    const variants = item.variants.filter((v) => !skipped(v.attrs, dir));
    if (!variants.length) return `${head} = never;`;
    const { tag, content, untagged } = item.attrs;
    const members = variants.map((v) => {
      const name = pick(v.attrs.rename, dir) ?? renameVariant(v.name, pick(item.attrs.renameAll, dir));
      const rule = pick(v.attrs.renameAll, dir) ?? pick(item.attrs.renameAllFields, dir);
      const payload = (): string => this.variantPayload(item, v, rule, dir);
      if (untagged) return payload();
      if (tag !== undefined && content !== undefined) return v.shape.kind === 'unit' ? `{ ${tsKey(tag)}: ${lit(name)} }` : `{ ${tsKey(tag)}: ${lit(name)}; ${tsKey(content)}: ${payload()} }`;
      if (tag !== undefined) {
        if (v.shape.kind === 'named') return this.objectType(item, v.shape, rule, dir, '  ', `${tsKey(tag)}: ${lit(name)};`);
        if (v.shape.kind === 'unit') return `{ ${tsKey(tag)}: ${lit(name)} }`;
        if (v.shape.fields.length === 1) return `({ ${tsKey(tag)}: ${lit(name)} } & ${payload()})`;
        return this.unknown(`${item.name}::${v.name}`, item.name, 'serde cannot put a tuple variant in an internally tagged enum');
      }
      return v.shape.kind === 'unit' ? lit(name) : `{ ${tsKey(name)}: ${payload()} }`;
    });
    return `${head} =\n${members.map((m) => `  | ${m}`).join('\n')};`;
  }

  private variantPayload(item: SerdeItem, v: SerdeVariant, rule: string | undefined, dir: Dir): string {
    const shape = v.shape;
    if (shape.kind === 'unit') return 'null';
    if (shape.kind === 'named') return this.objectType(item, shape, rule, dir, '  ');
    const live = shape.fields.filter((f) => !skipped(f.attrs, dir));
    const ts = live.map((f) => this.tsOf(parseRustType(f.type), { generics: item.generics, where: `${item.name}::${v.name}`, ...(f.attrs.with ? { with: f.attrs.with } : {}) }));
    return ts.length === 1 ? ts[0]! : `[${ts.join(', ')}]`;
  }
}

function isSerde(item: SerdeItem): boolean {
  return item.kind === 'alias' || derivesSerialize(item) || derivesDeserialize(item);
}

function skipped(a: SerdeAttrs, dir: Dir): boolean {
  return a.skip === true || (dir === 'ser' && a.skipSerializing === true) || (dir === 'de' && a.skipDeserializing === true);
}

const params = (generics: readonly string[]): string => (generics.length ? `<${generics.join(', ')}>` : '');
const arrayItem = (ts: string): string => (/[ |&]/.test(ts) && !/^[A-Za-z_$][\w$]*<.*>$/.test(ts) ? `(${ts})` : ts);

function docOf(doc: string | undefined): string {
  if (!doc) return '';
  const lines = doc.replace(/\*\//g, '* /').split('\n');
  return lines.length === 1 ? `/** ${lines[0]} */\n` : `/**\n${lines.map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n`;
}
