import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeChanges } from '../../../src/cli/commands/generate';
import type { ChangeSet, EditOp } from '../../../src/domain';
import { applyOps } from '../../../src/pipeline/rust/applyOps';
import { deriveClassChanges } from '../../../src/pipeline/tsx/classOps';
import { planAccept, planFile } from '../../../src/proposals';
import { initRustParser } from '../../../src/rust';

const ROOT = path.resolve(__dirname, '../../..');
const BAKERY = path.join(ROOT, 'test/fixtures/bakery');
const BAKERY_APP = readFileSync(path.join(BAKERY, 'frontend/src/App.tsx'), 'utf8');
const SCAFFOLD_APP = readFileSync(path.join(ROOT, 'templates/app/frontend/src/App.tsx'), 'utf8');
const ORDER_NOTE = readFileSync(path.join(ROOT, 'eval/tasks/solid/restyle-order-note/project/frontend/src/components/OrderNote.tsx'), 'utf8');

const route = (p: string, component: string, importFrom = `./pages/${component}`, label: string | null = component): EditOp => ({ op: 'addRoute', path: p, component, importFrom, link: label === null ? null : { label } });
const apply = (text: string, ops: EditOp[], file = 'frontend/src/App.tsx') => applyOps(text, ops, { ts, file });
const errors = (r: { diagnostics: { severity: string; code?: string }[] }) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

beforeAll(() => initRustParser());

describe('addRoute on <Router> children', () => {
  it('bakery: import after the imports, <Route> after the routes, link after the menu; twice changes nothing', () => {
    const r = apply(BAKERY_APP, [route('/customers', 'CustomerList', './pages/CustomerList', 'Customers')]);
    expect(errors(r)).toEqual([]);
    expect(r.text).toBe(
      BAKERY_APP.replace("import ProductList from './pages/ProductList';", "import ProductList from './pages/ProductList';\nimport CustomerList from './pages/CustomerList';")
        .replace('<Route path="/orders/:id" component={OrderDetail} />', '<Route path="/orders/:id" component={OrderDetail} />\n      <Route path="/customers" component={CustomerList} />')
        .replace('<li><A href="/orders/new">New order</A></li>', '<li><A href="/orders/new">New order</A></li>\n          <li><A href="/customers">Customers</A></li>'),
    );
    expect(apply(r.text, [route('/customers', 'CustomerList', './pages/CustomerList', 'Customers')]).text).toBe(r.text);
  });

  it('the scaffold of templates/: one route, one link', () => {
    const r = apply(SCAFFOLD_APP, [route('/products', 'ProductList', './pages/ProductList', 'Products')]);
    expect(errors(r)).toEqual([]);
    expect(r.text).toContain("import Home from './pages/Home';\nimport ProductList from './pages/ProductList';\n");
    expect(r.text).toContain('      <Route path="/" component={Home} />\n      <Route path="/products" component={ProductList} />\n    </Router>');
    expect(r.text).toContain('          <li><A href="/">Home</A></li>\n          <li><A href="/products">Products</A></li>\n');
    expect(r.text.replace(/.*ProductList.*\n|.*\/products.*\n/g, '')).toBe(SCAFFOLD_APP);
  });

  it("a path with parameters gets no menu link; the file's quote and semicolon style is kept", () => {
    const app = `import { Router, Route } from "@solidjs/router"\nimport Home from "./pages/Home"\n\nexport default () => (\n\t<Router>\n\t\t<Route path="/" component={Home} />\n\t</Router>\n)\n`;
    const r = apply(app, [route('/orders/:id', 'OrderDetail')]);
    expect(r.text).toBe(app.replace('import Home from "./pages/Home"', 'import Home from "./pages/Home"\nimport OrderDetail from "./pages/OrderDetail"').replace('component={Home} />', 'component={Home} />\n\t\t<Route path="/orders/:id" component={OrderDetail} />'));
  });

  it('<Routes> (older router), a layout route around the pages, lazy pages, an empty router', () => {
    const routes = `import { Router, Routes, Route } from '@solidjs/router';\nimport Home from './pages/Home';\n\nexport default function App() {\n  return (\n    <Router>\n      <Routes>\n        <Route path="/" component={Home} />\n      </Routes>\n    </Router>\n  );\n}\n`;
    expect(apply(routes, [route('/about', 'About')]).text).toContain('        <Route path="/" component={Home} />\n        <Route path="/about" component={About} />\n      </Routes>');
    const layout = `import { Router, Route } from '@solidjs/router';\nimport Shell from './Shell';\nimport Home from './pages/Home';\n\nexport default () => (\n  <Router>\n    <Route path="/" component={Shell}>\n      <Route path="/" component={Home} />\n    </Route>\n  </Router>\n);\n`;
    expect(apply(layout, [route('/about', 'About')]).text).toContain('      <Route path="/" component={Home} />\n      <Route path="/about" component={About} />\n    </Route>');
    const lazy = `import { lazy } from 'solid-js';\nimport { Router, Route } from '@solidjs/router';\n\nconst Home = lazy(() => import('./pages/Home'));\n\nexport default () => (\n  <Router>\n    <Route path="/" component={Home} />\n  </Router>\n);\n`;
    const lz = apply(lazy, [route('/about', 'About')]);
    expect(lz.text).toContain("const Home = lazy(() => import('./pages/Home'));\nconst About = lazy(() => import('./pages/About'));\n");
    expect(lz.text).not.toContain('import About');
    const empty = `import { Router } from '@solidjs/router';\nimport Home from './pages/Home';\n\nexport default () => (\n  <Router>\n  </Router>\n);\n`;
    const e = apply(empty, [route('/', 'Home')]);
    expect(e.text).toContain("import { Router, Route } from '@solidjs/router';");
    expect(e.text).toContain('  <Router>\n    <Route path="/" component={Home} />\n  </Router>');
    expect(e.text.match(/import Home/g)).toHaveLength(1);
  });
});

