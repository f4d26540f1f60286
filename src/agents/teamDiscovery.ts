import type { Message, ProductSummary, Session } from '../domain';
import { ProductSummary as ProductSummarySchema } from '../domain';
import { describeAnswers, validateAnswers } from './answers';
import { TeamError } from './errors';
import { askProductOwner, summariseProduct } from './productOwner';
import { lastRunId } from './runs';
import { NEW_SESSION_TITLE, type TeamRuntime } from './teamRuntime';
import { clean } from './text';

// The discovery phases: the user talks with the Product Owner (questions, answers) until a
// product summary is written and confirmed. The `…Step` functions call the model and run inside
// TeamRuntime.exclusive; every one stores its input before the call and its result after it.

/** A new session holding the user's first message; the Product Owner then asks questions. */
export async function startWithMessage(rt: TeamRuntime, text: string, signal: AbortSignal): Promise<Session> {
  const { store } = rt;
  const session = store.sessions.create({ title: clean(text, 60) });
  rt.sessionId = session.id;
  store.messages.create({ sessionId: session.id, author: 'user', content: text });
  rt.emit('session', 'messages');
  await productOwnerStep(rt, signal);
  return rt.requireSession();
}

/**
 * A free message from the user. During discovery the Product Owner takes it into account; while
 * a summary awaits confirmation it is a change request and the summary is rewritten.
 */
export async function receiveMessage(rt: TeamRuntime, content: string, signal: AbortSignal): Promise<Message> {
  const s = rt.requireSession();
  const { store } = rt;
  const all = store.messages.list(s.id);
  const firstWords = !all.some((m) => m.author === 'user');
  // "Try again" after a failed reply sends the same words: they are in the chat already.
  const last = all.at(-1);
  const msg = last?.author === 'user' && last.content === content && !last.answers ? last : store.messages.create({ sessionId: s.id, author: 'user', content });
  if (firstWords && s.title === NEW_SESSION_TITLE) store.sessions.update(s.id, { title: clean(content, 60) });
  rt.emit('messages', 'session');
  if (s.phase === 'discovery') await productOwnerStep(rt, signal);
  else if (s.phase === 'summary') await summaryStep(rt, signal);
  else {
    store.messages.create({
      sessionId: s.id,
      author: 'system',
      content: 'The summary is confirmed and the work is planned, so this message changes nothing by itself. To change a task, comment on it on the board.',
    });
    rt.emit('messages');
  }
  return msg;
}

/** The user's answers to a round of questions (validated against them), then the next turn. */
export async function receiveAnswers(rt: TeamRuntime, messageId: string, answers: unknown, signal: AbortSignal): Promise<void> {
  const s = rt.requireSession();
  const { store } = rt;
  if (s.phase !== 'discovery') throw new TeamError('wrong-phase', 'The questions are closed: the Product Owner has already written the summary.');
  const all = store.messages.list(s.id);
  const idx = all.findIndex((m) => m.id === messageId);
  const msg = all[idx];
  if (!msg?.questions?.length) throw new TeamError('not-found', 'There are no questions with that id in this session.');
  if (all.slice(idx + 1).some((m) => m.author === 'user' || m.questions?.length)) throw new TeamError('invalid-answer', 'These questions were already answered, or a newer message replaced them.');
  const check = validateAnswers(msg.questions, answers);
  if (!check.ok) throw new TeamError('invalid-answer', 'Some answers need another look:', check.errors);
  store.messages.create({ sessionId: s.id, author: 'user', content: describeAnswers(msg.questions, check.answers), answers: check.answers });
  rt.emit('messages');
  await productOwnerStep(rt, signal);
}

