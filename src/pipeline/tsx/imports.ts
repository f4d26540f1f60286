import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';
import type { ModuleExports } from './exports';

type Ts = typeof TS;

const byName = (a: string, b: string): number => a.localeCompare(b);

/** A module the component may import from, with what it exports. */
export interface ImportSource {
  /** Specifier as written in the component: `solid-js`, `../api/client`. */
  from: string;
  exports: ModuleExports;
  /** Names here are types only (`import type`). */
  typeOnly?: boolean;
}

export interface ReinjectResult {
  code: string;
  diagnostics: Diagnostic[];
}

/** Names the file declares itself (functions, variables, parameters, type names, import-less). */
function declaredNames(ts: Ts, sf: TS.SourceFile): Set<string> {
  const out = new Set<string>();
  const bind = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) out.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  const visit = (n: TS.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isEnumDeclaration(n)) && n.name) out.add(n.name.text);
    if (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) bind(n.name);
    if (ts.isTypeParameterDeclaration(n)) out.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Identifiers used as references (not property names, not object keys, not JSX attribute names). */
function referencedNames(ts: Ts, sf: TS.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (n: TS.Node): void => {
    if (ts.isImportDeclaration(n)) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isMemberName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isQualifiedName(p) && p.right === n);
      const isKey = (ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === n;
      const isAttr = ts.isJsxAttribute(p) && p.name === n;
      if (!isMemberName && !isKey && !isAttr) out.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * Drops the answer's own import lines and writes the imports the code needs, from the modules the
 * project really has (the installed solid-js and router, the generated API client and types).
 * A name the answer imported from the API client that the client lacks is reported by name.
 */
export function reinjectImports(ts: Ts, code: string, sources: readonly ImportSource[], clientFrom?: string): ReinjectResult {
  const sf = ts.createSourceFile('answer.tsx', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const diagnostics: Diagnostic[] = [];
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const keptSideEffects: string[] = [];
  for (const imp of imports) {
    const from = ts.isStringLiteral(imp.moduleSpecifier) ? imp.moduleSpecifier.text : '';
    if (/^react(-dom)?(\/|$)/.test(from)) {
      diagnostics.push(diag('error', 'react-import', `This is a Solid project: do not import from "${from}"; signals and effects come from "solid-js".`));
    }
    if (!imp.importClause) {
      if (/\.css$/.test(from)) keptSideEffects.push(imp.getText(sf));
      continue;
    }
    const named = imp.importClause.namedBindings && ts.isNamedImports(imp.importClause.namedBindings) ? imp.importClause.namedBindings.elements.map((e) => (e.propertyName ?? e.name).text) : [];
    const client = clientFrom ? sources.find((s) => s.from === clientFrom) : undefined;
    if (client && /(^|\/)api\/client$/.test(from)) {
      const missing = named.filter((n) => !client.exports.values.has(n) && !client.exports.types.has(n));
      if (missing.length) {
        diagnostics.push(diag('error', 'unknown-client-function', `The API client has no ${missing.map((m) => `\`${m}\``).join(', ')}; its functions are: ${[...client.exports.values].sort(byName).join(', ')}. Use one of them.`));
      }
    }
  }
  const body = imports.length ? code.slice(imports[imports.length - 1]!.getEnd()).replace(/^\s*\n/, '') : code;
  const declared = declaredNames(ts, sf);
  const used = referencedNames(ts, sf);
  const lines: string[] = [...keptSideEffects];
  const taken = new Set<string>();
  for (const src of sources) {
    const values = [...used].filter((n) => !declared.has(n) && !taken.has(n) && src.exports.values.has(n) && !src.typeOnly).sort(byName);
    const types = [...used].filter((n) => !declared.has(n) && !taken.has(n) && !values.includes(n) && (src.exports.types.has(n) || (src.typeOnly && src.exports.values.has(n)))).sort(byName);
    for (const n of [...values, ...types]) taken.add(n);
    if (values.length) lines.push(`import { ${[...values, ...types.map((t) => `type ${t}`)].join(', ')} } from '${src.from}';`);
    else if (types.length) lines.push(`import type { ${types.join(', ')} } from '${src.from}';`);
  }
  return { code: `${lines.length ? `${lines.join('\n')}\n\n` : ''}${body.trim()}\n`, diagnostics };
}
