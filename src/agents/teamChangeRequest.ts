import type { Session } from '../domain';
import { savePlan } from './board';
import { describeChange, requestRounds, requestStart, requestTranscript, summaryDelta, withChange } from './changeRequest';
import { askProductOwner, summariseProduct } from './productOwner';
import { planEpic } from './projectManager';
import { lastRunId } from './runs';
import type { TeamRuntime } from './teamRuntime';
import { clean, dedupeKey } from './text';

// New requests once the work is planned (see changeRequest.ts for how a request is read from the
// messages). The Product Owner asks about the request if needed, then writes the app with the
// change; nocodo keeps what the change adds, and the Project Manager plans that as a new epic.
// `requestStep` runs inside TeamRuntime.exclusive.

/** Whether the session takes new requests: the summary is confirmed and the work is on the board. */
export function takesRequests(rt: TeamRuntime, s: Session): boolean {
  return s.summaryConfirmed && !!s.summary && s.phase !== 'discovery' && s.phase !== 'summary' && rt.store.epics.list(s.id).length > 0;
}

/** Whether `messageId` holds questions of the request still open (answers are welcome). */
export function isRequestQuestion(rt: TeamRuntime, s: Session, messageId: string): boolean {
  if (!takesRequests(rt, s)) return false;
  const all = rt.store.messages.list(s.id);
  return all.findIndex((m) => m.id === messageId) >= requestStart(all);
}

/** One step of the open request: a round of questions, or the change with its tasks on the board. */
export async function requestStep(rt: TeamRuntime, signal: AbortSignal): Promise<void> {
  const s = rt.requireSession();
  const { store } = rt;
  const current = s.summary;
  if (!current) return;
  const messages = store.messages.list(s.id);
  const transcript = requestTranscript(current, messages);
  const { maxQuestionRounds } = rt.settings();
  const round = requestRounds(messages) + 1;
  if (round <= maxQuestionRounds) {
    const { value: turn, runs } = await rt.callAgent('product_owner', signal, undefined, (ctx) => askProductOwner(ctx, { messages: transcript, round, maxRounds: maxQuestionRounds }));
    if (!turn.done) {
      const runId = lastRunId(runs);
      store.messages.create({ sessionId: s.id, author: 'product_owner', content: turn.reflection || 'A few questions about your request:', questions: turn.questions, ...(runId ? { runId } : {}) });
      rt.emit('messages');
      return;
    }
  }
  const written = await rt.callAgent('product_owner', signal, undefined, (ctx) => summariseProduct(ctx, transcript));
  const delta = summaryDelta(current, written.value);
  const summaryRun = lastRunId(written.runs);
  if (!delta) {
    store.messages.create({
      sessionId: s.id,
      author: 'product_owner',
      content: 'I see nothing in this request that the app does not already have planned. Tell me what should be added or work differently.',
      ...(summaryRun ? { runId: summaryRun } : {}),
    });
    rt.emit('messages');
    return;
  }
  const planned = await rt.callAgent('project_manager', signal, undefined, (ctx) => planEpic(ctx, delta));
  // Every write after the model calls, together: a stop before them leaves the request open (the
  // user's message is the last word), and resume() asks again.
  const taken = new Set(store.epics.list(s.id).map((e) => dedupeKey(e.title)));
  const plan = { ...planned.value, title: taken.has(dedupeKey(planned.value.title)) ? changeTitle(delta) : planned.value.title };
  store.messages.create({ sessionId: s.id, author: 'product_owner', content: describeChange(delta, current), ...(summaryRun ? { runId: summaryRun } : {}) });
  const saved = savePlan(store, s.id, plan);
  const planRun = lastRunId(planned.runs);
  store.messages.create({
    sessionId: s.id,
    author: 'project_manager',
    content: `I added "${saved.epic.title}" to the board as ${saved.tasks.length} task${saved.tasks.length === 1 ? '' : 's'}. The Engineering Manager shapes them next.`,
    ...(planRun ? { runId: planRun } : {}),
  });
  store.sessions.update(s.id, { summary: withChange(current, delta) });
  rt.emit('board', 'messages', 'session');
}

/** An epic title for a change when the Project Manager reused an existing one (often the app's name). */
function changeTitle(delta: NonNullable<ReturnType<typeof summaryDelta>>): string {
  const what = delta.features[0] || delta.entities.map((e) => e.name).join(', ') || delta.users[0]?.name || delta.constraints[0] || 'more of the app';
  return clean(`Change: ${what}`, 120);
}
