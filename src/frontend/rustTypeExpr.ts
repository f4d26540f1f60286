/**
 * A Rust type as a small tree, parsed from the normalised text the Rust reader keeps
 * (`Option<Vec<chrono::NaiveDateTime>>`, `(i32, String)`, `[u8; 16]`, `&'a str`).
 * Anything it cannot read becomes `{ kind: 'unparsed' }`, never an exception.
 */
export type RustTypeExpr =
  | { kind: 'path'; /** Segments as written: `chrono::NaiveDateTime` → [`chrono`, `NaiveDateTime`]. */ segments: string[]; args: RustTypeExpr[] }
  | { kind: 'tuple'; items: RustTypeExpr[] }
  | { kind: 'array'; item: RustTypeExpr }
  | { kind: 'ref'; item: RustTypeExpr }
  | { kind: 'unparsed'; text: string };

const TOKEN = /\s*(::|->|[<>(),[\];&]|'[A-Za-z_]\w*|[A-Za-z_][A-Za-z0-9_]*|\d+|\S)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) out.push(m[1]!);
  return out;
}

class TypeParser {
  private i = 0;
  constructor(private readonly toks: string[]) {}

  private peek(): string | undefined {
    return this.toks[this.i];
  }

  private eat(t: string): boolean {
    if (this.toks[this.i] !== t) return false;
    this.i++;
    return true;
  }

  private expect(t: string): void {
    if (!this.eat(t)) throw new Error(`expected ${t}`);
  }

  done(): boolean {
    return this.i >= this.toks.length;
  }

  parse(): RustTypeExpr {
    const t = this.peek();
    if (t === '&') {
      this.i++;
      if (this.peek()?.startsWith("'")) this.i++;
      this.eat('mut');
      return { kind: 'ref', item: this.parse() };
    }
    if (t === '(') {
      this.i++;
      const items: RustTypeExpr[] = [];
      while (!this.eat(')')) {
        items.push(this.parse());
        if (!this.eat(',')) {
          this.expect(')');
          break;
        }
      }
      return { kind: 'tuple', items };
    }
    if (t === '[') {
      this.i++;
      const item = this.parse();
      if (this.eat(';')) while (this.peek() !== ']' && !this.done()) this.i++;
      this.expect(']');
      return { kind: 'array', item };
    }
    if (t === 'dyn' || t === 'impl') throw new Error('trait object');
    const segments: string[] = [];
    let args: RustTypeExpr[] = [];
    this.eat('::');
    for (;;) {
      const seg = this.peek();
      if (!seg || !/^[A-Za-z_]\w*$/.test(seg)) throw new Error('expected a path');
      segments.push(seg);
      this.i++;
      if (this.peek() === '<') args = this.parseArgs();
      if (!this.eat('::')) break;
      if (this.peek() === '<') args = this.parseArgs();
    }
    return { kind: 'path', segments, args };
  }

  /** `<A, B, 'a, N = X>`: lifetimes dropped, associated bindings kept as their type. */
  private parseArgs(): RustTypeExpr[] {
    this.expect('<');
    const args: RustTypeExpr[] = [];
    while (!this.eat('>')) {
      if (this.peek()?.startsWith("'")) this.i++;
      else {
        if (/^\w+$/.test(this.peek() ?? '') && this.toks[this.i + 1] === '=') this.i += 2;
        args.push(this.parse());
      }
      if (!this.eat(',')) {
        this.expect('>');
        break;
      }
    }
    return args;
  }
}

export function parseRustType(text: string): RustTypeExpr {
  try {
    const p = new TypeParser(tokenize(text));
    const t = p.parse();
    return p.done() ? t : { kind: 'unparsed', text };
  } catch {
    return { kind: 'unparsed', text };
  }
}

/** Last path segment of a path type (`chrono::NaiveDateTime` → `NaiveDateTime`). */
export function baseName(t: RustTypeExpr): string | undefined {
  return t.kind === 'path' ? t.segments[t.segments.length - 1] : undefined;
}

/** The type as Rust text again (for comments and messages). */
export function rustTypeText(t: RustTypeExpr): string {
  switch (t.kind) {
    case 'path':
      return t.segments.join('::') + (t.args.length ? `<${t.args.map(rustTypeText).join(', ')}>` : '');
    case 'tuple':
      return `(${t.items.map(rustTypeText).join(', ')})`;
    case 'array':
      return `[${rustTypeText(t.item)}]`;
    case 'ref':
      return `&${rustTypeText(t.item)}`;
    case 'unparsed':
      return t.text;
  }
}
