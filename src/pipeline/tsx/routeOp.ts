import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';
import type { EditOp } from '../../domain';
import { parseTsx, syntaxErrors, diagnosticsSummary } from './syntax';

/**
 * The `addRoute` edit op: registers a page in a SolidJS router file by syntax, on whatever text
 * the file has now. Two layouts are understood: `<Route>` elements as children of `<Router>`
 * (or `<Routes>`, or a path-less/`/` layout `<Route>` wrapping them), and a routes array of
 * `{ path, component }` objects. A path under a route that has child routes goes among those
 * children, relative to it. Anything else is refused with the reason, never guessed at.
 */

type Ts = typeof TS;
export type AddRouteOp = Extract<EditOp, { op: 'addRoute' }>;

const ROUTER_TAGS = new Set(['Router', 'HashRouter', 'MemoryRouter', 'StaticRouter']);

/** A registered route: its path as written and joined with its parents', and its component. */
export interface KnownRoute {
  path: string;
  fullPath: string;
  component?: string;
}

type RouteParent = { fullPath: string } & ({ kind: 'jsx'; el: TS.JsxElement } | { kind: 'array'; children: TS.ArrayLiteralExpression });

interface RouterFile {
  sf: TS.SourceFile;
  imports: TS.ImportDeclaration[];
  /** Router-like elements (`<Router>`, `<HashRouter>`…) and `<Routes>` elements. */
  routers: TS.JsxElement[];
  routesTags: TS.JsxElement[];
  routes: KnownRoute[];
  /** Array literals of `{ path, … }` objects (a routes config). */
  arrays: TS.ArrayLiteralExpression[];
  /** Routes with a path (not `/`) and child routes: `<Route path="/orders">…</Route>`, `{ path, children: […] }`. */
  parents: RouteParent[];
  /** `<li>` elements holding an `<A>`/`<a>` link: the menu. */
  links: TS.JsxElement[];
  hrefs: Set<string>;
}

const tagOf = (ts: Ts, sf: TS.SourceFile, n: TS.Node): string | undefined =>
  ts.isJsxElement(n) ? n.openingElement.tagName.getText(sf) : ts.isJsxSelfClosingElement(n) ? n.tagName.getText(sf) : undefined;

function attrsOf(ts: Ts, n: TS.Node): TS.JsxAttributes | undefined {
  return ts.isJsxElement(n) ? n.openingElement.attributes : ts.isJsxSelfClosingElement(n) ? n.attributes : undefined;
}

/** A JSX attribute's text when it is a string (`path="/x"`, `path={'/x'}`); `{X}` gives `X`. */
function attrText(ts: Ts, sf: TS.SourceFile, n: TS.Node, name: string): string | undefined {
  for (const a of attrsOf(ts, n)?.properties ?? []) {
    if (!ts.isJsxAttribute(a) || a.name.getText(sf) !== name || !a.initializer) continue;
    const init = a.initializer;
    if (ts.isStringLiteral(init)) return init.text;
    if (ts.isJsxExpression(init) && init.expression) {
      const e = init.expression;
      if (ts.isStringLiteralLike(e)) return e.text;
      return e.getText(sf);
    }
  }
  return undefined;
}

