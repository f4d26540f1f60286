import { z } from 'zod';
import { newId } from '../core/ids';
import type { Message, ProductSummary, Question } from '../domain';
import { ProductSummary as ProductSummarySchema } from '../domain';
import { productOwnerSummary, productOwnerTurn } from '../../prompts/team';
import { callAgent, type AgentContext, type AgentResult } from './agentCall';
import { fewShotPrompt } from './prompt';
import { clean, dedupeBy, dedupeKey, pascalCase, singularize, snakeCase, stripListMarker } from './text';
import { renderTranscript } from './transcript';

export const MAX_QUESTIONS = 3;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 4;
const QUESTION_MAX_CHARS = 200;
const OPTION_MAX_CHARS = 80;
const REFLECTION_MAX_CHARS = 800;

// ---------------------------------------------------------------------------------------------
// A question turn. The model fills a small flat shape; ids, order and limits are ours.

const RawQuestion = z.object({
  text: z.string(),
  // A plain string so "multi" or "checkboxes" from a server without grammar still parses; the enum
  // goes into the JSON schema for servers that constrain decoding.
  kind: z.string().meta({ enum: ['single', 'multiple'] }),
  options: z.array(z.string()),
  recommended: z.number().int().optional(),
});
const RawTurn = z.object({
  reflection: z.string(),
  questions: z.array(RawQuestion),
  done: z.boolean(),
});
type RawTurn = z.infer<typeof RawTurn>;

export interface PoTurn {
  reflection: string;
  /** 0 to MAX_QUESTIONS questions with ids, 2–4 distinct options each, the recommended one first. */
  questions: Question[];
  /** No questions left: the Product Owner is ready to summarise. */
  done: boolean;
  /** What normalising changed (dropped questions/options), for the run's record. */
  notes: string[];
}

// "Other" is offered by the widget itself (allowOther); an option saying so would be a duplicate.
const OTHER_OPTION = /^(other|others|something else|none of (the|these) (above|options)|anything else)\b/i;

export function normaliseTurn(raw: RawTurn, makeId: (prefix: string) => string = newId): { turn: PoTurn; problem?: string } {
  const notes: string[] = [];
  const questions: Question[] = [];
  const rawQuestions = dedupeBy(
    raw.questions.map((q) => ({ ...q, text: clean(stripListMarker(q.text), QUESTION_MAX_CHARS) })).filter((q) => q.text),
    (q) => dedupeKey(q.text),
  );
  for (const q of rawQuestions) {
    if (questions.length >= MAX_QUESTIONS) {
      notes.push(`Only the first ${MAX_QUESTIONS} questions are asked; "${q.text}" was left out.`);
      continue;
    }
    const labels = q.options.map((o) => clean(stripListMarker(o), OPTION_MAX_CHARS));
    const recIndex = q.recommended !== undefined && q.recommended >= 0 && q.recommended < labels.length ? q.recommended : q.recommended === labels.length ? labels.length - 1 : 0;
    const recKey = dedupeKey(labels[recIndex] ?? '');
    let options = dedupeBy(
      labels.filter((l) => l && !OTHER_OPTION.test(l)),
      dedupeKey,
    );
    const rec = options.findIndex((l) => dedupeKey(l) === recKey);
    if (rec > 0) options = [options[rec]!, ...options.slice(0, rec), ...options.slice(rec + 1)];
    if (options.length > MAX_OPTIONS) {
      notes.push(`"${q.text}" had ${options.length} options; the first ${MAX_OPTIONS} are kept.`);
      options = options.slice(0, MAX_OPTIONS);
    }
    if (options.length < MIN_OPTIONS) {
      notes.push(`"${q.text}" was dropped: it needs at least ${MIN_OPTIONS} different options.`);
      continue;
    }
    const id = makeId('q');
    questions.push({
      id,
      kind: /multi|several|many|check|all that/i.test(q.kind) ? 'multiple' : 'single',
      text: q.text,
      options: options.map((label, i) => ({ id: `${id}_${i + 1}`, label, ...(i === 0 ? { recommended: true } : {}) })),
      allowOther: true,
    });
  }
  const reflection = clean(raw.reflection, REFLECTION_MAX_CHARS);
  // Questions decide: a model often says done:true while still asking, or done:false with nothing to ask.
  const turn: PoTurn = { reflection, questions, done: questions.length === 0, notes };
  if (questions.length === 0 && !raw.done && raw.questions.length > 0) {
    return { turn, problem: `questions: every question needs ${MIN_OPTIONS} to ${MAX_OPTIONS} different options (besides "Other"); ask 1 to ${MAX_QUESTIONS} such questions, or set "done" to true.` };
  }
  if (!reflection && questions.length === 0) return { turn, problem: 'reflection: say in one or two sentences what you understood.' };
  return { turn };
}

