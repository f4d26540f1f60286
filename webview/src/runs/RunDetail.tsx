import { For, Show } from 'solid-js';
import type { RunRecord } from '../../../src/domain';
import type { HostMessageOf } from '../../../src/protocol/messages';
import type { Client } from '../client';
import { Icon } from '../common/bits';
import { formatMs, formatRate, formatTime, MODEL_ROLE_LABELS, modeTitle } from '../format';
import { LongText } from './LongText';
import { ProposalBlock } from './ProposalActions';

/** Everything about one model call, as text: prompt, answer, reasoning, extracted code, checks, timings. */
export function RunDetail(props: { client: Client; detail: HostMessageOf<'runDetail'> }) {
  const c = props.client;
  const run = () => props.detail.run;
  // The snapshot has the freshest proposal status (accepted/rejected since the detail was sent).
  const proposal = () => c.state.snapshot?.proposals.find((p) => p.id === props.detail.proposal?.id) ?? props.detail.proposal;
  // Each problem once: retries repeat the same error, and the run's error is shown above already.
  const checks = () => {
    const keyOf = (d: { severity: string; file?: string; line?: number; message: string }) => `${d.severity}|${d.file ?? ''}|${d.line ?? ''}|${d.message}`;
    const seen = new Set<string>(run().error ? [keyOf({ severity: 'error', message: run().error! })] : []);
    return run().diagnostics.filter((d) => {
      const key = keyOf(d);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };

  return (
    <article class="run-detail" aria-label={`Run ${run().mode ?? ''}`}>
      <div class="detail-nav">
        <vscode-button appearance="secondary" onClick={() => c.setView({ selectedRunId: undefined })}>
          <Icon name="arrow-left" /> Runs
        </vscode-button>
      </div>
      <h2 class="detail-title">
        <span class={`outcome outcome-${run().outcome}`}>{run().outcome}</span> {run().mode ? modeTitle(run().mode!, c.state.snapshot?.modes) : MODEL_ROLE_LABELS[run().role]}
      </h2>
      <p class="muted small">
        {MODEL_ROLE_LABELS[run().role]} · {run().model} · temperature {run().params.temperature} · {formatTime(run().timings.startedAt)}
      </p>
      <Show when={run().error}>
        <p class="field-error" role="note">
          <Icon name="error" /> {run().error}
        </p>
      </Show>

      <dl class="metrics">
        <div>
          <dt>Time to first token</dt>
          <dd>{formatMs(run().timings.firstTokenMs)}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{formatMs(run().timings.totalMs)}</dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd>{formatRate(run().timings.tokensPerSecond)}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>
            {run().usage?.promptTokens ?? '—'} in · {run().usage?.completionTokens ?? '—'} out
          </dd>
        </div>
      </dl>

      <Show when={proposal()}>{(p) => <ProposalBlock client={c} proposal={p()} />}</Show>
      <Show when={props.detail.commit && run().taskId ? { commit: props.detail.commit, taskId: run().taskId! } : undefined}>
        {(link) => (
          <p class="run-commit">
            <Icon name="git-commit" /> Committed as <code class="hash">{link().commit.short}</code> {link().commit.subject}
            <For each={link().commit.files}>
              {(file) => (
                <>
                  {' '}
                  <button class="link" title={`Open the diff of ${file}`} onClick={() => void c.request('openCommitDiff', { taskId: link().taskId, hash: link().commit.hash, file }).catch(() => undefined)}>
                    {file}
                  </button>
                </>
              )}
            </For>
          </p>
        )}
      </Show>

      <section aria-labelledby="run-diag">
        <h3 id="run-diag">Checks</h3>
        <Show when={checks().length} fallback={<p class="muted">{run().error ? 'Nothing besides the error above.' : 'No problems found.'}</p>}>
          <ul class="diagnostics">
            <For each={checks()}>
              {(d) => (
                <li class={`diag diag-${d.severity}`}>
                  <Icon name={d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info'} />
                  <span>
                    {d.file ? `${d.file}${d.line !== undefined ? `:${d.line}` : ''} ` : d.line !== undefined ? `line ${d.line}: ` : ''}
                    {d.message}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <Show when={run().compile}>{(compile) => <CompilerSection compile={compile()} />}</Show>

      <Show when={run().extracted !== undefined}>
        <section aria-labelledby="run-code">
          <h3 id="run-code">Extracted code</h3>
          <LongText text={run().extracted ?? ''} />
        </section>
      </Show>
      <section aria-labelledby="run-raw">
        <h3 id="run-raw">Raw answer</h3>
        <LongText text={run().raw || '(empty)'} />
      </section>
      <Show when={run().reasoning}>
        <details>
          <summary>Reasoning</summary>
          <LongText text={run().reasoning} />
        </details>
      </Show>
      <details>
        <summary>Prompt ({run().messages.length} messages)</summary>
        <For each={run().messages}>
          {(m) => (
            <div class="prompt-msg">
              <p class="muted small">{m.role}</p>
              <LongText text={m.content} />
            </div>
          )}
        </For>
      </details>
    </article>
  );
}

type CompileRecord = NonNullable<RunRecord['compile']>;

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What `cargo check` said about the run's change, in one line (as the proposal's summary says it). */
function compileVerdict(r: CompileRecord): string {
  if (r.skipped) return `Not checked with cargo: ${r.skipped}`;
  if (!r.ran) return 'Not checked with cargo.';
  if (r.ok) return r.preExisting ? `Compiles; the project did not compile before this change (${plural(r.preExisting, 'error')} elsewhere).` : 'Compiles.';
  if (r.errors.length) return `Does not compile: ${plural(r.errors.length, 'error')} in the change.`;
  return `The project did not compile before this change (${plural(r.preExisting, 'error')} elsewhere); the change added none.`;
}

/** The run's `cargo check` (shadow copy with the change applied): verdict, time, errors, output. */
function CompilerSection(props: { compile: CompileRecord }) {
  const r = () => props.compile;
  return (
    <section aria-labelledby="run-compile" class="run-compile">
      <h3 id="run-compile">Compiler</h3>
      <p class={r().ran && !r().ok && r().errors.length ? 'field-error' : r().skipped ? 'muted' : ''}>{compileVerdict(r())}</p>
      <dl class="metrics">
        <div>
          <dt>cargo check</dt>
          <dd>{r().ran ? 'ran' : 'did not run'}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>{r().ran ? formatMs(r().ms) : '—'}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd>
            {r().errors.length} from the change · {r().preExisting} before it
          </dd>
        </div>
        <div>
          <dt>Static checks</dt>
          <dd>{r().staticOk ? 'passed' : 'failed'}</dd>
        </div>
      </dl>
      <Show when={r().errors.length}>
        <ul class="diagnostics">
          <For each={r().errors}>
            {(e) => (
              <li class="diag diag-error">
                <Icon name="error" />
                <span>
                  {e.line !== undefined ? `line ${e.line}${e.column !== undefined ? `:${e.column}` : ''}: ` : e.file ? `${e.file}${e.fileLine !== undefined ? `:${e.fileLine}` : ''}: ` : ''}
                  {e.code ? `error[${e.code}]: ` : ''}
                  {e.message}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={r().output}>
        <details>
          <summary>Compiler output</summary>
          <LongText text={r().output} />
        </details>
      </Show>
    </section>
  );
}
