import { Show } from 'solid-js';

export default function OrderNote(props: { note: string | null; onDismiss: () => void }) {
  return (
    <Show when={props.note}>
      {(note) => (
        <div class="note">
          <p>{note()}</p>
          <button type="button" onClick={() => props.onDismiss()}>
            Got it
          </button>
        </div>
      )}
    </Show>
  );
}