describe('addRoute under a parent route', () => {
  const nested = `import { Router, Route } from '@solidjs/router';\nimport Home from './pages/Home';\nimport OrderList from './pages/OrderList';\nimport OrderDetail from './pages/OrderDetail';\n\nexport default () => (\n  <Router>\n    <Route path="/" component={Home} />\n    <Route path="/orders">\n      <Route path="/" component={OrderList} />\n      <Route path="/:id" component={OrderDetail} />\n    </Route>\n  </Router>\n);\n`;

  it('a path under a parent with children goes inside it, relative, after its last child; twice changes nothing', () => {
    const r = apply(nested, [route('/orders/:id/items', 'OrderItems')]);
    expect(errors(r)).toEqual([]);
    expect(r.text).toBe(
      nested
        .replace("import OrderDetail from './pages/OrderDetail';", "import OrderDetail from './pages/OrderDetail';\nimport OrderItems from './pages/OrderItems';")
        .replace('      <Route path="/:id" component={OrderDetail} />\n', '      <Route path="/:id" component={OrderDetail} />\n      <Route path="/:id/items" component={OrderItems} />\n'),
    );
    expect(apply(r.text, [route('/orders/:id/items', 'OrderItems')]).text).toBe(r.text);
    // A path outside every parent stays a top-level route, after the parent.
    expect(apply(nested, [route('/customers', 'CustomerList')]).text).toContain('    </Route>\n    <Route path="/customers" component={CustomerList} />\n  </Router>');
  });

  it('the deepest parent wins (a parameter of another name matches); bare child paths stay bare; quotes kept', () => {
    const deep = nested.replace('      <Route path="/:id" component={OrderDetail} />', "      <Route path='/:id'>\n        <Route path='/' component={OrderDetail} />\n      </Route>");
    expect(apply(deep, [route('/orders/:orderId/items', 'OrderItems')]).text).toContain("        <Route path='/' component={OrderDetail} />\n        <Route path='/items' component={OrderItems} />\n      </Route>");
    const bare = nested.replace('path="/:id"', 'path=":id"');
    expect(apply(bare, [route('/orders/:id/items', 'OrderItems')]).text).toContain('      <Route path=":id" component={OrderDetail} />\n      <Route path=":id/items" component={OrderItems} />\n    </Route>');
  });

  it('a leaf route is not made a parent: the bakery\'s /orders/:id has no children, /orders/:id/items stays top-level', () => {
    const r = apply(BAKERY_APP, [route('/orders/:id/items', 'OrderItems')]);
    expect(errors(r)).toEqual([]);
    expect(r.text).toContain('      <Route path="/orders/:id" component={OrderDetail} />\n      <Route path="/orders/:id/items" component={OrderItems} />');
  });

  it('a routes array: into the parent object\'s children, in its style', () => {
    const config = `import Home from './pages/Home';\nexport const routes = [\n  { path: '/', component: Home },\n  {\n    path: '/admin',\n    children: [\n      { path: '/users', component: Home },\n    ],\n  },\n];\n`;
    const r = apply(config, [route('/admin/roles', 'Roles')], 'frontend/src/routes.ts');
    expect(errors(r)).toEqual([]);
    expect(r.text).toContain("    children: [\n      { path: '/users', component: Home },\n      { path: '/roles', component: Roles },\n    ],\n");
    const inline = config.replace("[\n      { path: '/users', component: Home },\n    ]", "[{ path: 'users', component: Home }]");
    expect(apply(inline, [route('/admin/roles/:id', 'Role')], 'frontend/src/routes.ts').text).toContain("children: [{ path: 'users', component: Home }, { path: 'roles/:id', component: Role }],");
  });
});

