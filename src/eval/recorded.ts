import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { MODEL_FREE_MODES, type EvalTask } from './types';

/**
 * Recorded model answers (eval/recorded/<set>.json) and the fixture-server rules that replay
 * them, so the eval runs in CI without a model: each task's request line picks its answer; the
 * re-ask (which carries the first conversation) gets the recorded second answer.
 */

export const RecordedAnswer = z
  .object({
    /** The first answer, exactly as the model streamed it (think blocks, fences, prose and all). */
    answer: z.string(),
    /** Reasoning the server sent separately (reasoning_content). */
    reasoning: z.string().optional(),
    /** The answer to nocodo's re-ask; default: the same answer again (small models often repeat). */
    reask: z.string().optional(),
    /** What is right or wrong with the answer, for people reading the file. */
    note: z.string().optional(),
    /**
     * A wrong answer the mode must catch, and the exact error codes it must give (only true
     * ones: a re-ask listing a false error would push the model to break what was right). Not
     * replayed by the eval; the layout tests run it.
     */
    wrong: z.object({ answer: z.string(), codes: z.array(z.string()).min(1), note: z.string().optional() }).strict().optional(),
  })
  .strict();
export type RecordedAnswer = z.infer<typeof RecordedAnswer>;

export const RecordedSet = z
  .object({
    about: z.string().optional(),
    /** Task id within the set (the folder name) → answers. */
    answers: z.record(z.string(), RecordedAnswer),
  })
  .strict();
export type RecordedSet = z.infer<typeof RecordedSet>;

/** A fixture-server rule (test/fixtures/model-server/server.d.mts), JSON-serialisable. */
export interface ReplayRule {
  match: { lastUser?: { regex: string; flags: string } | string; previousUser?: { regex: string; flags: string } };
  reply: { content: string; reasoning?: string };
}

export async function loadRecordedSet(file: string): Promise<RecordedSet> {
  let json: unknown;
  try {
    json = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${err instanceof SyntaxError ? `not valid JSON (${err.message})` : (err as Error).message}`);
  }
  const r = RecordedSet.safeParse(json);
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Recorded sets for the sets of `tasks`, from `dir/<set>.json`. */
export async function loadRecorded(dir: string, tasks: readonly EvalTask[]): Promise<Map<string, RecordedSet>> {
  const out = new Map<string, RecordedSet>();
  for (const set of new Set(tasks.map((t) => t.set))) out.set(set, await loadRecordedSet(path.join(dir, `${set}.json`)));
  return out;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * The prompt's request line for this task, exactly (a shorter request must not match a longer
 * one), plus the labelled spec some modes append to it (actix-handler: ` Handler: \`name\`, route …`).
 */
const requestLine = (t: EvalTask): { regex: string; flags: string } => ({ regex: `^Request: ${escapeRegex(t.request.replace(/\s+/g, ' '))}(?: [A-Z][A-Za-z]*: [^\\n]*)?$`, flags: 'm' });
/** Start of nocodo's re-ask message (src/pipeline/runner.ts). */
export const REASK_MARKER = 'Your answer cannot be used';

/** Replay rules for every model-backed task; throws naming the tasks that have no recorded answer. */
export function replayRules(tasks: readonly EvalTask[], recorded: ReadonlyMap<string, RecordedSet>): ReplayRule[] {
  const rules: ReplayRule[] = [];
  const missing: string[] = [];
  const seen = new Map<string, string>();
  for (const t of tasks) {
    if (MODEL_FREE_MODES.has(t.mode)) continue;
    const local = t.id.slice(t.set.length + 1);
    const rec = recorded.get(t.set)?.answers[local];
    if (!rec) {
      missing.push(t.id);
      continue;
    }
    const clash = seen.get(t.request);
    if (clash) throw new Error(`Tasks ${clash} and ${t.id} have the same request; recorded answers are matched by request, so make them differ.`);
    seen.set(t.request, t.id);
    // The re-ask's request is the user turn before it: the prompt's example turns hold other requests.
    rules.push({ match: { previousUser: requestLine(t), lastUser: REASK_MARKER }, reply: { content: rec.reask ?? rec.answer } });
    rules.push({ match: { lastUser: requestLine(t) }, reply: { content: rec.answer, ...(rec.reasoning ? { reasoning: rec.reasoning } : {}) } });
  }
  if (missing.length) throw new Error(`No recorded answer for ${missing.join(', ')}.`);
  return rules;
}