/** "That's enough, summarise": ends the questions (or rewrites an unconfirmed summary). */
export async function requestSummary(rt: TeamRuntime, signal: AbortSignal): Promise<ProductSummary> {
  const s = rt.requireSession();
  if (s.phase !== 'discovery' && s.phase !== 'summary') throw new TeamError('wrong-phase', 'The summary is already confirmed.');
  if (s.phase === 'discovery') {
    rt.store.messages.create({ sessionId: s.id, author: 'user', content: "That's enough questions: please summarise." });
    rt.emit('messages');
  }
  return summaryStep(rt, signal);
}

/** Confirms the summary, as shown or as edited by the user (validated); the session moves to planning. */
export function confirmSummary(rt: TeamRuntime, summary: unknown): Session {
  const s = rt.requireSession();
  const { store } = rt;
  if (s.phase !== 'summary' || !s.summary) throw new TeamError('wrong-phase', s.summaryConfirmed ? 'The summary is already confirmed.' : 'There is no summary to confirm yet.');
  const parsed = ProductSummarySchema.safeParse(summary ?? s.summary);
  if (!parsed.success) {
    throw new TeamError(
      'invalid-summary',
      'The summary cannot be confirmed like this:',
      parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'summary'}: ${i.message}`),
    );
  }
  const edited = JSON.stringify(parsed.data) !== JSON.stringify(s.summary);
  store.messages.create({ sessionId: s.id, author: 'user', content: edited ? 'Confirmed the summary with my edits.' : 'Confirmed the summary.', ...(edited ? { summary: parsed.data } : {}) });
  const updated = store.sessions.update(s.id, { summary: parsed.data, summaryConfirmed: true, phase: 'planning', title: parsed.data.appName });
  rt.emit('session', 'messages');
  return updated;
}

/** One Product Owner turn: a round of questions, or (when done or out of rounds) the summary. */
export async function productOwnerStep(rt: TeamRuntime, signal: AbortSignal): Promise<void> {
  const s = rt.requireSession();
  const { store } = rt;
  const { maxQuestionRounds } = rt.settings();
  if (s.rounds >= maxQuestionRounds) {
    await summaryStep(rt, signal);
    return;
  }
  const messages = store.messages.list(s.id);
  const { value: turn, runs } = await rt.callAgent('product_owner', signal, undefined, (ctx) => askProductOwner(ctx, { messages, round: s.rounds + 1, maxRounds: maxQuestionRounds }));
  const runId = lastRunId(runs);
  if (turn.done) {
    // Both writes together: a stop after them leaves phase 'summary' without a summary, which resume() completes.
    if (turn.reflection) store.messages.create({ sessionId: s.id, author: 'product_owner', content: turn.reflection, ...(runId ? { runId } : {}) });
    store.sessions.update(s.id, { phase: 'summary', summary: null, summaryConfirmed: false });
    rt.emit('messages', 'session');
    await summaryStep(rt, signal);
    return;
  }
  store.messages.create({ sessionId: s.id, author: 'product_owner', content: turn.reflection || 'A few questions first:', questions: turn.questions, ...(runId ? { runId } : {}) });
  store.sessions.update(s.id, { rounds: s.rounds + 1 });
  rt.emit('messages', 'session');
}

/** The Product Owner writes (or rewrites) the summary from the whole conversation. */
export async function summaryStep(rt: TeamRuntime, signal: AbortSignal): Promise<ProductSummary> {
  const s = rt.requireSession();
  const { store } = rt;
  store.sessions.update(s.id, { phase: 'summary', summary: null, summaryConfirmed: false });
  rt.emit('session');
  const messages = store.messages.list(s.id);
  const { value: summary, runs } = await rt.callAgent('product_owner', signal, undefined, (ctx) => summariseProduct(ctx, messages));
  const runId = lastRunId(runs);
  store.messages.create({
    sessionId: s.id,
    author: 'product_owner',
    content: 'Here is what I understood. Confirm it, edit it, or tell me what to change.',
    summary,
    ...(runId ? { runId } : {}),
  });
  store.sessions.update(s.id, { summary, title: summary.appName });
  rt.emit('messages', 'session');
  return summary;
}
