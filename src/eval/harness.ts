import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { CompileChecker, CompileRequest } from '../compile';
import type { FileChange } from '../domain';
import { withRustTree } from '../rust/parser';
import { MemoryProjectFs, readTree } from './project';

/**
 * Compile harnesses for tasks on project fragments (the corpus files are parts of real crates that
 * cannot build alone). A harness is a small crate that does build: the upstream schema and model
 * files, a crate root, and in each file that receives answers the names upstream has in scope
 * there (its own `use` lines, the types its queries need). The answer's change is compiled in it
 * as written: the `use` lines the change adds and the items it adds (a method inside its `impl`
 * header, a free function, a struct, a `mod` line) go into the harness's copy of that file. A
 * harness file may be the upstream file as it is: the function the task masked there is replaced
 * by the answer's.
 *
 * Layout: `<dir>/harness.json` = `{ "fixture": "<folder>", "files": { "<crate path>": "<fixture file>" } }`
 * (upstream files used as they are), and every other file under `<dir>` laid over them.
 */

export interface Harness {
  dir: string;
  files: Map<string, string>;
  /** System libraries the crate links (harness.json `needs`): without one, compiling is skipped with its install hint. */
  needs?: HarnessNeed[];
}

/** A system library found with pkg-config (Diesel's mysql feature needs the MySQL client library). */
export interface HarnessNeed {
  pkgConfig: string;
  what: string;
  install: string;
}

/** Why the harness cannot build on this machine (a library it links is missing), else undefined. */
export function missingNeed(needs: readonly HarnessNeed[] = [], has: (pkg: string) => boolean = pkgConfigHas): string | undefined {
  const need = needs.find((n) => !has(n.pkgConfig));
  return need ? `${need.what} is not installed (pkg-config finds no ${need.pkgConfig}): ${need.install}` : undefined;
}

const pkgConfigSeen = new Map<string, boolean>();
function pkgConfigHas(pkg: string): boolean {
  let ok = pkgConfigSeen.get(pkg);
  if (ok === undefined) {
    ok = spawnSync('pkg-config', ['--exists', pkg], { stdio: 'ignore' }).status === 0;
    pkgConfigSeen.set(pkg, ok);
  }
  return ok;
}

function parseNeeds(specPath: string, raw: unknown): HarnessNeed[] | undefined {
  if (raw === undefined) return undefined;
  const ok = (n: unknown): n is HarnessNeed => !!n && typeof n === 'object' && ['pkgConfig', 'what', 'install'].every((k) => typeof (n as Record<string, unknown>)[k] === 'string');
  if (!Array.isArray(raw) || !raw.every(ok)) throw new Error(`${specPath}: needs must be a list of { "pkgConfig", "what", "install" }.`);
  return raw;
}

export const HARNESS_SPEC = 'harness.json';

