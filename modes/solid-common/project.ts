import { posix } from 'node:path';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ProjectFs } from '../../src/core/projectFs';
import { findFrontendDir, generateApiFiles, type ApiEndpoint, type ApiFiles } from '../../src/frontend';
import { packageExports, textExports } from '../../src/pipeline/tsx/exports';
import { loadPackage } from '../../src/pipeline/tsx/packages';
import type { ImportSource } from '../../src/pipeline/tsx/imports';
import { loadProject } from '../../src/rust';

/** A Solid frontend next to an Actix backend, as the Solid modes see it. */
export interface SolidProject {
  fs: ProjectFs;
  /** Project-relative frontend folder (`frontend`). */
  frontendDir: string;
  /** Absolute frontend folder (the checks run the project's own TypeScript, eslint, Tailwind). */
  frontendAbs: string;
  /** types.ts and client.ts as the backend says they should be (proposed too when stale). */
  api: ApiFiles;
  /** The TypeScript compiler the frontend builds with (nocodo's own when it has none). */
  ts: typeof TS;
}

/** Opens the frontend of a project; a `.tsx` outside it, or no Solid frontend at all, is a clear error. */
export async function openSolidProject(fs: ProjectFs, file?: string): Promise<{ sp: SolidProject } | { diagnostics: Diagnostic[] }> {
  const project = await loadProject(fs);
  const frontendDir = await findFrontendDir(fs, project.crateDir);
  if (frontendDir === undefined) {
    return { diagnostics: [diag('error', 'no-solid-project', 'This project has no Solid frontend: no folder (frontend/, web/, ui/, …) has a package.json that depends on solid-js.')] };
  }
  if (file && /\.(tsx|jsx|ts)$/.test(file) && frontendDir && !file.startsWith(`${frontendDir}/`)) {
    return { diagnostics: [diag('error', 'outside-solid-project', `${file} is not inside the Solid project (${frontendDir}/): nocodo's Solid modes only work on files of a folder whose package.json uses solid-js.`, { file })] };
  }
  const frontendAbs = path.resolve(fs.root, frontendDir);
  const ts = loadPackage<typeof TS>(frontendAbs, 'typescript');
  if (!ts) return { diagnostics: [diag('error', 'typescript-missing', `TypeScript is not installed in ${frontendDir}/ (run \`npm install\` there): Solid code cannot be checked without it.`)] };
  const api = await generateApiFiles(fs, { frontendDir });
  return { sp: { fs, frontendDir, frontendAbs, api, ts } };
}

/** Frontend-relative path of a project-relative one (`frontend/src/x.tsx` → `src/x.tsx`). */
export const inFrontend = (sp: SolidProject, rel: string): string => (sp.frontendDir ? posix.relative(sp.frontendDir, rel) : rel);

/** The proposed API files, frontend-relative, so checks see the client the change set will have. */
export function apiOverlay(sp: SolidProject): Map<string, string> {
  return new Map([
    [inFrontend(sp, sp.api.typesPath), sp.api.types],
    [inFrontend(sp, sp.api.clientPath), sp.api.client],
  ]);
}

/** `../api/client` as seen from a component file (frontend-relative). */
export function relImport(fromFile: string, target: string): string {
  const rel = posix.relative(posix.dirname(fromFile), target.replace(/\.tsx?$/, ''));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Modules a component may import from, with the names each really exports. */
export function importSources(sp: SolidProject, componentFile: string): { sources: ImportSource[]; clientFrom: string } {
  const pkgs = packageExports(sp.frontendAbs, ['solid-js', 'solid-js/store', '@solidjs/router']);
  const clientFrom = relImport(componentFile, inFrontend(sp, sp.api.clientPath));
  const typesFrom = relImport(componentFile, inFrontend(sp, sp.api.typesPath));
  const sources: ImportSource[] = [];
  for (const name of ['solid-js', 'solid-js/store', '@solidjs/router']) {
    const ex = pkgs.get(name);
    if (ex) sources.push({ from: name, exports: ex });
  }
  sources.push({ from: clientFrom, exports: textExports(sp.ts, sp.api.client) }, { from: typesFrom, exports: textExports(sp.ts, sp.api.types), typeOnly: true });
  return { sources, clientFrom };
}

/** The TypeScript declaration of one type in types.ts (for the prompt's context). */
export function typeDecl(types: string, name: string): string | undefined {
  const start = types.search(new RegExp(`(?:/\\*\\*[^]*?\\*/\\n)?export (?:type|interface) ${name}\\b`));
  if (start < 0) return undefined;
  const end = types.indexOf('\n\n', start);
  return types.slice(start, end < 0 ? undefined : end).trim();
}

/** `export function getOrder(id: number): Promise<ApiResult<Order>>;` for the prompt. */
export const endpointSignature = (e: ApiEndpoint): string => {
  const args = [...e.pathParams.map((p) => `${p.name}: ${p.ts}`), ...(e.body ? [`body: ${e.body.ts}`] : []), ...(e.query ? [`query: ${e.query}`] : [])];
  return `export function ${e.fnName}(${args.join(', ')}): Promise<ApiResult<${e.response}>>; // ${e.method} ${e.path}`;
};
