import { posix } from 'node:path';
import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp, FileChange } from '../../src/domain';
import type { ModeInput } from '../../src/pipeline/mode';
import { fileChange } from '../../src/pipeline/rust/applyOps';
import { knownRoutes, routesModule } from '../../src/pipeline/tsx/routeOp';
import { plural, words } from '../solid-common/naming';
import { inFrontend, openSolidProject, relImport, type SolidProject } from '../solid-common/project';

export interface RoutePlan {
  component: string;
  /** Router path: `/products`, `/orders/:id`, `/orders/new`. */
  path: string;
  label: string;
  routerFile: string;
}

/** `ProductList` → `/products`; `OrderDetail` → `/orders/:id`; `NewOrderForm`/`OrderForm` → `/orders/new`; `EditOrderForm` → `/orders/:id/edit`; else kebab case. */
export function routeFor(component: string): { path: string; label: string } {
  const w = words(component);
  const last = w[w.length - 1];
  const edit = last === 'form' && w[0] === 'edit';
  const entity = w.filter((x, i) => !(i === w.length - 1 && ['list', 'detail', 'form', 'page', 'view'].includes(x)) && x !== 'new' && !(edit && i === 0));
  const base = `/${[...entity.slice(0, -1), plural(entity[entity.length - 1] ?? 'item')].join('-')}`;
  if (last === 'list') return { path: base, label: plural(entity.join(' ')).replace(/^./, (c) => c.toUpperCase()) };
  if (last === 'detail') return { path: `${base}/:id`, label: entity.join(' ') };
  if (edit) return { path: `${base}/:id/edit`, label: `Edit ${entity.join(' ')}` };
  if (last === 'form') return { path: `${base}/new`, label: `New ${entity.join(' ')}` };
  return { path: `/${w.join('-')}`, label: w.join(' ').replace(/^./, (c) => c.toUpperCase()) };
}

/** The frontend file holding the router: `<Router>` (App.tsx usually), else `<Routes>` or a routes array. */
async function findRouterFile(sp: SolidProject): Promise<{ file: string; text: string } | undefined> {
  const files = await sp.fs.listFiles(posix.join(sp.frontendDir, 'src'), ['.tsx', '.jsx', '.ts', '.js']);
  const texts: { file: string; text: string }[] = [];
  for (const f of files) {
    const text = await sp.fs.readFile(f);
    if (text !== undefined) texts.push({ file: f, text });
  }
  const found = texts.find((t) => /<(?:Hash|Memory|Static)?Router\b/.test(t.text)) ?? texts.find((t) => /<Routes\b/.test(t.text)) ?? texts.find((t) => /@solidjs\/router/.test(t.text) && /\bpath\s*:/.test(t.text) && /\bcomponent\s*:/.test(t.text));
  // `<Router>{routes}</Router>` with the routes imported: the array's own file is the one to edit.
  const from = found && routesModule(sp.ts, found.file, found.text);
  if (!found || !from) return found;
  const base = posix.join(posix.dirname(found.file), from).replace(/\.[cm]?[jt]sx?$/, '');
  for (const file of ['.ts', '.tsx', '.js', '.jsx', '/index.ts', '/index.tsx', '/index.js', '/index.jsx'].map((ext) => `${base}${ext}`)) {
    const text = await sp.fs.readFile(file);
    if (text !== undefined) return { file, text };
  }
  return found;
}

/**
 * Registers a page in the `@solidjs/router` configuration and adds a navigation link, as one
 * `addRoute` edit op on the router file (import, `<Route>` or routes-array entry, `<li><A>`), so
 * accepting it later applies to the file as it is then. A route already there is left alone; a
 * path taken by another page, or a router nocodo does not recognise, is refused with the reason.
 */
export async function planSolidRoute(input: ModeInput): Promise<{ plan: RoutePlan; files: FileChange[]; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }> {
  const opened = await openSolidProject(input.project, input.file);
  if (!('sp' in opened)) return opened;
  const { sp } = opened;
  const ts = sp.ts;
  const componentFile = input.file ?? (input.struct ? posix.join(sp.frontendDir, `src/pages/${input.struct}.tsx`) : undefined);
  if (!componentFile) return { diagnostics: [diag('error', 'no-page', 'Name the page to register: --file frontend/src/pages/ProductList.tsx (or --struct ProductList).')] };
  const component = posix.basename(componentFile).replace(/\.[jt]sx?$/, '');
  if ((await sp.fs.readFile(componentFile)) === undefined) return { diagnostics: [diag('error', 'no-page', `${componentFile} does not exist: generate the page first.`)] };
  const router = await findRouterFile(sp);
  if (!router) return { diagnostics: [diag('error', 'no-router', `No file under ${sp.frontendDir}/src has a <Router>: add @solidjs/router's <Router> to App.tsx first.`)] };
  const wanted = routeFor(component);
  const path = input.route?.trim() || wanted.path;
  const plan: RoutePlan = { component, path, label: wanted.label, routerFile: router.file };
  const same = knownRoutes(ts, router.file, router.text).find((r) => r.path === path || r.fullPath === path);
  if (same?.component === component) return { plan, files: [], diagnostics: [diag('info', 'route-exists', `${path} is already registered in ${router.file}.`)] };
  const importFrom = relImport(inFrontend(sp, router.file), inFrontend(sp, componentFile));
  const op: EditOp = { op: 'addRoute', path, component, importFrom, link: { label: wanted.label } };
  const { change, diagnostics } = fileChange(router.file, router.text, [op], { ts });
  if (hasErrors(diagnostics)) return { diagnostics };
  return { plan, files: [change], diagnostics };
}
