import { z } from 'zod';
import { summaryPrompt, turnPrompt } from '../agents/productOwner';
import { planPrompt } from '../agents/projectManager';
import { shapePrompt } from '../agents/engineeringManager';
import { PoSummarySchema, PoTurnSchema, PlanSchema, ShapingSchema } from '../agents';
import type { AgentPrompt } from '../agents/prompt';
import { ProductSummary, SpecialistRole, type Message, type ModelRole, type RunRecord, type Task } from '../domain';
import type { Mode } from '../pipeline/mode';
import type { ModelClient } from '../llm/types';
import { ModelError } from '../llm/errors';

// The team agents (Product Owner, Project Manager, Engineering Manager) on a real model: is their
// structured output valid on the FIRST try? Each case builds the agent's real prompt and checks
// the answer with the agent's real schema (zod, with its deterministic repairs). The re-ask is
// never sent: the first invalid answer ends the case.

export const AgentCases = z.object({
  apps: z
    .array(
      z.object({
        request: z.string().min(1),
        summary: ProductSummary,
        tasks: z.array(z.object({ title: z.string(), description: z.string(), acceptance: z.array(z.string()), role: SpecialistRole })).min(1),
      }),
    )
    .min(1),
});
export type AgentCases = z.infer<typeof AgentCases>;

export const AGENT_STEPS = ['po-turn', 'po-summary', 'pm-plan', 'em-shape'] as const;
export type AgentStep = (typeof AGENT_STEPS)[number];

export interface AgentCaseResult {
  step: AgentStep;
  app: string;
  /** The first answer passed the agent's schema. */
  valid: boolean;
  /** What was wrong (schema problems, or the call's error). */
  problem?: string;
  ms: number;
  completionTokens?: number;
}

interface Case {
  step: AgentStep;
  app: string;
  role: ModelRole;
  schemaName: string;
  schema: z.ZodType<unknown>;
  prompt: AgentPrompt;
}

/** Every agent call the cases describe, in step order (calls of one agent share a cached prefix). */
export function agentCases(cases: AgentCases, modes: readonly Mode[]): Case[] {
  const now = Date.now();
  const out: Case[] = [];
  const each = (step: AgentStep, make: (app: AgentCases['apps'][number]) => Omit<Case, 'step' | 'app'>[]) => {
    for (const app of cases.apps) for (const c of make(app)) out.push({ step, app: app.summary.appName, ...c });
  };
  const userMessage = (content: string): Message => ({ id: 'm1', sessionId: 's', author: 'user', content, createdAt: now });
  each('po-turn', (app) => [{ role: 'productOwner', schemaName: 'ProductOwnerTurn', schema: PoTurnSchema, prompt: turnPrompt({ messages: [userMessage(app.request)], round: 1, maxRounds: 3 }) }]);
  each('po-summary', (app) => [{ role: 'productOwner', schemaName: 'ProductSummary', schema: PoSummarySchema, prompt: summaryPrompt([userMessage(app.request)]) }]);
  each('pm-plan', (app) => [{ role: 'projectManager', schemaName: 'ProjectPlan', schema: PlanSchema, prompt: planPrompt(app.summary) }]);
  each('em-shape', (app) => {
    const tasks: Task[] = app.tasks.map((t, i) => ({
      id: `t${i}`,
      epicId: 'e',
      title: t.title,
      description: t.description,
      acceptanceCriteria: t.acceptance,
      role: t.role,
      state: 'needs_technical_shaping',
      dependsOn: i > 0 ? ['t0'] : [],
      createdAt: now,
      updatedAt: now,
    }));
    return tasks.map((task) => ({ role: 'engineeringManager', schemaName: 'TaskShaping', schema: ShapingSchema, prompt: shapePrompt({ task, tasks, summary: app.summary, modes }) }));
  });
  return out;
}

/**
 * Where the client's runs arrive: create the client with `onRun: (run) => gate.onRun?.(run)`.
 * The client re-asks after an invalid answer; the gate aborts the call as soon as the first
 * invalid run is in, so the re-ask is never sent.
 */
export interface RunGate {
  onRun?: (run: RunRecord) => void;
}

/** Runs the cases one after the other; the first answer of each is scored, no re-ask is sent. */
export async function runAgentCases(client: ModelClient, gate: RunGate, cases: readonly Case[], onResult?: (r: AgentCaseResult, i: number) => void): Promise<AgentCaseResult[]> {
  const results: AgentCaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    const stop = new AbortController();
    gate.onRun = (run) => {
      if (run.outcome === 'invalid') stop.abort();
    };
    const started = Date.now();
    let result: AgentCaseResult;
    try {
      const r = await client.structured({ role: c.role, schema: c.schema, schemaName: c.schemaName, messages: c.prompt.messages, stablePrefixChars: c.prompt.stablePrefixChars, signal: stop.signal });
      const first = r.runs[0];
      result = { step: c.step, app: c.app, valid: true, ms: first?.timings.totalMs ?? Date.now() - started, ...(first?.usage?.completionTokens !== undefined ? { completionTokens: first.usage.completionTokens } : {}) };
    } catch (err) {
      const first = err instanceof ModelError ? err.runs?.[0] : undefined;
      const problems = first?.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message) ?? [];
      result = {
        step: c.step,
        app: c.app,
        valid: false,
        problem: (problems.join('; ') || (err as Error).message).slice(0, 300),
        ms: first?.timings.totalMs ?? Date.now() - started,
        ...(first?.usage?.completionTokens !== undefined ? { completionTokens: first.usage.completionTokens } : {}),
      };
    }
    results.push(result);
    onResult?.(result, i);
  }
  return results;
}

/** First-try valid answers per step: "3/4". */
export function summariseAgentResults(results: readonly AgentCaseResult[]): Record<AgentStep | 'all', { valid: number; total: number }> {
  const out = {} as Record<AgentStep | 'all', { valid: number; total: number }>;
  for (const step of [...AGENT_STEPS, 'all'] as const) {
    const mine = results.filter((r) => step === 'all' || r.step === step);
    out[step] = { valid: mine.filter((r) => r.valid).length, total: mine.length };
  }
  return out;
}
