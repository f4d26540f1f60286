import type { EvalTask } from './types';

// Prompt tuning on the real model is judged on tasks it was never tuned on: every set is split
// into two fixed halves by task order (even positions tune, odd positions are held out).

export type EvalSplit = 'tune' | 'holdout';
export const EVAL_SPLITS: readonly EvalSplit[] = ['tune', 'holdout'];

/** The tasks of one half, in each set's id order. */
export function splitTasks<T extends Pick<EvalTask, 'id' | 'set'>>(tasks: readonly T[], split: EvalSplit): T[] {
  const bySet = new Map<string, T[]>();
  for (const t of tasks) bySet.set(t.set, [...(bySet.get(t.set) ?? []), t]);
  const out: T[] = [];
  for (const list of bySet.values()) {
    const sorted = [...list].sort((a, b) => a.id.localeCompare(b.id));
    out.push(...sorted.filter((_, i) => (i % 2 === 0) === (split === 'tune')));
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
