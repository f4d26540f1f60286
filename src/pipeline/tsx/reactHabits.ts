import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';

type Ts = typeof TS;

const HOOKS: Record<string, string> = {
  useState: 'Solid has no `useState`: use `const [value, setValue] = createSignal(initial)` and read it as `value()`.',
  useEffect: 'Solid has no `useEffect`: use `createEffect(() => …)` (or `onMount` for code that runs once).',
  useLayoutEffect: 'Solid has no `useLayoutEffect`: use `onMount` or `createEffect`.',
  useMemo: 'Solid has no `useMemo`: use `createMemo(() => …)`.',
  useCallback: 'Solid needs no `useCallback`: components run once, so a plain function is stable.',
  useRef: 'Solid has no `useRef`: declare `let el!: HTMLInputElement` and pass `ref={el}`.',
  useReducer: 'Solid has no `useReducer`: use `createStore` or `createSignal`.',
};

/** Typing inputs where React's `onChange` is right but Solid's `onChange` only fires on blur. */
const TEXT_INPUTS = new Set(['input', 'textarea']);
const CHANGE_OK_TYPES = new Set(['checkbox', 'radio', 'file', 'color', 'range', 'date', 'datetime-local', 'time', 'month', 'week']);

/**
 * React idioms a small model copies into Solid code, each with the Solid way in the message:
 * `className`, `htmlFor`, hooks, imports from react, `onChange` on text inputs, `key` props.
 */
export function reactHabits(ts: Ts, file: string, text: string): Diagnostic[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: Diagnostic[] = [];
  const at = (node: TS.Node): { file: string; line: number; column: number } => {
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { file, line: p.line + 1, column: p.character + 1 };
  };
  const visit = (node: TS.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && /^react(-dom)?(\/|$)/.test(node.moduleSpecifier.text)) {
      out.push(diag('error', 'react-import', `This is a Solid project: do not import from "${node.moduleSpecifier.text}"; signals and effects come from "solid-js".`, at(node)));
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && HOOKS[node.expression.text]) {
      out.push(diag('error', 'react-hook', HOOKS[node.expression.text]!, at(node)));
    }
    if (ts.isJsxAttribute(node) && ts.isIdentifier(node.name)) {
      const name = node.name.text;
      if (name === 'className') out.push(diag('error', 'react-classname', 'Solid uses `class`, not `className`.', at(node)));
      else if (name === 'htmlFor') out.push(diag('error', 'react-htmlfor', 'Solid uses `for`, not `htmlFor`.', at(node)));
      else if (name === 'key') out.push(diag('warning', 'react-key', 'Solid needs no `key`: `<For each={…}>` tracks items itself.', at(node)));
      else if (name === 'onChange') {
        const el = node.parent.parent;
        const tag = ts.isJsxOpeningElement(el) || ts.isJsxSelfClosingElement(el) ? el.tagName.getText(sf) : '';
        const type = el && (ts.isJsxOpeningElement(el) || ts.isJsxSelfClosingElement(el)) ? attrText(ts, el, 'type') : undefined;
        if (TEXT_INPUTS.has(tag) && !(type && CHANGE_OK_TYPES.has(type))) {
          out.push(diag('error', 'react-onchange', `In Solid \`onChange\` on <${tag}> fires only when the field loses focus: use \`onInput={(e) => set…(e.currentTarget.value)}\`.`, at(node)));
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function attrText(ts: Ts, el: TS.JsxOpeningElement | TS.JsxSelfClosingElement, name: string): string | undefined {
  for (const a of el.attributes.properties) {
    if (ts.isJsxAttribute(a) && ts.isIdentifier(a.name) && a.name.text === name && a.initializer && ts.isStringLiteral(a.initializer)) return a.initializer.text;
  }
  return undefined;
}
