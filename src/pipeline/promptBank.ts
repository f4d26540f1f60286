import type { Backend } from '../rust';

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
 * The Diesel banks are written once, for PostgreSQL and synchronous Diesel; `adaptCode`
 * (modes/diesel-common/examples.ts) rewrites them for the project's backend and diesel-async.
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

/** An example bank parsed on first use and kept (banks are bundled text; parsing them all at start-up would slow activation). */
export function lazyExamples(md: string, source: string): () => Example[] {
  let parsed: Example[] | undefined;
  return () => (parsed ??= parseExamples(md, source));
}

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

/** Fills `{{NAME}}` placeholders; an unknown placeholder is a bug in the template. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>, source: string): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`${source}: unknown placeholder {{${k}}}`);
    return v;
  });
}

/** A code block of the examples' language. */
export const fence = (code: string): string => `\`\`\`rust\n${code.trim()}\n\`\`\``;

/** One example or the live request, in the exact shape the model is asked to continue. */
export function renderTask(context: string, request: string, notes: readonly string[] = []): string {
  const n = notes.filter((x) => x.trim());
  return `Context:\n${fence(context)}\nRequest: ${request.trim()}${n.length ? `\nNotes:\n${n.map((x) => `- ${x.trim()}`).join('\n')}` : ''}\nAnswer:`;
}
