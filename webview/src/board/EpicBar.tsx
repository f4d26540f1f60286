import { For } from 'solid-js';
import type { Epic } from '../../../src/domain';
import type { Client } from '../client';
import { Icon } from '../common/bits';

const isChecked = (e: Event) => (e.currentTarget as HTMLInputElement).checked;

/** One epic above the board: its title and "Accept automatically when every check passes". */
function EpicRow(props: { client: Client; epic: Epic }) {
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
      <vscode-checkbox class="auto-accept" checked={on()} onChange={(e) => void toggle(e)} title="A task's proposed change is accepted without a click when its validation, cargo check and tsc (where they ran) all passed. Each automatic accept is noted on the task.">
        Accept automatically when every check passes
      </vscode-checkbox>
    </li>
  );
}

export function EpicBar(props: { client: Client; epics: readonly Epic[] }) {
  return (
    <ul class="epics" aria-label="Epics">
      <For each={props.epics}>{(e) => <EpicRow client={props.client} epic={e} />}</For>
    </ul>
  );
}
