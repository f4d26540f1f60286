import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ActixProject } from './project';
import { boundName, codeOnly, expandUse } from '../diesel-common/imports';
import { EXTERNAL_TYPES } from '../../src/pipeline/rust/externalTypes';

/**
 * Imports for generated Actix code (handlers, middleware), computed from what the code names:
 * `web`, `HttpResponse`, the route macros, middleware types, the project's pool, error and model
 * types. The answer's own `use` lines are kept only when they name something real and used.
 */

/** Names from actix-web a handler or middleware uses bare, and where they live. */
const ACTIX_NAMES: Record<string, string> = {
  web: 'actix_web::web',
  HttpResponse: 'actix_web::HttpResponse',
  HttpRequest: 'actix_web::HttpRequest',
  Responder: 'actix_web::Responder',
  HttpMessage: 'actix_web::HttpMessage',
  Error: 'actix_web::Error',
  ResponseError: 'actix_web::ResponseError',
  StatusCode: 'actix_web::http::StatusCode',
  ServiceRequest: 'actix_web::dev::ServiceRequest',
  ServiceResponse: 'actix_web::dev::ServiceResponse',
  Next: 'actix_web::middleware::Next',
  MessageBody: 'actix_web::body::MessageBody',
  BoxBody: 'actix_web::body::BoxBody',
  EitherBody: 'actix_web::body::EitherBody',
  HeaderName: 'actix_web::http::header::HeaderName',
  HeaderValue: 'actix_web::http::header::HeaderValue',
  Method: 'actix_web::http::Method',
  BlockingError: 'actix_web::error::BlockingError',
  error: 'actix_web::error',
  header: 'actix_web::http::header',
};
const ROUTE_MACROS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'route'];
const ERROR_FNS = /\b(Error(?:BadRequest|Unauthorized|Forbidden|NotFound|Conflict|InternalServerError|UnprocessableEntity|ServiceUnavailable))\s*\(/g;
const STD_TYPES: Record<string, string> = { Instant: 'std::time::Instant', Duration: 'std::time::Duration', HashMap: 'std::collections::HashMap' };

export interface ActixImportEnv {
  ap: ActixProject;
  /** Module the code goes into (its own types need no import). */
  module?: string;
  /** Names the target file already defines. */
  localNames: ReadonlySet<string>;
}

/** Names used by code already stripped of comments and strings. */
function usedNames(c: string): { types: Set<string>; paths: Set<string>; words: Set<string>; attrs: Set<string> } {
  const types = new Set<string>();
  for (const m of c.matchAll(/(?<![:\w])([A-Z][A-Za-z0-9_]*)\b/g)) types.add(m[1]!);
  const paths = new Set<string>();
  for (const m of c.matchAll(/(?<![:\w.])([a-z_][a-z0-9_]*)::/g)) paths.add(m[1]!);
  const words = new Set<string>();
  for (const m of c.matchAll(/\b[A-Za-z_]\w*\b/g)) words.add(m[0]);
  const attrs = new Set<string>();
  for (const m of c.matchAll(/#\[\s*([a-z_]+)\s*\(/g)) attrs.add(m[1]!);
  return { types, paths, words, attrs };
}

/** Import paths the code needs, plus the answer's imports that are real and used. */
export function planActixImports(code: string, answerUses: readonly string[], env: ActixImportEnv): { uses: string[]; diagnostics: Diagnostic[] } {
  const { ap } = env;
  const c = codeOnly(code);
  const { types, paths, words, attrs } = usedNames(c);
  const out: string[] = [];
  const deps = ap.p.style.deps;
  for (const m of ROUTE_MACROS) if (attrs.has(m)) out.push(`actix_web::${m}`);
  for (const name of [...paths].sort()) {
    const path = ACTIX_NAMES[name];
    if (path && !env.localNames.has(name)) out.push(path);
  }
  for (const m of c.matchAll(ERROR_FNS)) if (!/::\s*$/.test(c.slice(0, m.index))) out.push(`actix_web::error::${m[1]}`);
  for (const t of [...types].sort()) {
    if (env.localNames.has(t)) continue;
    const own = ap.types.get(t);
    if (own) {
      if (own.module !== env.module) out.push(`${own.module}::${t}`);
      continue;
    }
    const actix = ACTIX_NAMES[t];
    if (actix) {
      out.push(actix);
      continue;
    }
    if (STD_TYPES[t]) out.push(STD_TYPES[t]);
    const ext = EXTERNAL_TYPES[t];
    if (ext && deps.has(ext.crate)) out.push(ext.path);
  }
  const dropped: string[] = [];
  for (const raw of answerUses) {
    for (const path of expandUse(raw)) {
      const name = boundName(path);
      if (!name || path.endsWith('*')) {
        dropped.push(`glob import \`${path}\``);
        continue;
      }
      if (!words.has(name) || out.some((o) => boundName(o) === name)) continue;
      const root = path.split('::')[0]!;
      if (root === 'std' || root === 'core' || root === 'actix_web') out.push(path);
      else if (root === 'crate') {
        const mod = path.replace(/ as \w+$/, '').split('::').slice(0, -1).join('::');
        if (ap.types.get(name)?.module === mod) out.push(path);
        else dropped.push(`\`${path}\`: not in this crate`);
      } else if (deps.has(root)) out.push(path);
      else dropped.push(`\`${path}\`: crate \`${root}\` is not a dependency`);
    }
  }
  const diagnostics = dropped.length ? [diag('info', 'dropped-imports', `Dropped imports from the answer: ${dropped.join('; ')}.`)] : [];
  return { uses: [...new Set(out)].sort(), diagnostics };
}