function propText(ts: Ts, sf: TS.SourceFile, o: TS.ObjectLiteralExpression, name: string): string | undefined {
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText(sf).replace(/^['"]|['"]$/g, '') === name) return ts.isStringLiteralLike(p.initializer) ? p.initializer.text : p.initializer.getText(sf);
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return name;
  }
  return undefined;
}

const joinPath = (parent: string, child: string): string => {
  const joined = `${parent.replace(/\/+$/, '')}/${child.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : '/';
};

/** Array elements that look like route objects: `{ path, component }` (a menu's `{ path, label }` is not one). */
const isRoutesArray = (ts: Ts, sf: TS.SourceFile, a: TS.ArrayLiteralExpression): boolean =>
  a.elements.length > 0 &&
  a.elements.every((e) => ts.isObjectLiteralExpression(e)) &&
  a.elements.some((e) => propText(ts, sf, e as TS.ObjectLiteralExpression, 'path') !== undefined && (propText(ts, sf, e as TS.ObjectLiteralExpression, 'component') ?? propText(ts, sf, e as TS.ObjectLiteralExpression, 'children')) !== undefined);

function scanRouterFile(ts: Ts, file: string, text: string): RouterFile {
  const sf = parseTsx(ts, file, text);
  const rf: RouterFile = { sf, imports: [], routers: [], routesTags: [], routes: [], arrays: [], parents: [], links: [], hrefs: new Set() };
  const routeObjects = (a: TS.ArrayLiteralExpression, parent: string): void => {
    for (const e of a.elements) {
      if (!ts.isObjectLiteralExpression(e)) continue;
      const p = propText(ts, sf, e, 'path');
      const fullPath = p === undefined ? parent : joinPath(parent, p);
      if (p !== undefined) rf.routes.push({ path: p, fullPath, component: propText(ts, sf, e, 'component') });
      const kids = e.properties.find((x): x is TS.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText(sf) === 'children');
      if (kids && ts.isArrayLiteralExpression(kids.initializer)) {
        if (p !== undefined && kids.initializer.elements.length) rf.parents.push({ fullPath, kind: 'array', children: kids.initializer });
        routeObjects(kids.initializer, fullPath);
      }
    }
  };
  const visit = (n: TS.Node, parentPath: string): void => {
    if (ts.isImportDeclaration(n)) rf.imports.push(n);
    let here = parentPath;
    const t = tagOf(ts, sf, n);
    if (t && ROUTER_TAGS.has(t) && ts.isJsxElement(n)) rf.routers.push(n);
    if (t === 'Routes' && ts.isJsxElement(n)) rf.routesTags.push(n);
    if (t === 'Route') {
      const p = attrText(ts, sf, n, 'path');
      if (p !== undefined) {
        here = joinPath(parentPath, p);
        rf.routes.push({ path: p, fullPath: here, component: attrText(ts, sf, n, 'component') });
        if (ts.isJsxElement(n) && n.children.some((k) => tagOf(ts, sf, k) === 'Route')) rf.parents.push({ fullPath: here, kind: 'jsx', el: n });
      }
    }
    if (t === 'li' && ts.isJsxElement(n) && n.children.some((c) => ['A', 'a'].includes(tagOf(ts, sf, c) ?? ''))) rf.links.push(n);
    if (t === 'A' || t === 'a') {
      const href = attrText(ts, sf, n, 'href');
      if (href !== undefined) rf.hrefs.add(href);
    }
    if (ts.isArrayLiteralExpression(n) && isRoutesArray(ts, sf, n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name.getText(sf) === 'children')) {
      rf.arrays.push(n);
      routeObjects(n, '');
      return;
    }
    ts.forEachChild(n, (c) => visit(c, here));
  };
  visit(sf, '');
  return rf;
}

/** The routes a router file registers (for "is it there already?" before proposing). */
export function knownRoutes(ts: Ts, file: string, text: string): KnownRoute[] {
  return scanRouterFile(ts, file, text).routes;
}

/**
 * The module the router's routes come from when it is given an imported array
 * (`import { routes } from './routes'; … <Router>{routes}</Router>`): the file to edit instead.
 */
export function routesModule(ts: Ts, file: string, text: string): string | undefined {
  const rf = scanRouterFile(ts, file, text);
  if (rf.arrays.length || rf.routes.length) return undefined;
  for (const r of [...rf.routesTags, ...rf.routers]) {
    for (const k of r.children) {
      if (!ts.isJsxExpression(k) || !k.expression || !ts.isIdentifier(k.expression)) continue;
      const b = binding(ts, rf, k.expression.text);
      if (b?.kind === 'import' && b.module?.startsWith('.')) return b.module;
    }
  }
  return undefined;
}

const lineIndentAt = (text: string, pos: number): string => /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', pos - 1) + 1))![0];

/** The indentation step of a file's JSX/code: the smallest positive indent (2 when none). */
function stepOf(text: string): string {
  if (/^\t/m.test(text)) return '\t';
  const sizes = text
    .split('\n')
    .map((l) => /^( *)\S/.exec(l)?.[1]!.length ?? 0)
    .filter((n) => n > 0);
  return ' '.repeat(sizes.length ? Math.min(...sizes) : 2);
}

const stripExt = (m: string): string => m.replace(/\.(?:[cm]?[jt]sx?)$/, '').replace(/\/index$/, '');

/** Where the import binding `name` comes from, if the file binds it: an import or a top-level `lazy(() => import(…))`. */
function binding(ts: Ts, rf: RouterFile, name: string): { module?: string; kind: 'import' | 'lazy' | 'other' } | undefined {
  for (const imp of rf.imports) {
    const c = imp.importClause;
    if (!c) continue;
    const module = ts.isStringLiteral(imp.moduleSpecifier) ? imp.moduleSpecifier.text : undefined;
    if (c.name?.text === name) return { module, kind: 'import' };
    const nb = c.namedBindings;
    if (nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.name.text === name)) return { module, kind: 'import' };
    if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return { module, kind: 'import' };
  }
  for (const st of rf.sf.statements) {
    const decls = ts.isVariableStatement(st) ? st.declarationList.declarations : [];
    for (const d of decls) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name) continue;
      const lazyFrom = d.initializer && /^lazy\(\s*\(\)\s*=>\s*import\(\s*['"]([^'"]+)['"]\s*\)\s*\)$/.exec(d.initializer.getText(rf.sf).replace(/\s+/g, ' '));
      return lazyFrom ? { module: lazyFrom[1], kind: 'lazy' } : { kind: 'other' };
    }
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) return { kind: 'other' };
  }
  return undefined;
}

interface Edit {
  at: number;
  text: string;
}

/** The import (or lazy declaration) of the page, placed and written like the file's own. */
function importEdit(ts: Ts, rf: RouterFile, text: string, op: AddRouteOp, ds: Diagnostic[]): Edit | undefined | null {
  const bound = binding(ts, rf, op.component);
  if (bound) {
    if (bound.module !== undefined && stripExt(bound.module) === stripExt(op.importFrom)) return undefined;
    ds.push(diag('error', 'name-taken', `\`${op.component}\` already names something else in this file${bound.module ? ` (imported from '${bound.module}')` : ''}; nocodo will not import ${op.importFrom} under the same name. Rename one of them, then register the page again.`));
    return null;
  }
  const last = rf.imports[rf.imports.length - 1];
  const quote = last && last.moduleSpecifier.getText(rf.sf).startsWith('"') ? '"' : "'";
  const semi = !last || last.getText(rf.sf).trimEnd().endsWith(';') ? ';' : '';
  // A file whose pages are all lazy-loaded gets a lazy page too, after the last one.
  const lazies = rf.sf.statements.filter((st) => ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => d.initializer && /^lazy\(/.test(d.initializer.getText(rf.sf))));
  const components = rf.routes.map((r) => r.component).filter((c): c is string => !!c && /^\w+$/.test(c));
  const allLazy = lazies.length > 0 && components.length > 0 && components.every((c) => binding(ts, rf, c)?.kind === 'lazy');
  if (allLazy) {
    const lastLazy = lazies[lazies.length - 1]!;
    return { at: lastLazy.getEnd(), text: `\n${lineIndentAt(text, lastLazy.getStart(rf.sf))}const ${op.component} = lazy(() => import(${quote}${op.importFrom}${quote}))${semi}` };
  }
  const line = `import ${op.component} from ${quote}${op.importFrom}${quote}${semi}`;
  if (last) return { at: last.getEnd(), text: `\n${line}` };
  return { at: 0, text: `${line}\n` };
}

