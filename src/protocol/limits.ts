import { TASK_REQUEST_MAX } from '../domain/task';

/**
 * Size limits for everything that crosses the webview boundary. The webview is untrusted (it renders
 * model output), so the host rejects oversized messages before zod even looks at them; the webview
 * applies the same caps so a runaway host bug cannot freeze the panel.
 */
export const LIMITS = {
  /** Ids of sessions, messages, tasks, runs, proposals and requests. */
  id: 128,
  /** Titles, reasons, labels, notice texts, error messages. */
  short: 2_000,
  /** What the user types into the chat. */
  chat: 20_000,
  /** A comment on a task. */
  comment: 10_000,
  /** A task's request, as the user rewrites it (what its specialist is asked to do). */
  request: TASK_REQUEST_MAX,
  /** "Other" free text in a question widget (the Product Owner's answer check uses the same cap). */
  other: 1_000,
  /** Any single string the host sends: message content, raw model answers, prompts. */
  content: 200_000,
  /** Messages per page of chat history. */
  page: 200,
  /** Longest list in any message (tasks, runs, events…). */
  list: 5_000,
  /** Nesting depth and total value count of a message, against pathological payloads. */
  depth: 24,
  nodes: 250_000,
} as const;

/** Text cut to `max` characters (a short field by default), the cut marked with an ellipsis. */
export const clip = (text: string, max: number = LIMITS.short): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export interface ShapeProblem {
  path: string;
  problem: string;
}

/**
 * A cheap structural pre-check (no schema): string lengths, array lengths, depth and node count.
 * Run before zod so a hostile 50 MB string or a 100k-deep object costs one walk, not a parse.
 */
export function checkBounds(value: unknown, maxString: number = LIMITS.content): ShapeProblem | undefined {
  let nodes = 0;
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (++nodes > LIMITS.nodes) return { path, problem: `more than ${LIMITS.nodes} values` };
    if (typeof v === 'string') {
      if (v.length > maxString) return { path, problem: `a text of ${v.length} characters (at most ${maxString})` };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= LIMITS.depth) return { path, problem: `nested deeper than ${LIMITS.depth} levels` };
    if (Array.isArray(v)) {
      if (v.length > LIMITS.list) return { path, problem: `a list of ${v.length} items (at most ${LIMITS.list})` };
      v.forEach((item, i) => stack.push({ v: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const [k, item] of Object.entries(v)) stack.push({ v: item, path: path ? `${path}.${k}` : k, depth: depth + 1 });
  }
  return undefined;
}
