import { codeOnly } from './imports';

/**
 * The table a generated query function is mainly about: the first table its code names, as
 * `orders::table`, `orders::dsl::…`, or a Diesel `insert_into` / `update` / `delete` target.
 * Undefined when the code names none (a glob `use …::dsl::*` style, or no query at all).
 */
export function mainTableOf(code: string): string | undefined {
  const m = /\b([a-z_][a-z0-9_]*)::(?:table\b|dsl::)/.exec(codeOnly(code));
  return m?.[1];
}

/**
 * A warning when a function added to `impl <Struct>` is mainly about another table than the
 * struct's own (e.g. `impl Show` gaining a function that loads `episodes`): it may belong in the
 * other model, and nothing else would flag it. Undefined when the tables agree or it can't tell.
 */
export function foreignTableWarning(code: string, typeName: string, ownTable: string): string | undefined {
  const main = mainTableOf(code);
  if (!main || main === ownTable) return undefined;
  return `it reads the ${main} table, not ${ownTable} (the table of ${typeName}); check that it belongs in impl ${typeName}`;
}
