import type { Node } from 'web-tree-sitter';
import { diag, type Diagnostic } from '../../core/diagnostics';
import type { EditOp } from '../../domain';
import { unquote } from '../../rust/tokens';
import { withRustTree } from '../../rust/parser';

/**
 * The `actixRegister` edit: adds `.service(x)` / `.route(…)` / `.configure(f)` / `.wrap(m)` to an
 * Actix builder chain, found by syntax in the CURRENT text (function name + scope paths), so a
 * proposal re-applies after the user edited the file. Applying it twice changes nothing.
 */

export type ActixRegisterOp = Extract<EditOp, { op: 'actixRegister' }>;

interface Call {
  name: string;
  args: Node[];
  node: Node;
}

const named = (n: Node | null): Node[] => (n ? n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'line_comment' && c.type !== 'block_comment') : []);
const squash = (s: string): string => s.replace(/\s+/g, '').replace(/,\)/g, ')');

function chainOf(node: Node): { base: Node; calls: Call[] } {
  const calls: Call[] = [];
  let cur = node;
  while (cur.type === 'call_expression') {
    const fn = cur.childForFieldName('function');
    if (fn?.type !== 'field_expression') break;
    calls.unshift({ name: fn.childForFieldName('field')?.text ?? '', args: named(cur.childForFieldName('arguments')), node: cur });
    const value = fn.childForFieldName('value');
    if (!value) break;
    cur = value;
  }
  return { base: cur, calls };
}

function plainCallPath(n: Node): string | undefined {
  if (n.type !== 'call_expression') return undefined;
  const fn = n.childForFieldName('function');
  if (!fn || fn.type === 'field_expression') return undefined;
  return fn.text.replace(/\s+/g, '').replace(/^::/, '').replace(/^actix_web::/, '');
}

const isOutermost = (n: Node): boolean => !(n.parent?.type === 'field_expression' && n.parent.childForFieldName('value')?.equals(n));
const isApp = (base: Node): boolean => /(?:^|::)App::new$/.test(plainCallPath(base) ?? '');

function scopeLiteral(base: Node): string | undefined {
  const p = plainCallPath(base);
  if (p !== 'web::scope' && p !== 'Scope::new' && p !== 'scope') return undefined;
  const a = named(base.childForFieldName('arguments'))[0];
  return a && (a.type === 'string_literal' || a.type === 'raw_string_literal') ? unquote(a.text) : undefined;
}

