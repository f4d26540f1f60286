import { posix } from 'node:path';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ActixSite } from '../../src/rust';
import { openActixProject, versionOf, type ActixProject } from '../actix-common/project';
import { normalizeScope, registrationSites } from '../actix-common/register';
import type { ModeInput } from '../../src/pipeline/mode';
import { joinPosix } from '../diesel-common/style';

/** Where a new middleware goes and where it is registered, plus the text the model sees. */
export interface MiddlewareContext {
  ap: ActixProject;
  /** The App chain or scope it wraps. */
  site: ActixSite;
  /** An existing single-file middleware module to append to (`src/middleware.rs`). */
  appendTo?: { file: string; original: string; module?: string };
  /** A middleware folder (`src/middleware/` with mod.rs): the function gets its own file there. */
  folder?: { dir: string; modFile: string; modText: string; module: string };
  /** No middleware module yet: create `src/<name>.rs` and declare it in `root`. */
  create?: { file: string; name: string; root: string; rootText: string; module: string };
  existingNames: string[];
  crateModules: Set<string>;
  rendered: string;
}

function dependencyLine(ap: ActixProject): string {
  const deps = [...ap.p.style.deps].filter((d) => d !== 'actix_web').sort();
  return `// Dependencies (Cargo.toml): actix-web ${ap.actixVersion ?? '4'}${deps.length ? `, ${deps.join(', ')}` : ''}`;
}

/** `from_fn` arrived in actix-web 4.9; a requirement naming an older minor version cannot have it. */
export function fromFnAvailable(req: string | undefined): boolean {
  const v = versionOf(req);
  if (!v || !/\d+\.\d+/.test(req ?? '')) return true;
  return v[0] > 4 || (v[0] === 4 && v[1] >= 9);
}

export async function buildMiddlewareContext(input: ModeInput): Promise<{ ctx: MiddlewareContext; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }> {
  if (!input.request.trim()) return { diagnostics: [diag('error', 'no-request', 'Describe what the middleware should do.')] };
  const ap = await openActixProject(input.project);
  if (!fromFnAvailable(ap.actixVersion)) {
    return { diagnostics: [diag('error', 'actix-too-old', `\`middleware::from_fn\` needs actix-web 4.9 or later; Cargo.toml asks for ${ap.actixVersion}. Raise it to "4.9".`)] };
  }
  const scope = input.route?.trim();
  let site: ActixSite | undefined;
  if (scope && normalizeScope(scope)) {
    // Only App and scope chains have `.wrap`; a configure function's `cfg` does not.
    const want = normalizeScope(scope);
    const sites = registrationSites(ap);
    site = sites.filter((s) => s.kind === 'scope' && s.prefix === want).sort((a, b) => Number(b.mounted) - Number(a.mounted))[0];
    if (!site) {
      const known = [...new Set(sites.filter((s) => s.kind === 'scope' && s.mounted).map((s) => s.prefix))];
      return { diagnostics: [diag('error', 'unknown-scope', `No \`web::scope\` serves \`${want}\`.${known.length ? ` Scopes: ${known.join(', ')}.` : ''}`)] };
    }
  } else {
    site = registrationSites(ap).find((s) => s.kind === 'app');
  }
  if (!site) return { diagnostics: [diag('error', 'no-app', 'No `App::new()` found to wrap the middleware around; name a scope with --route "/api".')] };

  const fs = input.project;
  const src = joinPosix(ap.crateDir, 'src');
  const existingNames = new Set(ap.actix.middlewareDefs.map((m) => m.name));
  const crateModules = new Set((await fs.listFiles(src, ['.rs'])).map((f) => posix.relative(src, f).split('/')[0]!.replace(/\.rs$/, '')).filter((m) => m !== 'main' && m !== 'lib'));
  const ctx: Omit<MiddlewareContext, 'rendered' | 'existingNames'> = { ap, site, crateModules };
  const single = await fs.readFile(joinPosix(src, 'middleware.rs'));
  const modText = await fs.readFile(joinPosix(src, 'middleware/mod.rs'));
  if (single !== undefined) {
    const file = joinPosix(src, 'middleware.rs');
    const module = ap.moduleOf(file);
    ctx.appendTo = { file, original: single, ...(module ? { module } : {}) };
    for (const f of ap.actix.rust.find((r) => r.file === file)?.functions ?? []) existingNames.add(f.name);
  } else if (modText !== undefined) {
    const dir = joinPosix(src, 'middleware');
    ctx.folder = { dir, modFile: joinPosix(dir, 'mod.rs'), modText, module: 'crate::middleware' };
    for (const f of await fs.listFiles(dir, ['.rs'])) existingNames.add(posix.basename(f, '.rs'));
    for (const f of ap.actix.rust.filter((r) => r.file?.startsWith(`${dir}/`)).flatMap((r) => r.functions)) existingNames.add(f.name);
  } else {
    const root = (await fs.readFile(joinPosix(src, 'main.rs'))) !== undefined ? joinPosix(src, 'main.rs') : joinPosix(src, 'lib.rs');
    const rootText = (await fs.readFile(root)) ?? '';
    // `use actix_web::middleware;` in the crate root would clash with a `mod middleware;`.
    const rootUses = ap.actix.rust.find((r) => r.file === root)?.uses.flatMap((u) => u.items ?? []) ?? [];
    const name = rootUses.some((u) => /(?:^|::)middleware$|\bas middleware$/.test(u)) ? 'app_middleware' : 'middleware';
    ctx.create = { file: joinPosix(src, `${name}.rs`), name, root, rootText, module: `crate::${name}` };
  }
  const wrapped = ap.actix.middleware.filter((m) => m.mounted && m.prefix === site.prefix).map((m) => (m.kind === 'wrap_fn' ? 'wrap_fn(|req, srv| …)' : m.expr.length > 80 ? `${m.expr.slice(0, 77)}…` : m.expr));
  const where = site.prefix ? `the scope ${site.prefix}` : 'the app';
  const rendered = [dependencyLine(ap), `// Already wrapped around ${where}: ${wrapped.length ? wrapped.join(', ') : '(nothing)'}`].join('\n');
  return { ctx: { ...ctx, existingNames: [...existingNames], rendered }, diagnostics: [] };
}
