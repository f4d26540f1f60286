import type { RunMessage, RunRecord } from '../domain';

/**
 * Longest text of one run field kept in the store. A runaway answer or a pasted prompt of many
 * megabytes made the synchronous save take seconds and the inspector unusable; the head and the
 * tail are what a reader looks at, so both are kept around a visible note.
 */
export const MAX_STORED_TEXT = 200_000;

/** Head and tail of `text` around a note naming what was cut; `text` itself when it fits. */
export function capText(text: string, max = MAX_STORED_TEXT): string {
  if (text.length <= max) return text;
  // The note fits in the 200 characters left over, so a capped text is never capped again.
  const keep = Math.floor((max - 200) / 2);
  const cut = text.length - 2 * keep;
  return `${text.slice(0, keep)}\n\n[… nocodo stored ${2 * keep} of ${text.length} characters: ${cut} cut from the middle …]\n\n${text.slice(text.length - keep)}`;
}

/** The run as stored: every long text capped, with an info diagnostic listing which were. */
export function capRunForStore(run: RunRecord, max = MAX_STORED_TEXT): RunRecord {
  const capped: string[] = [];
  const cap = (name: string, text: string): string => {
    const out = capText(text, max);
    if (out !== text) capped.push(`${name} (${text.length} characters)`);
    return out;
  };
  const messages: RunMessage[] = run.messages.map((m, i) => ({ ...m, content: cap(`message ${i + 1} (${m.role})`, m.content) }));
  const out: RunRecord = { ...run, messages, raw: cap('answer', run.raw), reasoning: cap('reasoning', run.reasoning) };
  if (run.extracted !== undefined) out.extracted = cap('extracted code', run.extracted);
  if (run.compile) out.compile = { ...run.compile, output: cap('compiler output', run.compile.output) };
  if (capped.length) {
    out.diagnostics = [...run.diagnostics, { severity: 'info', code: 'stored-capped', message: `Stored with the middle cut (head and tail kept): ${capped.join(', ')}.` }];
  }
  return out;
}
