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
const fsWith = (files: Record<string, string>) => new OverlayProjectFs(new NodeProjectFs(BAKERY), new Map(Object.entries(files)));

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

  it('bad input: a page that does not exist, a project without a router', async () => {
    const missing = await solidRouteMode.run({ project: new NodeProjectFs(BAKERY), file: 'frontend/src/pages/Nope.tsx', request: '' }, { client: undefined as never });
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics[0]!.message).toContain('does not exist');
    const noRouter = fsWith({ 'frontend/src/pages/CustomerList.tsx': PAGE, 'frontend/src/App.tsx': 'export default function App() { return <p />; }\n' });
    const r = await solidRouteMode.run({ project: noRouter, file: 'frontend/src/pages/CustomerList.tsx', request: '' }, { client: undefined as never });
    expect(r.diagnostics[0]!.message).toContain('has a <Router>');
  });
});
