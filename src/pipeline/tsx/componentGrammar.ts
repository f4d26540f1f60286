// Constrained decoding for the Solid component modes: a GBNF grammar that admits exactly one
// ```tsx block holding import lines and one `export default function <Name>(…) { … }` with
// balanced braces, nothing after it. The name is fixed by the mode (the file's component), so the
// model can neither rename it nor add a React-style second component, prose or another example.
// Whether the component is right is still for the real checks (tsc, eslint-plugin-solid, classes).

const FENCE = '```';

export function oneComponentGrammar(component: string): string {
  if (!/^[A-Z][A-Za-z0-9_]*$/.test(component)) throw new Error(`oneComponentGrammar: "${component}" is not a component name`);
  return [
    String.raw`root ::= "${FENCE}tsx\n" (import | "\n" import)* "\n"? "export default function ${component}(" params ") {" body "}\n${FENCE}"`,
    String.raw`import ::= "import " [^\n]+ "\n"`,
    // Props may have an inline type: `props: { product: Product; onSave: () => void }`.
    String.raw`params ::= ([^(){}] | "(" params ")" | "{" params "}")*`,
    String.raw`body ::= ([^{}] | "{" body "}")*`,
    '',
  ].join('\n');
}

/**
 * The component name when `source` has the shape the grammar admits (imports, then one default-
 * exported function that ends the file), else undefined: a file with helpers or several
 * components is restyled without the grammar rather than forced into a shape it does not have.
 */
export function singleComponentName(source: string): string | undefined {
  const m = /^(?:\s*import [^\n]+\n)*\s*export default function ([A-Z][A-Za-z0-9_]*)\(/.exec(source);
  if (!m) return undefined;
  const rest = source.slice(m[0].length);
  // Nothing else at the top level: after the signature's line, the only line starting in column 0
  // is the closing brace at the end.
  const topLevel = rest.split('\n').slice(1).filter((l) => /^\S/.test(l));
  return topLevel.length === 1 && topLevel[0]!.trimEnd() === '}' && rest.trimEnd().endsWith('}') ? m[1] : undefined;
}