describe('addRoute on a routes array', () => {
  const config = `import { Router, type RouteDefinition } from '@solidjs/router';\nimport Home from './pages/Home';\n\nconst routes: RouteDefinition[] = [\n  { path: '/', component: Home },\n  {\n    path: '/admin',\n    children: [{ path: '/users', component: Home }],\n  },\n];\n\nexport default () => <Router>{routes}</Router>;\n`;

  it('a new object after the last one, with the trailing comma style kept', () => {
    const r = apply(config, [route('/about', 'About')]);
    expect(errors(r)).toEqual([]);
    expect(r.text).toContain("    children: [{ path: '/users', component: Home }],\n  },\n  { path: '/about', component: About },\n];");
    expect(r.text).toContain("import Home from './pages/Home';\nimport About from './pages/About';\n");
    const inline = `import Home from './pages/Home';\nexport const routes = [{ path: "/", component: Home }];\n`;
    expect(apply(inline, [route('/about', 'About')], 'frontend/src/routes.ts').text).toContain('export const routes = [{ path: "/", component: Home }, { path: "/about", component: About }];');
  });

  it('a menu config of `{ path, label }` objects is not a routes array', () => {
    const app = BAKERY_APP.replace('function Layout', "const menu = [{ path: '/customers', label: 'Customers' }];\n\nfunction Layout");
    const r = apply(app, [route('/customers', 'CustomerList', './pages/CustomerList', 'Customers')]);
    expect(errors(r)).toEqual([]);
    expect(r.text).toContain('<Route path="/customers" component={CustomerList} />');
  });

  it('a nested path counts as taken: /admin/users is there already', () => {
    const r = apply(config, [route('/admin/users', 'Users')]);
    expect(errors(r)).toEqual(['route-exists']);
    expect(r.diagnostics[0]!.message).toContain('already routed to Home');
    expect(r.text).toBe(config);
  });
});

describe('addRoute refuses what it cannot do right', () => {
  const refused = (text: string, op: EditOp, code: string, says: string) => {
    const r = apply(text, [op]);
    expect(errors(r)).toEqual([code]);
    expect(r.diagnostics.find((d) => d.severity === 'error')!.message).toContain(says);
    expect(r.text).toBe(text && !text.endsWith('\n') ? `${text}\n` : text);
  };

  it('a path routed to another page, a name already taken, a file that does not parse', () => {
    refused(BAKERY_APP, route('/products', 'CustomerList'), 'route-exists', '/products is already routed to ProductList');
    refused(BAKERY_APP, route('/all-products', 'ProductList', './pages/AllProducts'), 'name-taken', "imported from './pages/ProductList'");
    refused(BAKERY_APP.replace('</Router>', '</Routr>'), route('/customers', 'CustomerList'), 'router-syntax', 'does not parse');
    refused(BAKERY_APP.slice(0, BAKERY_APP.length / 2), route('/customers', 'CustomerList'), 'router-syntax', 'line');
  });

  it('no router at all, routes built by code, two routes arrays nobody names', () => {
    refused('export default function App() {\n  return <p>hi</p>;\n}\n', route('/x', 'X'), 'router-unrecognised', 'No <Router>');
    refused(`import { Router } from '@solidjs/router';\nexport default () => <Router>{makeRoutes()}</Router>;\n`, route('/x', 'X'), 'router-unrecognised', 'expression');
    refused(`const a = [{ path: '/', component: A }];\nconst b = [{ path: '/b', component: B }];\n`, route('/x', 'X'), 'router-unrecognised', 'several routes arrays');
    // Hostile bytes: a binary-ish file and an empty one are refused the same way, nothing written.
    refused('\u0000\u0001<Router><<<', route('/x', 'X'), 'router-syntax', 'does not parse');
    refused('', route('/x', 'X'), 'router-unrecognised', 'No <Router>');
  });
});

