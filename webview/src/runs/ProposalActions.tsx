import { createSignal, For, Show } from 'solid-js';
import { LIMITS } from '../../../src/protocol/limits';
import type { ProposalSummary } from '../../../src/protocol/messages';
import type { Client } from '../client';
import { Badge, FieldError, Icon, InlineCode } from '../common/bits';
import { TextField } from '../common/fields';


/** A proposed change: its files, and Accept / Reject (with an optional reason) / Open diff while pending. */
export function ProposalBlock(props: { client: Client; proposal: ProposalSummary }) {
  const c = props.client;
  const p = () => props.proposal;
  const [rejecting, setRejecting] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [working, setWorking] = createSignal(false);

  async function decide(kind: 'acceptProposal' | 'rejectProposal') {
    if (working()) return;
    setWorking(true);
    setError(undefined);
    try {
      if (kind === 'acceptProposal') await c.request('acceptProposal', { proposalId: p().id });
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
        <Badge>{p().status}</Badge>
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
      <div class="actions">
        <vscode-button appearance="secondary" onClick={() => void c.act('openDiff', { proposalId: p().id })}>
          <Icon name="diff" /> Open diff
        </vscode-button>
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
