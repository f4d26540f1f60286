import type { BuiltPrompt } from '../../src/pipeline/mode';
import type { Example } from '../../src/pipeline/promptBank';

const block = (lang: string, code: string): string => `\`\`\`${lang}\n${code.trim()}\n\`\`\``;

/** One example or the live request: the context (types, client functions, file) in a ```ts block. */
export function renderSolidTask(context: string, request: string, notes: readonly string[] = []): string {
  const n = notes.filter((x) => x.trim());
  return `Context:\n${block('ts', context)}\nRequest: ${request.trim()}${n.length ? `\nNotes:\n${n.map((x) => `- ${x.trim()}`).join('\n')}` : ''}\nAnswer:`;
}

/**
 * ONE system message (instructions + every example: the same for every call, so llama.cpp reuses
 * its cache), then the user message with this request's context.
 */
export function buildSolidPrompt(system: string, examples: readonly Example[], context: string, request: string, notes: readonly string[] = []): BuiltPrompt {
  const shots = examples.map((ex, i) => `## Example ${i + 1}: ${ex.title}\n${renderSolidTask(ex.context, ex.request)}\n${block('tsx', ex.answers[0]!.code)}`);
  const sys = `${system.trim()}\n\n# Examples\n\n${shots.join('\n\n')}\n`;
  return {
    messages: [
      { role: 'system', content: sys },
      { role: 'user', content: renderSolidTask(context, request, notes) },
    ],
    stablePrefixChars: sys.length,
  };
}
