import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';
import type { EditOp } from '../../domain';
import { onlyClassesChanged } from './classOnly';
import { parseTsx, syntaxErrors, diagnosticsSummary } from './syntax';

/**
 * The `setClasses` edit op: a restyle as class-attribute changes, not as a new file. The model's
 * restyled component is compared with the component it was shown; only changes of `class` /
 * `className` strings (and of the text parts of template literals whose expressions stay, and of
 * the class names of a `classList` whose conditions stay) become changes, each anchored to its element by syntax, so they apply to the file as it is when the
 * user accepts, keeping the user's formatting and edits. Any other change is refused, named.
 */

type Ts = typeof TS;
export type SetClassesOp = Extract<EditOp, { op: 'setClasses' }>;
export type ClassChange = SetClassesOp['changes'][number];
type ClassAttr = ClassChange['attr'];

const CLASS_ATTRS: readonly ClassAttr[] = ['class', 'className', 'classList'];

interface JsxEl {
  node: TS.JsxOpeningElement | TS.JsxSelfClosingElement;
  /** Enclosing declaration and JSX tag path: `OrderNote>Show>div>button`. */
  key: string;
  tag: string;
  owner: string;
}

/** Every JSX element (opening or self-closing) in document order, with its anchor key. */
function jsxElements(ts: Ts, sf: TS.SourceFile): JsxEl[] {
  const out: JsxEl[] = [];
  const visit = (n: TS.Node, owner: string, path: readonly string[]): void => {
    let o = owner;
    let p = path;
    const named = (ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isMethodDeclaration(n)) && n.name ? n.name.getText(sf) : ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) ? n.name.text : undefined;
    if (named !== undefined) {
      o = named;
      p = [];
    }
    if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n)) {
      const node = ts.isJsxElement(n) ? n.openingElement : n;
      const tag = node.tagName.getText(sf);
      p = [...p, tag];
      out.push({ node, key: [o, ...p].join('>'), tag, owner: o });
    } else if (ts.isJsxFragment(n)) p = [...p, '<>'];
    ts.forEachChild(n, (c) => visit(c, o, p));
  };
  visit(sf, '', []);
  return out;
}

function attrOf(ts: Ts, sf: TS.SourceFile, el: JsxEl, name: string): TS.JsxAttribute | undefined {
  return el.node.attributes.properties.find((a): a is TS.JsxAttribute => ts.isJsxAttribute(a) && a.name.getText(sf) === name);
}

