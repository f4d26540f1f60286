import { For, Show } from 'solid-js';
import type { Epic } from '../../../src/domain';
import type { EpicProgress } from '../../../src/protocol/messages';
import type { Client } from '../client';
import { Icon } from '../common/bits';
import { formatMs } from '../format';

const isChecked = (e: Event) => (e.currentTarget as HTMLInputElement).checked;

/** "2 of 5 done · 1 running · 1 failed · 2 stopped": the counts that are not zero, done always first. */
export function progressText(p: EpicProgress): string {
  const parts = [`${p.done} of ${p.total} done`];
  if (p.running) parts.push(`${p.running} running`);
  if (p.review) parts.push(`${p.review} waiting for your review`);
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.stopped) parts.push(`${p.stopped} stopped`);
  if (p.yours) parts.push(`${p.yours} with you`);
  return parts.join(' · ');
}

/** One epic above the board: its title, its progress and "Accept automatically when every check passes". */
function EpicRow(props: { client: Client; epic: Epic; progress?: EpicProgress }) {
  const on = () => props.epic.autoAccept === true;
  const toggle = async (e: Event) => {
    const box = e.currentTarget as HTMLInputElement;
    const want = isChecked(e);
    if (want === on()) return;
    // The host's next snapshot shows the stored value; if the request fails, put the box back.
    const done = await props.client.act('setAutoAccept', { epicId: props.epic.id, on: want });
    if (done === undefined) box.checked = on();
  };
  return (
    <li class="epic">
      <span class="epic-title">
        <Icon name="milestone" /> {props.epic.title}
      </span>
      <Show when={props.progress?.total ? props.progress : undefined}>
        {(p) => (
          <span class="epic-progress">
            <progress class="epic-meter" max={p().total} value={p().done} aria-label={`${p().done} of ${p().total} tasks done`} />
            <span class="epic-counts" classList={{ 'epic-failed': p().failed > 0 }}>
              {progressText(p())}
            </span>
            <Show when={p().workMs > 0}>
              <span class="muted small epic-time">{formatMs(p().workMs)} of work</span>
            </Show>
          </span>
        )}
      </Show>
      <vscode-checkbox class="auto-accept" checked={on()} onChange={(e) => void toggle(e)} title="A task's proposed change is accepted without a click when its validation, cargo check and tsc (where they ran) all passed. Each automatic accept is noted on the task.">
        Accept automatically when every check passes
      </vscode-checkbox>
    </li>
  );
}

export function EpicBar(props: { client: Client; epics: readonly Epic[]; progress?: readonly EpicProgress[] }) {
  return (
    <ul class="epics" aria-label="Epics">
      <For each={props.epics}>{(e) => <EpicRow client={props.client} epic={e} progress={props.progress?.find((p) => p.epicId === e.id)} />}</For>
    </ul>
  );
}
