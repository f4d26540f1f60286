import { createEffect } from 'solid-js';

interface FieldProps {
  /** The accessible name; shown above the field unless `hideLabel`. */
  label: string;
  hideLabel?: boolean;
  value: string;
  onInput(value: string): void;
  onKeyDown?(e: KeyboardEvent): void;
  placeholder?: string;
  maxlength?: number;
  disabled?: boolean;
  class?: string;
}

const valueOf = (e: Event) => (e.currentTarget as HTMLInputElement).value ?? '';

// The toolkit's text field and area overwrite `aria-label` with their text content when they connect,
// so the label goes in as content (the toolkit renders it as a real <label>) and is re-applied after.
function useLabel(el: () => HTMLElement | undefined, label: () => string) {
  createEffect(() => el()?.setAttribute('aria-label', label()));
}

export function TextField(props: FieldProps) {
  let el: HTMLElement | undefined;
  useLabel(() => el, () => props.label);
  return (
    <vscode-text-field
      ref={el}
      class={`${props.hideLabel ? 'label-hidden' : ''} ${props.class ?? ''}`}
      value={props.value}
      placeholder={props.placeholder}
      maxlength={props.maxlength}
      disabled={props.disabled}
      onInput={(e) => props.onInput(valueOf(e))}
      onKeyDown={(e) => props.onKeyDown?.(e)}
    >
      {props.label}
    </vscode-text-field>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  let el: HTMLElement | undefined;
  useLabel(() => el, () => props.label);
  return (
    <vscode-text-area
      ref={el}
      class={`${props.hideLabel ? 'label-hidden' : ''} ${props.class ?? ''}`}
      value={props.value}
      placeholder={props.placeholder}
      maxlength={props.maxlength}
      disabled={props.disabled}
      rows={props.rows}
      resize="vertical"
      onInput={(e) => props.onInput(valueOf(e))}
      onKeyDown={(e) => props.onKeyDown?.(e)}
    >
      {props.label}
    </vscode-text-area>
  );
}
