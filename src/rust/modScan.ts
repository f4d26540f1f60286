/**
 * The top-level `mod x;` declarations of a Rust file, by a scan instead of a full parse (finding
 * a crate's files must not parse each of them): comments, strings and char literals are blanked
 * first, then braces are counted so that `mod a { mod b; }` is not taken for a top-level `b`.
 */
export function scanModDecls(text: string): string[] {
  const code = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|r(#*)"[\s\S]*?"\1|b?"(?:\\[\s\S]|[^"\\])*"|b?'(?:\\.|[^'\\\n])'/g, ' ');
  const out: string[] = [];
  let depth = 0;
  for (const m of code.matchAll(/[{}]|\bmod\s+(r#)?([A-Za-z_]\w*)\s*;/g)) {
    if (m[0] === '{') depth++;
    else if (m[0] === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) out.push(m[2]!);
  }
  return out;
}
