import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chosenModelNote, resolveLocalModelSettings } from '../../../src/localModel/settings';
import { ALL_SETTINGS, parseSection, SETTINGS } from '../../../src/settings';

// One schema for every `nocodo.*` setting (src/settings). package.json's contributes.configuration
// is what the Settings UI shows: the same keys, the same defaults, the same choices and scopes.

const ROOT = path.resolve(__dirname, '../../..');
type Prop = { default?: unknown; minimum?: number; maximum?: number; enum?: unknown[]; scope?: string };
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Prop> } | { properties: Record<string, Prop> }[] } };
const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
const properties: Record<string, Prop> = Object.assign({}, ...sections.map((s) => s.properties));

describe('settings schema and package.json', () => {
  it('has exactly the keys package.json contributes', () => {
    expect(Object.keys(ALL_SETTINGS).sort()).toEqual(Object.keys(properties).filter((k) => k.startsWith('nocodo.')).sort());
  });

  it.each(Object.keys(ALL_SETTINGS))('%s: same default, choices and scope; the default is valid', (key) => {
    const spec = ALL_SETTINGS[key]!;
    const p = properties[key]!;
    expect(p.default, 'default').toEqual(spec.default);
    expect(spec.schema.safeParse(spec.default).success, 'the default passes the schema').toBe(true);
    if (p.enum) expect(spec.schema.safeParse('none of these').success).toBe(false);
    for (const choice of p.enum ?? []) expect(spec.schema.safeParse(choice).success, `choice ${String(choice)}`).toBe(true);
    expect(p.scope === 'machine', 'machine scope').toBe(spec.machine === true);
    if (typeof spec.default === 'number') {
      if (p.minimum !== undefined) expect(spec.default).toBeGreaterThanOrEqual(p.minimum);
      if (p.maximum !== undefined) expect(spec.default).toBeLessThanOrEqual(p.maximum);
    }
  });
});

describe('parseSection', () => {
  it('gives the defaults when nothing is set', () => {
    expect(parseSection('validation', {})).toEqual({ values: { cargoCheck: 'auto', cargoCheckTimeout: 300, cargoCheckCacheMaxMB: 4096 }, problems: [] });
  });

  it('reports a bad value with its key and falls back for that key alone', () => {
    const { values, problems } = parseSection('git', { commitOnAccept: false, forge: 'bitbucket', remote: 'upstream', apiUrl: 'https://user:pw@example.com' });
    expect(values).toEqual({ commitOnAccept: false, branchPerTask: false, remote: 'upstream', forge: 'auto', apiUrl: '' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe('`nocodo.git.forge` should be one of auto, github, gitlab, but is "bitbucket"; using "auto" instead.');
    expect(problems[1]).toMatch(/^`nocodo\.git\.apiUrl` should be an http\(s\) URL/);
    expect(problems[1]).not.toContain('pw');
  });

  it('checks types and ranges', () => {
    const { values, problems } = parseSection('localModel', { runtime: 'embedded', idleStopMinutes: -1, threads: 2.5, path: 42 });
    expect(values).toEqual({ path: '', runtime: 'embedded', idleStopMinutes: 10, threads: 0 });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['`nocodo.localModel.path`', '`nocodo.localModel.idleStopMinutes`', '`nocodo.localModel.threads`']);
  });

  it('covers every section of the schema', () => {
    for (const section of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) expect(parseSection(section, {}).problems).toEqual([]);
  });
});

describe('one way in to the settings', () => {
  /** Every .ts file under src/, relative to the repository. */
  const sources = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));

  it('only src/host/config.ts reads or writes `nocodo.*` through VS Code (the rest goes through its schema, defaults and machine scopes)', () => {
    const direct = /getConfiguration\(\s*['"`]nocodo|getConfiguration\(\s*\)\s*\.\s*(get|update|inspect)\s*(<[^>]*>)?\(\s*['"`]nocodo/;
    // The one exception: the activation bundle cannot load the schemas (zod stays in dist/core.js),
    // so the status item's first look reads the base URLs itself, for display only (nothing is
    // sent, workspace values only when trusted, anything but an http(s) URL skipped); the core
    // reads them through config.ts and redraws the item.
    const exceptions = ['src/host/config.ts', 'src/host/statusItem.ts'];
    const offenders = sources('src').filter((f) => !exceptions.includes(f) && direct.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
    expect(direct.test(readFileSync(path.join(ROOT, 'src/host/config.ts'), 'utf8')), 'the pattern finds the one reader').toBe(true);
  });

  it('Choose Local Model tells what happens next from the parsed runtime: a bad value reads as auto', () => {
    const bad = resolveLocalModelSettings({ runtime: 'llama', path: '/models/a.gguf' });
    expect(bad.problems[0]).toMatch(/^`nocodo\.localModel\.runtime` should be one of auto, llama-server, embedded/);
    expect(chosenModelNote(bad.runtime)).toBe(chosenModelNote('auto'));
    expect(chosenModelNote('auto')).toContain('When nothing answers at nocodo.llm.baseUrl');
    expect(chosenModelNote(resolveLocalModelSettings({ runtime: 'llama-server' }).runtime)).toContain('will not serve it itself');
    expect(chosenModelNote('embedded')).toContain('from the next request on');
  });
});