/** The attribute's value as written (`"btn"`, `{`a ${b}`}`), '' for a bare attribute, null when absent. */
function valueOf(ts: Ts, sf: TS.SourceFile, el: JsxEl, name: string): string | null {
  const a = attrOf(ts, sf, el, name);
  return a ? (a.initializer?.getText(sf) ?? '') : null;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** What tells an element from its twins besides its classes: its other attributes and its own text. */
function signature(ts: Ts, sf: TS.SourceFile, el: JsxEl): string {
  const attrs = el.node.attributes.properties.filter((a) => !(ts.isJsxAttribute(a) && CLASS_ATTRS.includes(a.name.getText(sf) as ClassAttr))).map((a) => collapse(a.getText(sf)));
  const parent = el.node.parent;
  const text = ts.isJsxElement(parent) ? parent.children.filter((c) => ts.isJsxText(c)).map((c) => collapse(c.getText(sf))) : [];
  return [...attrs, ...text].filter(Boolean).join(' ');
}

/**
 * What a class value holds besides text: nothing for a string, the expressions of a template
 * literal, or undefined when it is other code (a call, a condition, a variable).
 */
function expressionsOf(ts: Ts, sf: TS.SourceFile, attr: TS.JsxAttribute | undefined): string[] | undefined {
  const init = attr?.initializer;
  if (!attr || ts.isStringLiteral(init ?? attr)) return [];
  if (!init || !ts.isJsxExpression(init) || !init.expression) return undefined;
  const e = init.expression;
  if (ts.isStringLiteralLike(e)) return [];
  if (ts.isTemplateExpression(e)) return e.templateSpans.map((s) => collapse(s.expression.getText(sf)));
  // classList={{ 'badge-success': ok() }}: the keys are class names, the values are code.
  if (attr.name.getText(sf) === 'classList' && ts.isObjectLiteralExpression(e) && e.properties.every((p) => ts.isPropertyAssignment(p) && (ts.isStringLiteralLike(p.name) || ts.isIdentifier(p.name)))) {
    return e.properties.map((p) => collapse((p as TS.PropertyAssignment).initializer.getText(sf)));
  }
  return undefined;
}

const lineOf = (sf: TS.SourceFile, n: TS.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;

/**
 * The class changes that turn `original` into `restyled`, or errors saying what else changed.
 * Whitespace and formatting of the answer are not changes: the user's file keeps its own.
 */
export function deriveClassChanges(ts: Ts, file: string, original: string, restyled: string): { changes: ClassChange[]; diagnostics: Diagnostic[] } {
  const sfB = parseTsx(ts, file, restyled);
  const broken = syntaxErrors(ts, sfB);
  if (broken.length) return { changes: [], diagnostics: [diag('error', 'parse-error', `The restyled component does not parse (${diagnosticsSummary(broken)}).`, { line: broken[0]!.line })] };
  const code = onlyClassesChanged(ts, original, restyled, file);
  if (code.length) return { changes: [], diagnostics: code };
  const sfA = parseTsx(ts, file, original);
  const a = jsxElements(ts, sfA);
  const b = jsxElements(ts, sfB);
  if (a.length !== b.length || a.some((el, i) => el.key !== b[i]!.key)) {
    return { changes: [], diagnostics: [diag('error', 'not-only-classes', 'Restyling may change only class attributes, but the elements changed. Keep every element as it is and change only the class strings.')] };
  }
  const changes: ClassChange[] = [];
  const diagnostics: Diagnostic[] = [];
  a.forEach((elA, i) => {
    const elB = b[i]!;
    const where = `<${elB.tag}> on line ${lineOf(sfB, elB.node)}`;
    for (const attr of CLASS_ATTRS) {
      const from = valueOf(ts, sfA, elA, attr);
      const to = valueOf(ts, sfB, elB, attr);
      if (from === to) continue;
      const attrA = attrOf(ts, sfA, elA, attr);
      const attrB = attrOf(ts, sfB, elB, attr);
      const exA = expressionsOf(ts, sfA, attrA);
      const exB = expressionsOf(ts, sfB, attrB);
      if (exA === undefined || exB === undefined) {
        if (exA === undefined && exB === undefined && collapse(from ?? '') === collapse(to ?? '')) continue;
        diagnostics.push(diag('error', 'not-only-classes', `Restyling may change only class strings, but the \`${attr}\` of the ${where} is code (\`${collapse((exA === undefined ? from : to) ?? '')}\`) and it changed. Keep it as it is, or change only a plain string or the text of a template literal.`, { line: lineOf(sfB, elB.node) }));
        continue;
      }
      if (exA.join('\u0000') !== exB.join('\u0000')) {
        const parts = attr === 'classList' ? 'condition of the `classList`' : `\`\${…}\` of the \`${attr}\``;
        diagnostics.push(diag('error', 'not-only-classes', `Restyling may change only class strings, but the expressions inside the \`${attr}\` of the ${where} changed (\`${exA.join(', ') || 'none'}\` → \`${exB.join(', ') || 'none'}\`). Keep every ${parts} as it is.`, { line: lineOf(sfB, elB.node) }));
        continue;
      }
      const sig = signature(ts, sfA, elA);
      const alike = a.filter((x) => x.key === elA.key && valueOf(ts, sfA, x, attr) === from).length;
      const nth = a.slice(0, i).filter((x) => x.key === elA.key && valueOf(ts, sfA, x, attr) === from && signature(ts, sfA, x) === sig).length;
      let after: string | null = null;
      if (from === null && attrB) {
        const props = elB.node.attributes.properties;
        const prev = props[props.indexOf(attrB) - 1];
        after = prev && ts.isJsxAttribute(prev) ? prev.name.getText(sfB) : null;
      }
      changes.push({ element: elA.key, sig, nth, alike, attr, from, to, after });
    }
  });
  return diagnostics.length ? { changes: [], diagnostics } : { changes, diagnostics };
}

/** Applies a `setClasses` op to the file's current text: every change found by its anchor, or an error naming the one that is not. */
export function applySetClasses(ts: Ts, file: string, text: string, op: SetClassesOp, ds: Diagnostic[]): string {
  const sf = parseTsx(ts, file, text);
  const broken = syntaxErrors(ts, sf);
  if (broken.length) {
    ds.push(diag('error', 'class-syntax', `The component does not parse (${diagnosticsSummary(broken)}): nocodo changes classes only in a file it can read.`));
    return text;
  }
  const els = jsxElements(ts, sf);
  const edits: { at: number; end: number; text: string }[] = [];
  const missing: string[] = [];
  for (const ch of op.changes) {
    const alike = els.filter((e) => e.key === ch.element && valueOf(ts, sf, e, ch.attr) === ch.from);
    const target = alike.filter((e) => signature(ts, sf, e) === ch.sig)[ch.nth] ?? (alike.length === 1 && ch.alike === 1 ? alike[0] : undefined);
    if (!target) {
      // Already restyled (the op applied before, or the user made the same change): nothing to do.
      if (els.some((e) => e.key === ch.element && valueOf(ts, sf, e, ch.attr) === ch.to)) continue;
      const [owner, ...path] = ch.element.split('>');
      missing.push(`the <${path[path.length - 1]}>${owner ? ` in ${owner}` : ''} with ${ch.from === null ? `no \`${ch.attr}\`` : `${ch.attr}=${ch.from}`}`);
      continue;
    }
    const attr = attrOf(ts, sf, target, ch.attr);
    if (attr && ch.to !== null) {
      const init = attr.initializer;
      if (init) edits.push({ at: init.getStart(sf), end: init.getEnd(), text: ch.to });
      else edits.push({ at: attr.getEnd(), end: attr.getEnd(), text: `=${ch.to}` });
    } else if (attr) edits.push({ at: attr.getFullStart(), end: attr.getEnd(), text: '' });
    else if (ch.to !== null) {
      const prev = ch.after === null ? undefined : attrOf(ts, sf, target, ch.after);
      const at = prev ? prev.getEnd() : (target.node.typeArguments?.end ?? target.node.tagName.getEnd());
      edits.push({ at, end: at, text: ` ${ch.attr}=${ch.to}` });
    }
  }
  if (missing.length) {
    ds.push(diag('error', 'class-anchor-missing', `The restyle no longer fits the file: ${missing.join('; ')} is no longer there.`));
    return text;
  }
  let out = text;
  for (const e of edits.sort((x, y) => y.at - x.at)) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}
