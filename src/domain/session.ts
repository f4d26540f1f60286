import { z } from 'zod';
import { ActorRole } from './roles';

/** A clarifying question rendered as a widget (radio for single, checkboxes for multiple). */
export const QuestionOption = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  recommended: z.boolean().optional(),
});
export const Question = z.object({
  id: z.string().min(1),
  kind: z.enum(['single', 'multiple']),
  text: z.string().min(1),
  options: z.array(QuestionOption).min(2).max(4),
  /** When true the widget offers "Other…" with a free-text field. */
  allowOther: z.boolean(),
});
export type Question = z.infer<typeof Question>;

export const Answer = z.object({
  questionId: z.string().min(1),
  selected: z.array(z.string()),
  other: z.string().max(2000).optional(),
});
export type Answer = z.infer<typeof Answer>;

export const ProductSummary = z.object({
  appName: z.string().min(1),
  users: z.array(z.object({ name: z.string().min(1), description: z.string() })),
  entities: z.array(
    z.object({
      name: z.string().min(1),
      fields: z.array(z.object({ name: z.string().min(1), type: z.string().min(1), required: z.boolean() })),
    }),
  ),
  features: z.array(z.string()),
  constraints: z.array(z.string()),
});
export type ProductSummary = z.infer<typeof ProductSummary>;

export const SessionPhase = z.enum(['discovery', 'summary', 'planning', 'shaping', 'building']);
export type SessionPhase = z.infer<typeof SessionPhase>;

export const Session = z.object({
  id: z.string(),
  title: z.string(),
  phase: SessionPhase,
  /** PO question rounds asked so far (capped by a setting). */
  rounds: z.number().int().nonnegative(),
  summary: ProductSummary.optional(),
  summaryConfirmed: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Session = z.infer<typeof Session>;

export const Message = z.object({
  id: z.string(),
  sessionId: z.string(),
  author: ActorRole,
  content: z.string(),
  questions: z.array(Question).optional(),
  answers: z.array(Answer).optional(),
  summary: ProductSummary.optional(),
  runId: z.string().optional(),
  createdAt: z.number(),
});
export type Message = z.infer<typeof Message>;
