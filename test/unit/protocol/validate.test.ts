import { describe, it, expect } from 'vitest';
import { LIMITS } from '../../../src/protocol/limits';
import { parseHostMessage, parseResult, parseWebviewMessage } from '../../../src/protocol/validate';
import { stateMessage, run } from '../../webview/fixtures';

describe('parseWebviewMessage', () => {
  it('accepts every well-formed request and notification', () => {
    const good: unknown[] = [
      { type: 'ready', id: 'r1' },
      { type: 'sendChat', id: 'r2', text: 'I need an order book' },
      { type: 'answerQuestions', id: 'r3', messageId: 'm1', answers: [{ questionId: 'q1', selected: ['a'] }, { questionId: 'q2', selected: [], other: 'cakes' }] },
      { type: 'summarise', id: 'r4' },
      { type: 'confirmSummary', id: 'r5', edited: true, summary: { appName: 'X', users: [], entities: [{ name: 'Order', fields: [{ name: 'id', type: 'int', required: true }] }], features: [], constraints: [] } },
      { type: 'moveTask', id: 'r6', taskId: 't1', to: 'blocked', why: 'no server' },
      { type: 'addComment', id: 'r7', taskId: 't1', body: 'looks good' },
      { type: 'runTask', id: 'r8', taskId: 't1' },
      { type: 'rejectProposal', id: 'r9', proposalId: 'p1' },
      { type: 'loadEarlier', id: 'r10', before: 'm1', limit: 50 },
      { type: 'saveViewState', id: 'r11', state: { tab: 'board', selectedTaskId: 't1', commentDrafts: { t1: 'half a thought' } } },
      { type: 'cancel', requestId: 'r2' },
      { type: 'reportError', message: 'bad host message' },
    ];
    for (const m of good) expect(parseWebviewMessage(m), JSON.stringify(m)).toMatchObject({ ok: true });
  });

  it('git requests take only a full commit hash: a ref, an option or a command is refused', () => {
    const hash = '0123456789abcdef0123456789abcdef01234567';
    expect(parseWebviewMessage({ type: 'openCommitDiff', id: 'g1', taskId: 't1', hash, file: 'src/schema.rs' })).toMatchObject({ ok: true });
    expect(parseWebviewMessage({ type: 'revertTask', id: 'g2', taskId: 't1' })).toMatchObject({ ok: true });
    expect(parseWebviewMessage({ type: 'finishTask', id: 'g3', taskId: 't1' })).toMatchObject({ ok: true });
    for (const bad of ['HEAD', '--output=/tmp/x', `${hash}; rm -rf /`, hash.toUpperCase(), hash.slice(0, 39)]) {
      expect(parseWebviewMessage({ type: 'openCommitDiff', id: 'g4', taskId: 't1', hash: bad, file: 'a.rs' }).ok, bad).toBe(false);
    }
    expect(parseWebviewMessage({ type: 'openCommitDiff', id: 'g5', taskId: 't1', hash, file: '' }).ok).toBe(false);
  });

  it('trims chat text and rejects blank text', () => {
    const r = parseWebviewMessage({ type: 'sendChat', id: 'r', text: '  hello \n' });
    expect(r.ok && r.message.type === 'sendChat' && r.message.text).toBe('hello');
    expect(parseWebviewMessage({ type: 'sendChat', id: 'r', text: '   ' }).ok).toBe(false);
  });

  it('rejects unknown types, missing ids, extra keys, wrong enums and non-objects without throwing', () => {
    const bad: unknown[] = [
      { type: 'deleteEverything', id: 'x' },
      { type: 'sendChat', text: 'no id' },
      { type: 'sendChat', id: 'r', text: 'hi', html: '<b>' },
      { type: 'moveTask', id: 'r', taskId: 't', to: 'archived' },
      { type: 'answerQuestions', id: 'r', messageId: 'm', answers: [] },
      { type: 'loadEarlier', id: 'r', before: 'm', limit: 100000 },
      { type: 'cancel' },
      null,
      'ready',
      42,
      [],
      { type: 'ready', id: '' },
      { type: 'ready', id: 'x'.repeat(LIMITS.id + 1) },
    ];
    for (const m of bad) {
      const r = parseWebviewMessage(m);
      expect(r.ok, JSON.stringify(m)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/rejected/);
    }
  });

  it('rejects oversized strings before schema parsing, and survives throwing getters and deep nesting', () => {
    const huge = parseWebviewMessage({ type: 'sendChat', id: 'r', text: 'a'.repeat(LIMITS.chat + 1) });
    expect(huge).toMatchObject({ ok: false });
    if (!huge.ok) expect(huge.error).toMatch(/at most 20000/);

    const hostile = { type: 'sendChat', id: 'r', get text(): string { throw new Error('boom'); } };
    expect(parseWebviewMessage(hostile)).toMatchObject({ ok: false });

    let deep: unknown = {};
    for (let i = 0; i < 1000; i++) deep = { a: deep };
    const r = parseWebviewMessage({ type: 'ready', id: 'r', deep });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/nested deeper/);
  });

  it('caps the "other" answer text at the widget limit', () => {
    const m = (other: string) => ({ type: 'answerQuestions', id: 'r', messageId: 'm', answers: [{ questionId: 'q', selected: [], other }] });
    expect(parseWebviewMessage(m('x'.repeat(LIMITS.other))).ok).toBe(true);
    expect(parseWebviewMessage(m('x'.repeat(LIMITS.other + 1))).ok).toBe(false);
  });
});

describe('parseHostMessage', () => {
  it('accepts a full state snapshot and each push message', () => {
    expect(parseHostMessage(stateMessage())).toMatchObject({ ok: true });
    expect(parseHostMessage({ type: 'streamDelta', requestId: 'r', author: 'product_owner', text: 'Hel' })).toMatchObject({ ok: true });
    expect(parseHostMessage({ type: 'streamEnd', requestId: 'r' })).toMatchObject({ ok: true });
    expect(parseHostMessage({ type: 'reply', id: 'r', ok: true, result: null })).toMatchObject({ ok: true });
    expect(parseHostMessage({ type: 'reply', id: 'r', ok: false, error: { code: 'cancelled', message: 'Stopped.' } })).toMatchObject({ ok: true });
    expect(parseHostMessage({ type: 'notice', level: 'warning', text: 'The model server is not running.' })).toMatchObject({ ok: true });
    expect(parseHostMessage({ type: 'runDetail', run })).toMatchObject({ ok: true });
  });

  it('rejects replies that are neither ok nor error, unknown authors, unknown types and oversized content', () => {
    expect(parseHostMessage({ type: 'reply', id: 'r', ok: false, result: null }).ok).toBe(false);
    expect(parseHostMessage({ type: 'reply', id: 'r', ok: true, error: { code: 'failed', message: 'x' } }).ok).toBe(false);
    expect(parseHostMessage({ type: 'streamDelta', requestId: 'r', author: 'root', text: 'x' }).ok).toBe(false);
    expect(parseHostMessage({ type: 'eval', code: 'alert(1)' }).ok).toBe(false);
    expect(parseHostMessage({ type: 'streamDelta', requestId: 'r', author: 'user', text: 'x'.repeat(LIMITS.content + 1) }).ok).toBe(false);
  });

  it('checks reply results per request type', () => {
    expect(parseResult('loadEarlier', { messages: [], hasMore: false }).ok).toBe(true);
    expect(parseResult('loadEarlier', { messages: 'nope' }).ok).toBe(false);
    expect(parseResult('sendChat', null).ok).toBe(true);
    expect(parseResult('sendChat', { surprise: 1 }).ok).toBe(false);
  });
});