/** `Route` is imported from the router package (adding it to that import when the file has none yet). */
function routeImportEdit(ts: Ts, rf: RouterFile, ds: Diagnostic[]): Edit | undefined | null {
  if (binding(ts, rf, 'Route')) return undefined;
  const router = rf.imports.find((i) => ts.isStringLiteral(i.moduleSpecifier) && i.moduleSpecifier.text === '@solidjs/router');
  const named = router?.importClause?.namedBindings;
  if (!named || !ts.isNamedImports(named) || !named.elements.length) {
    ds.push(diag('error', 'no-route-import', 'This file does not import `Route` from @solidjs/router and nocodo found no import of that package to add it to.'));
    return null;
  }
  return { at: named.elements[named.elements.length - 1]!.getEnd(), text: ', Route' };
}

/** The element whose children are the routes: `<Routes>` if any, else the router, through a path-less layout route. */
function jsxContainer(ts: Ts, rf: RouterFile): TS.JsxElement | undefined {
  let c = rf.routesTags[0] ?? rf.routers[0];
  for (;;) {
    const kids = c?.children.filter((k) => tagOf(ts, rf.sf, k) === 'Route') ?? [];
    const only = kids[0];
    if (kids.length !== 1 || !only || !ts.isJsxElement(only)) return c;
    const p = attrText(ts, rf.sf, only, 'path');
    if (p !== undefined && p !== '/' && p !== '') return c;
    if (!only.children.some((k) => tagOf(ts, rf.sf, k) === 'Route')) return c;
    c = only;
  }
}

