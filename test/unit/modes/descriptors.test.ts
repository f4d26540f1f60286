import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getMode, listModes } from '../../../modes';
import { descriptorsSource, isModeFolder, registrySource, stackWhen, syncManifest } from '../../../modes/manifest';
import { mapMode } from '../../../src/agents/engineeringManager';
import { MODE_DESCRIPTORS, MODE_IDS, ModeId, type ModeDescriptor } from '../../../src/domain';
import { MODEL_FREE_MODES } from '../../../src/eval/types';
import { isTsxMode } from '../../../src/eval/tsx';
import { whyModeDoesNotApply } from '../../../src/rust/modeFit';

/**
 * The mode descriptors are the one source of what a mode is: everything derived from them must
 * say the same, and the generated files must be what `npm run modes:sync` writes now.
 */

const ROOT = path.resolve(__dirname, '../../..');
const MODES_DIR = path.join(ROOT, 'modes');
const folders = readdirSync(MODES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const modeFolders = folders.filter(isModeFolder).sort();
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Parameters<typeof syncManifest>[0] & { scripts: Record<string, string> };

describe('mode descriptors', () => {
  it('every mode folder has a descriptor named after it, and every descriptor is listed', () => {
    for (const f of modeFolders) expect(existsSync(path.join(MODES_DIR, f, 'descriptor.ts')), `modes/${f}/descriptor.ts`).toBe(true);
    expect(MODE_DESCRIPTORS.map((d) => d.id).sort()).toEqual(modeFolders);
    expect(new Set(MODE_DESCRIPTORS.map((d) => d.order)).size).toBe(MODE_DESCRIPTORS.length);
    const commands = MODE_DESCRIPTORS.flatMap((d) => (d.command ? [d.command.id] : []));
    expect(new Set(commands).size).toBe(commands.length);
  });

  it('the generated lists and package.json are what `npm run modes:sync` writes (run it after changing a descriptor)', () => {
    expect(readFileSync(path.join(MODES_DIR, 'descriptors.ts'), 'utf8')).toBe(descriptorsSource(MODE_DESCRIPTORS));
    expect(readFileSync(path.join(MODES_DIR, 'registry.ts'), 'utf8')).toBe(registrySource(MODE_DESCRIPTORS));
    expect(syncManifest(pkg, MODE_DESCRIPTORS)).toEqual(pkg);
    expect(pkg.scripts['modes:sync']).toBe('tsx scripts/modes-sync.ts');
  });

  it('package.json offers each command on its kind of file, where the project has the stack the mode requires', () => {
    const menus = pkg.contributes.menus;
    for (const d of MODE_DESCRIPTORS) {
      if (!d.command) {
        expect(pkg.contributes.commands.map((c) => c.command)).not.toContain(`nocodo.${d.id}`);
        continue;
      }
      expect(pkg.contributes.commands).toContainEqual({ command: d.command.id, title: d.command.title, category: 'nocodo' });
      const submenu = d.command.target === 'rust' ? 'nocodo.rust' : 'nocodo.tsx';
      expect(menus[submenu]).toContainEqual({ command: d.command.id, group: d.command.group, ...(d.requires.length ? { when: stackWhen(d) } : {}) });
      const palette = menus.commandPalette!.find((m) => m.command === d.command!.id);
      expect(palette?.when).toBe([d.command.target === 'rust' ? 'editorLangId == rust' : 'editorLangId == typescriptreact', stackWhen(d)].filter(Boolean).join(' && '));
    }
    expect(menus['explorer/context']).toContainEqual({ submenu: 'nocodo.tsx', when: 'resourceLangId == typescriptreact', group: '7_modification@9' });
    // #19: a .tsx file offers the restyle, a Rust struct the Solid views.
    expect(menus['nocodo.tsx']!.map((m) => m.command)).toEqual(['nocodo.restyleWithDaisyUI']);
    expect(pkg.contributes.commands.filter((c) => /SolidJS/.test(c.title)).map((c) => c.title)).toEqual([
      'Generate SolidJS List for this struct…',
      'Generate SolidJS Detail for this struct…',
      'Generate SolidJS Form for this struct…',
    ]);
  });

  it('the mode ids, the registry, the eval and the stack checks are derived from them', () => {
    expect(MODE_IDS).toEqual(MODE_DESCRIPTORS.map((d) => d.id));
    expect(ModeId.options).toEqual([...MODE_IDS]);
    expect(listModes().map((m) => m.id)).toEqual([...MODE_IDS]);
    for (const d of MODE_DESCRIPTORS) {
      const m = getMode(d.id)!;
      expect({ title: m.title, description: m.description, needs: m.needs }).toEqual({ title: d.title, description: d.description, needs: d.needs });
      expect(MODEL_FREE_MODES.has(d.id)).toBe(d.deterministic);
      expect(isTsxMode(d.id)).toBe(d.language === 'tsx');
      expect(mapMode(d.id)).toBe(d.id);
      expect(mapMode(d.id.replace(/-/g, '_'))).toBe(d.id);
      for (const re of d.shaping.aliases) expect(MODE_IDS.some((id) => id !== d.id && re.test(id.replace(/-/g, ' '))), `${d.id}'s alias ${re} takes another mode's id`).toBe(false);
      const none = { cargoFound: true, actix: false, diesel: false };
      expect(whyModeDoesNotApply(d.id, none) === undefined).toBe(d.requires.length === 0);
    }
    expect(mapMode('model struct')).toBe('diesel-model-struct');
    expect(mapMode('store')).toBe('solid-state');
    expect(mapMode('daisyui')).toBe('daisyui-style');
  });

  it('a scratch mode folder is registered everywhere by the sync alone', () => {
    const scratch: ModeDescriptor = {
      id: 'solid-chart',
      order: 130,
      title: 'SolidJS chart',
      description: 'A chart of one numeric field.',
      language: 'tsx',
      artifact: 'component',
      role: 'frontendEngineer',
      deterministic: false,
      needs: { struct: true, request: true },
      inputs: ['struct'],
      requires: [],
      command: { id: 'nocodo.generateSolidChart', title: 'Generate SolidJS Chart for this struct…', target: 'rust', group: '3_solid@4', pickers: ['apiStruct'] },
      shaping: { usesTable: false, usesStruct: true, aliases: [] },
    };
    const all = [...MODE_DESCRIPTORS, scratch];
    expect(descriptorsSource(all)).toContain("import { descriptor as solidChart } from './solid-chart/descriptor';");
    expect(registrySource(all)).toMatch(/import solidChart from '\.\/solid-chart';[\s\S]*daisyuiStyle, solidChart\]/);
    const synced = syncManifest(pkg, all);
    expect(synced.contributes.commands).toContainEqual({ command: 'nocodo.generateSolidChart', title: 'Generate SolidJS Chart for this struct…', category: 'nocodo' });
    expect(synced.contributes.menus['nocodo.rust']!.at(-1)).toEqual({ command: 'nocodo.generateSolidChart', group: '3_solid@4' });
    // Removing it again takes its command and menu entries away, and leaves the rest as it was.
    expect(syncManifest(synced, MODE_DESCRIPTORS)).toEqual(pkg);
  });
});

