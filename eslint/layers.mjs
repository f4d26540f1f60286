import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// The layer order of nocodo's own code, enforced by the lint rule `nocodo/layers` below. A file
// may import from its own unit and from units in LOWER layers only; two units of one layer do not
// import each other (except the shared mode helpers, `modes/*-common`). Code outside modes/ reaches
// the modes through their registry (`modes/index.ts`) only. README "Architecture" shows the same
// table: keep both in step. Only relative imports are checked (npm packages are not layers; the
// `vscode` ban is a separate rule in eslint.config.mjs).

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Lowest first. A unit is a folder (`src/llm`), a file (`modes/index.ts`) or a glob of mode folders. */
export const LAYERS = [
  { name: 'domain', units: ['src/domain'] },
  { name: 'core', units: ['src/core', 'prompts'] },
  { name: 'services', units: ['src/llm', 'src/localModel', 'src/rust', 'src/store', 'src/protocol', 'src/compile', 'src/git'] },
  { name: 'frontend reading', units: ['src/frontend'] },
  { name: 'pipeline', units: ['src/pipeline'] },
  { name: 'mode helpers', units: ['modes/*-common'] },
  { name: 'modes', units: ['modes/*'] },
  { name: 'mode registry', units: ['modes/index.ts', 'modes/registry.ts'] },
  { name: 'proposals', units: ['src/proposals'] },
  { name: 'agents', units: ['src/agents'] },
  { name: 'tools', units: ['src/eval', 'src/scaffold', 'src/runApp'] },
  { name: 'entry points', units: ['src/cli', 'src/host'] },
  { name: 'extension', units: ['src/extension.ts'] },
];

const MODE_REGISTRY = 'modes/index.ts';

/** The unit of a repo-relative path, '?' for a file in a layered folder that no unit names, or undefined outside the layers. */
export function unitOf(rel) {
  const parts = rel.split('/');
  if (parts[0] === 'prompts') return 'prompts';
  if (parts[0] !== 'src' && parts[0] !== 'modes') return undefined;
  if (parts.length < 2) return undefined;
  const name = `${parts[0]}/${parts[1]}`;
  return layerOf(name) === undefined ? '?' : name;
}

/** Index of the unit's layer in LAYERS (folders of modes/ match the globs). */
export function layerOf(unit) {
  const exact = LAYERS.findIndex((l) => l.units.includes(unit));
  if (exact >= 0) return exact;
  if (!unit.startsWith('modes/') || /\.[cm]?[jt]sx?$/.test(unit)) return undefined;
  if (unit.endsWith('-common')) return LAYERS.findIndex((l) => l.units.includes('modes/*-common'));
  return LAYERS.findIndex((l) => l.units.includes('modes/*'));
}

const isModeFolder = (unit) => unit.startsWith('modes/') && !/\.[cm]?[jt]sx?$/.test(unit);
const isSharedModeHelper = (unit) => isModeFolder(unit) && unit.endsWith('-common');

/** Why `from` may not import `to` (both units), or undefined when it may. */
export function violation(from, to) {
  if (from === to) return undefined;
  const a = layerOf(from);
  const b = layerOf(to);
  if (b > a) return `${from} (layer "${LAYERS[a].name}") must not import ${to} (layer "${LAYERS[b].name}", higher): ${order()}.`;
  if (isModeFolder(to) && !from.startsWith('modes/')) return `${from} reaches the modes through ${MODE_REGISTRY} only, not ${to}.`;
  if (a === b && !(isSharedModeHelper(to) && isModeFolder(from))) {
    return isModeFolder(from) ? `Modes do not import each other (${from} → ${to}): move what both need into a modes/*-common folder.` : `${from} and ${to} are both in layer "${LAYERS[a].name}": neither imports the other.`;
  }
  return undefined;
}

const order = () => `the order is ${LAYERS.map((l) => l.name).join(' ← ')}`;

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
      const target = path.relative(ROOT, path.resolve(path.dirname(context.filename), source)).split(path.sep).join('/');
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
