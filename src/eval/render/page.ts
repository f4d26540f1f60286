import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { MemoryProjectFs } from '../../core/projectFs';
import type { ChangeSet } from '../../domain';
import { findFrontendDir, generateApiFiles } from '../../frontend';
import type { EvalTask, LoadedRender } from '../types';

/**
 * One Solid answer on a real page: the task project's frontend with the answer's change set (and
 * the API client regenerated from the task's backend, as nocodo does after a backend change),
 * built by the frontend's own Vite, served with `/api` passed through to the running backend, and
 * opened in headless Chromium. The page must show the seeded rows; a form must create its row.
 */

/** A step of the render that failed, said in one line for the report. */
export class RenderFailure extends Error {
  override name = 'RenderFailure';
}

const WAIT_MS = 60_000;

/** The component file the answer wrote (the change set's .tsx that is not the generated API). */
function answerComponent(changeSet: ChangeSet): string | undefined {
  return changeSet.files.find((f) => f.path.endsWith('.tsx'))?.path;
}

/** The module script index.html loads (`/src/index.tsx`), frontend-relative. */
function entryOf(indexHtml: string): string | undefined {
  const src = /<script[^>]*type="module"[^>]*src="\/?([^"]+)"/.exec(indexHtml)?.[1];
  return src && !src.includes('..') ? src : undefined;
}

