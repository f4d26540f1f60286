import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TAKEN_OVER_WHY } from '../../../src/agents/stoppedTasks';
import { LIMITS, REQUEST_TYPES, type HostMessage } from '../../../src/protocol';
import { openStore } from '../../../src/store';
import { SESSION_KEY, VIEW_STATE_KEY } from '../../../src/teamPanel';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/server.mjs';
import { j, PO, rule, SUMMARY as SUMMARY_SYS, waitFor } from '../agents/rig';
import { cleanupDirs } from '../agents/project';
import { chainedScript, FIRST_MESSAGE, happyScript, OPEN_FOR_DATE_FN, SHAPE_FN, SUMMARY, TURN_1, UNKNOWN_COLUMN_FN } from '../agents/script';
import { fileOf, makePanelRig, RecordedGit, type PanelRig } from './panelRig';

// The team panel's controller in Node: the webview's messages in, replies, streamed text and state
// snapshots out, over the real store, the real Team (fixture model server over HTTP) and proposals
// accepted onto a real project on disk.

let server: ModelServer;
let rig: PanelRig | undefined;
/** Every request kind a test sent, to check that none is left untested. */
const exercised = new Set<string>();

beforeAll(async () => {
  server = await startModelServer();
});
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  server.setScript([]);
  server.requests.splice(0);
  cleanupDirs();
});
afterAll(async () => {
  await server.close();
});

async function open(over: Parameters<typeof makePanelRig>[1] = {}): Promise<PanelRig> {
  rig = await makePanelRig(server, over);
  const ask = rig.ask;
  rig.ask = (type, body) => {
    exercised.add(type);
    return ask(type, body);
  };
  return rig;
}

const ok = (r: Extract<HostMessage, { type: 'reply' }>) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result;
};
const failed = (r: Extract<HostMessage, { type: 'reply' }>) => (r.ok ? { code: 'ok', message: '' } : r.error);
const ofType = <K extends HostMessage['type']>(posted: HostMessage[], type: K) => posted.filter((m): m is Extract<HostMessage, { type: K }> => m.type === type);

describe('hostile and invalid webview messages', () => {
  it('are refused with a clear error, logged with the reason, and reach no handler', async () => {
    const r = await open();
    const hostile: unknown[] = [
      null,
      'ready',
      [],
      { type: 'sendChat', id: 'h1' },
      { type: 'sendChat', id: 'h2', text: 'x'.repeat(LIMITS.chat + 1) },
      { type: 'executeCommand', id: 'h3', command: 'workbench.action.terminal.new' },
      { type: 'newSession', id: 'h4', title: 'mine', sneaky: true },
      { type: 'moveTask', id: 'h5', taskId: 'task_1', to: 'shipped' },
      { type: 'selectSession', id: 'x'.repeat(LIMITS.id + 1), sessionId: 'ses_1' },
      {
        type: 'ready',
        get id() {
          throw new Error('a getter that throws');
        },
      },
    ];
    for (const m of hostile) await r.panel.handle(m);

    const replies = ofType(r.posted, 'reply');
    // Each message with an id that is safe to echo gets one error reply; the rest only a log line.
    expect(replies.map((x) => [x.id, failed(x).code, failed(x).message])).toEqual(
      ['h1', 'h2', 'h3', 'h4', 'h5'].map((id) => [id, 'invalid', 'nocodo could not accept that request.']),
    );
    const invalid = r.logs.filter((l) => l.startsWith('warn invalid message from the webview'));
    expect(invalid).toHaveLength(hostile.length);
    expect(invalid[3]).toMatch(/"sendChat" rejected: text: Invalid input: expected string/);
    expect(invalid[4]).toMatch(/text has a text of 20001 characters \(at most 20000\)/);
    expect(invalid[5]).toMatch(/"executeCommand" rejected: type: Invalid discriminator value/);
    expect(invalid[6]).toMatch(/Unrecognized key: "sneaky"/);
    expect(invalid[7]).toMatch(/to: Invalid option/);
    expect(invalid[9]).toMatch(/a getter that throws/);
    // Nothing was acted on: no session, no model call, no state push.
    expect(r.store.sessions.list()).toEqual([]);
    expect(server.chatRequests()).toEqual([]);
    expect(ofType(r.posted, 'state')).toEqual([]);
  });

  it('logs the panel\'s own error reports and a cancel of nothing, without replying', async () => {
    const r = await open();
    await r.panel.handle({ type: 'reportError', message: 'the host sent something odd' });
    await r.panel.handle({ type: 'cancel', requestId: 'r_gone' });
    expect(r.posted).toEqual([]);
    expect(r.logs).toContain('warn webview: the host sent something odd');
    expect(r.logs).toContain('debug cancel for r_gone, which is not running');
  });
});

