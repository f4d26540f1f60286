import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { solidRouteMode } from '../../../modes/solid-route';
import { routeFor } from '../../../modes/solid-route/plan';
import { NodeProjectFs, OverlayProjectFs } from '../../../src/core/projectFs';
import { initRustParser } from '../../../src/rust';

const BAKERY = path.resolve(__dirname, '../../fixtures/bakery');
const APP = readFileSync(path.join(BAKERY, 'frontend/src/App.tsx'), 'utf8');
const PAGE = 'export default function CustomerList() {\n  return <p>customers</p>;\n}\n';
const fsWith = (files: Record<string, string>) => {
  const fs = new OverlayProjectFs(new NodeProjectFs(BAKERY), new Map(Object.entries(files)));
  // The overlay's new files are listed too, as they would be on disk.
  const listFiles = fs.listFiles.bind(fs);
  fs.listFiles = async (dir, exts) => [...new Set([...(await listFiles(dir, exts)), ...Object.keys(files).filter((f) => f.startsWith(`${dir}/`) && exts.some((x) => f.endsWith(x)))])].sort();
  return fs;
};

beforeAll(() => initRustParser());

describe('solid-route (deterministic)', () => {
  it('names routes from the component', () => {
    expect(routeFor('ProductList')).toEqual({ path: '/products', label: 'Products' });
    expect(routeFor('OrderDetail')).toEqual({ path: '/orders/:id', label: 'order' });
    expect(routeFor('NewOrderForm')).toEqual({ path: '/orders/new', label: 'New order' });
    expect(routeFor('EditOrderForm')).toEqual({ path: '/orders/:id/edit', label: 'Edit order' });
    expect(routeFor('DeliveryList')).toEqual({ path: '/deliveries', label: 'Deliveries' });
  });

  it('adds the import, the <Route> and a menu link, once', async () => {
    const fs = fsWith({ 'frontend/src/pages/CustomerList.tsx': PAGE });
    const r = await solidRouteMode.run({ project: fs, file: 'frontend/src/pages/CustomerList.tsx', request: '' }, { client: undefined as never });
    expect(r.ok).toBe(true);
    expect(r.deterministic).toBe(true);
    const proposed = r.changeSet!.files[0]!.proposed;
    expect(r.changeSet!.files[0]!.path).toBe('frontend/src/App.tsx');
    expect(proposed).toContain("import ProductList from './pages/ProductList';\nimport CustomerList from './pages/CustomerList';");
    expect(proposed).toContain('      <Route path="/orders/:id" component={OrderDetail} />\n      <Route path="/customers" component={CustomerList} />\n    </Router>');
    expect(proposed).toContain('          <li><A href="/orders/new">New order</A></li>\n          <li><A href="/customers">Customers</A></li>');
    const again = await solidRouteMode.run({ project: fsWith({ 'frontend/src/pages/CustomerList.tsx': PAGE, 'frontend/src/App.tsx': proposed }), file: 'frontend/src/pages/CustomerList.tsx', request: '' }, { client: undefined as never });
    expect(again.ok).toBe(true);
    expect(again.changeSet).toBeUndefined();
    expect(again.diagnostics.map((d) => d.code)).toEqual(['route-exists']);
    expect(APP).not.toContain('CustomerList');
  });

  it('the proposal is an addRoute op; a path routed to another page is refused, not overwritten', async () => {
    const fs = fsWith({ 'frontend/src/pages/CustomerList.tsx': PAGE });
    const r = await solidRouteMode.run({ project: fs, file: 'frontend/src/pages/CustomerList.tsx', request: '' }, { client: undefined as never });
    expect(r.changeSet!.files[0]!.ops).toEqual([{ op: 'addRoute', path: '/customers', component: 'CustomerList', importFrom: './pages/CustomerList', link: { label: 'Customers' } }]);
    const taken = await solidRouteMode.run({ project: fs, file: 'frontend/src/pages/CustomerList.tsx', route: '/products', request: '' }, { client: undefined as never });
    expect(taken.ok).toBe(false);
    expect(taken.changeSet).toBeUndefined();
    expect(taken.diagnostics[0]).toMatchObject({ code: 'route-exists', file: 'frontend/src/App.tsx' });
    expect(taken.diagnostics[0]!.message).toContain('/products is already routed to ProductList');
  });

  it('a routes array in its own file (imported by the <Router>, or alone): the entry goes there, without a menu to link from', async () => {
    const routes = "import type { RouteDefinition } from '@solidjs/router';\nimport ProductList from './pages/ProductList';\n\nexport const routes: RouteDefinition[] = [\n  { path: '/', component: ProductList },\n];\n";
    const app = "import { Router } from '@solidjs/router';\nimport { routes } from './routes';\n\nexport default function App() {\n  return <Router>{routes}</Router>;\n}\n";
    const fs = fsWith({ 'frontend/src/pages/CustomerList.tsx': PAGE, 'frontend/src/App.tsx': app, 'frontend/src/routes.ts': routes });
    const r = await solidRouteMode.run({ project: fs, file: 'frontend/src/pages/CustomerList.tsx', request: '' }, { client: undefined as never });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['info no-menu']);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['frontend/src/routes.ts']);
    const fs2 = fsWith({ 'frontend/src/pages/CustomerList.tsx': PAGE, 'frontend/src/App.tsx': app.replace('<Router>{routes}</Router>', '<p />').replace("import { Router } from '@solidjs/router';\n", ''), 'frontend/src/routes.ts': routes });
    const r2 = await solidRouteMode.run({ project: fs2, file: 'frontend/src/pages/CustomerList.tsx', request: '' }, { client: undefined as never });
    expect(r2.ok).toBe(true);
    expect(r2.changeSet!.files[0]!.path).toBe('frontend/src/routes.ts');
    expect(r2.changeSet!.files[0]!.proposed).toBe(routes.replace("ProductList';\n", "ProductList';\nimport CustomerList from './pages/CustomerList';\n").replace("component: ProductList },\n", "component: ProductList },\n  { path: '/customers', component: CustomerList },\n"));
    expect(r2.changeSet!.summary).not.toContain('menu link');
  });

  it('bad input: a page that does not exist, a project without a router', async () => {
    const missing = await solidRouteMode.run({ project: new NodeProjectFs(BAKERY), file: 'frontend/src/pages/Nope.tsx', request: '' }, { client: undefined as never });
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics[0]!.message).toContain('does not exist');
    const noRouter = fsWith({ 'frontend/src/pages/CustomerList.tsx': PAGE, 'frontend/src/App.tsx': 'export default function App() { return <p />; }\n' });
    const r = await solidRouteMode.run({ project: noRouter, file: 'frontend/src/pages/CustomerList.tsx', request: '' }, { client: undefined as never });
    expect(r.diagnostics[0]!.message).toContain('has a <Router>');
  });
});
