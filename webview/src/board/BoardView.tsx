import { For, Show } from 'solid-js';
import type { TaskState } from '../../../src/domain';
import type { BoardTask, TaskProgress } from '../../../src/protocol/messages';
import type { Client } from '../client';
import { Badge, EmptyState, Icon, Spinner } from '../common/bits';
import { formatMs, modeLabel, specialistLabel, stateLabel } from '../format';
import { EpicBar } from './EpicBar';
import { TaskDetail } from './TaskDetail';

const FLOW: TaskState[] = ['draft', 'needs_technical_shaping', 'ready', 'in_progress', 'done'];

type ModeTitles = ReadonlyArray<{ id: string; title: string }> | undefined;

/** Running / waiting for review / failed, and the time the task was in progress. */
function ProgressChips(props: { progress: TaskProgress }) {
  const p = () => props.progress;
  return (
    <Show when={p().status !== 'todo' || p().workMs > 0}>
      <span class="card-meta card-progress">
        <Show when={p().status === 'running'}>
          <span class="chip chip-running">
            <Spinner /> Running
          </span>
        </Show>
        <Show when={p().status === 'review'}>
          <span class="chip">
            <Icon name="eye" /> Waiting for your review
          </span>
        </Show>
        <Show when={p().status === 'yours'}>
          <span class="chip">
            <Icon name="person" /> Taken over by you
          </span>
        </Show>
        <Show when={p().status === 'failed'}>
          <span class="chip chip-failed">
            <Icon name="error" /> Failed{p().attempts > 1 ? ` (${p().attempts} tries)` : ''}
          </span>
        </Show>
        <Show when={p().workMs > 0}>
          <span class="chip chip-muted" title="Time in progress, over every attempt">
            <Icon name="history" /> {p().status === 'done' ? `took ${formatMs(p().workMs)}` : `${formatMs(p().workMs)} so far`}
          </span>
        </Show>
      </span>
    </Show>
  );
}

function TaskCard(props: { task: BoardTask; epic?: string; modes: ModeTitles; onOpen(): void }) {
  const t = () => props.task;
  return (
    <li>
      <button class={`card state-${t().state}`} onClick={() => props.onOpen()} aria-label={`${t().title}, ${stateLabel(t().state)}, ${specialistLabel(t().role)}, mode ${modeLabel(t(), props.modes)}`}>
        <span class="card-title">{t().title}</span>
        <span class="card-meta">
          <span class="chip">{specialistLabel(t().role)}</span>
          <span class="chip" classList={{ 'chip-muted': !t().mode }}>
            <Icon name={t().mode ? 'symbol-method' : 'person'} /> {modeLabel(t(), props.modes)}
          </span>
        </span>
        <Show when={t().progress}>{(p) => <ProgressChips progress={p()} />}</Show>
        <Show when={t().stoppedBy}>
          {(by) => (
            <span class="stopped-note">
              <Icon name="debug-stop" /> Stopped: “{by().title}” failed
            </span>
          )}
        </Show>
        <Show when={props.epic}>
          <span class="muted small">{props.epic}</span>
        </Show>
        <Show when={t().state === 'blocked' && t().blockedReason}>
          <span class="blocked-reason">
            <Icon name="warning" /> {t().blockedReason}
          </span>
        </Show>
      </button>
    </li>
  );
}

/** A column: a task state, or `with-user` for shaped tasks no coding mode fits. */
type ColumnKey = TaskState | 'with-user';
const columnTitle = (key: ColumnKey): string => (key === 'with-user' ? 'Stays with you' : stateLabel(key));

function Column(props: { state: ColumnKey; tasks: BoardTask[]; epics: Map<string, string>; modes: ModeTitles; onOpen(id: string): void }) {
  const id = `col-${props.state}`;
  return (
    <section class={`column column-${props.state}`} aria-labelledby={id}>
      <h3 id={id} class="column-head">
        <Show when={props.state === 'blocked'}>
          <Icon name="warning" />
        </Show>
        <Show when={props.state === 'with-user'}>
          <Icon name="person" />
        </Show>
        <span class="column-title">{columnTitle(props.state)}</span>
        <Badge label={`${props.tasks.length} tasks`}>{props.tasks.length}</Badge>
      </h3>
      <Show when={props.tasks.length} fallback={<p class="muted small column-empty">No tasks</p>}>
        <ul class="cards">
          <For each={props.tasks}>{(t) => <TaskCard task={t} epic={props.epics.size > 1 ? props.epics.get(t.epicId) : undefined} modes={props.modes} onOpen={() => props.onOpen(t.id)} />}</For>
        </ul>
      </Show>
    </section>
  );
}

/** Tasks by state. Blocked tasks lead the board so they are not missed. */
export function BoardView(props: { client: Client }) {
  const c = props.client;
  const tasks = () => c.state.snapshot?.board.tasks ?? [];
  const epics = () => new Map((c.state.snapshot?.board.epics ?? []).map((e) => [e.id, e.title]));
  const byState = (s: TaskState) => tasks().filter((t) => t.state === s && !t.withUser);
  const withUser = () => tasks().filter((t) => t.withUser);
  const selected = () => {
    const id = c.view().selectedTaskId;
    return id ? tasks().find((t) => t.id === id) : undefined;
  };

  return (
    <Show
      when={selected()}
      fallback={
        <Show
          when={tasks().length}
          fallback={
            <EmptyState icon="project" title="No tasks yet">
              <p>Describe your app in Chat. Once you confirm the Product Owner's summary, the Project Manager turns it into tasks here.</p>
            </EmptyState>
          }
        >
          <div class="board">
            <Show when={(c.state.snapshot?.board.epics.length ?? 0) > 0}>
              <EpicBar client={c} epics={c.state.snapshot?.board.epics ?? []} progress={c.state.snapshot?.board.progress} />
            </Show>
            <div class="columns">
              <Show when={byState('blocked').length}>
                <Column state="blocked" tasks={byState('blocked')} epics={epics()} modes={c.state.snapshot?.modes} onOpen={c.openTask} />
              </Show>
              <For each={FLOW}>{(s) => <Column state={s} tasks={byState(s)} epics={epics()} modes={c.state.snapshot?.modes} onOpen={c.openTask} />}</For>
              <Show when={withUser().length}>
                <Column state="with-user" tasks={withUser()} epics={epics()} modes={c.state.snapshot?.modes} onOpen={c.openTask} />
              </Show>
            </div>
          </div>
        </Show>
      }
    >
      {(task) => <TaskDetail client={c} task={task()} />}
    </Show>
  );
}
