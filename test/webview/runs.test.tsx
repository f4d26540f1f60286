import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, waitFor } from '@solidjs/testing-library';
import { toProposalSummary } from '../../src/protocol/board';
import { button, field, hasButton, mountWithState, teardown, tick, typeInto } from './harness';
import { proposal, run } from './fixtures';

afterEach(teardown);

const runs = (c: HTMLElement) => c.querySelector<HTMLElement>('#panel-runs')!;
const openRuns = (c: HTMLElement) => fireEvent.click(c.querySelector('#tab-runs')!);

describe('runs', () => {
  it('lists runs and proposals waiting for review, with a badge on the tab', async () => {
    const m = await mountWithState();
    expect(m.container.querySelector('#tab-runs .badge')!.textContent).toBe('1');
    openRuns(m.container);
    const view = runs(m.container);
    expect(view.textContent).toContain('Waiting for your review');
    expect(view.querySelector('.proposal')!.textContent).toContain('src/models/order.rs +1 −0');
    const item = view.querySelector<HTMLElement>('.run-list button.card')!;
    expect(item.textContent).toContain('diesel-model-fn');
    expect(item.textContent).toContain('4.0 s');
    expect(item.textContent).toContain('23.5 tokens/s');
  });

  it('shows `backticked` names in a proposal summary as code, as text (never HTML)', async () => {
    const summary = { ...toProposalSummary(proposal), summary: 'Add `Order::list_for_customer` to `src/models/order.rs` <b>now</b>' };
    const m = await mountWithState({ proposals: [summary] });
    openRuns(m.container);
    const title = runs(m.container).querySelector('.proposal-summary')!;
    expect([...title.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['Order::list_for_customer', 'src/models/order.rs']);
    expect(title.textContent).toBe('Add Order::list_for_customer to src/models/order.rs <b>now</b>');
    expect(title.querySelector('b')).toBeNull();
  });

  it('says what runs are when there are none', async () => {
    const m = await mountWithState({ runs: [], proposals: [] });
    openRuns(m.container);
    expect(runs(m.container).textContent).toContain('No runs yet');
  });

  it('shows a run in full: prompt, raw answer, reasoning, extracted code, checks, tokens and timings', async () => {
    const m = await mountWithState();
    openRuns(m.container);
    fireEvent.click(runs(m.container).querySelector('.run-list button.card')!);
    expect(m.last('openRun')).toMatchObject({ runId: 'run_1' });
    m.host({ type: 'runDetail', run, proposal: toProposalSummary(proposal) });
    const view = runs(m.container);
    await waitFor(() => expect(view.querySelector('.run-detail')).not.toBeNull());
    const text = view.textContent!;
    expect(text).toContain('Time to first token1.3 s');
    expect(text).toContain('Total4.0 s');
    expect(text).toContain('Speed23.5 tokens/s');
    expect(text).toContain('812 in · 64 out');
    expect(text).toContain('unsloth/Qwen3.5-0.8B-GGUF');
    expect(text).toContain('line 3: unknown column `nme`');
    const pres = [...view.querySelectorAll('pre.code')].map((p) => p.textContent);
    expect(pres).toEqual(['pub fn create(conn: &mut PgConnection) {}', run.raw, 'The table is orders.', 'You write one Diesel function.', 'Write Order::create.']);
    expect(view.querySelector('details summary')!.textContent).toBe('Reasoning');
  });

  it('shows the compiler: whether cargo check ran, its time, the errors of the change on their lines, the output; or why it was skipped', async () => {
    const m = await mountWithState();
    openRuns(m.container);
    fireEvent.click(runs(m.container).querySelector('.run-list button.card')!);
    const view = runs(m.container);
    const section = () => view.querySelector<HTMLElement>('section[aria-labelledby="run-compile"]');
    const output = 'error[E0308]: mismatched types\n  --> src/models/order.rs:41:20';
    m.host({
      type: 'runDetail',
      run: {
        ...run,
        compile: { ran: true, ok: false, ms: 12_400, errors: [{ message: 'mismatched types', line: 3, column: 20, file: 'src/models/order.rs', fileLine: 41, code: 'E0308' }, { message: 'cannot find value `x`', file: 'src/main.rs', fileLine: 7 }], preExisting: 1, staticOk: true, output },
      },
    });
    await waitFor(() => expect(section()).not.toBeNull());
    expect(section()!.querySelector('h3')!.textContent).toBe('Compiler');
    const text = section()!.textContent!;
    expect(text).toContain('Does not compile: 2 errors in the change.');
    expect(text).toContain('cargo checkran');
    expect(text).toContain('Time12.4 s');
    expect(text).toContain('Errors2 from the change · 1 before it');
    expect(text).toContain('Static checkspassed');
    expect([...section()!.querySelectorAll('li.diag-error')].map((li) => li.textContent)).toEqual(['line 3:20: error[E0308]: mismatched types', 'src/main.rs:7: cannot find value `x`']);
    expect(section()!.querySelector('details summary')!.textContent).toBe('Compiler output');
    expect(section()!.querySelector('pre.code')!.textContent).toBe(output);

    m.host({ type: 'runDetail', run: { ...run, compile: { ran: true, ok: true, ms: 2_100, errors: [], preExisting: 0, staticOk: true, output: '' } } });
    await waitFor(() => expect(section()!.textContent).toContain('Compiles.'));
    expect(section()!.textContent).toContain('Time2.1 s');
    expect(section()!.querySelector('details')).toBeNull();

    m.host({ type: 'runDetail', run: { ...run, compile: { ran: false, ok: false, ms: 0, errors: [], preExisting: 0, skipped: 'cargo is not installed (not on PATH, not in ~/.cargo/bin)', staticOk: true, output: '' } } });
    await waitFor(() => expect(section()!.textContent).toContain('Not checked with cargo: cargo is not installed'));
    expect(section()!.textContent).toContain('cargo checkdid not run');
    expect(section()!.textContent).toContain('Time—');

    // A run without a check (a deterministic mode, the setting off) has no Compiler section.
    m.host({ type: 'runDetail', run: { ...run, raw: 'no check' } });
    await waitFor(() => expect(section()).toBeNull());
  });

  it('Accept, Reject with a reason, and Open diff send the right requests', async () => {
    const m = await mountWithState();
    openRuns(m.container);
    const block = () => runs(m.container).querySelector<HTMLElement>('.proposal')!;
    fireEvent.click(button(block(), /Open diff/));
    expect(m.last('openDiff')).toMatchObject({ proposalId: 'prop_1' });
    fireEvent.click(button(block(), /Accept/));
    expect(m.last('acceptProposal')).toMatchObject({ proposalId: 'prop_1' });
    m.fail('acceptProposal', 'conflict', 'The file changed since; open the diff again.');
    await waitFor(() => expect(block().querySelector('[role=alert]')?.textContent).toContain('The file changed'));

    fireEvent.click(button(block(), /Reject…/));
    typeInto(field(block(), 'Why reject? (optional)'), 'Wrong table name');
    fireEvent.click(button(block(), 'Reject change'));
    expect(m.last('rejectProposal')).toEqual({ type: 'rejectProposal', id: expect.any(String), proposalId: 'prop_1', reason: 'Wrong table name' });
    m.reply('rejectProposal');
    // The host's next snapshot carries the new status; the buttons go away.
    m.host({ type: 'state', state: { ...(await import('./fixtures')).snapshot(), proposals: [{ ...toProposalSummary(proposal), status: 'rejected', rejectionReason: 'Wrong table name' }] } });
    await tick();
    expect(runs(m.container).textContent).not.toContain('Waiting for your review');
  });

  it('rejecting without a reason sends no reason', async () => {
    const m = await mountWithState();
    openRuns(m.container);
    const block = runs(m.container).querySelector<HTMLElement>('.proposal')!;
    fireEvent.click(button(block, /Reject…/));
    fireEvent.click(button(block, 'Reject change'));
    expect(m.last('rejectProposal')).toEqual({ type: 'rejectProposal', id: expect.any(String), proposalId: 'prop_1' });
  });

  it('renders hostile model output in a run as text', async () => {
    const m = await mountWithState();
    openRuns(m.container);
    fireEvent.click(runs(m.container).querySelector('.run-list button.card')!);
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    m.host({ type: 'runDetail', run: { ...run, raw: evil, reasoning: evil, extracted: evil, messages: [{ role: 'user', content: evil }], diagnostics: [{ severity: 'error', message: evil }] } });
    await waitFor(() => expect(runs(m.container).querySelector('.run-detail')).not.toBeNull());
    expect(runs(m.container).querySelectorAll('img, script')).toHaveLength(0);
    expect(runs(m.container).querySelector('pre.code')!.textContent).toBe(evil);
    expect(hasButton(runs(m.container), /Accept/)).toBe(false);
  });

  // Issue #14: a run over 200k characters could never be shown; control characters hid or reordered text.
  it('pages a long answer and shows control characters as visible marks', async () => {
    const m = await mountWithState();
    openRuns(m.container);
    fireEvent.click(runs(m.container).querySelector('.run-list button.card')!);
    const raw = `a\u0000b\u202Ec\u001b[2J${'x'.repeat(199_000)}END`;
    m.host({ type: 'runDetail', run: { ...run, raw } });
    const view = runs(m.container);
    await waitFor(() => expect(view.querySelector('.run-detail')).not.toBeNull());
    const rawPre = () => view.querySelector<HTMLElement>('section[aria-labelledby="run-raw"] pre.code')!;
    expect(rawPre().textContent!.startsWith('a\u2400b⟦U+202E⟧c\u241b[2J')).toBe(true);
    expect(rawPre().textContent).toHaveLength(20_000 + '⟦U+202E⟧'.length - 1);
    expect(view.textContent).toContain(`Showing 20,000 of ${raw.length.toLocaleString('en-US')} characters.`);
    for (let page = 2; page <= 10; page++) {
      const more = [...view.querySelectorAll<HTMLButtonElement>('section[aria-labelledby="run-raw"] button.link')].find((b) => /^Show the next/.test(b.textContent!))!;
      fireEvent.click(more);
      await tick();
    }
    expect(rawPre().textContent!.endsWith('xxxEND')).toBe(true);
    expect(view.querySelector('section[aria-labelledby="run-raw"] button.link')).toBeNull();
  });
});
