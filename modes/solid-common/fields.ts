import type * as TS from 'typescript';

type Ts = typeof TS;

/** How one field of a request type is edited in a form (decided here, not by the model). */
export type InputKind = 'number' | 'money' | 'text' | 'email' | 'textarea' | 'date' | 'datetime' | 'checkbox' | 'select' | 'none';

export interface FormField {
  name: string;
  /** TypeScript type text as types.ts writes it (`string | null`). */
  ts: string;
  /** `?:` in the interface (`#[serde(default)]` or an `Option` that may be left out). */
  optional: boolean;
  nullable: boolean;
  kind: InputKind;
  /** Literal options of a string union (`select`). */
  options: string[];
  /** The value a new form starts with, as TypeScript source. */
  initial: string;
}

/** The fields of `export interface Name { … }` in types.ts; undefined when Name is not an interface. */
export function readFields(ts: Ts, typesText: string, name: string): FormField[] | undefined {
  const sf = ts.createSourceFile('types.ts', typesText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const aliases = new Map<string, TS.TypeNode>();
  let decl: TS.InterfaceDeclaration | undefined;
  for (const st of sf.statements) {
    if (ts.isTypeAliasDeclaration(st)) aliases.set(st.name.text, st.type);
    if (ts.isInterfaceDeclaration(st) && st.name.text === name) decl = st;
  }
  if (!decl) return undefined;
  const fields: FormField[] = [];
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const fieldName = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(sf);
    const parts = ts.isUnionTypeNode(m.type) ? [...m.type.types] : [m.type];
    const nullable = parts.some((p) => p.kind === ts.SyntaxKind.LiteralType && (p as TS.LiteralTypeNode).literal.kind === ts.SyntaxKind.NullKeyword);
    const core = parts.filter((p) => !(p.kind === ts.SyntaxKind.LiteralType && (p as TS.LiteralTypeNode).literal.kind === ts.SyntaxKind.NullKeyword));
    const { kind, options } = kindOf(ts, fieldName, core, aliases);
    fields.push({ name: fieldName, ts: m.type.getText(sf), optional: !!m.questionToken, nullable, kind, options, initial: initialValue(kind, nullable, options, core.map((c) => c.getText(sf)).join(' | ')) });
  }
  return fields;
}

/** String literals of a union (`'new' | 'baked'`), following one alias; undefined when it is not one. */
function stringLiterals(ts: Ts, nodes: readonly TS.TypeNode[], aliases: ReadonlyMap<string, TS.TypeNode>): string[] | undefined {
  const flat: TS.TypeNode[] = [];
  for (const n of nodes) {
    const target = ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName) ? aliases.get(n.typeName.text) : undefined;
    if (target) flat.push(...(ts.isUnionTypeNode(target) ? target.types : [target]));
    else flat.push(n);
  }
  const out: string[] = [];
  for (const n of flat) {
    if (!ts.isLiteralTypeNode(n) || !ts.isStringLiteral(n.literal)) return undefined;
    out.push(n.literal.text);
  }
  return out.length ? out : undefined;
}

function kindOf(ts: Ts, name: string, core: readonly TS.TypeNode[], aliases: ReadonlyMap<string, TS.TypeNode>): { kind: InputKind; options: string[] } {
  const only = core.length === 1 ? core[0]! : undefined;
  if (only?.kind === ts.SyntaxKind.NumberKeyword) return { kind: /_cents$/.test(name) ? 'money' : 'number', options: [] };
  if (only?.kind === ts.SyntaxKind.BooleanKeyword) return { kind: 'checkbox', options: [] };
  if (only?.kind === ts.SyntaxKind.StringKeyword) {
    if (/(^|_)(at|time|timestamp)$/.test(name)) return { kind: 'datetime', options: [] };
    if (/(^|_)(on|date|day|birthday)$/.test(name)) return { kind: 'date', options: [] };
    if (/(^|_)email$/.test(name)) return { kind: 'email', options: [] };
    if (/(^|_)(notes?|description|comment|message|body|text)$/.test(name)) return { kind: 'textarea', options: [] };
    return { kind: 'text', options: [] };
  }
  const literals = stringLiterals(ts, core, aliases);
  if (literals) return { kind: 'select', options: literals };
  return { kind: 'none', options: [] };
}

function initialValue(kind: InputKind, nullable: boolean, options: readonly string[], tsText: string): string {
  if (nullable && kind !== 'checkbox') return 'null';
  switch (kind) {
    case 'number':
    case 'money':
      return '0';
    case 'checkbox':
      return 'false';
    case 'select':
      return `'${options[0]!}'`;
    case 'none':
      // Lists and records start empty; anything else has no sensible blank value.
      return /\[\]$|^Array</.test(tsText) ? '[]' : /^Record</.test(tsText) ? '{}' : 'undefined';
    default:
      return "''";
  }
}

/** A field the user must fill in: neither optional nor nullable, and not a checkbox (false is an answer). */
export const isRequired = (f: FormField): boolean => !f.optional && !f.nullable && f.kind !== 'checkbox' && f.kind !== 'none';

const INPUT_HINT: Record<InputKind, string> = {
  number: '<input type="number">, setForm(field, e.currentTarget.valueAsNumber)',
  money: 'money in cents: <input type="number" step="0.01"> showing cents / 100, setForm(field, Math.round(e.currentTarget.valueAsNumber * 100))',
  text: '<input>',
  email: '<input type="email">',
  textarea: '<textarea>',
  date: '<input type="date">',
  datetime: '<input type="datetime-local">, value.slice(0, 16) shown, `${value}:00` sent',
  checkbox: '<input type="checkbox" class="checkbox">, checked + onChange',
  select: '<select> with the options',
  none: 'no input: keep the initial value',
};

/** Context lines for the prompt: one per field, then the store's initial value. */
export function fieldNotes(typeName: string, fields: readonly FormField[]): string[] {
  const lines = fields.map((f) => {
    const req = isRequired(f) ? 'required' : f.nullable ? 'optional, empty → null' : 'optional';
    const opts = f.kind === 'select' ? ` (${f.options.map((o) => `'${o}'`).join(', ')})` : '';
    return `field ${f.name}: ${f.ts}, ${req} → ${INPUT_HINT[f.kind]}${opts}`;
  });
  const initial = fields.filter((f) => f.kind !== 'none' || !f.optional).map((f) => `${f.name}: ${f.initial}`);
  return [...lines, `form store: createStore<${typeName}>({ ${initial.join(', ')} })`];
}
