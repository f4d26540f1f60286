import type { RunMessage } from '../domain';
import type { TeamPrompt } from '../../prompts/team';

export interface AgentPrompt {
  messages: RunMessage[];
  /** Characters of the system text and examples: the part every call of the agent shares. */
  stablePrefixChars: number;
}

/**
 * System text, then each example as a user/assistant pair (the answer as compact JSON, the form a
 * tiny model copies best), then the real input. Everything before the input is identical across
 * calls, so llama-server's prompt cache keeps it.
 */
export function fewShotPrompt(prompt: TeamPrompt, input: string, vars: Readonly<Record<string, string>> = {}): AgentPrompt {
  const system = prompt.system.replace(/\{\{(\w+)\}\}/g, (m, name: string) => vars[name] ?? m);
  const messages: RunMessage[] = [{ role: 'system', content: system }];
  for (const ex of prompt.examples) {
    messages.push({ role: 'user', content: ex.input }, { role: 'assistant', content: JSON.stringify(ex.output) });
  }
  const stablePrefixChars = messages.reduce((n, m) => n + m.content.length, 0);
  messages.push({ role: 'user', content: input });
  return { messages, stablePrefixChars };
}
