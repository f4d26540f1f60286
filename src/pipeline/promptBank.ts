import type { Backend } from '../rust';
import type { BuiltPrompt } from './mode';
import type { ProjectStyle } from '../../modes/diesel-common/style';

/**
 * Example banks are Markdown data (prompts/diesel/<mode>/examples.md), one `## title` section per
 * example:
 *
 *     ## customers: find by email
 *     Context:
 *     ```rust
 *     …table!, struct…
 *     ```
 *     Request: Find the customer with this email, if there is one.
 *     Answer:
 *     ```rust
 *     pub fn …
 *     ```
 *     Answer (mysql, sqlite):      ← optional variant for other backends
 *     ```rust
 *     …
 *     ```
 *
 * All examples are written once, for PostgreSQL and synchronous Diesel; `adaptCode` rewrites them
 * deterministically for the project's backend and for diesel-async.
 */

export interface ExampleAnswer {
  /** Backends this variant is for; undefined: the default answer. */
  backends?: Backend[];
  code: string;
}

export interface Example {
  title: string;
  context: string;
  request: string;
  answers: ExampleAnswer[];
}

const BACKENDS: Record<string, Backend> = { pg: 'pg', postgres: 'pg', mysql: 'mysql', sqlite: 'sqlite' };

/** Parses an examples file; throws with the source and line on a malformed section (a bug in the bank). */
export function parseExamples(md: string, source: string): Example[] {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: Example[] = [];
  let cur: { title: string; line: number; context?: string; request?: string; answers: ExampleAnswer[] } | undefined;
  const fail = (line: number, why: string): never => {
    throw new Error(`${source}:${line}: ${why}`);
  };
  const finish = (): void => {
    if (!cur) return;
    if (cur.context === undefined || !cur.request || !cur.answers.some((a) => !a.backends)) {
      fail(cur.line, `example "${cur.title}" needs Context:, Request: and Answer:`);
    }
    out.push({ title: cur.title, context: cur.context!, request: cur.request!, answers: cur.answers });
    cur = undefined;
  };
  const readFence = (from: number): { code: string; next: number } => {
    let i = from;
    while (i < lines.length && !lines[i]!.trim()) i++;
    if (!/^```/.test(lines[i] ?? '')) fail(i + 1, 'expected a ``` fenced block');
    const body: string[] = [];
    i++;
    while (i < lines.length && !/^```\s*$/.test(lines[i]!)) body.push(lines[i++]!);
    if (i >= lines.length) fail(from + 1, 'unclosed ``` fence');
    return { code: body.join('\n'), next: i + 1 };
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const title = /^## (.+)$/.exec(line);
    if (title) {
      finish();
      cur = { title: title[1]!.trim(), line: i + 1, answers: [] };
      i++;
      continue;
    }
    if (!cur) {
      i++;
      continue;
    }
    if (/^Context:\s*$/.test(line)) {
      const f = readFence(i + 1);
      cur.context = f.code;
      i = f.next;
      continue;
    }
    const req = /^Request:\s*(.*)$/.exec(line);
    if (req) {
      const parts = [req[1]!];
      i++;
      while (i < lines.length && lines[i]!.trim() && !/^(?:Answer|Context)\b/.test(lines[i]!)) parts.push(lines[i++]!.trim());
      cur.request = parts.join(' ').trim();
      continue;
    }
    const ans = /^Answer(?:\s*\(([^)]*)\))?:\s*$/.exec(line);
    if (ans) {
      const f = readFence(i + 1);
      const backends = ans[1]
        ?.split(/[,\s]+/)
        .filter(Boolean)
        .map((b) => BACKENDS[b.toLowerCase()] ?? fail(i + 1, `unknown backend "${b}"`));
      cur.answers.push({ ...(backends ? { backends } : {}), code: f.code });
      i = f.next;
      continue;
    }
    i++;
  }
  finish();
  return out;
}

/** The answer variant for a backend: the one naming it, else the default. */
export function answerFor(ex: Example, backend: Backend): string {
  return (ex.answers.find((a) => a.backends?.includes(backend)) ?? ex.answers.find((a) => !a.backends)!).code;
}

const SQL_TYPE_FOR: Record<Backend, Record<string, string>> = {
  pg: {},
  sqlite: { Int4: 'Integer', Int8: 'BigInt', Int2: 'SmallInt', Varchar: 'Text', Timestamptz: 'Timestamp', Float8: 'Double', Float4: 'Float' },
  mysql: { Int4: 'Integer', Int8: 'BigInt', Int2: 'SmallInt', Timestamptz: 'Timestamp', Float8: 'Double', Float4: 'Float' },
};

/** Terminal query calls that diesel-async makes futures. */
const RUN_CALL = /(\.(?:load|get_result|get_results|first|execute)(?:::<[^>()]*(?:<[^>()]*>)?[^>()]*>)?\(\s*conn\s*\))(?!\.await)/g;

/**
 * Rewrites PostgreSQL/sync example code for a project: connection type, backend path, SQL type
 * names, and for diesel-async `async fn` plus `.await` after each query call.
 */
export function adaptCode(code: string, style: Pick<ProjectStyle, 'backend' | 'async' | 'connType' | 'backendPath'> & { diesel1?: boolean }): string {
  let s = code.replace(/(?<![A-Za-z])PgConnection\b/g, style.connType).replace(/\bdiesel::pg::Pg\b/g, style.backendPath);
  if (style.diesel1) s = toDiesel1(s);
  const types = SQL_TYPE_FOR[style.backend];
  if (Object.keys(types).length) s = s.replace(/(->\s*(?:Nullable<)?)(Int4|Int8|Int2|Varchar|Timestamptz|Float8|Float4)\b/g, (_, pre: string, t: string) => `${pre}${types[t] ?? t}`);
  if (style.async) {
    s = s.replace(/(?<!\basync\s+)\bfn(\s+\w+\s*(?:<[^>]*>)?\s*\([^)]*\bconn\b)/g, 'async fn$1');
    s = s.replace(RUN_CALL, '$1.await');
  }
  return s;
}

/**
 * Diesel 2 example code in the Diesel 1.x dialect: `&PgConnection`, `#[table_name = "x"]`, no
 * `Selectable` (`.select(X::as_select()).load(conn)` becomes `.load::<X>(conn)`), no
 * `check_for_backend`.
 */
export function toDiesel1(code: string): string {
  let s = code.replace(/&mut\s+((?:Pg|Mysql|Sqlite)Connection)\b/g, '&$1');
  s = s.replace(/#\[diesel\(table_name\s*=\s*(\w+)\)\]/g, '#[table_name = "$1"]');
  s = s.replace(/#\[diesel\(check_for_backend\([^)]*\)\)\]\n?/g, '').replace(/\(Queryable, Selectable\)/g, '(Queryable)');
  s = s.replace(/#\[derive\(([^)]*)\)\]/g, (_, list: string) => `#[derive(${list.split(',').map((x) => x.trim()).filter((x) => x && x !== 'Selectable').join(', ')})]`);
  // `.select(X::as_select())` / `.returning(X::as_returning())` go; the next run call names X instead.
  for (;;) {
    // One struct, or a tuple of them after a join (the join's default selection is that tuple).
    const m = /\s*\.(?:select|returning)\((\w+::as_(?:select|returning)\(\)|\((?:\s*\w+::as_select\(\)\s*,?)+\))\)/.exec(s);
    if (!m) break;
    const names = [...m[1]!.matchAll(/(\w+)::as_/g)].map((x) => x[1]!);
    const type = names.length === 1 && !m[1]!.startsWith('(') ? names[0]! : `(${names.join(', ')})`;
    const rest = s.slice(m.index + m[0].length);
    const run = /\.(load|get_result|get_results|first)\(/.exec(rest);
    const patched = run ? `${rest.slice(0, run.index)}.${run[1]}::<${type}>(${rest.slice(run.index + run[0].length)}` : rest;
    s = s.slice(0, m.index) + patched;
  }
  return s;
}

/** Fills `{{NAME}}` placeholders; an unknown placeholder is a bug in the template. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>, source: string): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`${source}: unknown placeholder {{${k}}}`);
    return v;
  });
}

const fence = (code: string): string => `\`\`\`rust\n${code.trim()}\n\`\`\``;

/** One example or the live request, in the exact shape the model is asked to continue. */
export function renderTask(context: string, request: string, notes: readonly string[] = []): string {
  const n = notes.filter((x) => x.trim());
  return `Context:\n${fence(context)}\nRequest: ${request.trim()}${n.length ? `\nNotes:\n${n.map((x) => `- ${x.trim()}`).join('\n')}` : ''}\nAnswer:`;
}

/**
 * The prompt: ONE system message with the fixed instructions and every example (identical for
 * every request of a mode in a project, so llama.cpp's prompt cache reuses it), then the user
 * message with this request's context and words. `stablePrefixChars` is the system text's length.
 */
export function buildPromptMessages(system: string, examples: readonly Example[], style: ProjectStyle, context: string, request: string, notes: readonly string[] = []): BuiltPrompt {
  const shots = examples.map((ex, i) => `## Example ${i + 1}: ${ex.title}\n${renderTask(adaptCode(ex.context, style), ex.request)}\n${fence(adaptCode(answerFor(ex, style.backend), style))}`);
  const sys = `${system.trim()}\n\n# Examples\n\n${shots.join('\n\n')}\n`;
  return {
    messages: [
      { role: 'system', content: sys },
      { role: 'user', content: renderTask(context, request, notes) },
    ],
    stablePrefixChars: sys.length,
  };
}
