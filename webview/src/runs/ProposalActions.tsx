import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { LIMITS } from '../../../src/protocol/limits';
import type { ProposalSummary } from '../../../src/protocol/messages';
import type { Client } from '../client';
import { Badge, FieldError, Icon, InlineCode } from '../common/bits';
import { TextField } from '../common/fields';


const STATUS_LABELS: Record<ProposalSummary['status'], string> = {
  pending: 'waiting for review',
  accepted: 'accepted',
  rejected: 'rejected',
  stale: 'out of date',
  undone: 'undone',
};

/**
 * A proposed change: its files, and Accept / Reject (with an optional reason) while pending,
 * "Undo this proposal" once accepted. It follows the proposal's state as the snapshot reports it.
 */
export function ProposalBlock(props: { client: Client; proposal: ProposalSummary }) {
  const c = props.client;
  const p = () => props.proposal;
  const [rejecting, setRejecting] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [working, setWorking] = createSignal(false);
  // A message about what failed belongs to the state it failed in.
  createEffect(on(() => p().status, () => setError(undefined), { defer: true }));

  async function decide(kind: 'acceptProposal' | 'rejectProposal' | 'undoProposal') {
    if (working()) return;
    setWorking(true);
    setError(undefined);
    try {
      if (kind === 'acceptProposal') await c.request('acceptProposal', { proposalId: p().id });
      else if (kind === 'undoProposal') await c.request('undoProposal', { proposalId: p().id });
      else await c.request('rejectProposal', { proposalId: p().id, ...(reason().trim() ? { reason: reason().trim().slice(0, LIMITS.short) } : {}) });
      setRejecting(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setWorking(false);
    }
  }

  return (
    <section class={`proposal proposal-${p().status}`} aria-label={`Proposed change: ${p().summary.replaceAll('`', '')}`}>
      <header class="proposal-head">
        <Icon name="git-pull-request" />
        <span class="proposal-summary">
          <InlineCode text={p().summary} />
        </span>
        <Badge>{STATUS_LABELS[p().status]}</Badge>
      </header>
      <ul class="files">
        <For each={p().files}>
          {(f) => (
            <li class="mono small">
              {f.path} <span class="added">+{f.added}</span> <span class="removed">−{f.removed}</span>
              {f.isNew ? ' (new file)' : ''}
            </li>
          )}
        </For>
      </ul>
      <Show when={p().status === 'rejected' && p().rejectionReason}>
        <p class="muted">Rejected: {p().rejectionReason}</p>
      </Show>
      <Show when={p().status === 'undone'}>
        <p class="muted">Undone: the files are back as they were before the accept.</p>
      </Show>
      <div class="actions">
        <Show when={p().status === 'pending'}>
          <vscode-button appearance="secondary" onClick={() => void c.act('openDiff', { proposalId: p().id })}>
            <Icon name="diff" /> Open diff
          </vscode-button>
        </Show>
        <Show when={p().status === 'accepted'}>
          <vscode-button appearance="secondary" disabled={working()} onClick={() => void decide('undoProposal')}>
            <Icon name="discard" /> Undo this proposal
          </vscode-button>
        </Show>
        <Show when={p().status === 'pending'}>
          <vscode-button appearance="primary" disabled={working()} onClick={() => void decide('acceptProposal')}>
            <Icon name="check" /> Accept
          </vscode-button>
          <Show when={!rejecting()}>
            <vscode-button appearance="secondary" disabled={working()} onClick={() => setRejecting(true)}>
              <Icon name="close" /> Reject…
            </vscode-button>
          </Show>
        </Show>
      </div>
      <Show when={p().status === 'pending' && rejecting()}>
        <div class="reject-form">
          <TextField label="Why reject? (optional)" placeholder="It helps the next try" maxlength={LIMITS.short} value={reason()} onInput={setReason} />
          <div class="actions">
            <vscode-button appearance="primary" disabled={working()} onClick={() => void decide('rejectProposal')}>
              Reject change
            </vscode-button>
            <vscode-button appearance="secondary" onClick={() => setRejecting(false)}>
              Keep it
            </vscode-button>
          </div>
        </div>
      </Show>
      <FieldError text={error()} />
    </section>
  );
}
