import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, waitFor } from '@solidjs/testing-library';
import { buildAnswers } from '../../webview/src/chat/QuestionForm';
import { button, field, hasButton, mount, mountWithState, teardown, tick, typeInto } from './harness';
import { messages, questionMessage, session, summaryMessage } from './fixtures';

afterEach(teardown);

const panel = (c: HTMLElement) => c.querySelector<HTMLElement>('#panel-chat')!;

describe('chat', () => {
  it('asks the host for state on load and shows what to do when the chat is empty', async () => {
    const m = mount();
    expect(m.posted[0]).toMatchObject({ type: 'ready' });
    m.reply('ready');
    m.host({ type: 'state', state: { session: null, messages: [], hasMoreMessages: false, board: { epics: [], tasks: [] }, runs: [], proposals: [], busy: [] } });
    await waitFor(() => expect(m.container.textContent).toContain('Describe the app you need'));
    expect(m.container.textContent).toMatch(/I run a bakery/);
    expect(hasButton(panel(m.container), /summarise/)).toBe(false);
  });

  it('offers the other stored apps and switches to the one picked', async () => {
    const m = await mountWithState({
      sessions: [
        { id: 'ses_1', title: 'Bakery orders', updatedAt: 2 },
        { id: 'ses_0', title: 'Salon bookings', updatedAt: 1 },
      ],
    });
    const select = m.container.querySelector<HTMLSelectElement>('select.session-select')!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Bakery orders', 'Salon bookings']);
    expect(select.value).toBe('ses_1');
    select.value = 'ses_0';
    fireEvent.change(select);
    expect(m.last('selectSession')).toMatchObject({ type: 'selectSession', sessionId: 'ses_0' });
  });

  it('shows the title alone when there is only one app', async () => {
    const m = await mountWithState({ sessions: [{ id: 'ses_1', title: 'Bakery orders', updatedAt: 2 }] });
    expect(m.container.querySelector('select.session-select')).toBeNull();
    expect(m.container.querySelector('.session-title')!.textContent).toBe('Bakery orders');
  });

  it('renders each message with its author badge', async () => {
    const m = await mountWithState();
    const articles = panel(m.container).querySelectorAll('article.msg');
    expect(articles).toHaveLength(2);
    expect(articles[0]!.querySelector('.role')!.textContent).toBe('You');
    expect(articles[1]!.querySelector('.role')!.textContent).toBe('Product Owner');
    expect(articles[0]!.textContent).toContain('custom cake orders');
  });

  it('sends a chat message on Enter, shows the streamed reply as it arrives, and Stop cancels that request', async () => {
    const m = await mountWithState();
    const input = field(m.container, 'Message to the team');
    typeInto(input, 'We also sell bread.');
    fireEvent.keyDown(input, { key: 'Enter' });
    const req = m.last('sendChat');
    expect(req.text).toBe('We also sell bread.');
    expect((input as HTMLTextAreaElement).value).toBe('');

    m.host({ type: 'streamDelta', requestId: req.id, author: 'product_owner', text: 'Bread ' });
    m.host({ type: 'streamDelta', requestId: req.id, author: 'product_owner', text: 'too, got it.' });
    await waitFor(() => expect(m.container.querySelector('article.streaming')?.textContent).toContain('Bread too, got it.'));
    expect(m.container.querySelector('article.streaming .role')!.textContent).toBe('Product Owner');

    // The hand-off inside one request (planning, then shaping) starts a new bubble for the next agent.
    m.host({ type: 'streamEnd', requestId: req.id });
    m.host({ type: 'streamDelta', requestId: req.id, author: 'engineering_manager', text: 'Shaping the tasks.' });
    await waitFor(() => expect(m.container.querySelectorAll('article.streaming')).toHaveLength(2));
    const bubbles = [...m.container.querySelectorAll('article.streaming')];
    expect(bubbles[0]!.textContent).not.toContain('Shaping');
    expect(bubbles[1]!.querySelector('.role')!.textContent).toBe('Engineering Manager');
    expect(bubbles[1]!.textContent).toContain('Shaping the tasks.');

    fireEvent.click(button(m.container, 'Stop'));
    expect(m.last('cancel')).toEqual({ type: 'cancel', requestId: req.id });
    m.host({ type: 'reply', id: req.id, ok: false, error: { code: 'cancelled', message: 'Stopped.' } });
    await waitFor(() => expect(hasButton(m.container, 'Stop')).toBe(false));
    // A stopped request is not an error to shout about, and the text is not put back.
    expect(m.container.querySelector('.notice')).toBeNull();
    expect((input as HTMLTextAreaElement).value).toBe('');
  });

  it('Shift+Enter does not send; a send the host refuses puts the text back and says why', async () => {
    const m = await mountWithState();
    const input = field(m.container, 'Message to the team');
    typeInto(input, 'line one');
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    expect(m.sent('sendChat')).toHaveLength(0);
    fireEvent.click(button(m.container, 'Send'));
    m.fail('sendChat', 'conflict', 'The team is busy answering.');
    await waitFor(() => expect(m.container.querySelector('.notice-error')?.textContent).toContain('The team is busy answering.'));
    expect((input as HTMLTextAreaElement).value).toBe('line one');
  });

  it('a reply that failed offers Try again (the same words, sent once) and Show the run; the banner goes once it works', async () => {
    const m = await mountWithState();
    const input = field(m.container, 'Message to the team');
    typeInto(input, 'add a price list');
    fireEvent.click(button(m.container, 'Send'));
    m.fail('sendChat', 'failed', "The model's answer wasn't usable (twice).", 'run_9');
    const notice = await waitFor(() => {
      const n = m.container.querySelector<HTMLElement>('.notice-error');
      expect(n?.textContent).toContain("wasn't usable");
      return n!;
    });
    // The message is in the chat (the host stored it): the composer does not keep a second copy.
    expect((input as HTMLTextAreaElement).value).toBe('');
    fireEvent.click(button(notice, 'Try again'));
    expect(m.sent('sendChat').map((r) => (r as { text: string }).text)).toEqual(['add a price list', 'add a price list']);
    m.fail('sendChat', 'failed', "The model's answer wasn't usable (twice).", 'run_10');
    await waitFor(() => expect(m.container.querySelectorAll('.notice-error')).toHaveLength(1));
    fireEvent.click(button(m.container.querySelector<HTMLElement>('.notice-error')!, 'Show the run'));
    expect(m.last('openRun')).toMatchObject({ runId: 'run_10' });
    fireEvent.click(m.container.querySelector('#tab-chat')!);
    typeInto(field(m.container, 'Message to the team'), 'add a price list');
    fireEvent.click(button(m.container, 'Send'));
    m.reply('sendChat');
    await waitFor(() => expect(m.container.querySelector('.notice-error')).toBeNull());
  });

  it('radio with "Other" text and checkboxes produce the right Answer objects, then the widget locks', async () => {
    const m = await mountWithState();
    const form = panel(m.container).querySelector('form.questions')!;
    const radios = form.querySelectorAll<HTMLElement & { checked: boolean }>('vscode-radio');
    expect([...radios].map((r) => r.textContent)).toEqual(['Only shop staff (recommended)', 'Staff and customers', 'Other…']);
    fireEvent.click(radios[0]!);
    fireEvent.click(radios[2]!); // Other… replaces the option
    await tick();
    expect(radios[0]!.checked).toBe(false);
    typeInto(field(form, 'Your own answer to: Who will use the app?'), '  Staff and wholesale buyers ');

    const boxes = form.querySelectorAll<HTMLElement & { checked: boolean }>('vscode-checkbox');
    fireEvent.click(boxes[0]!); // Orders
    fireEvent.click(boxes[2]!); // Suppliers
    fireEvent.click(boxes[0]!); // Orders off again
    fireEvent.keyDown(boxes[1]!, { key: 'Enter' }); // Stock, by keyboard
    await tick();

    fireEvent.click(button(form, 'Send answers'));
    const req = m.last('answerQuestions');
    expect(req.messageId).toBe('msg_q1');
    expect(req.answers).toEqual([
      { questionId: 'q_users', selected: [], other: 'Staff and wholesale buyers' },
      { questionId: 'q_data', selected: ['stock', 'suppliers'] },
    ]);
    m.reply('answerQuestions');
    await waitFor(() => expect(form.textContent).toContain('Answers sent'));
    for (const el of form.querySelectorAll<HTMLElement & { disabled: boolean }>('vscode-radio, vscode-checkbox, vscode-text-field')) expect(el.disabled).toBe(true);
    fireEvent.click(boxes[0]!);
    await tick();
    expect(hasButton(form, 'Send answers')).toBe(false);
    expect(m.sent('answerQuestions')).toHaveLength(1);
  });

  it('after a re-render, questions answered by a later reply stay answered (the host stores answers on the reply)', async () => {
    const answers = [{ questionId: 'q_users', selected: ['customers'] }, { questionId: 'q_data', selected: ['orders'] }];
    const reply = { id: 'msg_u2', sessionId: 'ses_1', author: 'user' as const, content: 'Who will use the app? → Staff and customers', answers, createdAt: questionMessage.createdAt + 1 };
    // A fresh mount is what the panel does when the sidebar was hidden and shown again.
    const m = await mountWithState({ messages: [messages[0]!, questionMessage, reply] });
    const form = panel(m.container).querySelector('form.questions')!;
    const radios = form.querySelectorAll<HTMLElement & { checked: boolean; disabled: boolean }>('vscode-radio');
    expect(radios[1]!.checked).toBe(true);
    expect(radios[1]!.disabled).toBe(true);
    expect(form.textContent).toContain('Answers sent');
    expect(hasButton(form, 'Send answers')).toBe(false);
  });

  it('questions the conversation moved past are closed, not open', async () => {
    const typed = { id: 'msg_u2', sessionId: 'ses_1', author: 'user' as const, content: 'Just make it simple', createdAt: questionMessage.createdAt + 1 };
    const m = await mountWithState({ messages: [messages[0]!, questionMessage, typed] });
    const form = panel(m.container).querySelector('form.questions')!;
    expect(hasButton(form, 'Send answers')).toBe(false);
    expect(form.textContent).toContain('Closed');
  });

  it('questions about a new request after the plan are open (not closed by the session being past discovery)', async () => {
    const planned = { id: 'msg_pm', sessionId: 'ses_1', author: 'project_manager' as const, content: 'I planned "Cake orders" as 3 tasks.', createdAt: questionMessage.createdAt - 500 };
    const request = { id: 'msg_u3', sessionId: 'ses_1', author: 'user' as const, content: 'Customers should also leave reviews', createdAt: questionMessage.createdAt - 100 };
    const m = await mountWithState({ session: { ...session, phase: 'building', summaryConfirmed: true }, messages: [messages[0]!, planned, request, questionMessage] });
    const form = panel(m.container).querySelector('form.questions')!;
    expect(form.textContent).not.toContain('Closed');
    expect(hasButton(form, 'Send answers')).toBe(true);
  });

  it('refuses to send until every question is answered', async () => {
    const m = await mountWithState();
    const form = panel(m.container).querySelector('form.questions')!;
    fireEvent.click(form.querySelectorAll('vscode-radio')[1]!);
    await tick();
    fireEvent.click(button(form, 'Send answers'));
    expect(m.sent('answerQuestions')).toHaveLength(0);
    expect(form.querySelector('[role=alert]')!.textContent).toContain('What should it keep track of?');
  });

  it('shows answers recorded earlier as locked', async () => {
    const answered = { ...questionMessage, answers: [{ questionId: 'q_users', selected: ['customers'] }, { questionId: 'q_data', selected: ['orders'], other: 'Allergies' }] };
    const m = await mountWithState({ messages: [messages[0]!, answered] });
    const form = panel(m.container).querySelector('form.questions')!;
    const radios = form.querySelectorAll<HTMLElement & { checked: boolean; disabled: boolean }>('vscode-radio');
    expect(radios[1]!.checked).toBe(true);
    expect(radios[1]!.disabled).toBe(true);
    expect((field(form, 'Your own answer to: What should it keep track of?') as HTMLInputElement).value).toBe('Allergies');
    expect(form.textContent).toContain('Answers sent');
  });

  it('buildAnswers keeps option order, drops unticked "other" text and reports what is missing', () => {
    const qs = questionMessage.questions!;
    expect(
      buildAnswers(qs, {
        q_users: { selected: ['customers'], otherOn: false, other: 'ignored' },
        q_data: { selected: ['suppliers', 'orders'], otherOn: true, other: ' Allergies ' },
      }),
    ).toEqual({
      answers: [
        { questionId: 'q_users', selected: ['customers'] },
        { questionId: 'q_data', selected: ['orders', 'suppliers'], other: 'Allergies' },
      ],
      missing: [],
    });
    expect(buildAnswers(qs, {}).missing).toEqual(['Who will use the app?', 'What should it keep track of?']);
    expect(buildAnswers(qs, { q_users: { selected: [], otherOn: true, other: '   ' } }).missing).toContain('Who will use the app?');
  });

  it('starts a new app only after confirming', async () => {
    const m = await mountWithState();
    expect(panel(m.container).querySelector('.session-title')!.textContent).toBe('Bakery orders');
    fireEvent.click(button(m.container, 'Start a new app'));
    expect(m.sent('newSession')).toHaveLength(0);
    fireEvent.click(button(m.container, 'Cancel'));
    fireEvent.click(button(m.container, 'Start a new app'));
    fireEvent.click(button(m.container, 'Start'));
    expect(m.sent('newSession')).toHaveLength(1);
  });

  it('"That\'s enough, summarise" asks the Product Owner to summarise', async () => {
    const m = await mountWithState();
    fireEvent.click(button(m.container, /That's enough, summarise/));
    expect(m.last('summarise')).toMatchObject({ type: 'summarise' });
  });

  it('confirms the summary as is, or with edits (edited: true and the changed fields)', async () => {
    const m = await mountWithState({ session: { ...session, phase: 'summary' }, messages: [...messages, summaryMessage] });
    const card = panel(m.container).querySelector('section.summary') as HTMLElement;
    expect(card.textContent).toContain('Cake Orders');
    expect(card.textContent).toContain('pickup date (date)');
    expect(card.textContent).not.toContain('pickup_date');

    fireEvent.click(button(card, /Confirm summary/));
    expect(m.last('confirmSummary')).toMatchObject({ edited: false, summary: summaryMessage.summary });
    m.fail('confirmSummary', 'failed', 'Planning failed.');
    await tick();

    fireEvent.click(button(card, /Edit/));
    typeInto(field(card, 'App name'), 'Cake Book');
    typeInto(field(card, 'Thing 1 detail 2 type'), 'date and time');
    fireEvent.click(button(card, /Add user/));
    typeInto(field(card, 'User 2 name'), 'Owner');
    typeInto(field(card, 'What it does (one per line)'), 'List orders by pickup date\n\n  Mark an order as paid  ');
    fireEvent.click(button(card, /Add thing to keep track of/));
    typeInto(field(card, 'Thing 2 name'), '');
    fireEvent.click(button(card, /Confirm my changes/));
    // An unnamed thing blocks confirmation with a readable reason.
    expect(card.querySelector('[role=alert]')!.textContent).toContain('Thing to keep track of 2 needs a name');
    expect(m.sent('confirmSummary')).toHaveLength(1);
    fireEvent.click(button(card, 'Remove thing 2'));
    fireEvent.click(button(card, /Confirm my changes/));
    const req = m.last('confirmSummary');
    expect(req.edited).toBe(true);
    expect(req.summary).toEqual({
      appName: 'Cake Book',
      users: [
        { name: 'Shop staff', description: 'Take and fulfil orders' },
        { name: 'Owner', description: '' },
      ],
      entities: [
        {
          name: 'Order',
          fields: [
            { name: 'customer_name', type: 'text', required: true },
            { name: 'pickup_date', type: 'date and time', required: true },
          ],
        },
      ],
      features: ['List orders by pickup date', 'Mark an order as paid'],
      constraints: ['Runs on one shop PC'],
    });
  });

  it('a confirmed summary is read-only', async () => {
    const m = await mountWithState({ session: { ...session, phase: 'planning', summaryConfirmed: true }, messages: [...messages, summaryMessage] });
    const card = panel(m.container).querySelector('section.summary') as HTMLElement;
    expect(card.textContent).toContain('Confirmed');
    expect(hasButton(card, /Confirm/)).toBe(false);
    expect(hasButton(card, /Edit/)).toBe(false);
  });

  it('"Show earlier" pages older messages in before the latest ones', async () => {
    const m = await mountWithState({ hasMoreMessages: true });
    fireEvent.click(button(m.container, /Show earlier messages/));
    expect(m.last('loadEarlier')).toMatchObject({ before: 'msg_u1', limit: 50 });
    m.reply('loadEarlier', { messages: [{ id: 'msg_old', sessionId: 'ses_1', author: 'user', content: 'The very first thing I said', createdAt: 1 }], hasMore: false });
    await waitFor(() => expect(panel(m.container).querySelectorAll('article.msg')).toHaveLength(3));
    expect(panel(m.container).querySelector('article.msg')!.textContent).toContain('The very first thing I said');
    expect(hasButton(m.container, /Show earlier messages/)).toBe(false);
  });
});

describe('hostile content and invalid messages', () => {
  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><a href="javascript:alert(1)">click</a> **bold**';

  it('renders model and user text as text or sanitised markdown, never as live HTML', async () => {
    const m = await mountWithState({
      messages: [
        { id: 'u', sessionId: 'ses_1', author: 'user', content: evil, createdAt: 1 },
        { id: 'p', sessionId: 'ses_1', author: 'product_owner', content: evil, createdAt: 2 },
      ],
    });
    const chat = panel(m.container);
    expect(chat.querySelectorAll('img, script')).toHaveLength(0);
    expect(chat.querySelector('[onerror]')).toBeNull();
    const [user, po] = chat.querySelectorAll('article.msg');
    expect(user!.querySelector('.plain')!.textContent).toBe(evil);
    expect(po!.querySelector('.markdown strong')!.textContent).toBe('bold');
    expect(po!.querySelector('a')?.getAttribute('href') ?? null).toBeNull();

    const req = (() => {
      typeInto(field(m.container, 'Message to the team'), 'hi');
      fireEvent.click(button(m.container, 'Send'));
      return m.last('sendChat');
    })();
    m.host({ type: 'streamDelta', requestId: req.id, author: 'product_owner', text: evil });
    await waitFor(() => expect(m.container.querySelector('article.streaming')?.textContent).toContain('<script>'));
    expect(m.container.querySelectorAll('img, script')).toHaveLength(0);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('ignores invalid or unknown host messages, reports them to the host, and keeps the last good state', async () => {
    const m = await mountWithState();
    m.host({ type: 'state', state: { session: null, messages: 'everything', board: null } });
    m.host({ type: 'executeCommand', command: 'rm -rf /' });
    m.host({ type: 'notice', level: 'panic', text: 'x' });
    m.host('a string');
    await tick();
    expect(panel(m.container).querySelectorAll('article.msg')).toHaveLength(2);
    expect(m.container.querySelector('.notice')).toBeNull();
    const reports = m.sent('reportError');
    expect(reports).toHaveLength(4);
    expect(reports[1]!.message).toMatch(/executeCommand/);
  });

  it('fails a request whose reply is malformed instead of trusting it', async () => {
    const m = await mountWithState({ hasMoreMessages: true });
    fireEvent.click(button(m.container, /Show earlier messages/));
    m.reply('loadEarlier', { messages: [{ id: 'x', author: 'hacker' }], hasMore: false });
    await waitFor(() => expect(m.container.querySelector('.notice-error')?.textContent).toContain('could not read'));
    expect(panel(m.container).querySelectorAll('article.msg')).toHaveLength(2);
  });
});
