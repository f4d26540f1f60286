import { z } from 'zod';
import { ActorRole, SpecialistRole } from './roles';
import { ModeId } from './modes';

export const TASK_STATES = ['draft', 'needs_technical_shaping', 'ready', 'in_progress', 'done', 'blocked'] as const;
export const TaskState = z.enum(TASK_STATES);
export type TaskState = z.infer<typeof TaskState>;

/** What a coding mode works on: a table for diesel-schema, `Struct::fn` for diesel-model-fn, … */
export const TaskTarget = z.object({
  table: z.string().optional(),
  struct: z.string().optional(),
  function: z.string().optional(),
  file: z.string().optional(),
});
export type TaskTarget = z.infer<typeof TaskTarget>;

export const Epic = z.object({
  id: z.string(),
  sessionId: z.string(),
  title: z.string(),
  description: z.string(),
  /** "Accept automatically when every check passes": a proposal of this epic whose checks all passed is accepted without a click. */
  autoAccept: z.boolean().optional(),
  createdAt: z.number(),
});
export type Epic = z.infer<typeof Epic>;

/** The longest request the user may give a task (the Engineering Manager's are cut to the same length). */
export const TASK_REQUEST_MAX = 2_000;

export const Task = z.object({
  id: z.string(),
  epicId: z.string(),
  title: z.string().min(1),
  description: z.string(),
  acceptanceCriteria: z.array(z.string()),
  role: SpecialistRole,
  state: TaskState,
  dependsOn: z.array(z.string()),
  mode: ModeId.optional(),
  target: TaskTarget.optional(),
  /** The request handed to the coding mode (what the function/struct/table should do); at most TASK_REQUEST_MAX characters when the user edits it. */
  request: z.string().optional(),
  technicalNotes: z.string().optional(),
  dataContract: z.string().optional(),
  blockedReason: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Task = z.infer<typeof Task>;

export const TaskEvent = z.object({
  id: z.string(),
  taskId: z.string(),
  from: TaskState,
  to: TaskState,
  by: ActorRole,
  at: z.number(),
  why: z.string().optional(),
});
export type TaskEvent = z.infer<typeof TaskEvent>;

export const Comment = z.object({
  id: z.string(),
  taskId: z.string(),
  author: ActorRole,
  body: z.string().min(1),
  createdAt: z.number(),
});
export type Comment = z.infer<typeof Comment>;
