import type { EvalTask } from './types';

// Prompt tuning on the real model is judged on tasks it was never tuned on: every set is split
// into two fixed halves. The held-out half is data, `eval/tasks/<set>/heldout.json` (read into
// `EvalTask.heldOut`), so a task added later does not move others between the halves; a set
// without that file is halved by task order (even positions tune, odd positions are held out).

export type EvalSplit = 'tune' | 'holdout';
export const EVAL_SPLITS: readonly EvalSplit[] = ['tune', 'holdout'];

/** The tasks of one half, in each set's id order. */
export function splitTasks<T extends Pick<EvalTask, 'id' | 'set' | 'heldOut'>>(tasks: readonly T[], split: EvalSplit): T[] {
  const bySet = new Map<string, T[]>();
  for (const t of tasks) bySet.set(t.set, [...(bySet.get(t.set) ?? []), t]);
  const out: T[] = [];
  for (const list of bySet.values()) {
    const sorted = [...list].sort((a, b) => a.id.localeCompare(b.id));
    const heldOut = (t: T, i: number): boolean => t.heldOut ?? i % 2 === 1;
    out.push(...sorted.filter((t, i) => heldOut(t, i) === (split === 'holdout')));
  }
  return out;
}

/** At most `n` tasks of each set (the first by id), for bounded runs such as CI's smoke eval. */
export function firstPerSet<T extends Pick<EvalTask, 'id' | 'set'>>(tasks: readonly T[], n: number): T[] {
  const seen = new Map<string, number>();
  return [...tasks]
    .sort((a, b) => a.set.localeCompare(b.set) || a.id.localeCompare(b.id))
    .filter((t) => {
      const k = seen.get(t.set) ?? 0;
      seen.set(t.set, k + 1);
      return k < n;
    });
}
