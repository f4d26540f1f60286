// Constrained decoding for the modes whose answer is one Rust function: a GBNF grammar (llama.cpp's
// `grammar` field) that admits exactly one ```rust block holding one `fn` item — doc comments and
// attributes first, braces balanced, nothing after the closing fence. A small model then cannot
// answer with prose, repeat the instructions or start a second example; whether the function is
// right is still for post-processing and validation to say.

export const ONE_FN_GRAMMAR = String.raw`root ::= "` + '```' + String.raw`rust\n" lead* vis? qual* "fn " ident sig "{" body "}" "\n` + '```' + String.raw`"
lead ::= ("///" [^\n]* "\n") | ("#[" [^\n]* "\n")
vis ::= "pub" ("(" [a-z]+ ")")? " "
qual ::= "async " | "const " | "unsafe "
ident ::= [a-zA-Z_] [a-zA-Z0-9_]*
sig ::= [^{;]*
body ::= ([^{}] | "{" body "}")*
`;
