import { createSignal, For, Show } from 'solid-js';
import { allowedTransitions } from '../../../src/domain';
import type { TaskState } from '../../../src/domain';
import { LIMITS } from '../../../src/protocol/limits';
import type { BoardTask, TaskGit } from '../../../src/protocol/messages';
import type { Client } from '../client';
import { FieldError, Icon, RoleBadge, Spinner } from '../common/bits';
import { TextArea, TextField } from '../common/fields';
import { Markdown } from '../common/Markdown';
import { formatMs, formatTime, modeLabel, specialistLabel, stateLabel } from '../format';


/** A task: what it is, where it can go next, its history and its comment thread. */
export function TaskDetail(props: { client: Client; task: BoardTask }) {
  const c = props.client;
  const t = () => props.task;
  const detail = () => (c.state.taskDetail?.task.id === t().id ? c.state.taskDetail : null);
  // The host says what it accepts; the state machine is checked too, so nothing illegal is ever offered.
  const moves = () => t().transitions.filter((to) => allowedTransitions(t().state).includes(to));
  const [why, setWhy] = createSignal('');
  const [moveError, setMoveError] = createSignal<string>();
  const [commentError, setCommentError] = createSignal<string>();
  const [requestError, setRequestError] = createSignal<string>();
  const [handError, setHandError] = createSignal<string>();
  /** The request being rewritten, or undefined when not editing. */
  const [requestDraft, setRequestDraft] = createSignal<string>();
  const [working, setWorking] = createSignal(false);
  const draft = () => c.view().commentDrafts?.[t().id] ?? '';
  const runReasonId = () => `run-reason-${t().id}`;

  /** Sends one change to the task; on success refreshes the detail, on failure shows why beside the form. */
  async function change(setError: (e: string | undefined) => void, send: () => Promise<unknown>, done: () => void) {
    setError(undefined);
    setWorking(true);
    try {
      await send();
      done();
      void c.act('openTask', { taskId: t().id });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setWorking(false);
    }
  }

  async function move(to: TaskState) {
    if (working() || !moves().includes(to)) return;
    const reason = why().trim();
    if (to === 'blocked' && !reason) {
      setMoveError('Say why the task is blocked (in the reason field), then press Blocked again.');
      return;
    }
    await change(setMoveError, () => c.request('moveTask', { taskId: t().id, to, ...(reason ? { why: reason.slice(0, LIMITS.short) } : {}) }), () => setWhy(''));
  }

  async function comment() {
    const body = draft().trim();
    if (!body || working()) return;
    await change(setCommentError, () => c.request('addComment', { taskId: t().id, body }), () => c.setDraft(t().id, ''));
  }

  /** A specialist may be asked something else: the task has a coding mode and is not in progress or done. */
  const canEditRequest = () => !!t().mode && t().state !== 'in_progress' && t().state !== 'done';
  const yours = () => t().progress?.status === 'yours';

  async function saveRequest() {
    const text = requestDraft()?.trim() ?? '';
    if (working()) return;
    if (!text) {
      setRequestError('Write what the specialist should do: the request is empty.');
      return;
    }
    await change(setRequestError, () => c.request('editTaskRequest', { taskId: t().id, request: text.slice(0, LIMITS.request) }), () => setRequestDraft(undefined));
  }

  async function takeOver() {
    if (working()) return;
    await change(setHandError, () => c.request('takeOverTask', { taskId: t().id }), () => undefined);
  }

  async function markDone() {
    if (working()) return;
    await change(setHandError, () => c.request('moveTask', { taskId: t().id, to: 'done', why: 'Done by hand.' }), () => undefined);
  }

  async function run() {
    if (!t().runnable.ok || working()) return;
    const result = await c.act('runTask', { taskId: t().id });
    if (result?.runId) c.openRun(result.runId);
  }

  return (
    <article class="task-detail" aria-label={`Task: ${t().title}`}>
      <div class="detail-nav">
        <vscode-button appearance="secondary" onClick={() => c.setView({ selectedTaskId: undefined })}>
          <Icon name="arrow-left" /> Board
        </vscode-button>
      </div>
      <h2 class="detail-title">{t().title}</h2>
      <p class="card-meta">
        <span class={`chip state-chip state-${t().state}`}>{stateLabel(t().state)}</span>
        <span class="chip">{specialistLabel(t().role)}</span>
        <span class="chip" classList={{ 'chip-muted': !t().mode }}>
          <Icon name={t().mode ? 'symbol-method' : 'person'} /> {modeLabel(t(), c.state.snapshot?.modes)}
        </span>
      </p>
      <Show when={t().state === 'blocked'}>
        <p class="blocked-reason" role="note">
          <Icon name="warning" /> Blocked{t().blockedReason ? `: ${t().blockedReason}` : ''}
        </p>
      </Show>

      <Show when={t().stoppedBy}>
        {(by) => (
          <p class="stopped-note" role="note">
            <Icon name="debug-stop" /> Stopped: “{by().title}” failed, and this task needs it. It can run once that task is done:{' '}
            <button class="link" onClick={() => c.openTask(by().taskId)}>
              open “{by().title}”
            </button>{' '}
            to run it again, edit its request or take it over.
          </p>
        )}
      </Show>
      <Show when={t().progress && (t().progress!.workMs > 0 || t().progress!.attempts > 0)}>
        <p class="muted small task-time">
          <Icon name="history" /> {t().state === 'done' ? 'Took' : 'In progress so far:'} {formatMs(t().progress!.workMs)}
          {t().progress!.attempts > 1 ? ` over ${t().progress!.attempts} tries` : ''}
        </p>
      </Show>

      <Show when={t().state === 'ready'}>
        <div class="run-row">
          <vscode-button appearance="primary" disabled={!t().runnable.ok || working()} attr:aria-describedby={t().runnable.ok ? undefined : runReasonId()} onClick={() => void run()}>
            <Icon name="play" /> {t().progress?.status === 'failed' ? 'Run again' : 'Run'}
          </vscode-button>
          <Show when={t().mode}>
            <vscode-button appearance="secondary" disabled={working()} title="Do this task yourself: no specialist runs it; mark it done when you have done it." onClick={() => void takeOver()}>
              <Icon name="person" /> Take it over
            </vscode-button>
          </Show>
          <Show when={!t().runnable.ok}>
            <span class="muted" id={runReasonId()}>
              {t().runnable.reason}
            </span>
          </Show>
        </div>
        <Show when={t().progress?.status === 'failed'}>
          <p class="muted small">The last run failed (its comment says why). Run it again, edit its request first, or take it over and do it yourself.</p>
        </Show>
      </Show>
      <Show when={yours()}>
        <div class="run-row yours" role="note">
          <span>
            <Icon name="person" /> You took this task over: do it by hand, then mark it done.
          </span>
          <vscode-button appearance="primary" disabled={working()} onClick={() => void markDone()}>
            <Icon name="check" /> Mark done
          </vscode-button>
        </div>
      </Show>
      <FieldError text={handError()} />
      <Show when={t().state !== 'ready' && !t().mode}>
        <p class="muted">No coding mode: this task stays with you.</p>
      </Show>

      <section aria-labelledby="task-desc">
        <h3 id="task-desc">Description</h3>
        <Show when={t().description} fallback={<p class="muted">No description.</p>}>
          <Markdown text={t().description} />
        </Show>
      </section>
      <Show when={t().acceptanceCriteria.length}>
        <section aria-labelledby="task-ac">
          <h3 id="task-ac">Acceptance criteria</h3>
          <ul class="criteria">
            <For each={t().acceptanceCriteria}>{(a) => <li>{a}</li>}</For>
          </ul>
        </section>
      </Show>
      <Show when={t().technicalNotes || t().request || t().target}>
        <section aria-labelledby="task-tech">
          <h3 id="task-tech">Technical notes</h3>
          <Show when={t().target}>
            {(target) => <p class="mono small">{Object.entries(target()).map(([k, v]) => `${k}: ${v}`).join(' · ')}</p>}
          </Show>
          <Show
            when={requestDraft() !== undefined}
            fallback={
              <>
                <Show when={t().request}>
                  <pre class="code task-request">{t().request}</pre>
                </Show>
                <Show when={canEditRequest()}>
                  <div class="actions">
                    <vscode-button appearance="secondary" disabled={working()} onClick={() => setRequestDraft(t().request ?? t().description)}>
                      <Icon name="edit" /> Edit request
                    </vscode-button>
                  </div>
                </Show>
              </>
            }
          >
            <TextArea label="The request for the specialist" rows={4} maxlength={LIMITS.request} value={requestDraft() ?? ''} onInput={setRequestDraft} />
            <p class="muted small">
              {(requestDraft() ?? '').length} of {LIMITS.request} characters. The next run uses it.
            </p>
            <div class="actions">
              <vscode-button appearance="primary" disabled={working() || !requestDraft()?.trim()} onClick={() => void saveRequest()}>
                <Icon name="check" /> Save request
              </vscode-button>
              <vscode-button appearance="secondary" disabled={working()} onClick={() => (setRequestDraft(undefined), setRequestError(undefined))}>
                Cancel
              </vscode-button>
            </div>
          </Show>
          <FieldError text={requestError()} />
          <Show when={t().technicalNotes}>
            <pre class="code">{t().technicalNotes}</pre>
          </Show>
        </section>
      </Show>
      <Show when={t().dependsOn.length}>
        <section aria-labelledby="task-deps">
          <h3 id="task-deps">Depends on</h3>
          <ul>
            <For each={t().dependsOn}>
              {(id) => {
                const dep = () => c.state.snapshot?.board.tasks.find((x) => x.id === id);
                return (
                  <li>
                    <Show when={dep()} fallback={<span class="muted">a task that no longer exists</span>}>
                      {(d) => (
                        <button class="link" onClick={() => c.openTask(d().id)}>
                          {d().title} ({stateLabel(d().state)})
                        </button>
                      )}
                    </Show>
                  </li>
                );
              }}
            </For>
          </ul>
        </section>
      </Show>

      <section class="moves" aria-labelledby="task-move">
        <h3 id="task-move">Move</h3>
        <Show when={moves().length} fallback={<p class="muted">This task cannot move from here.</p>}>
          <TextField label="Reason for the move (needed for Blocked)" hideLabel placeholder="Reason (needed for Blocked)" maxlength={LIMITS.short} value={why()} onInput={setWhy} />
          <div class="move-buttons" role="group" aria-label="Move the task to">
            <For each={moves()}>
              {(to) => (
                <vscode-button appearance="secondary" disabled={working()} attr:data-to={to} onClick={() => void move(to)}>
                  {to === 'blocked' ? <Icon name="warning" /> : <Icon name="arrow-right" />} {stateLabel(to)}
                </vscode-button>
              )}
            </For>
          </div>
        </Show>
        <FieldError text={moveError()} />
      </section>

      <Show when={detail()?.runs.length}>
        <section aria-labelledby="task-runs">
          <h3 id="task-runs">Runs</h3>
          <ul>
            <For each={detail()!.runs}>
              {(r) => (
                <li>
                  <button class="link" onClick={() => c.openRun(r.id)}>
                    {formatTime(r.startedAt)} · {r.outcome} · {formatMs(r.totalMs)}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>

      <Show when={detail()?.git}>
        {(git) => <TaskCommits client={c} taskId={t().id} git={git()} />}
      </Show>

      <section aria-labelledby="task-history">
        <h3 id="task-history">History</h3>
        <Show when={detail()} fallback={<Spinner label="Loading history" />}>
          <Show when={detail()!.events.length} fallback={<p class="muted">No moves yet.</p>}>
            <ol class="history">
              <For each={detail()!.events}>
                {(ev) => (
                  <li>
                    <span>
                      {stateLabel(ev.from)} → {stateLabel(ev.to)}
                    </span>{' '}
                    <RoleBadge role={ev.by} /> <span class="muted small">{formatTime(ev.at)}</span>
                    <Show when={ev.why}>
                      <div class="muted">“{ev.why}”</div>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Show>
      </section>

      <section class="comments" aria-labelledby="task-comments">
        <h3 id="task-comments">Comments</h3>
        <Show when={detail()}>
          <Show when={detail()!.comments.length} fallback={<p class="muted">No comments yet. Ask a question or add a detail the team should know.</p>}>
            <ol class="comment-list">
              <For each={detail()!.comments}>
                {(cm) => (
                  <li class="comment">
                    <header class="msg-head">
                      <RoleBadge role={cm.author} />
                      <span class="muted small">{formatTime(cm.createdAt)}</span>
                    </header>
                    <p class="plain">{cm.body}</p>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Show>
        <TextArea label="New comment" hideLabel placeholder="Write a comment…" rows={2} maxlength={LIMITS.comment} value={draft()} onInput={(v) => c.setDraft(t().id, v)} />
        <FieldError text={commentError()} />
        <div class="actions">
          <vscode-button appearance="secondary" disabled={!draft().trim() || working()} onClick={() => void comment()}>
            <Icon name="comment" /> Add comment
          </vscode-button>
        </div>
      </section>
    </article>
  );
}

/**
 * The task's commits (git): each one's short hash, message and files, a file opening its diff in
 * the editor; "Revert this task" and "Finish" continue in the editor, where the diffs are.
 */
function TaskCommits(props: { client: Client; taskId: string; git: TaskGit }) {
  const c = props.client;
  const [error, setError] = createSignal<string>();
  const send = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
      void c.act('openTask', { taskId: props.taskId });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="task-commits">
      <h3 id="task-commits">Commits</h3>
      <Show when={props.git.commits.length} fallback={<p class="muted">No commits yet: accepted changes are committed here.</p>}>
        <ul class="commits">
          <For each={props.git.commits}>
            {(commit) => (
              <li>
                <code class="hash">{commit.short}</code> {commit.subject} <span class="muted small">{formatTime(commit.at)}</span>
                <ul class="commit-files">
                  <For each={commit.files}>
                    {(file) => (
                      <li>
                        <button class="link" title={`Open the diff of ${file} in ${commit.short}`} onClick={() => void send(() => c.request('openCommitDiff', { taskId: props.taskId, hash: commit.hash, file }))}>
                          {file}
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="actions">
        <Show when={props.git.canRevert}>
          <button class="secondary" onClick={() => void send(() => c.request('revertTask', { taskId: props.taskId }))}>
            <Icon name="discard" /> Revert this task…
          </button>
        </Show>
        <Show when={props.git.branch}>
          <button class="secondary" title={props.git.branch} onClick={() => void send(() => c.request('finishTask', { taskId: props.taskId }))}>
            <Icon name="git-merge" /> Finish (merge or pull request)…
          </button>
        </Show>
      </div>
      <FieldError text={error()} />
    </section>
  );
}
