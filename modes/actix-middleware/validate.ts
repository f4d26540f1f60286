import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { readActixFile } from '../../src/rust';
import { codeOnly } from '../diesel-common/imports';

/**
 * Checks a `from_fn` middleware: it parses, has the one signature `from_fn` accepts, passes the
 * request on, is not named like an existing function, and names no crate the project lacks.
 */

export interface MiddlewareCheckEnv {
  /** Names taken in the target module and by other middleware. */
  existingNames: readonly string[];
  /** Crate names from Cargo.toml (underscored). */
  deps: ReadonlySet<string>;
  /** Top-level modules of the crate (`crate::x` can also be written `x` from the crate root). */
  crateModules: ReadonlySet<string>;
}

const ALWAYS = new Set(['std', 'core', 'alloc', 'actix_web', 'crate', 'self', 'super', 'web', 'error', 'header', 'http', 'dev', 'body', 'middleware']);

export function validateMiddleware(code: string, env: MiddlewareCheckEnv): Diagnostic[] {
  const out: Diagnostic[] = [];
  const read = readActixFile(code, 'src/middleware.rs');
  for (const d of read.diagnostics) if (d.severity === 'error') out.push(diag('error', 'parse-error', d.message, { ...(d.line ? { line: d.line } : {}) }));
  const fn = read.fns[0];
  if (!fn) return [...out, diag('error', 'no-function', 'The answer holds no middleware function.')];
  const shape = '`pub async fn name(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error>`';
  if (!fn.isAsync) out.push(diag('error', 'not-async', `A from_fn middleware is async: ${shape}.`));
  const types = fn.extractors.map((e) => e.type.replace(/\s+/g, ''));
  if (types.length !== 2 || !/(?:^|::)ServiceRequest$/.test(types[0] ?? '') || !/(?:^|::)Next<.+>$/.test(types[1] ?? '')) {
    out.push(diag('error', 'middleware-signature', `The parameters must be \`req: ServiceRequest, next: Next<impl MessageBody>\`: ${shape}.`));
  }
  if (!/^Result<(?:[\w:]*::)?ServiceResponse<.+>,\s*(?:actix_web::)?(?:error::)?Error>$/.test(fn.returnType ?? '')) {
    out.push(diag('error', 'middleware-return', `Return \`Result<ServiceResponse<impl MessageBody>, Error>\`: ${shape}.`));
  }
  const src = codeOnly(code);
  const nextName = fn.extractors[1]?.pattern.replace(/^mut\s+/, '') ?? 'next';
  if (!new RegExp(`\\b${nextName}\\s*\\.\\s*call\\s*\\(`).test(src)) out.push(diag('error', 'next-not-called', `Pass the request on with \`${nextName}.call(req).await\`, or no handler ever runs.`));
  else if (!new RegExp(`\\b${nextName}\\s*\\.\\s*call\\s*\\([^)]*\\)\\s*\\.await`).test(src)) out.push(diag('error', 'missing-await', `Write \`${nextName}.call(req).await\`.`));
  if (env.existingNames.includes(fn.name)) out.push(diag('error', 'duplicate-fn', `\`${fn.name}\` already exists: name the middleware differently.`));
  const unknown = new Set<string>();
  for (const m of src.matchAll(/(?<![:\w.])([a-z_][a-z0-9_]*)::/g)) {
    const root = m[1]!;
    if (!ALWAYS.has(root) && !env.deps.has(root) && !env.crateModules.has(root)) unknown.add(root);
  }
  for (const u of unknown) out.push(diag('error', 'unknown-crate', `\`${u}::…\`: crate \`${u}\` is not a dependency in Cargo.toml; use only actix-web, std and the crates in the Context.`));
  if (/\.unwrap\(\)/.test(src)) out.push(diag('warning', 'unwrap', 'The middleware calls `.unwrap()`: a bad header would crash the worker; prefer `.ok()` / `?`.'));
  return out;
}
