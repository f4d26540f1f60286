import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';
import { loadPackage, resolvePackageFile } from './packages';

type Ts = typeof TS;

/** What Tailwind (with the project's plugins, DaisyUI among them) can generate, and its class list. */
export interface ClassOracle {
  /** True for each class Tailwind generates CSS for. */
  known(classes: readonly string[]): boolean[];
  /** Every class name Tailwind lists (utilities and plugin components), for suggestions. */
  classList(): string[];
  /** Plain CSS classes the project's own stylesheets define. */
  own: Set<string>;
}

interface DesignSystem {
  candidatesToCss(classes: string[]): (string | null)[];
  getClassList(): [string, unknown][];
}
interface TailwindModule {
  __unstable__loadDesignSystem(css: string, opts: { base: string; loadStylesheet: (id: string, base: string) => Promise<{ path: string; base: string; content: string }>; loadModule: (id: string, base: string) => Promise<{ path: string; base: string; module: unknown }> }): Promise<DesignSystem>;
}

const DEFAULT_CSS = '@import "tailwindcss";\n@plugin "daisyui";\n';
const oracles = new Map<string, Promise<ClassOracle | undefined>>();

async function cssFiles(dir: string, out: string[] = [], depth = 0): Promise<string[]> {
  if (depth > 4) return out;
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) await cssFiles(abs, out, depth + 1);
    else if (e.name.endsWith('.css')) out.push(abs);
  }
  return out.sort();
}

async function loadOracle(frontendAbs: string): Promise<ClassOracle | undefined> {
  const tw = loadPackage<TailwindModule>(frontendAbs, 'tailwindcss');
  if (!tw?.__unstable__loadDesignSystem) return undefined;
  const sheets = await cssFiles(path.join(frontendAbs, 'src'));
  const texts = await Promise.all(sheets.map((f) => fsp.readFile(f, 'utf8')));
  const entry = texts.find((t) => /@import\s+["']tailwindcss["']/.test(t));
  const own = new Set(texts.flatMap((t) => [...t.matchAll(/\.(-?[A-Za-z_][\w-]*)/g)].map((m) => m[1]!)));
  const load = (css: string): Promise<DesignSystem> =>
    tw.__unstable__loadDesignSystem(css, {
      base: path.join(frontendAbs, 'src'),
      async loadStylesheet(id, base) {
        const file = id === 'tailwindcss' ? resolvePackageFile(frontendAbs, 'tailwindcss/index.css') : id.startsWith('.') ? path.resolve(base, id) : resolvePackageFile(frontendAbs, id);
        if (!file) throw new Error(`cannot find stylesheet ${id}`);
        return { path: file, base: path.dirname(file), content: await fsp.readFile(file, 'utf8') };
      },
      async loadModule(id, base) {
        const mod = loadPackage<{ default?: unknown }>(id.startsWith('.') ? base : frontendAbs, id.startsWith('.') ? path.resolve(base, id) : id);
        if (!mod) throw new Error(`cannot load ${id}`);
        return { path: id, base, module: mod.default ?? mod };
      },
    });
  let ds: DesignSystem;
  try {
    ds = await load(entry ?? DEFAULT_CSS);
  } catch {
    ds = await load(DEFAULT_CSS);
  }
  let list: string[] | undefined;
  return {
    known: (classes) => ds.candidatesToCss([...classes]).map((c) => c !== null && c !== ''),
    classList: () => (list ??= ds.getClassList().map(([name]) => name)),
    own,
  };
}

/** The class oracle of a frontend, built once per process (Tailwind takes a second or two to load). */
export function classOracle(frontendAbs: string): Promise<ClassOracle | undefined> {
  let o = oracles.get(frontendAbs);
  if (!o) {
    o = loadOracle(frontendAbs).catch(() => undefined);
    oracles.set(frontendAbs, o);
  }
  return o;
}

export interface ClassUse {
  name: string;
  line: number;
  column: number;
}

/** Static class names in `class`/`className` strings (also inside `{…}` conditionals) and `classList` keys. */
export function classUses(ts: Ts, file: string, text: string): ClassUse[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: ClassUse[] = [];
  const addString = (node: TS.Node, value: string): void => {
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    for (const name of value.split(/\s+/).filter(Boolean)) out.push({ name, line: p.line + 1, column: p.character + 1 });
  };
  const strings = (node: TS.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) addString(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      addString(node.head, node.head.text);
      for (const s of node.templateSpans) {
        strings(s.expression);
        addString(s.literal, s.literal.text);
      }
    } else if (ts.isConditionalExpression(node)) {
      strings(node.whenTrue);
      strings(node.whenFalse);
    } else if (ts.isBinaryExpression(node)) {
      strings(node.left);
      strings(node.right);
    } else if (ts.isParenthesizedExpression(node)) strings(node.expression);
  };
  const visit = (node: TS.Node): void => {
    if (ts.isJsxAttribute(node) && ts.isIdentifier(node.name) && node.initializer) {
      const name = node.name.text;
      const init = node.initializer;
      const expr = ts.isJsxExpression(init) ? init.expression : init;
      if ((name === 'class' || name === 'className') && expr) strings(expr);
      if (name === 'classList' && expr && ts.isObjectLiteralExpression(expr)) {
        for (const prop of expr.properties) {
          if (prop.name && (ts.isStringLiteral(prop.name) || ts.isIdentifier(prop.name))) addString(prop.name, prop.name.text);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest known class (by edit distance, at most 2 edits), for "did you mean". */
export function closestClass(oracle: ClassOracle, name: string): string | undefined {
  const base = name.split(':').pop()!;
  let best: string | undefined;
  let bestD = 3;
  for (const c of oracle.classList()) {
    if (Math.abs(c.length - base.length) >= bestD) continue;
    const d = distance(base, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best && name.includes(':') ? `${name.slice(0, name.lastIndexOf(':') + 1)}${best}` : best;
}

/** Class names neither Tailwind, its plugins (DaisyUI) nor the project's stylesheets define. */
export async function unknownClasses(ts: Ts, frontendAbs: string, file: string, text: string): Promise<Diagnostic[]> {
  const uses = classUses(ts, file, text);
  if (!uses.length) return [];
  const oracle = await classOracle(frontendAbs);
  if (!oracle) return [diag('warning', 'tailwind-missing', 'Tailwind is not installed in the frontend: class names were not checked.', { file })];
  const candidates = uses.filter((u) => !oracle.own.has(u.name));
  const known = oracle.known(candidates.map((u) => u.name));
  return candidates
    .filter((_, i) => !known[i])
    .map((u) => {
      const hint = closestClass(oracle, u.name);
      return diag('error', 'unknown-class', `Unknown class \`${u.name}\`: neither a Tailwind utility nor a DaisyUI class${hint ? ` (did you mean \`${hint}\`?)` : ''}.`, { file, line: u.line, column: u.column });
    });
}
