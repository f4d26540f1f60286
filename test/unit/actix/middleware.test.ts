import { beforeAll, describe, expect, it } from 'vitest';
import { processMiddlewareAnswer } from '../../../modes/actix-middleware';
import { buildMiddlewareContext, fromFnAvailable, type MiddlewareContext } from '../../../modes/actix-middleware/context';
import { validateMiddleware } from '../../../modes/actix-middleware/validate';
import { hasErrors } from '../../../src/core/diagnostics';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { initRustParser } from '../../../src/rust';
import { messyRustVariants } from '../../fixtures/model-server/messy.mjs';
import { BAKERY, LIBRARY } from './helpers';

beforeAll(() => initRustParser());

const GUARD = `pub async fn require_api_key(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let expected = std::env::var("API_KEY").ok();
    let given = req.headers().get("x-api-key").and_then(|v| v.to_str().ok());
    if expected.is_none() || given != expected.as_deref() {
        return Err(ErrorUnauthorized("missing or wrong API key"));
    }
    next.call(req).await
}`;

async function ctxFor(root: string, route?: string): Promise<MiddlewareContext> {
  const r = await buildMiddlewareContext({ project: new NodeProjectFs(root), request: 'Guard the API with a key.', ...(route ? { route } : {}) });
  if (!('ctx' in r)) throw new Error(JSON.stringify(r.diagnostics));
  return r.ctx;
}

async function judge(ctx: MiddlewareContext, content: string) {
  const p = await processMiddlewareAnswer({ content }, ctx, { rustfmt: false });
  const checks = p.code !== undefined && !hasErrors(p.diagnostics) ? validateMiddleware(p.code, { existingNames: ctx.existingNames, deps: ctx.ap.p.style.deps, crateModules: ctx.crateModules }) : [];
  return { ...p, errors: [...p.diagnostics, ...checks].filter((d) => d.severity === 'error').map((d) => d.code) };
}

describe('actix-middleware context', () => {
  it('bakery: no middleware module yet → src/middleware.rs; wraps the App', async () => {
    const ctx = await ctxFor(BAKERY);
    expect(ctx.create).toMatchObject({ file: 'src/middleware.rs', name: 'middleware', root: 'src/main.rs' });
    expect(ctx.site).toMatchObject({ kind: 'app', file: 'src/main.rs', fn: 'main' });
    expect(ctx.rendered).toBe('// Dependencies (Cargo.toml): actix-web 4, chrono, diesel, dotenvy, env_logger, log, serde, serde_json\n// Already wrapped around the app: Logger::default()');
  });

  it('library: a middleware folder, existing names taken, scopes by path', async () => {
    const ctx = await ctxFor(LIBRARY, '/api/v1');
    expect(ctx.folder).toMatchObject({ dir: 'src/middleware', modFile: 'src/middleware/mod.rs' });
    expect(ctx.existingNames).toEqual(expect.arrayContaining(['require_admin_key', 'Timing', 'auth', 'timing']));
    expect(ctx.site).toMatchObject({ kind: 'scope', file: 'src/api/mod.rs', scopesInFn: ['/api/v1'] });
    expect(ctx.rendered).toContain('Already wrapped around the scope /api/v1: wrap_fn(|req, srv| …)');
    const bad = await buildMiddlewareContext({ project: new NodeProjectFs(LIBRARY), request: 'x', route: '/nope' });
    expect(bad).toEqual({ diagnostics: [expect.objectContaining({ code: 'unknown-scope', message: expect.stringContaining('/admin') })] });
  });

  it('knows which actix-web requirements have from_fn', () => {
    expect(fromFnAvailable('4')).toBe(true);
    expect(fromFnAvailable('4.9')).toBe(true);
    expect(fromFnAvailable('4.11.0')).toBe(true);
    expect(fromFnAvailable('4.4')).toBe(false);
    expect(fromFnAvailable(undefined)).toBe(true);
  });
});

describe('actix-middleware answers', () => {
  let ctx: MiddlewareContext;
  beforeAll(async () => {
    ctx = await ctxFor(BAKERY);
  });

  it('a clean answer passes with computed imports', async () => {
    const r = await judge(ctx, GUARD);
    expect(r.errors).toEqual([]);
    expect(r.uses).toEqual(['actix_web::Error', 'actix_web::body::MessageBody', 'actix_web::dev::ServiceRequest', 'actix_web::dev::ServiceResponse', 'actix_web::error::ErrorUnauthorized', 'actix_web::middleware::Next']);
  });

  for (const v of messyRustVariants(GUARD)) {
    it(`cleans "${v.name}"`, async () => {
      const r = await judge(ctx, v.text);
      if (v.name === 'unclosed think') return expect(r.errors).toEqual(['no-code']);
      expect(r.errors).toEqual([]);
      expect(r.code).toBe(GUARD);
    });
  }

  it.each([
    ['a handler-shaped signature', GUARD.replace('req: ServiceRequest,\n    next: Next<impl MessageBody>,', 'req: HttpRequest,'), ['middleware-signature']],
    ['a request that never reaches the handler', GUARD.replace('next.call(req).await', 'Err(ErrorUnauthorized("no"))'), ['next-not-called']],
    ['next.call without .await', GUARD.replace('next.call(req).await', 'next.call(req)'), ['missing-await']],
    ['a crate the project lacks', GUARD.replace('std::env::var("API_KEY").ok()', 'dotenv::var("API_KEY").ok()'), ['unknown-crate']],
    ['a wrong return type', GUARD.replace('Result<ServiceResponse<impl MessageBody>, Error>', 'HttpResponse'), ['middleware-return']],
    ['a sync function', GUARD.replace('pub async fn', 'pub fn'), ['not-async']],
    ['a truncated answer', GUARD.slice(0, 200), ['truncated']],
  ])('rejects %s', async (_what, code, codes) => {
    expect((await judge(ctx, code)).errors).toEqual(codes);
  });

  it('refuses a name that already exists', async () => {
    const lib = await ctxFor(LIBRARY);
    const r = await judge(lib, GUARD.replace('require_api_key', 'require_admin_key'));
    expect(r.errors).toEqual(['duplicate-fn']);
  });
});
