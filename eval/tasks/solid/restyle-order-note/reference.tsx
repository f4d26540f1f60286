import { Show } from 'solid-js';

export default function OrderNote(props: { note: string | null; onDismiss: () => void }) {
  return (
    <Show when={props.note}>
      {(note) => (
        <div class="alert alert-info">
          <p>{note()}</p>
          <button class="btn btn-sm btn-ghost" type="button" onClick={() => props.onDismiss()}>
            Got it
          </button>
        </div>
      )}
    </Show>
  );
}
