import * as path from 'node:path';
import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';
import { frontendInstalled, loadPackage } from './packages';

/** A proposed TSX file inside a frontend project, plus other proposed files it may import. */
export interface TsxUnit {
  /** Absolute folder of the frontend (its package.json and tsconfig.json). */
  frontendAbs: string;
  /** Frontend-relative posix path: `src/pages/ProductList.tsx`. */
  file: string;
  text: string;
  /** Other proposed texts by frontend-relative path (e.g. freshly generated API files). */
  others?: ReadonlyMap<string, string>;
}

type Ts = typeof TS;

/** Parsed library and package files (lib.dom.d.ts, solid-js types…) kept between checks: parsing them is most of a check's time. */
const libraryFiles = new Map<string, TS.SourceFile>();
const isLibrary = (f: string): boolean => f.includes(`${path.sep}node_modules${path.sep}`) || f.includes('/node_modules/');

function optionsFor(ts: Ts, frontendAbs: string): TS.CompilerOptions {
  const configPath = ts.findConfigFile(frontendAbs, ts.sys.fileExists, 'tsconfig.json');
  const fallback: TS.CompilerOptions = { strict: true, jsx: ts.JsxEmit.Preserve, jsxImportSource: 'solid-js', module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true };
  if (!configPath || path.dirname(configPath) !== frontendAbs) return fallback;
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) return fallback;
  return { ...ts.parseJsonConfigFileContent(read.config, ts.sys, frontendAbs).options, noEmit: true };
}

/**
 * Type-checks one proposed file with the TypeScript compiler API, inside the project: its
 * tsconfig, its solid-js JSX types, its generated API types. Only the file's own errors count.
 */
export function typecheckTsx(unit: TsxUnit): Diagnostic[] {
  if (!frontendInstalled(unit.frontendAbs)) {
    return [diag('warning', 'frontend-not-installed', `The frontend's packages are not installed (no node_modules/solid-js in ${unit.frontendAbs}): run \`npm install\` there so the proposed code can be type-checked.`, { file: unit.file })];
  }
  const ts = loadPackage<Ts>(unit.frontendAbs, 'typescript');
  if (!ts) return [diag('warning', 'typescript-missing', 'TypeScript is not installed in the frontend or next to nocodo: the proposed code was not type-checked.', { file: unit.file })];
  const options = optionsFor(ts, unit.frontendAbs);
  const overlay = new Map<string, string>();
  const abs = path.resolve(unit.frontendAbs, unit.file);
  overlay.set(abs, unit.text);
  for (const [rel, text] of unit.others ?? []) overlay.set(path.resolve(unit.frontendAbs, rel), text);
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => overlay.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => overlay.get(path.resolve(f)) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = overlay.get(path.resolve(f));
    if (text !== undefined) return ts.createSourceFile(f, text, lang, true);
    if (!isLibrary(f)) return getSourceFile.call(host, f, lang, onError, create);
    const key = `${typeof lang === 'object' ? lang.languageVersion : lang}:${f}`;
    let sf = libraryFiles.get(key);
    if (!sf) {
      sf = getSourceFile.call(host, f, lang, onError, create);
      if (sf) libraryFiles.set(key, sf);
    }
    return sf;
  };
  const program = ts.createProgram({ rootNames: [abs], options, host });
  const sf = program.getSourceFile(abs);
  if (!sf) return [diag('error', 'ts-no-file', `TypeScript could not read ${unit.file}.`, { file: unit.file })];
  const found = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  return found.map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return diag('error', `ts${d.code}`, ts.flattenDiagnosticMessageText(d.messageText, '\n'), { file: unit.file, ...(pos ? { line: pos.line + 1, column: pos.character + 1 } : {}) });
  });
}
