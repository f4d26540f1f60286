// A GBNF matcher for tests: does a grammar nocodo sends to llama.cpp admit a given answer? It
// reads the subset the modes' grammars use (rules, string literals, character classes with
// ranges and negation, grouping, alternation, `*`, `+`, `?`) and matches by sets of end
// positions, memoised per rule and position, so recursive rules like balanced braces stay cheap.
// llama.cpp itself is not needed: the real-model layer checks that llama.cpp accepts the grammars.

type Node =
  | { k: 'lit'; s: string }
  | { k: 'cls'; neg: boolean; ranges: [number, number][] }
  | { k: 'ref'; name: string }
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; options: Node[] }
  | { k: 'rep'; node: Node; min: number; max: number };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '[': '[', ']': ']', '-': '-' };

function parseGrammar(text: string): Map<string, Node> {
  const rules = new Map<string, Node>();
  let i = 0;
  const ws = (newlines: boolean): void => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === '#') while (i < text.length && text[i] !== '\n') i++;
      else if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) i++;
      else break;
    }
  };
  const name = (): string => {
    const m = /^[a-zA-Z][a-zA-Z0-9_-]*/.exec(text.slice(i));
    if (!m) throw new Error(`gbnf: name expected at ${i}: ${text.slice(i, i + 20)}`);
    i += m[0].length;
    return m[0];
  };
  const char = (): string => {
    const c = text[i++]!;
    if (c !== '\\') return c;
    const e = text[i++]!;
    if (e === 'x') {
      i += 2;
      return String.fromCharCode(parseInt(text.slice(i - 2, i), 16));
    }
    if (!(e in ESCAPES)) throw new Error(`gbnf: unknown escape \\${e}`);
    return ESCAPES[e]!;
  };
  const primary = (): Node => {
    const c = text[i];
    if (c === '"') {
      i++;
      let s = '';
      while (text[i] !== '"') {
        if (i >= text.length) throw new Error('gbnf: unterminated string');
        s += char();
      }
      i++;
      return { k: 'lit', s };
    }
    if (c === '[') {
      i++;
      const neg = text[i] === '^';
      if (neg) i++;
      const ranges: [number, number][] = [];
      while (text[i] !== ']') {
        if (i >= text.length) throw new Error('gbnf: unterminated class');
        const a = char().charCodeAt(0);
        if (text[i] === '-' && text[i + 1] !== ']') {
          i++;
          ranges.push([a, char().charCodeAt(0)]);
        } else ranges.push([a, a]);
      }
      i++;
      return { k: 'cls', neg, ranges };
    }
    if (c === '(') {
      i++;
      const n = alternation();
      ws(true);
      if (text[i++] !== ')') throw new Error(`gbnf: ) expected at ${i - 1}`);
      return n;
    }
    return { k: 'ref', name: name() };
  };
  const postfix = (): Node => {
    let n = primary();
    for (;;) {
      const c = text[i];
      if (c === '*') n = { k: 'rep', node: n, min: 0, max: Infinity };
      else if (c === '+') n = { k: 'rep', node: n, min: 1, max: Infinity };
      else if (c === '?') n = { k: 'rep', node: n, min: 0, max: 1 };
      else return n;
      i++;
    }
  };
  const sequence = (): Node => {
    const items: Node[] = [];
    for (;;) {
      ws(false);
      const c = text[i];
      if (c === undefined || c === '|' || c === ')' || c === '\n' || c === '\r') break;
      items.push(postfix());
    }
    return items.length === 1 ? items[0]! : { k: 'seq', items };
  };
  function alternation(): Node {
    const options = [sequence()];
    for (;;) {
      ws(false);
      // Inside parentheses an alternative may continue on the next line.
      const save = i;
      ws(true);
      if (text[i] !== '|') {
        i = save;
        break;
      }
      i++;
      options.push(sequence());
    }
    return options.length === 1 ? options[0]! : { k: 'alt', options };
  }
  for (;;) {
    ws(true);
    if (i >= text.length) break;
    const n = name();
    ws(false);
    if (text.slice(i, i + 3) !== '::=') throw new Error(`gbnf: ::= expected after ${n}`);
    i += 3;
    if (rules.has(n)) throw new Error(`gbnf: rule ${n} defined twice`);
    rules.set(n, alternation());
  }
  for (const ref of refs([...rules.values()])) if (!rules.has(ref)) throw new Error(`gbnf: rule ${ref} is used but not defined`);
  if (!rules.has('root')) throw new Error('gbnf: no root rule');
  return rules;
}

function refs(nodes: Node[]): Set<string> {
  const out = new Set<string>();
  const walk = (n: Node): void => {
    if (n.k === 'ref') out.add(n.name);
    else if (n.k === 'seq') n.items.forEach(walk);
    else if (n.k === 'alt') n.options.forEach(walk);
    else if (n.k === 'rep') walk(n.node);
  };
  nodes.forEach(walk);
  return out;
}

/** A compiled grammar: `matches(text)` says whether the whole text is derivable from `root`. */
export function gbnf(text: string): { matches(input: string): boolean } {
  const rules = parseGrammar(text);
  return {
    matches(input: string): boolean {
      const memo = new Map<string, Set<number>>();
      const active = new Set<string>();
      const ends = (n: Node, pos: number): Set<number> => {
        switch (n.k) {
          case 'lit':
            return input.startsWith(n.s, pos) ? new Set([pos + n.s.length]) : new Set();
          case 'cls': {
            if (pos >= input.length) return new Set();
            const c = input.charCodeAt(pos);
            const inside = n.ranges.some(([a, b]) => c >= a && c <= b);
            return inside !== n.neg ? new Set([pos + 1]) : new Set();
          }
          case 'ref': {
            const key = `${n.name}@${pos}`;
            const hit = memo.get(key);
            if (hit) return hit;
            // Left recursion does not occur in these grammars; guard so a mistake fails loudly.
            if (active.has(key)) throw new Error(`gbnf: left recursion in ${n.name}`);
            active.add(key);
            const r = ends(rules.get(n.name)!, pos);
            active.delete(key);
            memo.set(key, r);
            return r;
          }
          case 'seq': {
            let cur = new Set([pos]);
            for (const item of n.items) {
              const next = new Set<number>();
              for (const p of cur) for (const e of ends(item, p)) next.add(e);
              cur = next;
              if (!cur.size) break;
            }
            return cur;
          }
          case 'alt': {
            const out = new Set<number>();
            for (const o of n.options) for (const e of ends(o, pos)) out.add(e);
            return out;
          }
          case 'rep': {
            const out = new Set<number>(n.min === 0 ? [pos] : []);
            let frontier = new Set([pos]);
            const seen = new Set<number>([pos]);
            for (let count = 1; count <= n.max && frontier.size; count++) {
              const next = new Set<number>();
              for (const p of frontier) for (const e of ends(n.node, p)) if (!seen.has(e)) next.add(e);
              for (const e of next) {
                seen.add(e);
                if (count >= n.min) out.add(e);
              }
              frontier = next;
            }
            return out;
          }
        }
      };
      return ends({ k: 'ref', name: 'root' }, 0).has(input.length);
    },
  };
}
