import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRelativePath, resolveInsideRoot, rootIsInside } from '../../../src/proposals';

describe('checkRelativePath', () => {
  it('accepts ordinary project paths and normalises them', () => {
    expect(checkRelativePath('src/models/order.rs')).toEqual({ ok: true, rel: 'src/models/order.rs', segments: ['src', 'models', 'order.rs'] });
    expect(checkRelativePath('./src//schema.rs')).toMatchObject({ ok: true, rel: 'src/schema.rs' });
    expect(checkRelativePath('src/a..b.rs')).toMatchObject({ ok: true, rel: 'src/a..b.rs' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['../outside.rs', '".."'],
    ['src/../../outside.rs', '".."'],
    ['src/..', '".."'],
    ['/etc/passwd', 'absolute'],
    ['C:/Windows/x.rs', 'absolute'],
    ['c:x.rs', 'absolute'],
    ['src\\..\\x.rs', 'backslashes'],
    ['~/x.rs', 'home'],
    ['.git/hooks/pre-commit', '.git'],
    ['src/.GIT/config', '.git'],
    ['src/a\u0000.rs', 'control'],
    ['.', 'project folder itself'],
    ['./', 'project folder itself'],
  ])('refuses %j (%s)', (rel, why) => {
    const r = checkRelativePath(rel);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(why);
  });

  it('refuses non-strings', () => {
    expect(checkRelativePath(undefined).ok).toBe(false);
    expect(checkRelativePath(42).ok).toBe(false);
  });
});

describe('resolveInsideRoot (on disk)', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'nocodo-paths-'));
    root = join(base, 'project');
    outside = join(base, 'outside');
    mkdirSync(join(root, 'src', 'models'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(root, 'src', 'schema.rs'), '// schema\n');
    writeFileSync(join(outside, 'secret.rs'), '// not yours\n');
    symlinkSync(outside, join(root, 'src', 'escape'));
    symlinkSync(join(outside, 'secret.rs'), join(root, 'src', 'linked.rs'));
    symlinkSync(join(root, 'src', 'models'), join(root, 'src', 'inner'));
    symlinkSync(join(base, 'nowhere'), join(root, 'src', 'dangling.rs'));
    symlinkSync(root, join(base, 'project-link'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('resolves existing and new files inside the project', async () => {
    expect(await resolveInsideRoot(root, 'src/schema.rs')).toEqual({ ok: true, rel: 'src/schema.rs', abs: join(root, 'src', 'schema.rs'), exists: true });
    expect(await resolveInsideRoot(root, 'src/models/product.rs')).toMatchObject({ ok: true, exists: false });
    // New folders are fine: their deepest existing parent is inside.
    expect(await resolveInsideRoot(root, 'src/new/deeper/x.rs')).toMatchObject({ ok: true, exists: false, abs: join(root, 'src', 'new', 'deeper', 'x.rs') });
  });

  it('follows symlinks that stay inside the project', async () => {
    expect(await resolveInsideRoot(root, 'src/inner/x.rs')).toMatchObject({ ok: true, exists: false });
  });

  it('keeps the root spelling when the root itself is reached through a symlink', async () => {
    const viaLink = join(base, 'project-link');
    expect(await resolveInsideRoot(viaLink, 'src/schema.rs')).toMatchObject({ ok: true, abs: join(viaLink, 'src', 'schema.rs') });
  });

  it('refuses a folder symlink that leads outside', async () => {
    const r = await resolveInsideRoot(root, 'src/escape/new.rs');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/symbolic link .* outside the project/);
  });

  it('refuses a file symlink that leads outside', async () => {
    const r = await resolveInsideRoot(root, 'src/linked.rs');
    expect(r.ok).toBe(false);
  });

  it('refuses dangling symlinks, folders as files and files as folders', async () => {
    expect((await resolveInsideRoot(root, 'src/dangling.rs')).ok).toBe(false);
    expect((await resolveInsideRoot(root, 'src/models')).ok).toBe(false);
    expect((await resolveInsideRoot(root, 'src/schema.rs/x.rs')).ok).toBe(false);
  });

  it('refuses spelled-out escapes before touching the disk', async () => {
    expect((await resolveInsideRoot(root, '../outside/secret.rs')).ok).toBe(false);
    expect((await resolveInsideRoot(root, join(outside, 'secret.rs'))).ok).toBe(false);
  });

  it('refuses a missing root', async () => {
    expect((await resolveInsideRoot(join(base, 'gone'), 'src/a.rs')).ok).toBe(false);
  });

  it('rootIsInside checks a proposal root against the open folders', async () => {
    expect(await rootIsInside(root, [root])).toBe(true);
    expect(await rootIsInside(join(root, 'src'), [root])).toBe(true);
    expect(await rootIsInside(join(base, 'project-link'), [root])).toBe(true);
    expect(await rootIsInside(outside, [root])).toBe(false);
    expect(await rootIsInside(base, [root])).toBe(false);
    expect(await rootIsInside('relative/root', [root])).toBe(false);
    expect(await rootIsInside(root, [])).toBe(false);
  });
});
