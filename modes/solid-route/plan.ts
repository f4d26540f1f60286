import { posix } from 'node:path';
import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { FileChange } from '../../src/domain';
import type { ModeInput } from '../../src/pipeline/mode';
import { plural, words } from '../solid-common/naming';
import { inFrontend, openSolidProject, relImport, type SolidProject } from '../solid-common/project';

type Ts = typeof TS;

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

/** The frontend file holding `<Router>` (App.tsx usually). */
async function findRouterFile(sp: SolidProject): Promise<{ file: string; text: string } | undefined> {
  const files = await sp.fs.listFiles(posix.join(sp.frontendDir, 'src'), ['.tsx', '.jsx']);
  for (const f of files) {
    const text = await sp.fs.readFile(f);
    if (text && /<Router\b/.test(text)) return { file: f, text };
  }
  return undefined;
}

interface Found {
  router?: TS.JsxElement;
  lastRoute?: TS.Node;
  routes: string[];
  links: TS.JsxElement[];
  lastImport?: TS.ImportDeclaration;
}

function scan(ts: Ts, sf: TS.SourceFile): Found {
  const found: Found = { routes: [], links: [] };
  const tag = (n: TS.Node): string | undefined => (ts.isJsxElement(n) ? n.openingElement.tagName.getText(sf) : ts.isJsxSelfClosingElement(n) ? n.tagName.getText(sf) : undefined);
  const attr = (n: TS.Node, name: string): string | undefined => {
    const attrs = ts.isJsxElement(n) ? n.openingElement.attributes : ts.isJsxSelfClosingElement(n) ? n.attributes : undefined;
    for (const a of attrs?.properties ?? []) if (ts.isJsxAttribute(a) && a.name.getText(sf) === name && a.initializer && ts.isStringLiteral(a.initializer)) return a.initializer.text;
    return undefined;
  };
  const visit = (n: TS.Node): void => {
    if (ts.isImportDeclaration(n)) found.lastImport = n;
    const t = tag(n);
    if (t === 'Router' && ts.isJsxElement(n)) found.router ??= n;
    if (t === 'Route') {
      found.lastRoute = n;
      const p = attr(n, 'path');
      if (p) found.routes.push(p);
    }
    if (t === 'li' && ts.isJsxElement(n) && n.children.some((c) => tag(c) === 'A')) found.links.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

const indentAt = (text: string, pos: number): string => /[ \t]*$/.exec(text.slice(text.lastIndexOf('\n', pos - 1) + 1, pos))![0];

/**
 * Registers a page in the `@solidjs/router` configuration and adds a navigation link, as text
 * edits at syntax positions: import after the last import, `<Route>` after the last one, `<li><A>`
 * after the last menu link. A route already there is left alone.
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
  const sf = ts.createSourceFile(router.file, router.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found = scan(ts, sf);
  const plan: RoutePlan = { component, path, label: wanted.label, routerFile: router.file };
  if (found.routes.includes(path)) return { plan, files: [], diagnostics: [diag('info', 'route-exists', `${path} is already registered in ${router.file}.`)] };
  if (!found.router) return { diagnostics: [diag('error', 'no-router', `${router.file} mentions <Router> but it is not a JSX element nocodo can edit.`)] };
  const edits: { at: number; text: string }[] = [];
  const importPath = relImport(inFrontend(sp, router.file), inFrontend(sp, componentFile));
  if (!new RegExp(`import\\s+${component}\\b`).test(router.text)) {
    const at = found.lastImport ? found.lastImport.getEnd() : 0;
    edits.push({ at, text: `${at ? '\n' : ''}import ${component} from '${importPath}';${at ? '' : '\n'}` });
  }
  const anchor = found.lastRoute ?? found.router.openingElement;
  const ind = found.lastRoute ? indentAt(router.text, found.lastRoute.getStart(sf)) : `${indentAt(router.text, found.router.getStart(sf))}  `;
  edits.push({ at: anchor.getEnd(), text: `\n${ind}<Route path="${path}" component={${component}} />` });
  const link = found.links[found.links.length - 1];
  if (link && !path.includes(':')) {
    const li = indentAt(router.text, link.getStart(sf));
    edits.push({ at: link.getEnd(), text: `\n${li}<li><A href="${path}">${wanted.label}</A></li>` });
  }
  let proposed = router.text;
  for (const e of edits.sort((a, b) => b.at - a.at)) proposed = proposed.slice(0, e.at) + e.text + proposed.slice(e.at);
  return { plan, files: [{ path: router.file, original: router.text, proposed, ops: [{ op: 'createFile', content: proposed }] }], diagnostics: [] };
}