/** Reads a harness folder; throws with a clear message when it is broken. */
export async function loadHarness(dir: string): Promise<Harness> {
  const specPath = path.join(dir, HARNESS_SPEC);
  if (!existsSync(specPath)) throw new Error(`${dir} has no ${HARNESS_SPEC}.`);
  const spec = JSON.parse(await fsp.readFile(specPath, 'utf8')) as { fixture?: unknown; files?: unknown; needs?: unknown };
  const needs = parseNeeds(specPath, spec.needs);
  const files = new Map<string, string>();
  if (typeof spec.fixture === 'string' && spec.files && typeof spec.files === 'object') {
    for (const [target, source] of Object.entries(spec.files as Record<string, unknown>)) {
      if (typeof source !== 'string') throw new Error(`${specPath}: files["${target}"] must be a file name.`);
      const text = await fsp.readFile(path.resolve(dir, spec.fixture, source), 'utf8').catch(() => undefined);
      if (text === undefined) throw new Error(`${specPath}: files["${target}"]: ${source} does not exist in ${spec.fixture}.`);
      files.set(target, text);
    }
  }
  for (const [rel, text] of await readTree(dir)) if (rel !== HARNESS_SPEC) files.set(rel, text);
  if (!files.has('Cargo.toml')) throw new Error(`${dir}: the harness crate has no Cargo.toml.`);
  return { dir, files, ...(needs ? { needs } : {}) };
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Top-level items of a Rust file: `use` lines, other items, and the functions inside each `impl`. */
function itemsOf(text: string): { uses: string[]; items: string[]; methods: { header: string; text: string }[] } {
  return withRustTree(text, (tree) => {
    const uses: string[] = [];
    const items: string[] = [];
    const methods: { header: string; text: string }[] = [];
    // An item with the attributes and `///` comments directly above it.
    const withLeading = (n: Node, siblings: Node[], i: number): string => {
      let start = n.startIndex;
      for (let j = i - 1; j >= 0; j--) {
        const p = siblings[j]!;
        if (p.type !== 'attribute_item' && !(p.type === 'line_comment' && p.text.startsWith('///'))) break;
        start = p.startIndex;
      }
      return text.slice(start, n.endIndex);
    };
    const top = tree.rootNode.children.filter((c): c is Node => !!c);
    top.forEach((n, i) => {
      if (n.type === 'use_declaration' || n.type === 'extern_crate_declaration') uses.push(n.text);
      else if (n.type === 'impl_item') {
        const body = n.childForFieldName('body');
        if (!body) return;
        const header = text.slice(n.startIndex, body.startIndex).trim();
        const members = body.children.filter((c): c is Node => !!c);
        members.forEach((m, j) => {
          if (m.type === 'function_item') methods.push({ header, text: withLeading(m, members, j) });
        });
      } else if (!/comment|attribute_item/.test(n.type)) items.push(withLeading(n, top, i));
    });
    return { uses, items, methods };
  });
}

/**
 * The harness's copy of one changed file: its own text, then what the change adds to the project
 * file, as written. Undefined when the harness has no such file (nothing to compile it in).
 */
export function harnessChange(change: FileChange, harnessText: string | undefined): FileChange | undefined {
  if (change.original === null) return { ...change, original: harnessText ?? null };
  if (harnessText === undefined) return undefined;
  const before = itemsOf(change.original);
  const after = itemsOf(change.proposed);
  const had = (list: readonly string[], x: string): boolean => list.some((y) => squash(y) === squash(x));
  const uses = after.uses.filter((u) => !had(before.uses, u));
  const items = after.items.filter((x) => !had(before.items, x));
  const oldMethods = before.methods.map((m) => m.text);
  const impls = new Map<string, string[]>();
  for (const m of after.methods) if (!had(oldMethods, m.text)) impls.set(m.header, [...(impls.get(m.header) ?? []), m.text]);
  const added = [...uses, ...items, ...[...impls].map(([header, fns]) => `${header} {\n${fns.map((f) => `    ${f.trimStart()}`).join('\n\n')}\n}`)];
  // A harness file may be the upstream file itself, with the function the task masked: the answer replaces it.
  const replaced = [
    ...items.flatMap((x) => fnName(x) ?? []).map((name) => ({ name })),
    ...[...impls].flatMap(([header, fns]) => fns.flatMap((f) => fnName(f) ?? []).map((name) => ({ header, name }))),
  ];
  const base = withoutFns(harnessText, replaced);
  return { ...change, original: harnessText, proposed: `${base.trimEnd()}\n\n${added.join('\n\n')}\n` };
}

const fnName = (item: string): string | undefined => /^(?:\s*(?:#\[[^\n]*\]|\/\/\/[^\n]*)\n)*[^\n{]*?\bfn\s+([A-Za-z_]\w*)/.exec(item)?.[1];

/** `text` without the named functions: free ones (no header) and methods of the impl with that header, with their attributes and doc comments. */
function withoutFns(text: string, fns: readonly { name: string; header?: string }[]): string {
  if (!fns.length) return text;
  const cuts = withRustTree(text, (tree) => {
    const out: [number, number][] = [];
    const cut = (siblings: Node[], i: number): void => {
      let start = siblings[i]!.startIndex;
      for (let j = i - 1; j >= 0; j--) {
        const p = siblings[j]!;
        if (p.type !== 'attribute_item' && !(p.type === 'line_comment' && p.text.startsWith('///'))) break;
        start = p.startIndex;
      }
      out.push([start, siblings[i]!.endIndex]);
    };
    const top = tree.rootNode.children.filter((c): c is Node => !!c);
    top.forEach((n, i) => {
      if (n.type === 'function_item' && fns.some((f) => !f.header && f.name === n.childForFieldName('name')?.text)) cut(top, i);
      if (n.type !== 'impl_item') return;
      const body = n.childForFieldName('body');
      if (!body) return;
      const header = squash(text.slice(n.startIndex, body.startIndex));
      const members = body.children.filter((c): c is Node => !!c);
      members.forEach((m, j) => {
        if (m.type === 'function_item' && fns.some((f) => f.header && squash(f.header) === header && f.name === m.childForFieldName('name')?.text)) cut(members, j);
      });
    });
    return out;
  });
  let result = text;
  for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) result = result.slice(0, a) + result.slice(b);
  return result;
}

/** A checker that compiles every change inside the harness crate instead of the task's project. */
export function harnessChecker(inner: CompileChecker, harness: Harness): CompileChecker {
  const project = new MemoryProjectFs(`harness:${harness.dir}`, harness.files);
  return {
    unavailable: () => inner.unavailable(),
    // The checker is the whole run's: the run disposes it, not one task.
    dispose: async () => undefined,
    async check(req: CompileRequest) {
      const files: FileChange[] = [];
      const missing: string[] = [];
      for (const c of req.changeSet.files) {
        const h = harnessChange(c, harness.files.get(c.path));
        if (h) files.push(h);
        else missing.push(c.path);
      }
      const lacking = missingNeed(harness.needs);
      if (lacking) return { ran: false, ok: false, ms: 0, errors: [], preExisting: [], skipped: lacking, output: '', notes: [] };
      const home = req.generated?.file;
      if (home && missing.includes(home)) {
        return { ran: false, ok: false, ms: 0, errors: [], preExisting: [], skipped: `the compile harness has no ${home} to compile the answer in`, output: '', notes: [] };
      }
      return inner.check({ ...req, project, changeSet: { ...req.changeSet, files } });
    },
  };
}