/** An import path from `from` (a frontend-relative file) to `to`, without the extension. */
function importPath(from: string, to: string): string {
  const rel = path.posix.relative(path.posix.dirname(from), to.replace(/\.tsx?$/, ''));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The entry that mounts one view at its route (the router gives it its params), keeping the
 * stylesheets the frontend's own entry imports.
 */
function viewEntry(originalEntry: string, entry: string, view: string, route: string): string {
  const styles = originalEntry.split('\n').filter((l) => /^import\s+['"][^'"]+\.css['"];?\s*$/.test(l.trim()));
  return [
    '// Written by nocodo eval --render: the answer\'s view alone, at its route.',
    "import { render } from 'solid-js/web';",
    "import { Route, Router } from '@solidjs/router';",
    `import View from '${importPath(entry, view)}';`,
    ...styles,
    '',
    "const root = document.getElementById('root');",
    "if (!root) throw new Error('index.html has no #root element');",
    `render(() => (<Router><Route path=${JSON.stringify(route)} component={View} /></Router>), root);`,
    '',
  ].join('\n');
}

/**
 * Writes the frontend to `scratch` with the answer applied and builds it with its own Vite.
 * Returns the built folder; a failed build is a RenderFailure with Vite's words.
 */
export async function buildAnswerFrontend(task: EvalTask, changeSet: ChangeSet, render: LoadedRender, scratch: string): Promise<string> {
  const files = new Map(task.files);
  for (const f of changeSet.files) files.set(f.path, f.proposed);
  const fs = new MemoryProjectFs(scratch, files);
  const frontendDir = await findFrontendDir(fs);
  if (frontendDir === undefined) throw new RenderFailure('the project has no Solid frontend to render in');
  const api = await generateApiFiles(fs, { frontendDir });
  files.set(api.typesPath, api.types);
  files.set(api.clientPath, api.client);

  const prefix = frontendDir ? `${frontendDir}/` : '';
  const out = path.join(scratch, 'frontend');
  for (const [rel, text] of files) {
    if (!rel.startsWith(prefix)) continue;
    const abs = path.join(out, rel.slice(prefix.length));
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  const installed = task.fixtureDir ? path.join(task.fixtureDir, frontendDir, 'node_modules') : undefined;
  if (!installed || !existsSync(path.join(installed, 'vite', 'bin', 'vite.js'))) {
    throw new RenderFailure(`the frontend's packages are not installed (${installed ?? 'no fixture folder'}): run \`npm ci\` there`);
  }
  symlinkSync(installed, path.join(out, 'node_modules'), 'dir');

  if (!render.app) {
    const entry = entryOf(files.get(`${prefix}index.html`) ?? '');
    if (!entry) throw new RenderFailure(`${prefix}index.html loads no module script to replace with the view's entry`);
    let view = render.view ? 'src/NocodoRenderView.tsx' : answerComponent(changeSet)?.slice(prefix.length);
    if (!view) throw new RenderFailure('the answer changed no .tsx file to render');
    if (render.view) writeFileSync(path.join(out, view), render.view.text);
    view = view.replace(/\\/g, '/');
    writeFileSync(path.join(out, entry), viewEntry(files.get(`${prefix}${entry}`) ?? '', entry, view, render.route ?? render.path));
  }

  const dist = path.join(scratch, 'dist');
  const built = spawnSync(process.execPath, [path.join(installed, 'vite', 'bin', 'vite.js'), 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: out,
    encoding: 'utf8',
    timeout: 5 * 60_000,
  });
  if (built.status !== 0) {
    const words = (built.stderr || built.stdout || built.error?.message || '').trim().split('\n').slice(0, 6).join(' ');
    throw new RenderFailure(`vite build failed: ${words}`);
  }
  return dist;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** Serves the built app (unknown paths get index.html: a single-page app) and passes `/api` to the backend. */
export function serveBuilt(dist: string, backendOrigin: string): Promise<Server> {
  const backend = new URL(backendOrigin);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/api' || url.startsWith('/api/')) {
      const upstream = httpRequest({ host: backend.hostname, port: backend.port, method: req.method, path: url, headers: { ...req.headers, host: backend.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (e) => {
        res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end(`the backend did not answer: ${e.message}`);
      });
      req.pipe(upstream);
      return;
    }
    const file = path.normalize(path.join(dist, decodeURIComponent(url.split('?')[0]!)));
    const found = file.startsWith(dist) && path.extname(file) && existsSync(file) ? file : path.join(dist, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(found)] ?? 'application/octet-stream' });
    res.end(readFileSync(found));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function visible(page: Page, text: string, where: string): Promise<void> {
  try {
    await page.getByText(text).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  } catch {
    const shown = ((await page.locator('body').innerText().catch(() => '')) || '(nothing)').replace(/\s+/g, ' ').slice(0, 300);
    throw new RenderFailure(`${where}: "${text}" is not on the page; it shows: ${shown}`);
  }
}

/** Opens the page and checks what the spec asks: the rows visible, the form's row created. */
export async function checkPage(browser: Browser, base: string, backendOrigin: string, render: LoadedRender): Promise<string> {
  // Fixed locale and zone: dates on the page read the same on every machine.
  const page = await browser.newPage({ locale: 'en-US', timezoneId: 'UTC' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${base}${render.path}`);
    if (render.click) {
      await page.getByRole('link', { name: render.click, exact: true }).first().click({ timeout: WAIT_MS }).catch(() => {
        throw new RenderFailure(`no link "${render.click}" to follow on ${render.path}`);
      });
    }
    for (const text of render.expect) await visible(page, text, render.path);
    let created = '';
    if (render.submit) {
      // An edit form fills itself from the API first: typing before that answer would be overwritten.
      await page.waitForLoadState('networkidle', { timeout: WAIT_MS }).catch(() => undefined);
      for (const [label, value] of Object.entries(render.submit.fields)) {
        const field = page.getByLabel(label, { exact: true }).first();
        await field.waitFor({ state: 'visible', timeout: WAIT_MS }).catch(() => {
          throw new RenderFailure(`the form has no field labelled "${label}"`);
        });
        if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      const sent = page.waitForResponse((r) => r.request().method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api'), { timeout: WAIT_MS });
      await page.locator('form [type=submit]').first().click({ timeout: WAIT_MS });
      const answer = await sent.catch(() => {
        throw new RenderFailure('submitting the form sent nothing to the API (a field the browser refused, or no submit handler)');
      });
      if (answer.status() >= 400) throw new RenderFailure(`the backend refused the form's ${answer.request().method()}: ${answer.status()} ${(await answer.text()).slice(0, 200)}`);
      const check = await fetch(`${backendOrigin}${render.submit.then.get}`);
      const body = await check.text();
      const missing = render.submit.then.includes.filter((t) => !body.includes(t));
      if (!check.ok || missing.length) throw new RenderFailure(`after the submit, GET ${render.submit.then.get} (${check.status}) lacks ${missing.map((m) => `"${m}"`).join(', ')}: ${body.slice(0, 200)}`);
      created = `; the form's ${answer.request().method()} stored ${render.submit.then.includes.map((t) => `"${t}"`).join(', ')}`;
    }
    if (errors.length) throw new RenderFailure(`script error on the page: ${errors[0]}`);
    return `${render.expect.length ? `showed ${render.expect.length} expected texts on ${render.path}` : `opened ${render.path}`}${created}`;
  } finally {
    await page.close().catch(() => undefined);
  }
}
