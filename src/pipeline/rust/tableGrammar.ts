// Constrained decoding for diesel-schema: a GBNF grammar that admits exactly one ```rust block
// holding one `diesel::table!` in the layout of the prompt's examples, with column types from the
// backend's list only (the list the prompt gives). A small model then cannot write SQL, prose, a
// struct or a second example after the block; names, keys and foreign keys are still validated.

const FENCE = '```';
const literal = (s: string): string => JSON.stringify(s);

/**
 * `sqlTypes`: the types a column may have (each also as `Nullable<…>`). `tableName`: the name the
 * table must have, when the request fixes it; otherwise any snake_case name.
 */
export function oneTableGrammar(sqlTypes: readonly string[], tableName?: string): string {
  if (!sqlTypes.length) throw new Error('oneTableGrammar needs at least one SQL type');
  if (tableName !== undefined && !/^[a-z][a-z0-9_]*$/.test(tableName)) throw new Error(`oneTableGrammar: "${tableName}" is not a snake_case table name`);
  return [
    String.raw`root ::= "${FENCE}rust\ndiesel::table! {\n    " table " (" ident (", " ident)* ") {\n" column+ "    }\n}\n${FENCE}"`,
    `table ::= ${tableName !== undefined ? literal(tableName) : 'ident'}`,
    String.raw`column ::= "        " ("r#")? ident " -> " type ",\n"`,
    String.raw`type ::= "Nullable<" base ">" | base`,
    `base ::= ${sqlTypes.map(literal).join(' | ')}`,
    'ident ::= [a-z_] [a-z0-9_]*',
    '',
  ].join('\n');
}
