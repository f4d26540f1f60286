import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// The layer order of nocodo's own code, enforced by the lint rule `nocodo/layers` below. A file
// may import from its own unit and from units in LOWER layers only; two units of one layer do not
// import each other (except the shared mode helpers, `modes/*-common`). Code outside modes/ reaches
// the modes through their registry (`modes/index.ts`) only. README "Architecture" shows the same
// table: keep both in step. Only relative imports are checked (npm packages are not layers; the
// `vscode` ban is a separate rule in eslint.config.mjs).

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Lowest first. A unit is a folder (`src/llm`), a file (`modes/index.ts`) or a glob of either
 * (`*` stands for one path segment). In a `shared` layer the units may import each other.
 */
export const LAYERS = [
  // The mode descriptors are plain data the domain lists (MODE_IDS), kept in each mode's folder.
  { name: 'domain', shared: true, units: ['src/domain', 'modes/descriptors.ts', 'modes/*/descriptor.ts'] },
  { name: 'core', units: ['src/core', 'src/settings', 'prompts'] },
  { name: 'services', units: ['src/llm', 'src/localModel', 'src/rust', 'src/store', 'src/protocol', 'src/compile', 'src/git'] },
  { name: 'frontend reading', units: ['src/frontend'] },
  { name: 'pipeline', units: ['src/pipeline'] },
  { name: 'mode helpers', shared: true, units: ['modes/*-common'] },
  { name: 'modes', units: ['modes/*'] },
  { name: 'mode registry', shared: true, units: ['modes/index.ts', 'modes/registry.ts', 'modes/manifest.ts'] },
  { name: 'proposals', units: ['src/proposals'] },
  { name: 'agents', units: ['src/agents'] },
  { name: 'panel', units: ['src/teamPanel'] },
  { name: 'tools', units: ['src/eval', 'src/scaffold', 'src/runApp'] },
  { name: 'entry points', units: ['src/cli', 'src/host'] },
  { name: 'extension', units: ['src/extension.ts'] },
];

const MODE_REGISTRY = 'modes/index.ts';
const isFilePattern = (p) => /\.[cm]?[jt]sx?$/.test(p);

// Files before folders, exact names before globs, longer globs (`modes/*-common`) before shorter.
const PATTERNS = LAYERS.flatMap((layer, index) => layer.units.map((pattern) => ({ pattern, index })))
  .map((u) => ({ ...u, re: new RegExp(`^(${u.pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')})${isFilePattern(u.pattern) ? '$' : '(?:/|$)'}`) }))
  .sort((a, b) => Number(isFilePattern(b.pattern)) - Number(isFilePattern(a.pattern)) || Number(a.pattern.includes('*')) - Number(b.pattern.includes('*')) || b.pattern.length - a.pattern.length);

const match = (rel) => {
  for (const p of PATTERNS) {
    const m = p.re.exec(rel);
    if (m) return { unit: m[1], index: p.index };
  }
  return undefined;
};

/** The unit of a repo-relative path, '?' for a file in a layered folder that no unit names, or undefined outside the layers. */
export function unitOf(rel) {
  const top = rel.split('/')[0];
  if (!['src', 'modes', 'prompts'].includes(top) || rel === top) return undefined;
  return match(rel)?.unit ?? '?';
}

/** Index of the unit's layer in LAYERS. */
export function layerOf(unit) {
  return match(unit)?.index;
}

const isModeFolder = (unit) => LAYERS[layerOf(unit)]?.name === 'modes';
/** A mode or a mode helper: behind the registry for the rest of the code. */
const isBehindRegistry = (unit) => ['modes', 'mode helpers'].includes(LAYERS[layerOf(unit)]?.name);

/** Why `from` may not import `to` (both units), or undefined when it may. */
export function violation(from, to) {
  if (from === to) return undefined;
  const a = layerOf(from);
  const b = layerOf(to);
  if (b > a) return `${from} (layer "${LAYERS[a].name}") must not import ${to} (layer "${LAYERS[b].name}", higher): ${order()}.`;
  if (isBehindRegistry(to) && !from.startsWith('modes/')) return `${from} reaches the modes through ${MODE_REGISTRY} only, not ${to}.`;
  if (a === b && !LAYERS[a].shared) {
    return isModeFolder(from) ? `Modes do not import each other (${from} → ${to}): move what both need into a modes/*-common folder.` : `${from} and ${to} are both in layer "${LAYERS[a].name}": neither imports the other.`;
  }
  return undefined;
}

const order = () => `the order is ${LAYERS.map((l) => l.name).join(' ← ')}`;

/** The file an extension-less import means (`x` → `x.ts`, a folder → its index.ts); else the path as written. */
function resolveFile(abs) {
  if (existsSync(abs) && statSync(abs).isDirectory()) {
    const index = ['index.ts', 'index.tsx', 'index.mjs', 'index.js'].map((f) => path.join(abs, f)).find((f) => existsSync(f));
    return index ?? abs;
  }
  if (existsSync(abs)) return abs;
  return ['.ts', '.tsx', '.mjs', '.js'].map((ext) => abs + ext).find((f) => existsSync(f)) ?? abs;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: "Keeps imports in nocodo's layer order (eslint/layers.mjs)." },
    schema: [],
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const from = unitOf(file);
    if (from === undefined) return {};
    const check = (node, source) => {
      if (from === '?') return;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.relative(ROOT, resolveFile(path.resolve(path.dirname(context.filename), source))).split(path.sep).join('/');
      const to = unitOf(target);
      if (to === undefined) return;
      const why = to === '?' ? `${target} is in no layer: add its folder to LAYERS in eslint/layers.mjs (and to README "Architecture").` : violation(from, to);
      if (why) context.report({ node, message: why });
    };
    return {
      Program(node) {
        if (from === '?') context.report({ node, message: `${file} is in no layer: add its folder to LAYERS in eslint/layers.mjs (and to README "Architecture").` });
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers: rule } };