describe('setClasses', () => {
  const file = 'frontend/src/components/OrderNote.tsx';
  // The model's answer: right classes, but its own indentation and a reflowed button.
  const answer = ORDER_NOTE.replace('<div class="note">', '<div class="alert alert-info">').replace('<button type="button"', '<button class="btn btn-sm" type="button"').replace(/\n {8}/g, '\n    ');

  it('only the class strings of the answer are applied; the file keeps its own formatting', () => {
    const { changes, diagnostics } = deriveClassChanges(ts, file, ORDER_NOTE, answer);
    expect(diagnostics).toEqual([]);
    expect(changes).toEqual([
      { element: 'OrderNote>Show>div', sig: '', nth: 0, alike: 1, attr: 'class', from: '"note"', to: '"alert alert-info"', after: null },
      { element: 'OrderNote>Show>div>button', sig: 'type="button" onClick={() => props.onDismiss()} Got it', nth: 0, alike: 1, attr: 'class', from: null, to: '"btn btn-sm"', after: null },
    ]);
    const r = apply(ORDER_NOTE, [{ op: 'setClasses', changes }], file);
    expect(r.text).toBe(ORDER_NOTE.replace('class="note"', 'class="alert alert-info"').replace('<button type="button"', '<button class="btn btn-sm" type="button"'));
    expect(apply(r.text, [{ op: 'setClasses', changes }], file).text).toBe(r.text);
  });

  it('className, removals, attributes placed where the answer put them, template literals with the same expressions', () => {
    const before = `export const Card = (p: { on: boolean }) => (\n  <div className={\`card \${p.on ? 'on' : ''}\`} id="c">\n    <span id="s" className="x">a</span>\n    <span id="t">b</span>\n  </div>\n);\n`;
    const after = `export const Card = (p: { on: boolean }) => (\n  <div className={\`card shadow \${p.on ? 'on' : ''}\`} id="c">\n    <span id="s">a</span>\n    <span id="t" className="badge">b</span>\n  </div>\n);\n`;
    const { changes, diagnostics } = deriveClassChanges(ts, 'c.tsx', before, after);
    expect(diagnostics).toEqual([]);
    expect(apply(before, [{ op: 'setClasses', changes }], 'c.tsx').text).toBe(after);
  });

  it('classList: its class names may change, its conditions not', () => {
    const before = `export default (p: { s: string }) => <span class="status" classList={{ green: p.s === 'ready', 'red': p.s === 'late' }}>{p.s}</span>;\n`;
    const after = before.replace('class="status"', 'class="badge"').replace("green: p.s === 'ready', 'red'", "'badge-success': p.s === 'ready', 'badge-error'");
    const { changes, diagnostics } = deriveClassChanges(ts, 'b.tsx', before, after);
    expect(diagnostics).toEqual([]);
    expect(changes.map((c) => c.attr)).toEqual(['class', 'classList']);
    expect(apply(before, [{ op: 'setClasses', changes }], 'b.tsx').text).toBe(after);
    expect(deriveClassChanges(ts, 'b.tsx', before, after.replace("=== 'late'", "!== 'late'")).diagnostics[0]!.message).toContain('Keep every condition of the `classList` as it is');
  });

  it('anything but a class string is refused, named: code in a class, new template expressions, classList, text', () => {
    const before = `export default (p: { s: string; on: boolean }) => (\n  <div class={p.s} classList={{ on: p.on }}>\n    <b class={\`a \${p.s}\`}>hi</b>\n  </div>\n);\n`;
    const cases: [string, string][] = [
      [before.replace('class={p.s}', 'class="card"'), 'is code (`{p.s}`)'],
      [before.replace('class={`a ${p.s}`}', 'class={`a ${p.on}`}'), 'expressions inside the `class`'],
      [before.replace('<b class={`a ${p.s}`}>', '<b class="a">'), 'expressions inside the `class`'],
      [before.replace('classList={{ on: p.on }}', 'classList={{ on: !p.on }}'), '`classList`'],
      [before.replace('>hi<', '>hello<'), 'may change only class attributes'],
      [before.replace('</div>', '</div'), 'does not parse'],
    ];
    for (const [answer, says] of cases) {
      const r = deriveClassChanges(ts, 'x.tsx', before, answer);
      expect(r.changes).toEqual([]);
      expect(r.diagnostics.map((d) => d.message).join(' ')).toContain(says);
    }
  });

  it('twin elements are told apart by their text and attributes, then by their place', () => {
    const before = `export default () => (\n  <ul>\n    <li class="i">1</li>\n    <li class="i">2</li>\n    <li class="i">2</li>\n  </ul>\n);\n`;
    const after = before.replace('<li class="i">2</li>\n  </ul>', '<li class="i font-bold">2</li>\n  </ul>');
    const { changes } = deriveClassChanges(ts, 'l.tsx', before, after);
    expect(changes).toEqual([{ element: '>ul>li', sig: '2', nth: 1, alike: 3, attr: 'class', from: '"i"', to: '"i font-bold"', after: null }]);
    const op: EditOp = { op: 'setClasses', changes };
    expect(apply(before, [op], 'l.tsx').text).toBe(after);
    // The user put another item first: the change still finds the second "2".
    const added = before.replace('<ul>\n', '<ul>\n    <li class="i">0</li>\n');
    expect(apply(added, [op], 'l.tsx').text).toBe(after.replace('<ul>\n', '<ul>\n    <li class="i">0</li>\n'));
    // The user rewrote that item among its twins: no guessing, a conflict.
    const r = apply(before.replace('<li class="i">2</li>\n  </ul>', '<li class="i">two</li>\n  </ul>'), [op], 'l.tsx');
    expect(errors(r)).toEqual(['class-anchor-missing']);
  });

  it('an element with no twin is found even after the user edited its other attributes or text', () => {
    const { changes } = deriveClassChanges(ts, 'n.tsx', ORDER_NOTE, ORDER_NOTE.replace('<button type="button"', '<button class="btn" type="button"'));
    const edited = ORDER_NOTE.replace('Got it', 'OK, thanks');
    expect(apply(edited, [{ op: 'setClasses', changes }], 'n.tsx').text).toBe(edited.replace('<button type="button"', '<button class="btn" type="button"'));
  });
});

