import type { Backend } from '../../src/rust';
import type { RunMessage } from '../../src/domain';
import type { BuiltPrompt } from '../../src/pipeline/mode';
import { answerFor, fence, renderTask, type Example } from '../../src/pipeline/promptBank';
import type { ProjectStyle } from './style';

// The Diesel and Actix example banks are written once, for PostgreSQL and synchronous Diesel 2;
// here they are rewritten for the project at hand (backend, diesel-async, Diesel 1.x) and put into
// the modes' prompt.

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

/**
 * The prompt: a short system message with the fixed instructions, then each example as a turn of
 * the conversation (the user turn rendered exactly like the real request, the assistant turn just
 * the answer's code in the fence post-processing expects), then the real request. A small or base
 * model copies a pattern of turns far better than it follows written rules: with every example as
 * Markdown text inside one system message, Gemma 3 270M repeated the rules as prose or looped on a
 * line (README, "Real figures"). Everything before the real request is identical for every
 * request of a mode in a project, so llama.cpp's prompt cache reuses it: `stablePrefixChars` is
 * the length of that part of the messages' text joined (`promptText` in src/llm/client.ts).
 */
export function buildPromptMessages(system: string, examples: readonly Example[], style: ProjectStyle, context: string, request: string, notes: readonly string[] = []): BuiltPrompt {
  const messages: RunMessage[] = [{ role: 'system', content: system.trim() }];
  for (const ex of examples) {
    messages.push({ role: 'user', content: renderTask(adaptCode(ex.context, style), ex.request) }, { role: 'assistant', content: fence(adaptCode(answerFor(ex, style.backend), style)) });
  }
  const stablePrefixChars = messages.reduce((n, m) => n + m.content.length, 0);
  messages.push({ role: 'user', content: renderTask(context, request, notes) });
  return { messages, stablePrefixChars };
}
