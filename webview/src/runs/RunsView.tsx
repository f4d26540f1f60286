import { For, Show } from 'solid-js';
import type { Client } from '../client';
import { EmptyState, Icon, Spinner } from '../common/bits';
import { formatMs, formatRate, formatTime, MODEL_ROLE_LABELS, modeTitle } from '../format';
import { ProposalBlock } from './ProposalActions';
import { RunDetail } from './RunDetail';

export function RunsView(props: { client: Client }) {
  const c = props.client;
  const runs = () => [...(c.state.snapshot?.runs ?? [])].sort((a, b) => b.startedAt - a.startedAt);
  const pending = () => (c.state.snapshot?.proposals ?? []).filter((p) => p.status === 'pending');
  const selectedId = () => c.view().selectedRunId;
  const detail = () => (selectedId() && c.state.runDetail?.run.id === selectedId() ? c.state.runDetail : null);

  return (
    <Show
      when={!selectedId()}
      fallback={
        <Show when={detail()} fallback={<Spinner label="Loading the run" />}>
          {(d) => <RunDetail client={c} detail={d()} />}
        </Show>
      }
    >
      <div class="runs">
        <Show when={pending().length}>
          <section aria-labelledby="runs-review">
            <h3 id="runs-review">Waiting for your review</h3>
            <For each={pending()}>{(p) => <ProposalBlock client={c} proposal={p} />}</For>
          </section>
        </Show>
        <Show
          when={runs().length}
          fallback={
            <EmptyState icon="history" title="No runs yet">
              <p>Runs appear here when a ready task is run from the Board. Each one shows the prompt, the model's answer, the checks and how long it took.</p>
            </EmptyState>
          }
        >
          <section aria-labelledby="runs-list">
            <h3 id="runs-list">Runs</h3>
            <ul class="run-list">
              <For each={runs()}>
                {(r) => (
                  <li>
                    <button class="card" onClick={() => c.openRun(r.id)} aria-label={`Run ${r.mode ? modeTitle(r.mode, c.state.snapshot?.modes) : MODEL_ROLE_LABELS[r.role]}, ${r.outcome}, ${formatTime(r.startedAt)}`}>
                      <span class="card-title">
                        <span class={`outcome outcome-${r.outcome}`}>{r.outcome}</span> {r.mode ? modeTitle(r.mode, c.state.snapshot?.modes) : MODEL_ROLE_LABELS[r.role]}
                      </span>
                      <span class="card-meta muted small">
                        {formatTime(r.startedAt)} · {formatMs(r.totalMs)} · {formatRate(r.tokensPerSecond)}
                      </span>
                      <Show when={r.errors || r.warnings}>
                        <span class="small">
                          <Icon name="error" /> {r.errors} <Icon name="warning" /> {r.warnings}
                        </span>
                      </Show>
                      <Show when={r.error}>
                        <span class="field-error small">{r.error}</span>
                      </Show>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </section>
        </Show>
      </div>
    </Show>
  );
}
