import { For, Show } from 'solid-js';
import type { JSX } from 'solid-js';
import type { ActorRole } from '../../../src/domain';
import type { Client } from '../client';
import { ROLE_ICONS, ROLE_LABELS } from '../format';
import { ICONS, type IconName } from '../icons';

/** A codicon, drawn from its SVG (webview/src/icons.ts). */
export function Icon(props: { name: IconName; label?: string; class?: string }) {
  return (
    <i
      class={`codicon codicon-${props.name} ${props.class ?? ''}`}
      // Our own SVG files from @vscode/codicons, bundled at build time: never text from a message.
      innerHTML={ICONS[props.name]}
      aria-hidden={props.label ? undefined : 'true'}
      role={props.label ? 'img' : undefined}
      aria-label={props.label}
    />
  );
}

/** A count or status pill in the theme's badge colours. */
export function Badge(props: { label?: string; children: JSX.Element }) {
  return (
    <span class="badge" aria-label={props.label}>
      {props.children}
    </span>
  );
}

/** VS Code's own busy indicator: the spinning codicon. Decorative unless labelled. */
export function Spinner(props: { label?: string; class?: string }) {
  return <Icon name="loading" class={`codicon-modifier-spin spinner ${props.class ?? ''}`} label={props.label} />;
}

export function RoleBadge(props: { role: ActorRole }) {
  return (
    <span class={`role role-${props.role}`}>
      <Icon name={ROLE_ICONS[props.role]} />
      <span>{ROLE_LABELS[props.role]}</span>
    </span>
  );
}

/** What to do next when a view has nothing to show yet. */
export function EmptyState(props: { icon: IconName; title: string; children: JSX.Element }) {
  return (
    <div class="empty" role="note">
      <Icon name={props.icon} class="empty-icon" />
      <p class="empty-title">{props.title}</p>
      <div class="empty-body">{props.children}</div>
    </div>
  );
}

export function Notices(props: { client: Client }) {
  return (
    <div class="notices" aria-live="polite">
      <For each={props.client.state.notices}>
        {(n) => (
          <div class={`notice notice-${n.level}`} role={n.level === 'error' ? 'alert' : 'status'}>
            <Icon name={n.level === 'error' ? 'error' : n.level === 'warning' ? 'warning' : 'info'} />
            <span class="notice-text">{n.text}</span>
            <For each={n.actions ?? []}>
              {(a) => (
                <vscode-button
                  appearance="secondary"
                  onClick={() => {
                    props.client.dismissNotice(n.id);
                    a.run();
                  }}
                >
                  {a.label}
                </vscode-button>
              )}
            </For>
            <vscode-button appearance="icon" aria-label="Dismiss" title="Dismiss" onClick={() => props.client.dismissNotice(n.id)}>
              <Icon name="close" />
            </vscode-button>
          </div>
        )}
      </For>
    </div>
  );
}

/** The running-work strip: what is happening and the Stop button that cancels it. */
export function BusyBar(props: { client: Client }) {
  return (
    <Show when={props.client.stoppable().length > 0}>
      <div class="busy" role="status">
        <Spinner />
        <span class="busy-label">{props.client.busyLabel() || 'Working…'}</span>
        <vscode-button appearance="secondary" aria-label="Stop" onClick={() => props.client.stop()}>
          <Icon name="debug-stop" /> Stop
        </vscode-button>
      </div>
    </Show>
  );
}

/** An inline error under a form, announced to screen readers. */
export function FieldError(props: { text: string | undefined; id?: string }) {
  return (
    <Show when={props.text}>
      <p class="field-error" role="alert" id={props.id}>
        <Icon name="error" /> {props.text}
      </p>
    </Show>
  );
}

/** Text whose `backticked` parts are code (mode summaries name functions and files); never HTML. */
export function InlineCode(props: { text: string }) {
  return <For each={props.text.split('`')}>{(part, i) => (i() % 2 === 1 ? <code>{part}</code> : part)}</For>;
}
