import type { Message, ProductSummary } from '../domain';
import { dedupeKey } from './text';

/**
 * New requests once the work is planned. nocodo manages the app, it does not only create it once:
 * a message sent after the summary was confirmed and planned opens a change request. The Product
 * Owner gathers it (questions if needed, then the summary of the app with the change), nocodo
 * works out what the change adds, and the Project Manager plans that addition as a new epic.
 *
 * Everything here is derived from the stored messages (so a reload continues where it stopped):
 * the request is what the user and the Product Owner said after the Project Manager's last
 * planning message.
 */

/** Index of the first message of the current request: right after the Project Manager's last message. */
export function requestStart(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.author === 'project_manager') return i + 1;
  return messages.length;
}

/** The user's and Product Owner's messages of the current request (oldest first). */
export function requestMessages(messages: readonly Message[]): Message[] {
  return messages.slice(requestStart(messages)).filter((m) => m.author === 'user' || m.author === 'product_owner');
}

/** What the request needs next: nothing (no request), the Product Owner, or the user's answers. */
export function requestState(messages: readonly Message[]): 'none' | 'product-owner' | 'answers' {
  const request = requestMessages(messages);
  const last = request.at(-1);
  if (!last || !request.some((m) => m.author === 'user')) return 'none';
  if (last.author === 'user') return 'product-owner';
  return last.questions?.length ? 'answers' : 'none';
}

/** Question rounds the Product Owner has asked in the current request. */
export const requestRounds = (messages: readonly Message[]): number => requestMessages(messages).filter((m) => m.author === 'product_owner' && m.questions?.length).length;

/**
 * The conversation the Product Owner sees for a request: the app as confirmed so far (as the
 * summary it wrote), then the request. Its prompts know this shape from discovery.
 */
export function requestTranscript(summary: ProductSummary, messages: readonly Message[]): Message[] {
  const request = requestMessages(messages);
  const first = request[0];
  const context: Message = { id: 'app-so-far', sessionId: first?.sessionId ?? '', author: 'product_owner', content: '', summary, createdAt: first?.createdAt ?? 0 };
  return [context, ...request];
}

/**
 * What `next` adds to `current`: new users, new entities, new fields of existing entities, new
 * features and constraints. Nothing is ever removed by a request (a small model that leaves part
 * of the app out of its summary must not delete it). Undefined when nothing is new.
 */
export function summaryDelta(current: ProductSummary, next: ProductSummary): ProductSummary | undefined {
  const known = (items: readonly string[]) => new Set(items.map(dedupeKey));
  const users = next.users.filter((u) => !known(current.users.map((x) => x.name)).has(dedupeKey(u.name)));
  const entities: ProductSummary['entities'] = [];
  for (const e of next.entities) {
    const existing = current.entities.find((x) => dedupeKey(x.name) === dedupeKey(e.name));
    if (!existing) {
      entities.push(e);
      continue;
    }
    const fields = e.fields.filter((f) => !known(existing.fields.map((x) => x.name)).has(dedupeKey(f.name)));
    if (fields.length) entities.push({ name: existing.name, fields });
  }
  const features = next.features.filter((f) => !known(current.features).has(dedupeKey(f)));
  const constraints = next.constraints.filter((c) => !known(current.constraints).has(dedupeKey(c)));
  if (!users.length && !entities.length && !features.length && !constraints.length) return undefined;
  return { appName: current.appName, users, entities, features, constraints };
}

/** The app with a request's additions (the session's summary from then on). */
export function withChange(current: ProductSummary, delta: ProductSummary): ProductSummary {
  const entities = current.entities.map((e) => {
    const added = delta.entities.find((d) => dedupeKey(d.name) === dedupeKey(e.name));
    return added ? { ...e, fields: [...e.fields, ...added.fields] } : e;
  });
  const fresh = delta.entities.filter((d) => !current.entities.some((e) => dedupeKey(e.name) === dedupeKey(d.name)));
  return {
    appName: current.appName,
    users: [...current.users, ...delta.users],
    entities: [...entities, ...fresh],
    features: [...current.features, ...delta.features],
    constraints: [...current.constraints, ...delta.constraints],
  };
}

/** The change in plain words, for the chat. */
export function describeChange(delta: ProductSummary, current: ProductSummary): string {
  const lines: string[] = [];
  for (const e of delta.entities) {
    const fields = e.fields.map((f) => f.name).join(', ');
    const isNew = !current.entities.some((x) => dedupeKey(x.name) === dedupeKey(e.name));
    lines.push(isNew ? `- New data: ${e.name}${fields ? ` (${fields})` : ''}` : `- ${e.name} gets ${fields}`);
  }
  for (const u of delta.users) lines.push(`- New user: ${u.name}${u.description ? ` (${u.description})` : ''}`);
  for (const f of delta.features) lines.push(`- ${f}`);
  for (const c of delta.constraints) lines.push(`- Constraint: ${c}`);
  return `Here is the change I understood:\n${lines.join('\n')}`;
}
