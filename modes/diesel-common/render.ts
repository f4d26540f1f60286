import type { FnSig, Joinable, ModelStruct, RustEnum, Table } from '../../src/rust';

/**
 * Compact, canonical Rust text of what the project declares, for prompts: `table!` blocks without
 * doc comments, structs with only their derive/diesel attributes, impls as signatures. Canonical
 * rendering keeps prompts small (crates.io's schema has a doc line per column) and uniform.
 */

const DIESEL_ATTR = /^(?:derive|diesel|table_name|primary_key|belongs_to|column_name|sql_type|changeset_options)\b/;

/** `diesel::table! { name (pk) { col -> Type, … } }`, optionally with `#[sql_name]`/`#[max_length]`. */
export function renderTable(t: Table, opts: { indent?: string } = {}): string {
  const ind = opts.indent ?? '';
  const lines = [`${ind}diesel::table! {`];
  for (const u of t.uses) lines.push(`${ind}    ${u}`);
  if (t.uses.length) lines.push('');
  if (t.sqlName) lines.push(`${ind}    #[sql_name = "${t.sqlName}"]`);
  const name = t.schema ? `${t.schema}.${t.name}` : t.name;
  lines.push(`${ind}    ${name} (${t.primaryKey.join(', ')}) {`);
  for (const c of t.columns) {
    if (c.sqlName) lines.push(`${ind}        #[sql_name = "${c.sqlName}"]`);
    if (c.maxLength !== undefined) lines.push(`${ind}        #[max_length = ${c.maxLength}]`);
    lines.push(`${ind}        ${c.name} -> ${c.sqlType},`);
  }
  lines.push(`${ind}    }`, `${ind}}`);
  return lines.join('\n');
}

export function renderJoinable(j: Joinable): string {
  return `diesel::joinable!(${j.child} -> ${j.parent} (${j.foreignKey}));`;
}

/** Splits at commas outside brackets and strings. */
function topLevelParts(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let inStr = false;
  for (const ch of text) {
    if (ch === '"') inStr = !inStr;
    if (!inStr && '([{'.includes(ch)) depth++;
    if (!inStr && ')]}'.includes(ch)) depth--;
    if (!inStr && depth === 0 && ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * `cfg_attr(feature = "full", derive(Queryable, Selectable))` → `derive(Queryable, Selectable)`: the
 * model must see the derives a feature turns on, or it never uses `as_select()`.
 */
export function unwrapCfgAttr(attr: string): string[] {
  const m = /^cfg_attr\s*\(([\s\S]*)\)$/.exec(attr.trim());
  if (!m) return [attr];
  return topLevelParts(m[1]!).slice(1).flatMap(unwrapCfgAttr);
}

/** A struct with its Diesel-relevant attributes and fields (docs and other attributes dropped). */
export function renderStruct(s: ModelStruct): string {
  const lines: string[] = [];
  for (const a of (s.attributes ?? []).flatMap(unwrapCfgAttr)) if (DIESEL_ATTR.test(a)) lines.push(`#[${a}]`);
  const vis = s.visibility ? `${s.visibility} ` : '';
  const head = `${vis}struct ${s.name}${s.generics ?? ''}`;
  if (s.tuple) {
    lines.push(`${head}(${s.fields.map((f) => `${f.visibility ? `${f.visibility} ` : ''}${f.type}`).join(', ')});`);
    return lines.join('\n');
  }
  lines.push(`${head} {`);
  for (const f of s.fields) {
    for (const a of f.attributes.flatMap(unwrapCfgAttr)) if (DIESEL_ATTR.test(a)) lines.push(`    #[${a}]`);
    lines.push(`    ${f.visibility ? `${f.visibility} ` : ''}${f.name}: ${f.type},`);
  }
  lines.push('}');
  return lines.join('\n');
}

export function renderEnum(e: RustEnum): string {
  const derives = e.derives.length ? `#[derive(${e.derives.join(', ')})]\n` : '';
  return `${derives}${e.visibility ? `${e.visibility} ` : ''}enum ${e.name} {\n${e.variants.map((v) => `    ${v},`).join('\n')}\n}`;
}

/** `impl X { sig; sig; }`: the existing functions as signatures, to show naming and parameter style. */
export function renderImplSignatures(typeName: string, fns: readonly FnSig[], max = 12): string {
  const shown = fns.filter((f) => f.name).slice(0, max);
  const more = fns.length > shown.length ? `\n    // … ${fns.length - shown.length} more` : '';
  return `impl ${typeName} {\n${shown.map((f) => `    ${f.signature};`).join('\n')}${more}\n}`;
}

/** Free query functions of a module as signatures: `// src/db/queries.rs` then `pub fn x(…) -> …;`. */
export function renderFreeSignatures(file: string, fns: readonly FnSig[], max = 12): string {
  const shown = fns.filter((f) => f.name).slice(0, max);
  const more = fns.length > shown.length ? `\n// … ${fns.length - shown.length} more` : '';
  return `// Free functions in ${file}\n${shown.map((f) => `${f.signature};`).join('\n')}${more}`;
}