function findFn(root: Node, name: string): Node | undefined {
  for (const c of named(root)) {
    if (c.type === 'function_item' && c.childForFieldName('name')?.text === name) return c;
    if (c.type === 'mod_item' || c.type === 'ERROR') {
      const body = c.type === 'mod_item' ? c.childForFieldName('body') : c;
      const hit = body ? findFn(body, name) : undefined;
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The App chain, or the scope chain at `scopes`, inside `body`. */
function findChain(body: Node, scopes: readonly string[]): { base: Node; calls: Call[] } | undefined {
  let found: { base: Node; calls: Call[] } | undefined;
  const walk = (n: Node, stack: string[]): void => {
    if (found) return;
    if (n.type === 'call_expression' && isOutermost(n)) {
      const chain = chainOf(n);
      const lit = scopeLiteral(chain.base);
      if (lit !== undefined) {
        const next = [...stack, lit];
        if (next.length === scopes.length && next.every((s, i) => s === scopes[i])) {
          found = chain;
          return;
        }
        for (const c of chain.calls) for (const a of c.args) walk(a, next);
        return;
      }
      if (!scopes.length && isApp(chain.base)) {
        found = chain;
        return;
      }
    }
    for (const c of named(n)) if (c.type !== 'function_item') walk(c, stack);
  };
  walk(body, []);
  return found;
}

const ROUTING = new Set(['service', 'route', 'configure']);
const WRAPS = new Set(['wrap', 'wrap_fn']);

/** The call the new one goes after: the last of its kind, else a sensible neighbour, else the base. */
function anchorFor(calls: readonly Call[], method: ActixRegisterOp['method']): Node | undefined {
  const last = (pred: (c: Call) => boolean): Node | undefined => [...calls].reverse().find(pred)?.node;
  if (method === 'wrap') return last((c) => WRAPS.has(c.name)) ?? last((c) => c.name === 'app_data' || c.name === 'data');
  return last((c) => ROUTING.has(c.name)) ?? last((c) => c.name !== 'default_service');
}

function lineStartIndent(text: string, index: number): { indent: string; atLineStart: boolean } {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const before = text.slice(start, index);
  return { indent: /^[ \t]*/.exec(text.slice(start))![0], atLineStart: /^\s*$/.test(before) };
}

/** Position of the `.` that starts a chained call (the one between its receiver and the method name). */
function dotOf(call: Node): number | undefined {
  const fe = call.childForFieldName('function');
  if (fe?.type !== 'field_expression') return undefined;
  const dot = fe.children.find((c) => c?.type === '.');
  return dot?.startIndex;
}

function insertInChain(text: string, chain: { base: Node; calls: Call[] }, op: ActixRegisterOp): string {
  const after = anchorFor(chain.calls, op.method) ?? chain.base;
  const call = `.${op.method}(${op.args})`;
  // Continue the chain's layout: one call per line when its calls start lines, inline otherwise.
  const sample = chain.calls.map((c) => dotOf(c.node)).find((d): d is number => d !== undefined);
  if (sample !== undefined) {
    const { indent, atLineStart } = lineStartIndent(text, sample);
    if (atLineStart) return `${text.slice(0, after.endIndex)}\n${indent}${call}${text.slice(after.endIndex)}`;
  }
  return `${text.slice(0, after.endIndex)}${call}${text.slice(after.endIndex)}`;
}

/** `cfg.service(x);` statements of a configure function, for adding another. */
function insertCfgStatement(text: string, body: Node, param: string, op: ActixRegisterOp): string {
  const stmts = named(body).filter((s) => {
    if (s.type !== 'expression_statement') return false;
    const e = named(s)[0];
    return !!e && e.type === 'call_expression' && chainOf(e).base.text === param;
  });
  const line = `${param}.${op.method}(${op.args});`;
  const last = stmts[stmts.length - 1];
  if (last) {
    const { indent } = lineStartIndent(text, last.startIndex);
    return `${text.slice(0, last.endIndex)}\n${indent}${line}${text.slice(last.endIndex)}`;
  }
  const fnIndent = lineStartIndent(text, body.parent?.startIndex ?? body.startIndex).indent;
  const close = body.endIndex - 1;
  const inner = text.slice(body.startIndex + 1, close);
  const head = inner.trim() ? `${text.slice(0, body.startIndex + 1)}${inner.replace(/\s*$/, '')}\n` : `${text.slice(0, body.startIndex + 1)}\n`;
  return `${head}${fnIndent}    ${line}\n${fnIndent}${text.slice(close)}`;
}

function serviceConfigParam(fn: Node): string | undefined {
  for (const p of named(fn.childForFieldName('parameters'))) {
    const type = p.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
    if (p.type === 'parameter' && /^&mut(?:(?:::)?actix_web::)?(?:web::)?ServiceConfig$/.test(type)) return p.childForFieldName('pattern')?.text.replace(/^mut\s+/, '');
  }
  return undefined;
}

/** Calls already on the target (the chain's, or every `cfg.…` statement's for a configure root). */
function existingCalls(body: Node, chain: { calls: Call[] } | undefined, param: string | undefined): Call[] {
  if (chain) return chain.calls;
  const out: Call[] = [];
  for (const s of named(body)) {
    const e = s.type === 'expression_statement' ? named(s)[0] : undefined;
    if (e?.type !== 'call_expression') continue;
    const c = chainOf(e);
    if (c.base.text === param) out.push(...c.calls);
  }
  return out;
}

/** Whether `calls` already make the registration (`.service((a, b))` counts for `a`). */
function alreadyThere(calls: readonly Call[], op: ActixRegisterOp): boolean {
  const want = squash(op.args);
  return calls.some((c) => {
    if (c.name !== op.method) return false;
    if (squash(c.args.map((a) => a.text).join(',')) === want) return true;
    const only = c.args[0];
    return op.method === 'service' && c.args.length === 1 && only?.type === 'tuple_expression' && named(only).some((x) => squash(x.text) === want);
  });
}

export function applyActixRegister(text: string, op: ActixRegisterOp, ds: Diagnostic[]): string {
  return withRustTree(text, (tree) => {
    const fn = findFn(tree.rootNode, op.fn);
    const body = fn?.childForFieldName('body');
    if (!fn || !body) {
      ds.push(diag('error', 'register-anchor-missing', `No function \`${op.fn}\` in this file to register \`${op.args}\` in.`));
      return text;
    }
    const chain = findChain(body, op.scopes);
    const param = op.scopes.length ? undefined : serviceConfigParam(fn);
    if (!chain && !param) {
      const where = op.scopes.length ? `no \`web::scope(${op.scopes.map((s) => JSON.stringify(s)).join(') → web::scope(')})\`` : 'no `App::new()` chain and no `&mut web::ServiceConfig` parameter';
      ds.push(diag('error', 'register-anchor-missing', `\`${op.fn}\` has ${where}; cannot register \`${op.args}\`.`, { line: fn.startPosition.row + 1 }));
      return text;
    }
    if (alreadyThere(existingCalls(body, chain, param), op)) return text;
    return chain ? insertInChain(text, chain, op) : insertCfgStatement(text, body, param!, op);
  });
}
