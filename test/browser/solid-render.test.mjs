// Headless-Chromium test of the sample Solid frontend (test/fixtures/bakery/frontend): its pages,
// built by its own Vite, render in a real page and talk through the generated API client to an
// HTTP API that answers like the bakery backend (same routes, same JSON as its serde structs).
// Run: `node test/browser/solid-render.test.mjs`. Prints `N passed, N failed`; exit 1 on a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sample = join(root, 'test', 'fixtures', 'bakery', 'frontend');
const CHROMIUM = process.env.NOCODO_CHROMIUM ?? '/usr/bin/chromium';
const WAIT_MS = 60_000;

/** The bakery's data as its handlers send it (i32/i64 → numbers, NaiveDateTime → ISO text, Option → null). */
function bakeryApi() {
  const products = [
    { id: 1, name: 'Sourdough loaf', description: null, price_cents: 650, available: true },
    { id: 2, name: 'Croissant', description: 'butter', price_cents: 220, available: true },
    { id: 3, name: 'Rye bread', description: null, price_cents: 480, available: true },
  ];
  const orders = [{ id: 7, customer_id: 3, status: 'baking', pickup_at: '2026-12-24T09:30:00', notes: 'no seeds', total_cents: 1300, created_at: '2026-12-01T08:00:00' }];
  const posted = [];
  let failProducts = false;
  return {
    posted,
    failNextProducts: () => (failProducts = true),
    /** Returns true when it answered (an /api route), false for static files. */
    handle(req, res, body) {
      const json = (status, value) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'GET' && req.url === '/api/products') {
        if (failProducts) {
          failProducts = false;
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end('database is down');
          return true;
        }
        json(200, products);
        return true;
      }
      const one = /^\/api\/orders\/(\d+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && one) {
        const order = orders.find((o) => o.id === Number(one[1]));
        if (order) json(200, order);
        else json(404, { error: 'order not found' });
        return true;
      }
      if (req.method === 'POST' && req.url === '/api/orders') {
        const input = JSON.parse(body);
        posted.push(input);
        if (!(input.customer_id > 0)) {
          json(422, { error: 'customer_id must name a customer' });
          return true;
        }
        const order = { id: 100 + posted.length, pickup_at: null, notes: null, ...input, created_at: '2026-12-02T10:00:00' };
        orders.push(order);
        json(201, order);
        return true;
      }
      if ((req.url ?? '').startsWith('/api/')) {
        json(404, { error: `no route ${req.method} ${req.url}` });
        return true;
      }
      return false;
    },
  };
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

function serve(dist, api) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (api.handle(req, res, body)) return;
      // A single-page app: unknown paths get index.html, the router takes over.
      const path = normalize(join(dist, decodeURIComponent((req.url ?? '/').split('?')[0])));
      const file = path.startsWith(dist) && existsSync(path) && extname(path) ? path : join(dist, 'index.html');
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name}`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}\n       ${String(err?.message ?? err).split('\n').join('\n       ')}`);
  }
}
const expectEq = (got, want, what) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};

async function main() {
  if (!existsSync(join(sample, 'node_modules', 'vite'))) throw new Error(`the sample frontend is not installed: run \`npm ci\` in ${sample}`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium, or set NOCODO_CHROMIUM)`);
  const dist = mkdtempSync(join(tmpdir(), 'nocodo-solid-render-'));
  const api = bakeryApi();
  let server;
  let browser;
  try {
    // The sample's own Vite build (its config, Tailwind + DaisyUI plugin), into a scratch folder.
    const built = spawnSync(process.execPath, [join(sample, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], { cwd: sample, encoding: 'utf8' });
    await check('vite build of the sample frontend', () => {
      if (built.status !== 0) throw new Error(`vite build failed (exit ${built.status}):\n${built.stderr || built.stdout}`);
    });
    if (built.status !== 0) return;
    server = await serve(dist, api);
    const base = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await check('the product list shows the rows the API sends, price in currency units, styled by DaisyUI', async () => {
      await page.goto(`${base}/products`);
      const rows = page.locator('table tbody tr');
      await rows.nth(2).waitFor({ timeout: WAIT_MS });
      expectEq(await rows.count(), 3, 'rows');
      const first = await rows.first().locator('td').allTextContents();
      if (!first.some((t) => t.includes('Sourdough loaf')) || !first.some((t) => t.includes('6.50'))) throw new Error(`first row: ${JSON.stringify(first)}`);
      // The Tailwind + DaisyUI stylesheet was built and applied: a `table` has DaisyUI's layout.
      const width = await page.locator('table').evaluate((el) => el.ownerDocument.defaultView.getComputedStyle(el).width);
      if (width === 'auto' || width === '0px') throw new Error(`the table has no layout (${width}): styles missing`);
    });

    await check('a server error shows in the error state with the server\'s words', async () => {
      api.failNextProducts();
      await page.goto(`${base}/products`);
      await page.locator('.alert-error').waitFor({ timeout: WAIT_MS });
      const text = await page.locator('.alert-error').textContent();
      if (!text?.includes('database is down')) throw new Error(`alert: ${text}`);
    });

    await check('the order detail page loads the order named in the route', async () => {
      await page.goto(`${base}/orders/7`);
      await page.getByText('no seeds').waitFor({ timeout: WAIT_MS });
      const body = await page.locator('main').textContent();
      for (const want of ['baking', '13.00']) if (!body?.includes(want)) throw new Error(`detail misses ${want}: ${body}`);
    });

    await check('the order form posts the typed body, then shows the new order', async () => {
      await page.goto(`${base}/orders/new`);
      const inputs = page.locator('form input');
      await inputs.first().waitFor({ timeout: WAIT_MS });
      await inputs.nth(0).fill('3');
      await inputs.nth(1).fill('new');
      await inputs.nth(3).fill('12.40');
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(/\/orders\/101$/, { timeout: WAIT_MS });
      expectEq(api.posted[0], { customer_id: 3, status: 'new', pickup_at: null, notes: null, total_cents: 1240 }, 'posted body');
      await page.getByText('12.40').waitFor({ timeout: WAIT_MS });
    });

    await check('a refused order shows the server\'s error in the form', async () => {
      await page.goto(`${base}/orders/new`);
      const inputs = page.locator('form input');
      await inputs.first().waitFor({ timeout: WAIT_MS });
      await inputs.nth(0).fill('0');
      await inputs.nth(1).fill('new');
      await inputs.nth(3).fill('1');
      await page.locator('form button[type=submit]').click();
      await page.locator('.alert-error').waitFor({ timeout: WAIT_MS });
      expectEq((await page.locator('.alert-error').textContent())?.trim(), 'customer_id must name a customer', 'form error');
    });

    await check('no script errors on any page', () => expectEq(pageErrors, [], 'page errors'));
  } finally {
    await browser?.close();
    server?.close();
    rmSync(dist, { recursive: true, force: true });
  }
}

main()
  .catch((err) => {
    results.push({ name: 'setup', ok: false });
    console.log(`  FAIL setup: ${err?.message ?? err}`);
  })
  .finally(() => {
    const failed = results.filter((r) => !r.ok).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  });