/** The routes array the router uses: the one `<Router>{routes}</Router>` names, else the file's only one. */
function routesArray(ts: Ts, rf: RouterFile): TS.ArrayLiteralExpression | undefined | 'ambiguous' {
  const named = rf.routers
    .flatMap((r) => r.children)
    .find((k): k is TS.JsxExpression => ts.isJsxExpression(k) && !!k.expression && ts.isIdentifier(k.expression));
  if (named?.expression && ts.isIdentifier(named.expression)) {
    const name = named.expression.text;
    const decl = rf.arrays.find((a) => {
      let p: TS.Node = a.parent;
      while (ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isParenthesizedExpression(p)) p = p.parent;
      return ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === name;
    });
    if (decl) return decl;
  }
  if (rf.arrays.length > 1) return 'ambiguous';
  return rf.arrays[0];
}

/** A `{ path, component }` object after the array's last element, inline or one per line as the array is written. */
function arrayRouteEdit(rf: RouterFile, text: string, array: TS.ArrayLiteralExpression, routePath: string, component: string): Edit {
  const last = array.elements[array.elements.length - 1]!;
  const quote = last.getText(rf.sf).includes('"') && !last.getText(rf.sf).includes("'") ? '"' : "'";
  const obj = `{ path: ${quote}${routePath}${quote}, component: ${component} }`;
  const multiline = rf.sf.getLineAndCharacterOfPosition(last.getStart(rf.sf)).line !== rf.sf.getLineAndCharacterOfPosition(array.getStart(rf.sf)).line;
  if (!multiline) return { at: last.getEnd(), text: `, ${obj}` };
  const ind = lineIndentAt(text, last.getStart(rf.sf));
  if (array.elements.hasTrailingComma) return { at: text.indexOf(',', last.getEnd()) + 1, text: `\n${ind}${obj},` };
  return { at: last.getEnd(), text: `,\n${ind}${obj}` };
}

