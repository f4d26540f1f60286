import type { z } from 'zod';
import type { ModelRole, RunRecord } from '../domain';
import type { ModelClient } from '../llm/types';
import type { AgentPrompt } from './prompt';

/** What every agent call needs besides its own input. */
export interface AgentContext {
  client: ModelClient;
  sessionId?: string;
  taskId?: string;
  signal?: AbortSignal;
  /** Streamed answer text, for the sidebar's "typing" bubble. */
  onDelta?: (text: string) => void;
}

export interface AgentResult<T> {
  value: T;
  /** Every model call made (first answer, and the re-ask if there was one). */
  runs: RunRecord[];
}

/** One structured call of an agent: its prompt, its schema (with deterministic repairs), its model role. */
export async function callAgent<T>(ctx: AgentContext, role: ModelRole, schemaName: string, schema: z.ZodType<T>, prompt: AgentPrompt): Promise<AgentResult<T>> {
  const res = await ctx.client.structured({
    role,
    schema,
    schemaName,
    messages: prompt.messages,
    stablePrefixChars: prompt.stablePrefixChars,
    ...(ctx.sessionId !== undefined ? { sessionId: ctx.sessionId } : {}),
    ...(ctx.taskId !== undefined ? { taskId: ctx.taskId } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.onDelta ? { onDelta: (d) => d.content && ctx.onDelta?.(d.content) } : {}),
  });
  return { value: res.value, runs: res.runs };
}
