/**
 * nocodo's commit messages are deterministic so that a task's history can be found again from git
 * alone: `<mode>: <task title or request>`, a body with the request, and trailers naming the task
 * and the run. Trailers follow git's own format (`git interpret-trailers`).
 */
export interface CommitFacts {
  /** Mode id or a verb such as `revert`. */
  mode: string;
  /** The task's title, or the request when there is no task. */
  title: string;
  request?: string;
  taskId?: string;
  runId?: string;
  /** Commit hashes this commit reverts (revert commits only). */
  reverts?: readonly string[];
}

export const TASK_TRAILER = 'Nocodo-Task';
export const RUN_TRAILER = 'Nocodo-Run';
export const REVERTS_TRAILER = 'Nocodo-Reverts';

/** One line, no control characters, at most `max` characters (git subjects are read in one-line lists). */
function oneLine(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** A trailer value must stay on its line: ids are ours, but they come back from the store. */
const trailerValue = (s: string): string => oneLine(s, 200);

export function commitMessage(f: CommitFacts): string {
  const subject = oneLine(`${f.mode}: ${f.title || f.request || 'change'}`, 72);
  const parts = [subject];
  const body = f.request?.trim();
  if (body && oneLine(body, 10_000) !== oneLine(f.title, 10_000)) parts.push(body.replace(/\r\n?/g, '\n'));
  const trailers: string[] = [];
  if (f.taskId) trailers.push(`${TASK_TRAILER}: ${trailerValue(f.taskId)}`);
  if (f.runId) trailers.push(`${RUN_TRAILER}: ${trailerValue(f.runId)}`);
  if (f.reverts?.length) trailers.push(`${REVERTS_TRAILER}: ${f.reverts.map(trailerValue).join(' ')}`);
  if (trailers.length) parts.push(trailers.join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/** The trailers of a commit message (last paragraph of `Key: value` lines), keys as written. */
export function parseTrailers(message: string): Record<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  // A subject alone has no trailers, even when it looks like one (`diesel-model-fn: …`).
  if (paragraphs.length < 2) return {};
  const out: Record<string, string> = {};
  for (const line of paragraphs[paragraphs.length - 1]!.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line.trim());
    if (!m) return {};
    out[m[1]!] = m[2]!.trim();
  }
  return out;
}