/** A `<Route>` after the last of `siblings`, on its own line, with their quote. */
function jsxRouteEdit(ts: Ts, rf: RouterFile, text: string, siblings: readonly TS.JsxChild[], routePath: string, component: string): Edit {
  const routeQuote = siblings.map((r) => attrsOf(ts, r)!.properties.find((a) => ts.isJsxAttribute(a) && a.name.getText(rf.sf) === 'path')).find((a): a is TS.JsxAttribute => !!a && ts.isJsxAttribute(a))?.initializer?.getText(rf.sf)[0];
  const q = routeQuote === "'" ? "'" : '"';
  const last = siblings[siblings.length - 1]!;
  return { at: last.getEnd(), text: `\n${lineIndentAt(text, last.getStart(rf.sf))}<Route path=${q}${routePath}${q} component={${component}} />` };
}

const segments = (p: string): string[] => p.split('/').filter(Boolean);

/** `parent`'s segments begin `full`'s (a parameter matches a parameter of another name): the rest, else undefined. */
function restUnder(parent: string, full: string): string[] | undefined {
  const ps = segments(parent);
  const fs = segments(full);
  if (!ps.length || fs.length <= ps.length) return undefined;
  const same = ps.every((seg, i) => seg === fs[i] || (seg.startsWith(':') && fs[i]!.startsWith(':') && !seg.endsWith('?') && !fs[i]!.endsWith('?')));
  return same ? fs.slice(ps.length) : undefined;
}

/**
 * A path under an existing parent route that has child routes (`/orders/:id/items` under
 * `<Route path="/orders">…</Route>`) goes inside the deepest such parent, with the path relative
 * to it, written as its other children write theirs (with or without the leading slash).
 */
function nestedRouteEdit(ts: Ts, rf: RouterFile, text: string, op: AddRouteOp): Edit | undefined {
  let best: { parent: RouteParent; rest: string[] } | undefined;
  for (const parent of rf.parents) {
    const rest = restUnder(parent.fullPath, op.path);
    if (rest && (!best || segments(parent.fullPath).length > segments(best.parent.fullPath).length)) best = { parent, rest };
  }
  if (!best) return undefined;
  const { parent, rest } = best;
  if (parent.kind === 'array') {
    const written = parent.children.elements.map((e) => (ts.isObjectLiteralExpression(e) ? propText(ts, rf.sf, e, 'path') : undefined));
    return arrayRouteEdit(rf, text, parent.children, relativePath(rest, written), op.component);
  }
  const kids = parent.el.children.filter((k) => tagOf(ts, rf.sf, k) === 'Route');
  return jsxRouteEdit(ts, rf, text, kids, relativePath(rest, kids.map((k) => attrText(ts, rf.sf, k, 'path'))), op.component);
}

/** The child path in the siblings' style: no leading slash only when every sibling path (but `/` and ``) goes without. */
function relativePath(rest: readonly string[], siblings: ReadonlyArray<string | undefined>): string {
  const telling = siblings.filter((p): p is string => p !== undefined && p !== '/' && p !== '');
  const bare = telling.length > 0 && telling.every((p) => !p.startsWith('/'));
  return `${bare ? '' : '/'}${rest.join('/')}`;
}

