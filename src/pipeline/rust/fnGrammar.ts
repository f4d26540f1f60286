// Constrained decoding for the modes whose answer is one Rust function: a GBNF grammar (llama.cpp's
// `grammar` field) that admits exactly one ```rust block holding one `fn` item — doc comments and
// attributes first, braces balanced, nothing after the closing fence. A small model then cannot
// answer with prose, repeat the instructions or start a second example; whether the function is
// right is still for post-processing and validation to say.

/**
 * One fenced `fn` item; `name` fixes the function's name when the mode has decided it. `lead`, when
 * given, is exactly what stands before the item (the planned route attribute line, or nothing):
 * free doc and attribute lines let a small model loop on `///` until the token cap.
 */
export function oneFnGrammar(name?: string, lead?: string): string {
  if (name !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`oneFnGrammar: "${name}" is not a Rust identifier`);
  if (lead !== undefined && lead !== '' && !/^(#\[[^\n]*\]\n)+$/.test(lead)) throw new Error(`oneFnGrammar: the lead must be attribute lines, not ${JSON.stringify(lead)}`);
  const leading = lead === undefined ? 'lead* ' : lead === '' ? '' : `${JSON.stringify(lead)} `;
  return String.raw`root ::= "` + '```' + String.raw`rust\n" ${leading}vis? qual* "fn " ${name !== undefined ? `"${name}"` : 'ident'} sig "{" body "}" "\n` + '```' + String.raw`"
lead ::= ("///" [^\n]* "\n") | ("#[" [^\n]* "\n")
vis ::= "pub" ("(" [a-z]+ ")")? " "
qual ::= "async " | "const " | "unsafe "
ident ::= [a-zA-Z_] [a-zA-Z0-9_]*
sig ::= [(<] [^{;]*
body ::= ([^{}] | "{" body "}")*
`;
}

export const ONE_FN_GRAMMAR = oneFnGrammar();
