import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { generateApiFiles } from '../../../src/frontend';
import { appNames, AppNameError, createNewApp, NewAppRefused, PLACEHOLDER, renderTemplate, templateDir } from '../../../src/scaffold';

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-new-app-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

function io(cwd = tmp): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd, env: {}, out: () => out, err: () => err };
}

/** Every file under `dir` (without .git) with its text, for comparing two scaffolds. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(r);
      } else out[r] = readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

describe('app names', () => {
  it('derives crate and package names from the display name', () => {
    expect(appNames('Corner Bakery')).toEqual({ appName: 'Corner Bakery', crateName: 'corner_bakery', packageName: 'corner-bakery' });
    expect(appNames('  Café  Müller ')).toEqual({ appName: 'Café Müller', crateName: 'cafe_muller', packageName: 'cafe-muller' });
    expect(appNames('3 Sisters').crateName).toBe('app_3_sisters');
  });

  it('refuses names that would break a Rust string, JSX or HTML', () => {
    for (const bad of ['', 'a"b', '<script>', 'x{y}', 'back\\slash', '-dash-first']) expect(() => appNames(bad), bad).toThrow(AppNameError);
  });
});

describe('the template is data', () => {
  it('lives in templates/app and every {{placeholder}} in it is a known one', async () => {
    const dir = templateDir();
    expect(dir.endsWith(path.join('templates', 'app'))).toBe(true);
    const files = await renderTemplate(appNames('Corner Bakery'), dir);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['.gitignore', '.vscode/settings.json', 'backend/Cargo.lock', 'frontend/package-lock.json']));
    for (const f of files) {
      expect(f.text, f.path).not.toMatch(PLACEHOLDER);
      expect(f.text, f.path).not.toMatch(/\{\{\s*[a-z_]+\s*\}\}/);
    }
    // Lockfiles name the app itself: the crate in Cargo.lock, the package in package-lock.json.
    expect(files.find((f) => f.path === 'backend/Cargo.lock')!.text).toContain('name = "corner_bakery"');
    expect(JSON.parse(files.find((f) => f.path === 'frontend/package-lock.json')!.text).name).toBe('corner-bakery-frontend');
  });

  it('pins every npm version exactly', async () => {
    const files = await renderTemplate(appNames('x'));
    const pkg = JSON.parse(files.find((f) => f.path === 'frontend/package.json')!.text);
    for (const [name, v] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) expect(v, name).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('createNewApp', () => {
  it('writes the scaffold, its generated API files and a first commit holding everything', async () => {
    const dir = path.join(tmp, 'corner-bakery');
    const r = await createNewApp({ dir, name: 'Corner Bakery' });
    expect(r.gitError).toBeUndefined();
    expect(r.files).toEqual(expect.arrayContaining(['backend/src/main.rs', 'backend/src/handlers/health.rs', 'frontend/src/api/client.ts', 'frontend/src/api/types.ts', 'README.md']));
    expect(readFileSync(path.join(dir, 'frontend/src/api/client.ts'), 'utf8')).toMatch(/export function health\(\): Promise<ApiResult<Health>>/);
    // The API files are exactly what `nocodo types` makes: regenerating proposes nothing.
    expect((await generateApiFiles(new NodeProjectFs(dir))).changeSet.files).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(dir, '.vscode/settings.json'), 'utf8'))['nocodo.git.branchPerTask']).toBe(true);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/^# Corner Bakery\n/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'log', '--format=%s')).toBe('New app: Corner Bakery\n');
    expect(git(dir, 'ls-files').trim().split('\n').sort()).toEqual([...r.files].sort());
    expect(git(dir, 'branch', '--show-current').trim()).toBe('main');
  });

  it('is deterministic: the same name gives the same files', async () => {
    const a = path.join(tmp, 'same-a');
    const b = path.join(tmp, 'same-b');
    await createNewApp({ dir: a, name: 'Same' });
    await createNewApp({ dir: b, name: 'Same' });
    expect(snapshot(a)).toEqual(snapshot(b));
  });

  it('refuses a folder with files, changes nothing in it and offers a free subfolder', async () => {
    const dir = path.join(tmp, 'busy');
    mkdirSync(path.join(dir, 'shop'), { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const before = snapshot(dir);
    const err = await createNewApp({ dir, name: 'Shop' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NewAppRefused);
    expect((err as NewAppRefused).message).toMatch(/is not empty \(.*notes\.txt.*\); New App never writes into a folder with files/);
    // `shop` exists already, so the suggestion is the next free name.
    expect((err as NewAppRefused).suggestion).toBe(path.join(dir, 'shop-2'));
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
  });

  it('accepts an empty folder and one holding only OS litter', async () => {
    const dir = path.join(tmp, 'litter');
    mkdirSync(dir);
    writeFileSync(path.join(dir, '.DS_Store'), '');
    const r = await createNewApp({ dir });
    expect(r.names.appName).toBe('litter');
  });

  it('removes what it wrote when writing fails half-way, and never replaces a file', async () => {
    const dir = path.join(tmp, 'half');
    const template = path.join(tmp, 'broken-template');
    mkdirSync(path.join(template, 'a'), { recursive: true });
    writeFileSync(path.join(template, 'README.md'), '# {{app_name}}\n');
    writeFileSync(path.join(template, 'a', 'one.txt'), '1');
    // Two template paths that map to the same file: the second exclusive create must fail.
    writeFileSync(path.join(template, 'dot-x'), 'x');
    writeFileSync(path.join(template, '.x'), 'y');
    await expect(createNewApp({ dir, template })).rejects.toThrow(/EEXIST/);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('nocodo new (CLI)', () => {
  it('writes the app and says what is next; --json has the names and the commit', async () => {
    const a = io();
    expect(await runCli(['new', 'cli-app', '--name', 'Salon Bookings', '--json'], a)).toBe(0);
    const j = JSON.parse(a.out());
    expect(j).toMatchObject({ ok: true, appName: 'Salon Bookings', crateName: 'salon_bookings', packageName: 'salon-bookings', gitError: null });
    expect(j.commit.subject).toBe('New app: Salon Bookings');
    expect(existsSync(path.join(tmp, 'cli-app/backend/Cargo.toml'))).toBe(true);
  });

  it('exits 1 on a folder with files, naming a subfolder; 2 without a folder', async () => {
    const a = io();
    expect(await runCli(['new', 'cli-app'], a)).toBe(1);
    expect(a.err()).toMatch(/^nocodo new: .*cli-app is not empty .* Use a new subfolder instead: .*cli-app[/\\]cli-app\n$/);
    const b = io();
    expect(await runCli(['new'], b)).toBe(2);
    expect(b.err()).toContain('Usage: nocodo new <dir>');
    const c = io();
    expect(await runCli(['new', 'x', '--name', '<b>'], c)).toBe(1);
    expect(c.err()).toContain('cannot be an app name');
  });
});
