import * as path from 'node:path';
import type * as TS from 'typescript';
import { loadPackage } from './packages';

type Ts = typeof TS;

/** Names a module exports, split into values and type-only names. */
export interface ModuleExports {
  values: Set<string>;
  types: Set<string>;
}

const cache = new Map<string, Map<string, ModuleExports>>();

/**
 * What `solid-js`, `@solidjs/router`… export, read by the TypeScript checker from the project's
 * installed packages (so imports are re-injected with names the installed versions really have).
 */
export function packageExports(frontendAbs: string, specifiers: readonly string[]): Map<string, ModuleExports> {
  const key = `${frontendAbs}\n${specifiers.join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = new Map<string, ModuleExports>();
  const ts = loadPackage<Ts>(frontendAbs, 'typescript');
  if (!ts) return out;
  const probe = path.join(frontendAbs, 'src', '__nocodo_exports__.ts');
  const text = specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};\nexport { m${i} };`).join('\n');
  const options: TS.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.Preserve, jsxImportSource: 'solid-js', noEmit: true, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => path.resolve(f) === probe || fileExists.call(host, f);
  host.readFile = (f) => (path.resolve(f) === probe ? text : readFile.call(host, f));
  host.getSourceFile = (f, lang, onError, create) => (path.resolve(f) === probe ? ts.createSourceFile(f, text, lang, true) : getSourceFile.call(host, f, lang, onError, create));
  const program = ts.createProgram({ rootNames: [probe], options, host });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(probe);
  for (const stmt of sf?.statements ?? []) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    const sym = checker.getSymbolAtLocation(stmt.moduleSpecifier);
    if (!sym) continue;
    const ex: ModuleExports = { values: new Set(), types: new Set() };
    for (const e of checker.getExportsOfModule(sym)) {
      const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
      if (target.flags & ts.SymbolFlags.Value) ex.values.add(e.name);
      else ex.types.add(e.name);
    }
    out.set(stmt.moduleSpecifier.text, ex);
  }
  cache.set(key, out);
  return out;
}

/** Exports of a TypeScript text (the generated client.ts / types.ts), read from its syntax. */
export function textExports(ts: Ts, text: string): ModuleExports {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const ex: ModuleExports = { values: new Set(), types: new Set() };
  const exported = (n: TS.Node): boolean => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const s of sf.statements) {
    if (!exported(s)) continue;
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) ex.values.add(s.name.text);
    else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) ex.values.add(d.name.text);
    if ((ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name) ex.types.add(s.name.text);
    if (ts.isClassDeclaration(s) && s.name) ex.types.add(s.name.text);
  }
  return ex;
}
