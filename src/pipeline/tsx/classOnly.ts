import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';
import { parseTsx } from './syntax';

type Ts = typeof TS;

const CLASS_ATTRS = new Set(['class', 'className', 'classList']);

/** The file's tokens with every class attribute (name, `=`, value) left out, each with its line. */
function tokensWithoutClasses(ts: Ts, text: string, file: string): { text: string; line: number }[] {
  const sf = parseTsx(ts, file, text);
  const skip: [number, number][] = [];
  const visit = (n: TS.Node): void => {
    if (ts.isJsxAttribute(n) && CLASS_ATTRS.has(n.name.getText(sf))) skip.push([n.getStart(sf), n.getEnd()]);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const out: { text: string; line: number }[] = [];
  // Tokens from the syntax tree's leaves: JSX text is one leaf, so a changed text node shows.
  const leaves = (n: TS.Node): void => {
    const start = n.getStart(sf);
    if (skip.some(([a, b]) => start >= a && n.getEnd() <= b)) return;
    const kids = n.getChildren(sf);
    if (!kids.length) {
      const t = n.getText(sf).trim().replace(/\s+/g, ' ');
      if (t) out.push({ text: t, line: sf.getLineAndCharacterOfPosition(start).line + 1 });
      return;
    }
    for (const k of kids) leaves(k);
  };
  leaves(sf);
  return out;
}

/**
 * The restyled file may differ from the original only in class attributes (`class`,
 * `className`, `classList`: changed, added or removed). Anything else is an error naming the
 * first line where the code itself changed.
 */
export function onlyClassesChanged(ts: Ts, original: string, proposed: string, file = 'component.tsx'): Diagnostic[] {
  const a = tokensWithoutClasses(ts, original, file);
  const b = tokensWithoutClasses(ts, proposed, file);
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i]!.text === b[i]!.text) i++;
  if (i === a.length && i === b.length) return [];
  const at = b[i] ?? b[b.length - 1];
  const what = a[i] && b[i] ? `\`${a[i]!.text}\` became \`${b[i]!.text}\`` : b[i] ? `\`${b[i]!.text}\` was added` : `\`${a[i]!.text}\` was removed`;
  return [diag('error', 'not-only-classes', `Restyling may change only class attributes, but the code changed: ${what}. Keep every element, attribute, text and line of code as it is and change only the class strings.`, at ? { line: at.line } : {})];
}