/** `import … from '../<folder>/…'` in a mode folder's own files. */
function importedFolders(dir: string): { file: string; folder: string }[] {
  const out: { file: string; folder: string }[] = [];
  for (const f of readdirSync(path.join(MODES_DIR, dir))) {
    if (!f.endsWith('.ts')) continue;
    const text = readFileSync(path.join(MODES_DIR, dir, f), 'utf8');
    for (const m of text.matchAll(/from\s+'\.\.\/([^./'][^/']*)\//g)) out.push({ file: `${dir}/${f}`, folder: m[1]! });
  }
  return out;
}

describe('mode folders', () => {
  it('never import each other: shared code lives in a *-common folder', () => {
    const offending = modeFolders.flatMap(importedFolders).filter((i) => isModeFolder(i.folder));
    expect(offending).toEqual([]);
  });

  it('have one shape: descriptor and index; a model mode also its context, its prompt bank and its own checks', () => {
    const has = (dir: string, f: string): boolean => existsSync(path.join(MODES_DIR, dir, f));
    // Their checks are all their stack's shared ones (solid-common/component.ts: exports, client calls, tsc, lint, classes).
    const sharedChecksOnly = new Set(['solid-list', 'solid-detail']);
    const problems: string[] = [];
    for (const id of modeFolders) {
      const d = MODE_DESCRIPTORS.find((x) => x.id === id)!;
      const want = ['descriptor.ts', 'index.ts', ...(d.deterministic ? [] : ['context.ts', 'bank.ts']), ...(d.deterministic || sharedChecksOnly.has(id) ? [] : ['validate.ts'])];
      for (const f of want) if (!has(id, f)) problems.push(`${id}/${f} is missing`);
      // No model, no prompt: a deterministic mode has no bank to drift.
      if (d.deterministic && has(id, 'bank.ts')) problems.push(`${id} is deterministic but has a bank.ts`);
      if (has(id, 'bank.ts') && !readFileSync(path.join(MODES_DIR, id, 'bank.ts'), 'utf8').includes(`/${id}/examples.md'`)) problems.push(`${id}/bank.ts does not load prompts/<stack>/${id}/examples.md`);
    }
    expect(problems).toEqual([]);
  });

  it('the common folders import no mode folder either', () => {
    const commons = folders.filter((f) => !isModeFolder(f));
    expect(commons.flatMap(importedFolders).filter((i) => isModeFolder(i.folder))).toEqual([]);
  });
});