describe('the panel\'s requests, through a whole session', () => {
  it('chat → questions → summary → plan and shaping → run → diff, accept, undo, reject', async () => {
    const r = await open();
    const git = new RecordedGit();
    r.panel.setGit(git);
    server.setScript([...happyScript(), rule(SUMMARY_SYS, j({ ...SUMMARY, appName: 'Cake Orders' })), { match: { system: 'Diesel' }, reply: { content: '```rust\n' + OPEN_FOR_DATE_FN + '\n```' } }]);

    // The first message starts a session; the agents' JSON streams as its words.
    ok(await r.ask('sendChat', { text: FIRST_MESSAGE }));
    const deltas = ofType(r.posted, 'streamDelta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((d) => d.author === 'product_owner')).toBe(true);
    const streamed = deltas.map((d) => d.text).join('');
    expect(streamed).toContain(TURN_1.reflection);
    expect(streamed).not.toContain('{"reflection"');
    expect(ofType(r.posted, 'streamEnd')).toEqual([{ type: 'streamEnd', requestId: deltas[0]!.requestId }]);
    const session = r.store.sessions.list()[0]!;
    expect(r.memory.get(SESSION_KEY)).toBe(session.id);

    // Answers the Product Owner's questions do not allow are refused as invalid; good ones lead to the summary.
    const asked = r.store.messages.list(session.id).find((m) => m.questions)!;
    const bad = failed(await r.ask('answerQuestions', { messageId: asked.id, answers: [{ questionId: asked.questions![0]!.id, selected: ['nope'] }] }));
    expect(bad.code).toBe('invalid');
    expect(bad.message).toMatch(/has no option "nope"/);
    ok(await r.ask('answerQuestions', { messageId: asked.id, answers: asked.questions!.map((q) => ({ questionId: q.id, selected: [q.options[0]!.id] })) }));
    expect(r.store.sessions.get(session.id)!.phase).toBe('summary');
    // "Summarise" again rewrites the unconfirmed summary.
    ok(await r.ask('summarise'));
    const summary = r.store.sessions.get(session.id)!.summary!;
    expect(summary.appName).toBe('Cake Orders');

    // Confirming hands over to the Project Manager and the Engineering Manager in one request.
    ok(await r.ask('confirmSummary', { summary: { ...summary, constraints: ['Runs on one laptop'] }, edited: true }));
    const state = r.panel.snapshot();
    expect(state.board.epics).toHaveLength(1);
    expect(state.board.tasks.map((t) => [t.title, t.state])).toEqual([
      ['Customer record', 'ready'],
      ['Open orders for a pickup date', 'ready'],
      ['Orders screen', 'needs_technical_shaping'],
    ]);
    expect(state.busy).toEqual([]);
    expect(state.messages.length).toBe(r.store.messages.list(session.id).length);
    const [structTask, fnTask, screenTask] = state.board.tasks;

    // Board moves: an illegal one is a conflict; comments are stored; the epic's auto-accept is saved.
    const illegal = failed(await r.ask('moveTask', { taskId: screenTask!.id, to: 'done' }));
    expect(illegal.code).toBe('conflict');
    ok(await r.ask('addComment', { taskId: fnTask!.id, body: 'Order them by id, please.' }));
    expect(r.store.comments.list(fnTask!.id).map((c) => c.body)).toEqual(['Order them by id, please.']);
    ok(await r.ask('setAutoAccept', { epicId: state.board.epics[0]!.id, on: false }));
    expect(r.store.epics.get(state.board.epics[0]!.id)!.autoAccept).toBe(false);
    ok(await r.ask('moveTask', { taskId: screenTask!.id, to: 'draft', why: 'Not now' }));
    expect(r.store.tasks.get(screenTask!.id)!.state).toBe('draft');

    // Running the function task: the proposal is presented for review and its run is answered.
    const run = ok(await r.ask('runTask', { taskId: fnTask!.id })) as { runId: string };
    const proposal = r.store.proposals.list({ taskId: fnTask!.id })[0]!;
    expect(proposal.runId).toBe(run.runId);
    expect(r.proposals.presented).toEqual([proposal.id]);
    expect(r.panel.snapshot().proposals.map((p) => [p.id, p.status])).toEqual([[proposal.id, 'pending']]);
    ok(await r.ask('openDiff', { proposalId: proposal.id }));
    expect(r.proposals.diffsOpened).toEqual([proposal.id]);
    ok(await r.ask('openRun', { runId: run.runId }));
    const runDetail = ofType(r.posted, 'runDetail').at(-1)!;
    expect(runDetail.run.id).toBe(run.runId);
    expect(runDetail.proposal?.id).toBe(proposal.id);

    // Accept writes the function into the project; the task is done. Undo puts the file back.
    const before = await fileOf(r.projectRoot, 'src/models/order.rs');
    ok(await r.ask('acceptProposal', { proposalId: proposal.id }));
    expect(await fileOf(r.projectRoot, 'src/models/order.rs')).toContain('pub fn open_for_date(');
    expect(r.store.tasks.get(fnTask!.id)!.state).toBe('done');
    const twice = failed(await r.ask('acceptProposal', { proposalId: proposal.id }));
    expect(twice).toEqual({ code: 'conflict', message: 'This proposal was already accepted.' });
    ok(await r.ask('undoProposal', { proposalId: proposal.id }));
    expect(await fileOf(r.projectRoot, 'src/models/order.rs')).toBe(before);

    // The struct task's proposal is rejected with a reason.
    ok(await r.ask('runTask', { taskId: structTask!.id }));
    const structProposal = r.store.proposals.list({ taskId: structTask!.id, status: 'pending' })[0]!;
    ok(await r.ask('rejectProposal', { proposalId: structProposal.id, reason: 'Call it Client' }));
    expect(r.store.proposals.get(structProposal.id)).toMatchObject({ status: 'rejected', rejectionReason: 'Call it Client' });
    expect(failed(await r.ask('undoProposal', { proposalId: structProposal.id }))).toEqual({ code: 'conflict', message: 'Nothing was changed. Only an accepted proposal can be undone.' });

    // A task's detail: its history, comments, runs and git; git's actions go to the editor.
    const hash = 'a'.repeat(40);
    git.commits.set(fnTask!.id, { hash, short: 'aaaaaaa', subject: 'nocodo: open orders', at: 1, revert: false, files: ['src/models/order.rs'] });
    ok(await r.ask('openTask', { taskId: fnTask!.id }));
    const detail = ofType(r.posted, 'taskDetail').at(-1)!;
    expect(detail.task.id).toBe(fnTask!.id);
    expect(detail.comments.map((c) => c.body)).toContain('Order them by id, please.');
    expect(detail.events.map((e) => e.to)).toContain('done');
    expect(detail.runs.map((x) => x.id)).toContain(run.runId);
    expect(detail.git?.commits[0]?.hash).toBe(hash);
    ok(await r.ask('openCommitDiff', { taskId: fnTask!.id, hash, file: 'src/models/order.rs' }));
    expect(failed(await r.ask('openCommitDiff', { taskId: fnTask!.id, hash: 'b'.repeat(40), file: 'src/models/order.rs' })).code).toBe('not_found');
    ok(await r.ask('revertTask', { taskId: fnTask!.id }));
    ok(await r.ask('finishTask', { taskId: fnTask!.id }));
    expect(git.calls).toEqual([`diff ${fnTask!.id} ${hash} src/models/order.rs`, `diff ${fnTask!.id} ${'b'.repeat(40)} src/models/order.rs`, `revert ${fnTask!.id}`, `finish ${fnTask!.id}`]);

    // What no longer exists is "not found", never a crash.
    for (const [type, body] of [
      ['openTask', { taskId: 'task_gone' }],
      ['revertTask', { taskId: 'task_gone' }],
      ['finishTask', { taskId: 'task_gone' }],
      ['openRun', { runId: 'run_gone' }],
      ['openDiff', { proposalId: 'prop_gone' }],
      ['selectSession', { sessionId: 'ses_gone' }],
    ] as const) {
      expect(failed(await r.ask(type, body)).code, type).toBe('not_found');
    }
    expect(r.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('Stop cancels the running step: the request ends "cancelled" and nothing stays busy', async () => {
    const r = await open();
    server.setScript([{ match: { system: PO }, reply: { fault: 'hang' } }]);
    const states: HostMessage[] = [];
    const busy = r.nextState().then((s) => states.push({ type: 'state', state: s }));
    const id = 'r_stop';
    const pending = r.panel.handle({ type: 'sendChat', id, text: FIRST_MESSAGE });
    exercised.add('sendChat');
    await busy;
    await waitFor(() => r.panel.snapshot().busy.some((b) => b.requestId === id && b.label === 'The Product Owner is answering'));
    // The model call has reached the server (which hangs): otherwise it could arrive after this
    // test and take a reply of the next test's script.
    await waitFor(() => server.openRequests().some((q) => q.path.endsWith('/chat/completions')));
    await r.panel.handle({ type: 'cancel', requestId: id });
    await pending;
    await waitFor(() => server.chatRequests().every((q) => q.state === 'client-closed'));
    const reply = ofType(r.posted, 'reply').find((x) => x.id === id)!;
    expect(failed(reply).code).toBe('cancelled');
    expect(r.panel.snapshot().busy).toEqual([]);
    expect(ofType(r.posted, 'streamEnd').map((e) => e.requestId)).toEqual([id]);
  });
});

describe('a failed task and the tasks it stops: Run again, edit its request, take it over', () => {
  const FN = 'Open orders for a pickup date';
  const STOPPED = `Stopped: "${FN}" failed (The run produced no usable change), and this task needs it. Retry "${FN}", edit its request, or take it over; this task can run once it is done.`;

  /** Through the chat to a shaped board whose order function fails its first run; the customer record waits for it. */
  async function failedFunction(r: PanelRig) {
    ok(await r.ask('sendChat', { text: FIRST_MESSAGE }));
    const session = r.store.sessions.list()[0]!;
    const asked = r.store.messages.list(session.id).find((m) => m.questions)!;
    ok(await r.ask('answerQuestions', { messageId: asked.id, answers: asked.questions!.map((q) => ({ questionId: q.id, selected: [q.options[0]!.id] })) }));
    ok(await r.ask('confirmSummary', { summary: r.store.sessions.get(session.id)!.summary!, edited: false }));
    const byTitle = (title: string) => r.panel.snapshot().board.tasks.find((t) => t.title === title)!;
    const fn = byTitle(FN);
    expect(byTitle('Customer record')).toMatchObject({ state: 'ready', runnable: { ok: false } });

    expect(failed(await r.ask('runTask', { taskId: fn.id }))).toEqual({ code: 'failed', message: 'The diesel-model-fn run produced no usable change.' });
    // The board: the function failed, the record and the screen are stopped by it, and say so.
    expect(byTitle(FN).progress).toMatchObject({ status: 'failed', attempts: 1 });
    for (const title of ['Customer record', 'Orders screen']) {
      expect(byTitle(title).stoppedBy, title).toEqual({ taskId: fn.id, title: FN });
      expect(r.store.comments.list(byTitle(title).id).at(-1)).toMatchObject({ author: 'system', body: STOPPED });
    }
    expect(r.panel.snapshot().board.progress![0]).toMatchObject({ total: 3, failed: 1, stopped: 2, yours: 0, done: 0 });
    return { fn, record: byTitle('Customer record'), screen: byTitle('Orders screen'), byTitle };
  }

  it('the user edits the failed task\'s request and runs it again; once accepted, the tasks it stopped can run', async () => {
    const r = await open();
    server.setScript(chainedScript([UNKNOWN_COLUMN_FN, UNKNOWN_COLUMN_FN, OPEN_FOR_DATE_FN]));
    const { fn, record, screen, byTitle } = await failedFunction(r);

    // Hostile or mistaken requests get a clear error and change nothing.
    expect(failed(await r.ask('editTaskRequest', { taskId: 'task_gone', request: 'Anything' }))).toEqual({ code: 'not_found', message: 'That task no longer exists.' });
    expect(failed(await r.ask('editTaskRequest', { taskId: fn.id, request: 'x'.repeat(LIMITS.request + 1) })).code).toBe('invalid');
    expect(r.logs.at(-1)).toMatch(/"editTaskRequest" rejected: request: Too big: expected string to have <=2000 characters/);
    expect(failed(await r.ask('editTaskRequest', { taskId: fn.id, request: '   ' })).code).toBe('invalid');
    expect(failed(await r.ask('editTaskRequest', { taskId: screen.id, request: 'A nicer screen' }))).toEqual({
      code: 'conflict',
      message: '"Orders screen" has no coding mode: no specialist runs it, so it has no request to edit.',
    });
    expect(r.store.tasks.get(fn.id)!.request).toBe(SHAPE_FN.request);

    // The new request is stored, the old one kept in a comment the specialists do not read.
    const better = 'Return the orders whose pickup_date equals the given date and whose status is "open" (the column is status), ordered by id.';
    ok(await r.ask('editTaskRequest', { taskId: fn.id, request: `  ${better}\n` }));
    expect(r.store.tasks.get(fn.id)!.request).toBe(better);
    const note = `You changed the request (Run it again to use it). It was:\n${SHAPE_FN.request}`;
    expect(r.store.comments.list(fn.id).at(-1)).toMatchObject({ author: 'system', body: note });
    ok(await r.ask('editTaskRequest', { taskId: fn.id, request: better }));
    expect(r.store.comments.list(fn.id).filter((c) => c.body === note)).toHaveLength(1);
    ok(await r.ask('openTask', { taskId: fn.id }));
    expect(ofType(r.posted, 'taskDetail').at(-1)!).toMatchObject({ task: { id: fn.id, request: better, runnable: { ok: true }, progress: { status: 'failed' } } });

    // Run again: the specialist gets the new request; the proposal waits for review.
    ok(await r.ask('runTask', { taskId: fn.id }));
    const prompt = JSON.stringify(server.chatRequests().at(-1)!.body.messages);
    expect(prompt).toContain('(the column is status)');
    expect(prompt).not.toContain('You changed the request');
    expect(byTitle(FN).progress).toMatchObject({ status: 'review', attempts: 2 });
    for (const [type, message] of [
      ['editTaskRequest', `"${FN}" is waiting for you to accept or reject its proposed change; reject it first to change its request.`],
      ['takeOverTask', `"${FN}" is waiting for you to accept or reject its proposed change; reject it first to take it over.`],
    ] as const) {
      expect(failed(await r.ask(type, { taskId: fn.id, ...(type === 'editTaskRequest' ? { request: better } : {}) })), type).toEqual({ code: 'conflict', message });
    }

    // Accepted: the stop is lifted on both tasks it held up, and the record runs.
    ok(await r.ask('acceptProposal', { proposalId: r.store.proposals.list({ taskId: fn.id, status: 'pending' })[0]!.id }));
    expect(byTitle(FN).state).toBe('done');
    for (const t of [record, screen]) {
      expect(byTitle(t.title).stoppedBy).toBeUndefined();
      expect(r.store.comments.list(t.id).at(-1)).toMatchObject({ author: 'system', body: `No longer stopped: "${FN}" is done, and this task needs nothing else.` });
    }
    expect(byTitle('Customer record').runnable).toEqual({ ok: true });
    expect(r.panel.snapshot().board.progress![0]).toMatchObject({ failed: 0, stopped: 0, done: 1 });
    expect(failed(await r.ask('editTaskRequest', { taskId: fn.id, request: 'Something else' }))).toEqual({ code: 'conflict', message: `"${FN}" is done; move it back to Ready to change its request and run it again.` });
    ok(await r.ask('runTask', { taskId: record.id }));
    expect(byTitle('Customer record').progress!.status).toBe('review');
    expect(r.logs.filter((l) => l.startsWith('error')).map((l) => l.split('\n')[0])).toEqual(['error runTask failed: RequestError: The diesel-model-fn run produced no usable change.']);
  });

  it('the user takes the failed task over: no specialist runs it, a restart leaves it with the user, and marking it done lets the record run', async () => {
    const r = await open();
    server.setScript(chainedScript([UNKNOWN_COLUMN_FN, UNKNOWN_COLUMN_FN]));
    const { fn, record, screen, byTitle } = await failedFunction(r);

    expect(failed(await r.ask('takeOverTask', { taskId: 'task_gone' }))).toEqual({ code: 'not_found', message: 'That task no longer exists.' });
    expect(failed(await r.ask('takeOverTask', { taskId: screen.id }))).toEqual({ code: 'conflict', message: 'Only a ready task can be taken over; "Orders screen" is "Needs technical shaping".' });

    ok(await r.ask('takeOverTask', { taskId: fn.id }));
    expect(r.store.events.list(fn.id).at(-1)).toMatchObject({ from: 'ready', to: 'in_progress', by: 'user', why: TAKEN_OVER_WHY });
    const yours = `"${FN}" is yours: you took it over. Mark it done when you have done it.`;
    expect(byTitle(FN)).toMatchObject({ state: 'in_progress', progress: { status: 'yours' }, runnable: { ok: false, reason: yours } });
    // The record waits for the user now, no longer for a failure.
    expect(byTitle('Customer record')).toMatchObject({ runnable: { ok: false } });
    expect(byTitle('Customer record').stoppedBy).toBeUndefined();
    expect(r.panel.snapshot().board.progress![0]).toMatchObject({ failed: 0, stopped: 0, yours: 1, running: 0 });

    const already = `You have already taken "${FN}" over: mark it done when you have done it.`;
    expect(failed(await r.ask('takeOverTask', { taskId: fn.id }))).toEqual({ code: 'conflict', message: already });
    expect(failed(await r.ask('editTaskRequest', { taskId: fn.id, request: 'Anything' }))).toEqual({ code: 'conflict', message: already });
    const calls = server.chatRequests().length;
    expect(failed(await r.ask('runTask', { taskId: fn.id }))).toEqual({ code: 'conflict', message: yours });
    expect(server.chatRequests()).toHaveLength(calls);
    // Resuming (as after a reload) does not take it for an interrupted run.
    await r.panel.team.resume();
    expect(r.store.tasks.get(fn.id)!.state).toBe('in_progress');

    // Done by hand: the stop is lifted and the record can run.
    ok(await r.ask('moveTask', { taskId: fn.id, to: 'done', why: 'Done by hand.' }));
    expect(byTitle(FN).progress!.status).toBe('done');
    expect(r.store.comments.list(record.id).at(-1)!.body).toBe(`No longer stopped: "${FN}" is done, and this task needs nothing else.`);
    expect(byTitle('Customer record').runnable).toEqual({ ok: true });
    expect(r.panel.snapshot().board.progress![0]).toMatchObject({ yours: 0, done: 1 });
    expect(server.chatRequests()).toHaveLength(calls);
    expect(r.logs.filter((l) => l.startsWith('error')).map((l) => l.split('\n')[0])).toEqual(['error runTask failed: RequestError: The diesel-model-fn run produced no usable change.']);
  });
});

describe('the state snapshot', () => {
  it('holds the latest page of messages; "Show earlier" pages back by cursor within the session', async () => {
    const store = await openStore({ file: ':memory:' });
    const first = store.sessions.create({ title: 'Long talk' });
    const ids = Array.from({ length: 63 }, (_, i) => store.messages.create({ sessionId: first.id, author: i % 2 ? 'product_owner' : 'user', content: `message ${i}`, createdAt: 1000 + i }).id);
    const other = store.sessions.create({ title: 'Other' });
    store.messages.create({ sessionId: other.id, author: 'user', content: 'elsewhere' });
    const r = await open({ store, memory: new Map([[SESSION_KEY, first.id]]) });

    const next = r.nextState();
    ok(await r.ask('ready'));
    const state = await next;
    expect(state.session?.id).toBe(first.id);
    expect(state.messages.map((m) => m.content)).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i + 13}`));
    expect(state.hasMoreMessages).toBe(true);
    expect(state.sessions?.map((s) => s.title).sort()).toEqual(['Long talk', 'Other']);

    const page = ok(await r.ask('loadEarlier', { before: state.messages[0]!.id, limit: 10 })) as { messages: { content: string }[]; hasMore: boolean };
    expect(page.messages.map((m) => m.content)).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i + 3}`));
    expect(page.hasMore).toBe(true);
    const rest = ok(await r.ask('loadEarlier', { before: ids[3], limit: 10 })) as { messages: { id: string }[]; hasMore: boolean };
    expect(rest).toEqual({ messages: ids.slice(0, 3).map((id) => store.messages.get(id)), hasMore: false });

    // A cursor from another session names no place in this one.
    ok(await r.ask('selectSession', { sessionId: other.id }));
    expect(failed(await r.ask('loadEarlier', { before: ids[20], limit: 10 }))).toEqual({ code: 'not_found', message: 'That message is not in this session.' });
    expect(r.panel.snapshot()).toMatchObject({ session: { id: other.id }, messages: [{ content: 'elsewhere' }], hasMoreMessages: false });
    expect(r.memory.get(SESSION_KEY)).toBe(other.id);
  });

  it('offers New App to a view that asked for its state before the extension set the New App hooks', async () => {
    const r = await open();
    // The webview's `ready` comes first (it can, while the extension is still starting) …
    ok(await r.ask('ready'));
    expect(r.panel.snapshot().newAppOffer).toBeUndefined();
    // … and the hooks after it: the view is told without asking again.
    const next = r.nextState();
    r.panel.setNewApp({ isOffered: async () => true, create: async () => undefined });
    expect(await next).toMatchObject({ newAppOffer: true });
  });

  it('remembers the session and the view state, offers New App, and pushes nothing to a hidden panel', async () => {
    const memory = new Map<string, unknown>([[VIEW_STATE_KEY, { tab: 'nonsense', extra: 1 }]]);
    const r = await open({ memory });
    expect(r.panel.snapshot().viewState).toBeUndefined();
    expect(failed(await r.ask('newApp'))).toEqual({ code: 'failed', message: 'New App is not available in this window.' });

    ok(await r.ask('newSession', { title: 'Bakery' }));
    const created = r.store.sessions.list()[0]!;
    expect(memory.get(SESSION_KEY)).toBe(created.id);
    ok(await r.ask('saveViewState', { state: { tab: 'board' } }));
    expect(memory.get(VIEW_STATE_KEY)).toEqual({ tab: 'board' });

    let offered = true;
    let created2 = 0;
    r.panel.setNewApp({ isOffered: async () => offered, create: async () => void (created2 += 1) });
    const next = r.nextState();
    ok(await r.ask('ready'));
    expect(await next).toMatchObject({ session: { id: created.id, title: 'Bakery' }, viewState: { tab: 'board' }, newAppOffer: true });
    offered = false;
    ok(await r.ask('newApp'));
    expect(created2).toBe(1);
    expect(r.panel.snapshot().newAppOffer).toBeUndefined();

    // A hidden panel gets no state; it asks with `ready` when shown again.
    r.view.visible = false;
    const pushed = ofType(r.posted, 'state').length;
    ok(await r.ask('newSession', { title: 'Hidden' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ofType(r.posted, 'state')).toHaveLength(pushed);

    // Another window of the same workspace reopens the session the user was in, not the newest.
    const again = await makePanelRig(server, { store: await openStore({ file: ':memory:' }), memory });
    expect(again.panel.team.sessionId).toBeUndefined();
    await again.close();
    ok(await r.ask('selectSession', { sessionId: created.id }));
    const reopened = await makePanelRig(server, { store: r.store, memory });
    expect(reopened.panel.team.sessionId).toBe(created.id);
    reopened.panel.dispose();
  });

  it('every request kind of the protocol is exercised above', () => {
    expect(REQUEST_TYPES.filter((t) => !exercised.has(t))).toEqual([]);
  });
});

