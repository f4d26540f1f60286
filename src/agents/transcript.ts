import type { Message, ProductSummary } from '../domain';
import { cleanBlock } from './text';

/** Most characters of conversation put into a prompt; small models have small contexts. */
const MAX_TRANSCRIPT_CHARS = 6000;

/** The conversation as the Product Owner's prompts show it (see prompts/team/productOwner). */
export function renderTranscript(messages: readonly Message[]): string {
  const lines: string[] = [];
  for (const m of messages) {
    if (m.author === 'user') {
      lines.push(m.answers ? `Customer answered:\n${cleanBlock(m.content)}` : `Customer: ${cleanBlock(m.content)}`);
    } else if (m.author === 'product_owner') {
      if (m.summary) lines.push(`Product Owner wrote this summary:\n${describeSummary(m.summary)}`);
      else if (m.content.trim()) lines.push(`Product Owner: ${cleanBlock(m.content)}`);
    }
  }
  return clipKeepingFirst(lines, MAX_TRANSCRIPT_CHARS).join('\n');
}

/** Keeps the opening line (what the customer wants) and as many of the latest lines as fit. */
function clipKeepingFirst(lines: readonly string[], max: number): string[] {
  const total = lines.reduce((n, l) => n + l.length + 1, 0);
  if (total <= max || lines.length < 3) return [...lines];
  const [first, ...rest] = lines;
  const kept: string[] = [];
  let used = (first?.length ?? 0) + 20;
  for (let i = rest.length - 1; i >= 0; i--) {
    const l = rest[i]!;
    if (used + l.length + 1 > max) break;
    kept.unshift(l);
    used += l.length + 1;
  }
  return [first!, '(…earlier conversation left out…)', ...kept];
}

/** A confirmed summary as plain text: the Project Manager's input and the summary shown in chat. */
export function describeSummary(s: ProductSummary): string {
  const list = (items: readonly string[]) => (items.length ? items.map((i) => `- ${i}`).join('\n') : '(none)');
  return [
    `App: ${s.appName}`,
    'Users:',
    list(s.users.map((u) => (u.description ? `${u.name}: ${u.description}` : u.name))),
    'Data:',
    list(s.entities.map((e) => `${e.name}: ${e.fields.map((f) => `${f.name} (${f.type}${f.required ? '' : ', optional'})`).join(', ')}`)),
    'Features:',
    list(s.features),
    'Constraints:',
    list(s.constraints),
  ].join('\n');
}