describe('accepting a TSX proposal when the file changed since (re-anchoring)', () => {
  const abs = path.join(BAKERY, 'frontend/src/App.tsx');
  const routeChange = () => {
    const ops = [route('/customers', 'CustomerList', './pages/CustomerList', 'Customers')];
    return { path: 'frontend/src/App.tsx', original: BAKERY_APP, proposed: apply(BAKERY_APP, ops).text, ops };
  };

  it('the route goes into the text the user has now, their edits kept', async () => {
    const userEdited = BAKERY_APP.replace('<li><A href="/products">Products</A></li>', '<li><A href="/products">Our bread</A></li>').replace('<Route path="/orders/:id" component={OrderDetail} />', '<Route path="/orders/:id" component={OrderDetail} />\n      <Route path="/about" component={ProductList} />');
    const plan = await planFile(routeChange(), abs, userEdited);
    expect(plan.kind).toBe('reanchored');
    const text = (plan as { text: string }).text;
    expect(text).toContain('Our bread');
    expect(text).toContain('      <Route path="/about" component={ProductList} />\n      <Route path="/customers" component={CustomerList} />');
  });

  it('a route the user registered meanwhile, or a router made unreadable, is a clear conflict', async () => {
    const taken = await planFile(routeChange(), abs, BAKERY_APP.replace('<Route path="/" component={ProductList} />', '<Route path="/customers" component={OrderDetail} />'));
    expect(taken).toMatchObject({ kind: 'conflict' });
    expect((taken as { message: string }).message).toContain('/customers is already routed to OrderDetail');
    const broken = await planFile(routeChange(), abs, BAKERY_APP.replace('<Router root={Layout}>', '<Router root={Layout}'));
    expect((broken as { message: string }).message).toContain('does not parse');
  });

  it('a restyle whose element the user deleted is a conflict; one whose element moved still applies', async () => {
    const file = 'frontend/src/components/OrderNote.tsx';
    const noteAbs = path.join(BAKERY, file);
    const answer = ORDER_NOTE.replace('class="note"', 'class="alert"');
    const { changes } = deriveClassChanges(ts, file, ORDER_NOTE, answer);
    const change = { path: file, original: ORDER_NOTE, proposed: answer, ops: [{ op: 'setClasses' as const, changes }] };
    const moved = ORDER_NOTE.replace('<p>{note()}</p>', '<h2>Note</h2>\n          <p>{note()}</p>');
    const ok = await planFile(change, noteAbs, moved);
    expect(ok).toMatchObject({ kind: 'reanchored', text: moved.replace('class="note"', 'class="alert"') });
    const gone = await planFile(change, noteAbs, ORDER_NOTE.replace('<div class="note">', '<div>'));
    expect(gone.kind).toBe('conflict');
    expect((gone as { message: string }).message).toContain('the <div> in OrderNote with class="note" is no longer there');
  });
});

