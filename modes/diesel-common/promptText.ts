import type { FnSig, Table, UseDecl } from '../../src/rust';

/**
 * What the Diesel modes put in a prompt's Context, cut to what changes the code a model writes.
 * On a CPU every 500 prompt tokens cost seconds, so anything the answer cannot use is left out:
 * the `use diesel::sql_types::*;` lines inside `table!` blocks, `#[max_length]` (Diesel checks it
 * nowhere in a query), the file's imports of other crates, helper methods that never touch the
 * database. `sql_name` stays, as a short note: queries use the Rust name, but the model should
 * know the two differ.
 */

/** A `table!` block for the prompt (not for writing into a file: diesel-schema renders those). */
export function renderPromptTable(t: Table, opts: { columns?: ReadonlySet<string> } = {}): string {
  const lines = ['diesel::table! {'];
  // Custom SQL types (`use super::sql_types::Ltree;`) change the column types the model reads; Diesel's own glob does not.
  const uses = t.uses.filter((u) => !/^use\s+diesel::sql_types::/.test(u.trim()));
  for (const u of uses) lines.push(`    ${u}`);
  if (uses.length) lines.push('');
  const name = t.schema ? `${t.schema}.${t.name}` : t.name;
  lines.push(`    ${name} (${t.primaryKey.join(', ')}) {${t.sqlName ? ` // SQL name "${t.sqlName}"` : ''}`);
  const shown = opts.columns ? t.columns.filter((c) => opts.columns!.has(c.name)) : t.columns;
  for (const c of shown) lines.push(`        ${c.name} -> ${c.sqlType},${c.sqlName ? ` // SQL name "${c.sqlName}"` : ''}`);
  if (shown.length < t.columns.length) lines.push(`        // … ${t.columns.length - shown.length} more columns`);
  lines.push('    }', '}');
  return lines.join('\n');
}

/** Bound names of a `use` (`a::{B, c as D}` → B, D; a glob binds nothing we can see). */
function boundNames(u: UseDecl): string[] {
  return (u.items ?? [u.path]).map((p) => /(?:\bas\s+(\w+)|(\w+))\s*$/.exec(p)).map((m) => m?.[1] ?? m?.[2] ?? '').filter((n) => n && n !== 'self');
}

/**
 * The file's `use` lines the model can learn from: Diesel's, the schema's (they show the project's
 * `dsl` style), and those binding a name that the rest of the Context uses (`NaiveDateTime` in a
 * struct field). `use actix_web::…`, `use serde::…` and the like are left out: nocodo computes
 * the answer's imports itself.
 */
export function promptUses(uses: readonly UseDecl[], contextText: string): string[] {
  return uses
    .filter((u) => /^(?:::)?diesel(?:_async)?::|\bschema\b/.test(u.path) || boundNames(u).some((n) => /^[A-Z]/.test(n) && new RegExp(`\\b${n}\\b`).test(contextText)))
    .map((u) => u.text.trim());
}

const CONNECTION_PARAM = /\b(?:conn\w*|pool|db)\b|Connection|Conn\b|Pool\b|DbConn/i;
/** Return types that no query function has: a helper formats, checks or builds a value. */
const PLAIN_RETURN = /^(?:Self|String|&(?:'\w+\s+)?str|bool|char|[iu](?:8|16|32|64|128|size)|f(?:32|64)|(?:serde_json::)?Value|Vec<String>|Option<(?:String|&(?:'\w+\s+)?str|bool|[iu](?:8|16|32|64|size)|f(?:32|64))>|\(\))$/;

/**
 * A function worth showing as an example of the project's query style: it takes a connection or
 * a pool, or returns something other than a plain value (a `QueryResult`, a query fragment such
 * as `WithAuthorId<&Uuid>`). `fn full_name(&self) -> String` and `fn new(…) -> Self` are not.
 */
export function isQueryFunction(f: FnSig): boolean {
  if (f.attributes?.some((a) => /auto_type/.test(a))) return true;
  if (f.params.some((p) => CONNECTION_PARAM.test(`${p.pattern}: ${p.type}`))) return true;
  const ret = (f.returnType ?? '()').replace(/\s+/g, ' ').trim();
  return !PLAIN_RETURN.test(ret);
}