export const PoTurnSchema: z.ZodType<PoTurn> = RawTurn.transform((raw, ctx) => {
  const { turn, problem } = normaliseTurn(raw);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem, input: raw });
    return z.NEVER;
  }
  return turn;
}) as unknown as z.ZodType<PoTurn>;

export interface TurnInput {
  messages: readonly Message[];
  /** The round this turn would be (1-based). */
  round: number;
  maxRounds: number;
}

export function turnPrompt(input: TurnInput) {
  const last = input.round >= input.maxRounds ? ' It is the last round: ask only what matters most.' : '';
  return fewShotPrompt(productOwnerTurn, `Conversation so far:\n${renderTranscript(input.messages)}\n\nThis is question round ${input.round} of at most ${input.maxRounds}.${last}`);
}

export function askProductOwner(ctx: AgentContext, input: TurnInput): Promise<AgentResult<PoTurn>> {
  return callAgent(ctx, 'productOwner', 'ProductOwnerTurn', PoTurnSchema, turnPrompt(input));
}

// ---------------------------------------------------------------------------------------------
// The summary. Users and fields are one string each ("Staff: sees orders", "price: decimal?"):
// far easier for a tiny model than nested objects, and parsed here.

const RawSummary = z.object({
  appName: z.string(),
  users: z.array(z.string()),
  entities: z.array(z.object({ name: z.string(), fields: z.array(z.string()) })),
  features: z.array(z.string()),
  constraints: z.array(z.string()).optional(),
});
type RawSummary = z.infer<typeof RawSummary>;

export const FIELD_TYPES = ['text', 'integer', 'decimal', 'boolean', 'date', 'datetime'] as const;
const TYPE_SYNONYMS: [RegExp, (typeof FIELD_TYPES)[number]][] = [
  [/^(date ?time|date-time|timestamp|timestamptz|time|instant)$/, 'datetime'],
  [/^date$/, 'date'],
  [/^(bool|boolean|yes\/no|flag|checkbox)$/, 'boolean'],
  [/^(decimal|float|double|real|numeric|money|price|currency|amount)$/, 'decimal'],
  [/^(int|integer|number|bigint|smallint|count|serial|id|i32|i64)$/, 'integer'],
  [/^(text|string|str|varchar|char|email|phone|url|name|address)$/, 'text'],
];
const OPTIONAL_MARK = /\?|\boptional\b|\bnullable\b|\bmay be empty\b|\bnot required\b/i;