function routeEdit(ts: Ts, rf: RouterFile, text: string, op: AddRouteOp, ds: Diagnostic[]): Edit[] | null {
  const nested = nestedRouteEdit(ts, rf, text, op);
  if (nested) return [nested];
  const container = jsxContainer(ts, rf);
  const jsxRoutes = container?.children.filter((k) => tagOf(ts, rf.sf, k) === 'Route') ?? [];
  const array = jsxRoutes.length ? undefined : routesArray(ts, rf);
  if (array === 'ambiguous') {
    ds.push(diag('error', 'router-unrecognised', 'This file has several routes arrays and its <Router> names none of them: nocodo cannot tell which one to add the page to. Add the route by hand.'));
    return null;
  }
  if (array) return [arrayRouteEdit(rf, text, array, op.path, op.component)];
  if (!container) {
    ds.push(diag('error', 'router-unrecognised', 'No <Router>, <Routes> or routes array of `{ path, component }` objects in this file: nocodo cannot tell where the page goes. Add the route by hand.'));
    return null;
  }
  const lastRoute = jsxRoutes[jsxRoutes.length - 1];
  if (lastRoute) return [jsxRouteEdit(ts, rf, text, jsxRoutes, op.path, op.component)];
  const el = `<Route path="${op.path}" component={${op.component}} />`;
  if (container.children.some((k) => ts.isJsxExpression(k))) {
    ds.push(diag('error', 'router-unrecognised', `The <${container.openingElement.tagName.getText(rf.sf)}> here gets its routes from an expression nocodo cannot follow: add the route by hand.`));
    return null;
  }
  const outer = lineIndentAt(text, container.getStart(rf.sf));
  return [{ at: container.openingElement.getEnd(), text: `\n${outer}${stepOf(text)}${el}` }];
}

/** The menu link, after the last `<li><A>` (none for a path with parameters, or a menu-less file). */
function linkEdit(ts: Ts, rf: RouterFile, text: string, op: AddRouteOp, ds: Diagnostic[]): Edit | undefined {
  if (!op.link || op.path.includes(':') || rf.hrefs.has(op.path)) return undefined;
  const last = rf.links[rf.links.length - 1];
  if (!last) {
    ds.push(diag('info', 'no-menu', `No menu (\`<li><A href=…>\`) in this file: ${op.path} is registered without a link.`));
    return undefined;
  }
  const anchor = last.children.find((c) => ['A', 'a'].includes(tagOf(ts, rf.sf, c) ?? ''))!;
  const a = tagOf(ts, rf.sf, anchor)!;
  const label = op.link.label.replace(/[{}<>]/g, '');
  return { at: last.getEnd(), text: `\n${lineIndentAt(text, last.getStart(rf.sf))}<li><${a} href="${op.path}">${label}</${a}></li>` };
}

/** Applies one `addRoute` op to the router file's current text. */
export function applyAddRoute(ts: Ts, file: string, text: string, op: AddRouteOp, ds: Diagnostic[]): string {
  const rf = scanRouterFile(ts, file, text);
  const broken = syntaxErrors(ts, rf.sf);
  if (broken.length) {
    ds.push(diag('error', 'router-syntax', `The router file does not parse (${diagnosticsSummary(broken)}): nocodo edits only a file it can read. Fix it, then register the page again.`));
    return text;
  }
  const taken = rf.routes.find((r) => r.path === op.path || r.fullPath === op.path);
  if (taken) {
    if (taken.component === op.component) return text;
    ds.push(diag('error', 'route-exists', `${op.path} is already routed to ${taken.component ?? 'another component'}; nocodo will not register ${op.component} there too. Pick another path (--route).`));
    return text;
  }
  if (!rf.routers.length && !rf.routesTags.length && !rf.arrays.length) {
    ds.push(diag('error', 'router-unrecognised', 'No <Router>, <Routes> or routes array of `{ path, component }` objects in this file: nocodo cannot tell where the page goes. Add the route by hand.'));
    return text;
  }
  const route = routeEdit(ts, rf, text, op, ds);
  if (!route) return text;
  const edits: Edit[] = [...route];
  const imp = importEdit(ts, rf, text, op, ds);
  if (imp === null) return text;
  if (imp) edits.push(imp);
  if (route[0]!.text.includes('<Route')) {
    const ri = routeImportEdit(ts, rf, ds);
    if (ri === null) return text;
    if (ri) edits.push(ri);
  }
  const link = linkEdit(ts, rf, text, op, ds);
  if (link) edits.push(link);
  let out = text;
  // From the end, so earlier offsets stay valid; at the same offset the later-listed edit goes first.
  for (const e of edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i)) out = out.slice(0, e.at) + e.text + out.slice(e.at);
  return out;
}
