import './setup';
import { cleanup, fireEvent, render, waitFor } from '@solidjs/testing-library';
import { expect } from 'vitest';
import type { RequestType, WebviewMessage } from '../../src/protocol/messages';
import { App } from '../../webview/src/App';
import { createBridge } from '../../webview/src/bridge';
import { createClient } from '../../webview/src/client';
import { registerToolkit } from '../../webview/src/toolkit';
import { stateMessage } from './fixtures';

registerToolkit();

/**
 * Mounts the real panel (bridge, client, views) against a fake VS Code API. `host()` delivers a
 * message exactly as VS Code would (a window `message` event), so validation is exercised too.
 */
export function mount(opts: { savedState?: unknown } = {}) {
  const posted: WebviewMessage[] = [];
  let saved = opts.savedState;
  const api = { postMessage: (m: unknown) => void posted.push(m as WebviewMessage), getState: () => saved, setState: (s: unknown) => void (saved = s) };
  const bridge = createBridge(api, window);
  const client = createClient(bridge);
  const r = render(() => <App client={client} />);

  const host = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
  const sent = <K extends RequestType | 'cancel' | 'reportError'>(type: K) => posted.filter((m) => m.type === type) as Extract<WebviewMessage, { type: K }>[];
  const last = <K extends RequestType | 'cancel' | 'reportError'>(type: K) => {
    const all = sent(type);
    expect(all.length, `no ${type} message was posted`).toBeGreaterThan(0);
    return all[all.length - 1]!;
  };
  /** Answers the latest request of `type`. */
  const reply = (type: RequestType, result: unknown = null) => host({ type: 'reply', id: (last(type) as { id: string }).id, ok: true, result });
  const fail = (type: RequestType, code: string, message: string, runId?: string) =>
    host({ type: 'reply', id: (last(type) as { id: string }).id, ok: false, error: { code, message, ...(runId ? { runId } : {}) } });

  return {
    ...r,
    posted,
    host,
    sent,
    last,
    reply,
    fail,
    client,
    saved: () => saved,
    unmount() {
      r.unmount();
      bridge.dispose();
    },
  };
}

/** Mounts and delivers the fixture snapshot. */
export async function mountWithState(over: Parameters<typeof stateMessage>[0] = {}, opts: { savedState?: unknown } = {}) {
  const m = mount(opts);
  m.reply('ready');
  m.host(stateMessage(over));
  await waitFor(() => expect(m.container.querySelector('.panel')).not.toBeNull());
  return m;
}

export function teardown() {
  cleanup();
}

/** A toolkit button by its visible text or aria-label (toolkit buttons have no host role). */
export function button(root: ParentNode, name: string | RegExp): HTMLElement & { disabled: boolean } {
  const all = [...root.querySelectorAll<HTMLElement>('vscode-button, button')].filter((b) => !b.closest('[hidden]'));
  const match = (s: string | null | undefined) => !!s && (typeof name === 'string' ? s.trim() === name : name.test(s.trim()));
  const found = all.filter((b) => match(b.textContent) || match(b.getAttribute('aria-label')) || match((b as { ariaLabel?: string }).ariaLabel));
  if (found.length !== 1) throw new Error(`expected one button "${String(name)}", found ${found.length}: ${all.map((b) => JSON.stringify(b.textContent?.trim())).join(', ')}`);
  return found[0] as HTMLElement & { disabled: boolean };
}

export function hasButton(root: ParentNode, name: string | RegExp): boolean {
  try {
    button(root, name);
    return true;
  } catch {
    return false;
  }
}

/** Types into a toolkit text field/area (or a native one) the way its inner input would report it. */
export function typeInto(el: Element, text: string): void {
  (el as HTMLInputElement).value = text;
  fireEvent.input(el);
}

export function field(root: ParentNode, label: string): HTMLElement {
  const el = [...root.querySelectorAll<HTMLElement>('vscode-text-field, vscode-text-area, input, textarea')].find(
    (e) => !e.closest('[hidden]') && (e.getAttribute('aria-label') === label || (e as { ariaLabel?: string }).ariaLabel === label),
  );
  if (!el) throw new Error(`no field labelled "${label}"`);
  return el;
}

export const tick = () => new Promise((r) => setTimeout(r, 0));