export function parseField(spec: string): { name: string; type: string; required: boolean } | undefined {
  const s = clean(stripListMarker(spec));
  // "name: type?", "name (type, optional)", "name - type", or a bare name.
  let namePart = s;
  let rest = '';
  const colon = s.indexOf(':');
  const paren = /^(.*?)\((.*)\)\s*(\?)?$/.exec(s);
  const dash = /^(.*?)\s[—–-]\s(.*)$/.exec(s);
  if (colon > 0) [namePart, rest] = [s.slice(0, colon), s.slice(colon + 1)];
  else if (paren) [namePart, rest] = [paren[1]!, `${paren[2]}${paren[3] ?? ''}`];
  else if (dash) [namePart, rest] = [dash[1]!, dash[2]!];
  if (namePart.trimEnd().endsWith('?')) {
    namePart = namePart.trimEnd().slice(0, -1);
    rest += '?';
  }
  const name = snakeCase(namePart);
  if (!name) return undefined;
  const typeWord = rest.replace(OPTIONAL_MARK, ' ').replace(/[,;]/g, ' ').trim().toLowerCase();
  const type = TYPE_SYNONYMS.find(([re]) => re.test(typeWord))?.[1] ?? TYPE_SYNONYMS.find(([re]) => re.test(typeWord.split(/\s+/)[0] ?? ''))?.[1] ?? 'text';
  return { name, type, required: !OPTIONAL_MARK.test(rest) };
}

export function parseUser(spec: string): { name: string; description: string } | undefined {
  const s = clean(stripListMarker(spec));
  const m = /^(.+?)\s*(?::|\s[—–-]\s)\s*(.*)$/.exec(s);
  const name = clean(m ? m[1]! : s, 60);
  return name ? { name, description: clean(m?.[2] ?? '', 300) } : undefined;
}

export function normaliseSummary(raw: RawSummary): { summary: ProductSummary; problems: string[] } {
  const problems: string[] = [];
  const appName = clean(raw.appName, 60);
  if (!appName) problems.push('appName: give the app a short name.');
  const users = dedupeBy(raw.users.map(parseUser).filter((u) => u !== undefined), (u) => dedupeKey(u.name));
  const entities = dedupeBy(
    raw.entities
      .map((e) => {
        const words = snakeCase(e.name).split('_');
        const last = words.pop() ?? '';
        const name = pascalCase([...words, singularize(last)].join('_'));
        const fields = dedupeBy(e.fields.map(parseField).filter((f) => f !== undefined && f.name !== 'id') as ProductSummary['entities'][number]['fields'], (f) => f.name);
        return { name, fields };
      })
      .filter((e) => e.name),
    (e) => e.name,
  );
  const list = (items: readonly string[] | undefined, max: number) =>
    dedupeBy(
      (items ?? []).map((i) => clean(stripListMarker(i), 300)).filter(Boolean),
      dedupeKey,
    ).slice(0, max);
  const features = list(raw.features, 30);
  const constraints = list(raw.constraints, 20);
  if (entities.length === 0) problems.push('entities: list the things the app keeps (like "Order"), each with its fields.');
  if (features.length === 0) problems.push('features: list what the app must do, one short sentence each.');
  return { summary: { appName, users, entities, features, constraints }, problems };
}

export const PoSummarySchema: z.ZodType<ProductSummary> = RawSummary.transform((raw, ctx) => {
  const { summary, problems } = normaliseSummary(raw);
  for (const p of problems) ctx.addIssue({ code: 'custom', message: p, input: raw });
  if (problems.length) return z.NEVER;
  const checked = ProductSummarySchema.safeParse(summary);
  if (!checked.success) {
    for (const i of checked.error.issues) ctx.addIssue({ code: 'custom', message: `${i.path.join('.')}: ${i.message}`, input: raw });
    return z.NEVER;
  }
  return checked.data;
}) as unknown as z.ZodType<ProductSummary>;

export function summaryPrompt(messages: readonly Message[]) {
  return fewShotPrompt(productOwnerSummary, `Conversation so far:\n${renderTranscript(messages)}\n\nWrite the product summary.`);
}

export function summariseProduct(ctx: AgentContext, messages: readonly Message[]): Promise<AgentResult<ProductSummary>> {
  return callAgent(ctx, 'productOwner', 'ProductSummary', PoSummarySchema, summaryPrompt(messages));
}
