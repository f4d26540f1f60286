import { z } from 'zod';
import type { Answer, Question } from '../domain';
import { Answer as AnswerSchema } from '../domain';
import { clean } from './text';

/** Longest free-text "other" answer accepted (the widget enforces the same). */
export const OTHER_MAX_CHARS = 1000;

export type AnswerCheck = { ok: true; answers: Answer[] } | { ok: false; errors: string[] };

/**
 * Checks answers against the questions they answer: every question answered once, selected ids
 * among the question's options, one choice for single questions (or the "other" text instead),
 * "other" text only where the question allows it. Returns normalised answers (trimmed other
 * text, duplicate selections removed, question order).
 */
export function validateAnswers(questions: readonly Question[], input: unknown): AnswerCheck {
  const parsed = z.array(AnswerSchema).safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.slice(0, 6).map((i) => `The answers are malformed at ${i.path.join('.') || 'the top'}: ${i.message}`) };
  }
  const errors: string[] = [];
  const byQuestion = new Map<string, Answer>();
  const known = new Map(questions.map((q) => [q.id, q]));
  for (const a of parsed.data) {
    if (!known.has(a.questionId)) errors.push(`There is no question "${a.questionId}" in this round.`);
    else if (byQuestion.has(a.questionId)) errors.push(`"${known.get(a.questionId)!.text}" is answered twice.`);
    else byQuestion.set(a.questionId, a);
  }

  const out: Answer[] = [];
  for (const q of questions) {
    const a = byQuestion.get(q.id);
    const label = `"${clean(q.text, 80)}"`;
    if (!a) {
      errors.push(`${label} has no answer.`);
      continue;
    }
    const selected = [...new Set(a.selected)];
    const unknown = selected.filter((id) => !q.options.some((o) => o.id === id));
    if (unknown.length) errors.push(`${label} has no option ${unknown.map((u) => `"${u}"`).join(', ')}.`);
    // Text where none is allowed was reported above; it must not count as the answer as well.
    const other = q.allowOther ? (a.other?.trim() ?? '') : '';
    if (a.other !== undefined && !q.allowOther) errors.push(`${label} only accepts its listed options, not your own text.`);
    if (other.length > OTHER_MAX_CHARS) errors.push(`Your own answer to ${label} is too long (${other.length} characters; at most ${OTHER_MAX_CHARS}).`);
    if (a.other !== undefined && q.allowOther && other === '') errors.push(`Your own answer to ${label} is empty: write it, or pick one of the options.`);
    if (q.kind === 'single') {
      if (selected.length > 1) errors.push(`${label} takes one choice, but ${selected.length} were picked.`);
      else if (selected.length === 1 && other) errors.push(`${label} takes one choice: pick an option or write your own, not both.`);
      else if (selected.length === 0 && !other) errors.push(`${label} has no answer: pick an option${q.allowOther ? ' or write your own' : ''}.`);
    } else if (selected.length === 0 && !other) {
      errors.push(`${label} has no answer: pick at least one option${q.allowOther ? ' or write your own' : ''}.`);
    }
    const order = new Map(q.options.map((o, i) => [o.id, i]));
    out.push({ questionId: q.id, selected: selected.sort((x, y) => (order.get(x) ?? 0) - (order.get(y) ?? 0)), ...(other ? { other } : {}) });
  }
  return errors.length ? { ok: false, errors } : { ok: true, answers: out };
}

/** The answers as the user would say them, one line per question (for the chat and the prompts). */
export function describeAnswers(questions: readonly Question[], answers: readonly Answer[]): string {
  return questions
    .map((q) => {
      const a = answers.find((x) => x.questionId === q.id);
      if (!a) return `${q.text} → (no answer)`;
      const parts = a.selected.map((id) => q.options.find((o) => o.id === id)?.label ?? id);
      if (a.other) parts.push(a.other);
      return `${q.text} → ${parts.join('; ')}`;
    })
    .join('\n');
}
