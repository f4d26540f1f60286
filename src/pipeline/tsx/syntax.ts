import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';

type Ts = typeof TS;

export const scriptKindOf = (ts: Ts, file: string): TS.ScriptKind =>
  /\.tsx$/i.test(file) ? ts.ScriptKind.TSX : /\.jsx$/i.test(file) ? ts.ScriptKind.JSX : /\.[cm]?js$/i.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;

/** Parses a file as the TypeScript compiler would, with parent pointers (`getText` works). */
export function parseTsx(ts: Ts, file: string, text: string): TS.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(ts, file));
}

/**
 * The compiler's syntax errors in `sf`, through the public program API (no lib, no module
 * resolution: only this file is parsed, so it is cheap).
 */
export function syntaxErrors(ts: Ts, sf: TS.SourceFile): Diagnostic[] {
  const host: TS.CompilerHost = {
    getSourceFile: (f) => (f === sf.fileName ? sf : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => f === sf.fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({ rootNames: [sf.fileName], options: { noLib: true, noResolve: true, jsx: ts.JsxEmit.Preserve, allowJs: true, noEmit: true }, host });
  return program.getSyntacticDiagnostics(sf).map((d) => {
    const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : undefined;
    return diag('error', `ts${d.code}`, ts.flattenDiagnosticMessageText(d.messageText, '\n'), pos ? { line: pos.line + 1, column: pos.character + 1 } : {});
  });
}

/** "line 3: ')' expected." for the first few diagnostics, in a sentence. */
export const diagnosticsSummary = (errors: readonly Diagnostic[]): string =>
  errors
    .slice(0, 3)
    .map((d) => `${d.line ? `line ${d.line}: ` : ''}${d.message}`)
    .join('; ');