describe('accept-time TypeScript check', () => {
  const read = (texts: Record<string, string>) => async (rel: string) => texts[rel] ?? readFileSync(path.join(BAKERY, rel), 'utf8');

  it('a change that would not parse is refused, nothing planned to write', async () => {
    const cs: ChangeSet = { mode: 'daisyui-style', summary: 's', files: [{ path: 'frontend/src/App.tsx', original: BAKERY_APP, proposed: BAKERY_APP.replace('</Router>', '</Router'), ops: [] }] };
    const plan = await planAccept(cs, BAKERY, read({}));
    expect(plan.kind).toBe('refused');
    expect((plan as { problems: string[] }).problems[0]).toMatch(/^frontend\/src\/App\.tsx would not parse after this change \(line \d+: .*\); nothing was written\.$/);
  });

  it('a change that brings a type error is refused; an error the file already had is not held against it', async () => {
    const typo = BAKERY_APP.replace('component={OrderDetail}', 'component={OrderDetial}');
    const t0 = performance.now();
    const plan = await planAccept({ mode: 'solid-route', summary: 's', files: [{ path: 'frontend/src/App.tsx', original: BAKERY_APP, proposed: typo, ops: [] }] }, BAKERY, read({}));
    const ms = performance.now() - t0;
    expect(plan.kind).toBe('refused');
    expect((plan as { problems: string[] }).problems[0]).toContain("would not type-check after this change (line 27: Cannot find name 'OrderDetial'");
    expect(ms).toBeLessThan(30_000);
    const ops = [route('/customers', 'ProductList', './pages/ProductList', 'Customers')];
    const fine = await planAccept({ mode: 'solid-route', summary: 's', files: [{ path: 'frontend/src/App.tsx', original: typo, proposed: apply(typo, ops).text, ops }] }, BAKERY, read({ 'frontend/src/App.tsx': typo }));
    expect(fine.kind).toBe('apply');
  }, 60_000);

  it('the type check runs in a worker thread: this thread keeps running meanwhile', async () => {
    const typo = BAKERY_APP.replace('component={OrderDetail}', 'component={OrderDetial}');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    try {
      const plan = await planAccept({ mode: 'solid-route', summary: 's', files: [{ path: 'frontend/src/App.tsx', original: BAKERY_APP, proposed: typo, ops: [] }] }, BAKERY, read({}), { typecheckLimitMs: 60_000 });
      expect(plan.kind).toBe('refused');
    } finally {
      clearInterval(timer);
    }
    const ms = performance.now() - t0;
    // Run on this thread, the check would let no timer fire until it ended (one tick at most).
    expect(ticks, `${ticks} ticks in ${Math.round(ms)} ms`).toBeGreaterThan(Math.min(20, ms / 10 / 4));
  }, 90_000);

  it('a type check that runs out of time is stopped; the accept goes on and says so', async () => {
    const typo = BAKERY_APP.replace('component={OrderDetail}', 'component={OrderDetial}');
    const cs: ChangeSet = { mode: 'solid-route', summary: 's', files: [{ path: 'frontend/src/App.tsx', original: BAKERY_APP, proposed: typo, ops: [] }] };
    const t0 = performance.now();
    const plan = await planAccept(cs, BAKERY, read({}), { typecheckLimitMs: 5 });
    const ms = performance.now() - t0;
    // A check takes hundreds of milliseconds warm, seconds cold (a new worker loads TypeScript and parses lib.dom.d.ts).
    expect(plan.kind).toBe('apply');
    expect((plan as { notes: string[] }).notes).toEqual([
      'The type check of frontend/src/App.tsx did not finish within 5 ms, so it was stopped and the accept went on without it (it parses). Run `npx tsc --noEmit` in the frontend to check it.',
    ]);
    expect(ms).toBeLessThan(5_000);
    // The syntax check still holds within the limit, and a later check with time enough still refuses.
    const broken = await planAccept({ ...cs, files: [{ ...cs.files[0]!, proposed: BAKERY_APP.replace('</Router>', '</Router') }] }, BAKERY, read({}), { typecheckLimitMs: 5 });
    expect(broken.kind).toBe('refused');
    expect((await planAccept(cs, BAKERY, read({}))).kind).toBe('refused');
  }, 90_000);

  it('the page the same change set creates is seen by the check of the router', async () => {
    const page = 'export default function CustomerList() {\n  return <p>customers</p>;\n}\n';
    const ops = [route('/customers', 'CustomerList', './pages/CustomerList', 'Customers')];
    const cs: ChangeSet = {
      mode: 'solid-list',
      summary: 's',
      files: [
        { path: 'frontend/src/pages/CustomerList.tsx', original: null, proposed: page, ops: [{ op: 'createFile', content: page }] },
        { path: 'frontend/src/App.tsx', original: BAKERY_APP, proposed: apply(BAKERY_APP, ops).text, ops },
      ],
    };
    expect((await planAccept(cs, BAKERY, read({}))).kind).toBe('apply');
    const alone = await planAccept({ ...cs, files: [cs.files[1]!] }, BAKERY, read({}));
    expect((alone as { problems: string[] }).problems.join(' ')).toContain("Cannot find module './pages/CustomerList'");
  }, 60_000);
});

