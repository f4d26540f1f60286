import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../src/core/diagnostics';

type Ts = typeof TS;

/**
 * What makes a shared store module: it exports the provider component and the hook the views
 * call, the hook reads a context made with `createContext`, and it fails loudly outside the
 * provider (instead of handing views `undefined`).
 */
export function checkStore(ts: Ts, code: string, names: { provider: string; hook: string }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const exported = exportedValues(ts, code);
  for (const name of [names.provider, names.hook]) {
    if (!exported.has(name)) out.push(diag('error', 'store-missing-export', `The module must export \`${name}\` (views import \`${names.provider}\` and \`${names.hook}\` from it).`));
  }
  if (!/\bcreateContext\s*[<(]/.test(code)) out.push(diag('error', 'store-no-context', 'Share the store through a context: `const Ctx = createContext<Store>()`, provided by the provider component.'));
  if (!/\buseContext\s*\(/.test(code)) out.push(diag('error', 'store-no-use-context', `\`${names.hook}()\` must read the context with \`useContext(…)\`.`));
  if (!/\bthrow\s+new\s+Error\s*\(/.test(code)) out.push(diag('error', 'store-no-guard', `\`${names.hook}()\` must throw a clear Error when it is used outside <${names.provider}>.`));
  if (!/\.Provider\b/.test(code)) out.push(diag('error', 'store-no-provider', `<${names.provider}> must render \`<Ctx.Provider value={store}>{props.children}</Ctx.Provider>\`.`));
  return out;
}

/** Names a TSX module exports as values (functions, consts, `export { … }`). */
function exportedValues(ts: Ts, code: string): Set<string> {
  const sf = ts.createSourceFile('store.tsx', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const out = new Set<string>();
  const isExported = (n: TS.Node): boolean => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name && isExported(s)) out.add(s.name.text);
    if (ts.isVariableStatement(s) && isExported(s)) for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) out.add(d.name.text);
    if (ts.isExportDeclaration(s) && !s.isTypeOnly && s.exportClause && ts.isNamedExports(s.exportClause)) for (const e of s.exportClause.elements) out.add(e.name.text);
  }
  return out;
}
