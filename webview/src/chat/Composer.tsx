import { createSignal, Show } from 'solid-js';
import { LIMITS } from '../../../src/protocol/limits';
import { Icon } from '../common/bits';
import { TextArea } from '../common/fields';


/** The chat input. Enter sends, Shift+Enter starts a new line; the draft survives tab switches and reloads. */
export function Composer(props: { draft: string; onDraft(text: string): void; onSend(text: string): Promise<boolean>; busy: boolean; placeholder: string }) {
  const [sending, setSending] = createSignal(false);
  const tooLong = () => props.draft.length > LIMITS.chat;
  const canSend = () => !!props.draft.trim() && !tooLong() && !sending() && !props.busy;

  async function send() {
    if (!canSend()) return;
    const draft = props.draft;
    setSending(true);
    // Clear at once (the message shows up in the chat); put it back only if it never arrived.
    props.onDraft('');
    const ok = await props.onSend(draft.trim());
    setSending(false);
    if (!ok && !props.draft) props.onDraft(draft);
  }

  return (
    <div class="composer">
      <TextArea
        class="composer-input"
        label="Message to the team"
        hideLabel
        placeholder={props.placeholder}
        rows={3}
        value={props.draft}
        onInput={(v) => props.onDraft(v)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <div class="composer-bar">
        <Show when={tooLong()}>
          <span class="field-error" role="alert">
            Too long: {props.draft.length} characters (at most {LIMITS.chat}).
          </span>
        </Show>
        <span class="muted hint">Enter to send · Shift+Enter for a new line</span>
        <vscode-button appearance="primary" aria-label="Send" disabled={!canSend()} onClick={() => void send()}>
          <Icon name="send" /> Send
        </vscode-button>
      </div>
    </div>
  );
}
