import type { Node } from 'web-tree-sitter';
import { normalizeType } from './models';

/**
 * What `.app_data(…)` / `.data(…)` registers, read from the expression without a type checker:
 * `web::Data::new(pool.clone())` where `let pool = db::pool_from_env();`, `Arc::new(AppState {
 * pool })`, `web::Data::from(state)`, `Database::new(pool)`. What only a function's return type
 * can say is left as a call to resolve once every file is read (./actix).
 */

/** A type as far as one file can tell: a written type, or a call whose return type it is. */
export interface TypeGuess {
  type?: string;
  /** `db::pool_from_env`, `AppState::new`: the function whose return type this is. */
  call?: string;
  /** Times a `Result`/`Option` is taken apart (`?`, `.unwrap()`, `.expect(…)`) after the call. */
  unwrap: number;
  /** `Arc`s wrapped around it afterwards (negative: `Data::from(arc)` takes one off). */
  arcs: number;
}

/** One registration of shared data. */
export interface DataReg {
  /** The expression as written. */
  expr: string;
  /** True when it is wrapped in `web::Data` (or registered with actix-web 3's `.data`), so `web::Data<T>` extracts it. */
  data: boolean;
  guess?: TypeGuess;
  line: number;
}

export interface LetBinding {
  value?: Node;
  type?: string;
}

const named = (n: Node | null | undefined): Node[] => (n ? n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'line_comment' && c.type !== 'block_comment') : []);
const compact = (s: string): string => s.replace(/\s+/g, '');
const CONFIG_TYPES = /(?:^|::)(?:JsonConfig|PathConfig|QueryConfig|FormConfig|PayloadConfig)$/;

function callee(n: Node): { path?: string; method?: string; receiver?: Node; args: Node[] } {
  const fn = n.childForFieldName('function');
  const args = named(n.childForFieldName('arguments'));
  if (fn?.type === 'field_expression') return { method: fn.childForFieldName('field')?.text ?? '', receiver: fn.childForFieldName('value') ?? undefined, args };
  const f = fn?.type === 'generic_function' ? fn.childForFieldName('function') : fn;
  return { path: f ? compact(f.text).replace(/^::/, '') : undefined, args };
}

const plus = (g: TypeGuess | undefined, d: Partial<Pick<TypeGuess, 'unwrap' | 'arcs'>>): TypeGuess | undefined =>
  g && { ...g, unwrap: g.unwrap + (g.type && !g.call ? 0 : (d.unwrap ?? 0)), arcs: g.arcs + (d.arcs ?? 0) };

/** The type of an expression, following `let` bindings of the function. */
export function guessType(n: Node | undefined, lets: ReadonlyMap<string, LetBinding>, depth = 0): TypeGuess | undefined {
  if (!n || depth > 12) return undefined;
  const next = (x: Node | undefined): TypeGuess | undefined => guessType(x, lets, depth + 1);
  switch (n.type) {
    case 'parenthesized_expression':
    case 'reference_expression':
      return next(named(n).pop());
    case 'identifier': {
      const b = lets.get(n.text);
      if (b?.type) return { type: b.type, unwrap: 0, arcs: 0 };
      return b?.value ? next(b.value) : undefined;
    }
    case 'struct_expression': {
      const name = n.childForFieldName('name');
      return name ? { type: compact(name.text), unwrap: 0, arcs: 0 } : undefined;
    }
    case 'try_expression':
      return plus(next(named(n)[0]), { unwrap: 1 });
    case 'call_expression': {
      const c = callee(n);
      if (c.method !== undefined) {
        if (c.method === 'clone' || c.method === 'to_owned') return next(c.receiver);
        if (c.method === 'unwrap' || c.method === 'expect' || c.method === 'unwrap_or_else') return plus(next(c.receiver), { unwrap: 1 });
        if (c.method === 'build' || c.method === 'build_unchecked') {
          // `Pool::builder()…build(manager)`: a pool, whatever its manager.
          let base: Node | undefined = c.receiver;
          while (base?.type === 'call_expression' && callee(base).method !== undefined) base = callee(base).receiver;
          const p = base?.type === 'call_expression' ? callee(base).path : undefined;
          if (p && /(?:^|::)Pool::builder$/.test(p)) return { type: p.replace(/::builder$/, ''), unwrap: 0, arcs: 0 };
        }
        return undefined;
      }
      const path = c.path ?? '';
      if (/(?:^|::)(?:web::)?Data::new$/.test(path) || /(?:^|::)Arc::new$/.test(path)) {
        const inner = next(c.args[0]);
        return /Arc::new$/.test(path) ? plus(inner, { arcs: 1 }) : inner;
      }
      if (/(?:^|::)Data::from$/.test(path)) return plus(next(c.args[0]), { arcs: -1 });
      if (path) return { call: path, unwrap: 0, arcs: 0 };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The registration an `.app_data(arg)` / `.data(arg)` call makes. */
export function dataReg(method: 'app_data' | 'data', arg: Node, lets: ReadonlyMap<string, LetBinding>, line: number): DataReg | undefined {
  let wrapped = method === 'data';
  let inner: Node | undefined = arg;
  let letType: string | undefined;
  // `.app_data(data.clone())` with `let data = web::Data::new(x)`: the binding says whether it is wrapped.
  for (let i = 0; i < 6 && inner; i++) {
    if (inner.type === 'call_expression' && inner.childForFieldName('function')?.type === 'field_expression' && callee(inner).method === 'clone') inner = callee(inner).receiver;
    else if (inner.type === 'identifier' && lets.get(inner.text)) {
      letType ??= lets.get(inner.text)!.type;
      inner = lets.get(inner.text)!.value;
    } else break;
  }
  if (inner?.type === 'call_expression') {
    const p = callee(inner).path ?? '';
    if (/(?:^|::)Data::(?:new|from)$/.test(p)) wrapped = true;
    if (CONFIG_TYPES.test(p.replace(/::\w+$/, ''))) return undefined;
  }
  if (letType && /^(?:web::)?Data</.test(letType)) wrapped = true;
  let guess = guessType(arg, lets);
  if (guess?.type && CONFIG_TYPES.test(guess.type)) return undefined;
  // A binding typed `web::Data<T>` registers `T`.
  const dataInner = guess?.type ? unwrapOnce(guess.type, 'Data') : undefined;
  if (guess && dataInner) guess = { ...guess, type: dataInner };
  return { expr: normalizeType(arg.text), data: wrapped, ...(guess ? { guess } : {}), line };
}

/** `Arc<T>` → `T`, `web::Data<T>` → `T`, once. */
export function unwrapOnce(type: string, wrapper: 'Arc' | 'Data' | 'Result' | 'Option'): string | undefined {
  const m = new RegExp(`^(?:[\\w:]*::)?${wrapper === 'Result' ? '(?:Result|QueryResult|[A-Z]\\w*Result)' : wrapper}<([\\s\\S]*)>$`).exec(type.trim());
  if (!m) return undefined;
  const inner = m[1]!;
  if (wrapper !== 'Result') return inner.trim();
  // The first type argument at depth 0.
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) return inner.slice(0, i).trim();
  }
  return inner.trim();
}