describe('nocodo generate --write when the router changed while the mode ran', () => {
  it('the route goes into the current text; a route taken meanwhile refuses the write, the file untouched', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nocodo-tsx-write-'));
    try {
      const rel = 'frontend/src/App.tsx';
      mkdirSync(path.join(dir, 'frontend/src'), { recursive: true });
      const ops = [route('/customers', 'CustomerList', './pages/CustomerList', 'Customers')];
      const change = { path: rel, original: BAKERY_APP, proposed: apply(BAKERY_APP, ops).text, ops };
      const edited = BAKERY_APP.replace('>Bakery<', '>Our Bakery<');
      writeFileSync(path.join(dir, rel), edited);
      expect(await writeChanges(dir, [change])).toEqual([rel]);
      const written = readFileSync(path.join(dir, rel), 'utf8');
      expect(written).toContain('>Our Bakery<');
      expect(written).toContain('<Route path="/customers" component={CustomerList} />');
      const taken = BAKERY_APP.replace('<Route path="/" component={ProductList} />', '<Route path="/customers" component={OrderDetail} />');
      writeFileSync(path.join(dir, rel), taken);
      await expect(writeChanges(dir, [change])).rejects.toThrow('/customers is already routed to OrderDetail');
      expect(readFileSync(path.join(dir, rel), 'utf8')).toBe(taken);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
