import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { extensionOptions } from '../../../scripts/lib/bundles.mjs';

/**
 * The extension ships two bundles (scripts/lib/bundles.mjs): dist/extension.js, loaded at
 * activation, and dist/core.js, loaded on first use. A module that both import is in both, once
 * each: a module variable (a cache, a registry, an output channel, functions captured at load)
 * then exists twice and the two halves of nocodo stop seeing the same thing. Every module in
 * both bundles must be listed here with the reason its copy is harmless; a new one fails this
 * test until it is kept out of the activation bundle, made stateless, or given one process-wide
 * slot (as src/host/log.ts is).
 */
const SHARED_AND_WHY: Record<string, string> = {
  'src/host/log.ts': 'the output channel lives in one globalThis slot (Symbol.for), not in the module',
  'src/host/lateCommands.ts': 'a class only; each bundle makes its own instances',
  'src/host/proposals/commandIds.ts': 'a string constant',
  // The menus' context keys (src/host/projectStack.ts) read Cargo.toml at activation; Generate… reads it too.
  'src/rust/stack.ts': 'functions only',
  'src/rust/cargo.ts': 'functions and constant tables',
  'src/core/diagnostics.ts': 'functions only',
  'src/core/projectFs.ts': 'classes and a constant set',
  'src/host/workspaceFs.ts': 'a function only',
  'src/proposals/paths.ts': 'functions and a constant set',
  'node_modules/smol-toml': 'a TOML parser: functions and constant regular expressions (no /g)',
  // The status item is drawn from the settings at activation (src/host/statusItem.ts); the core reads them too.
  'src/host/workspaceTrust.ts': 'functions and a constant list',
  'src/settings/defaultBaseUrl.ts': 'a string constant',
};

const ROOT = path.resolve(__dirname, '../../..');

/** The repository files (node_modules: the package folder) one bundle is made of. */
function modulesOf(meta: Metafile): Set<string> {
  const [output] = Object.values(meta.outputs);
  // A node_modules reached through a link shows as ../../node_modules/…: the package is what counts.
  return new Set(Object.keys(output!.inputs).map((f) => f.match(/(?:^|\/)(node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1] ?? f));
}

describe('the two extension bundles', () => {
  let activation: Set<string>;
  let core: Set<string>;
  beforeAll(async () => {
    const [ext, cor] = extensionOptions(ROOT, path.join(ROOT, 'dist'), { logLevel: 'silent' });
    const metaOf = async (options: typeof ext): Promise<Metafile> => (await build({ ...options, absWorkingDir: ROOT, write: false, metafile: true, sourcemap: false })).metafile;
    [activation, core] = (await Promise.all([metaOf(ext!), metaOf(cor!)])).map(modulesOf) as [Set<string>, Set<string>];
  }, 60_000);

  it('share no module that has state of its own', () => {
    const shared = [...activation].filter((m) => core.has(m)).sort();
    const unexplained = shared.filter((m) => !(m in SHARED_AND_WHY));
    expect(unexplained, 'modules in both dist/extension.js and dist/core.js: keep them out of the activation bundle or explain here why their copy is harmless').toEqual([]);
    // The list stays true: an entry no longer shared goes.
    expect(Object.keys(SHARED_AND_WHY).filter((m) => !shared.includes(m))).toEqual([]);
  });

  it('keep the notices (src/host/notice.ts) and the features out of the activation bundle', () => {
    // notice.ts holds vscode.window's functions captured when it loads; secrets.ts imports it.
    for (const m of ['src/host/notice.ts', 'src/host/secrets.ts', 'src/host/core.ts', 'node_modules/zod', 'node_modules/web-tree-sitter', 'node_modules/sql.js', 'node_modules/openai']) expect(activation.has(m), m).toBe(false);
    expect(core.has('src/host/notice.ts')).toBe(true);
  });
});
