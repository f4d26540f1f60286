import { ViewState, WebviewMessage } from '../../src/protocol/messages';
import type { HostMessage } from '../../src/protocol/messages';
import { describeIssues, parseHostMessage } from '../../src/protocol/validate';

/** The part of VS Code's webview API the panel uses. Tests and the browser harness provide their own. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside webviews; may be called once per page.
  function acquireVsCodeApi(): VsCodeApi;
}

export interface Bridge {
  /** Posts a message to the host after checking it; returns false (and reports) when it is invalid. */
  post(message: WebviewMessage): boolean;
  /** Host messages that passed validation. */
  onMessage(listener: (message: HostMessage) => void): () => void;
  /** Host messages that did not; they are never acted on. */
  onInvalid(listener: (error: string, raw: unknown) => void): () => void;
  loadViewState(): ViewState | undefined;
  saveViewState(state: ViewState): void;
  dispose(): void;
}

/**
 * The only place that talks to `acquireVsCodeApi`. Everything the host sends goes through
 * `parseHostMessage` here, so views only ever see validated, typed messages.
 */
export function createBridge(api: VsCodeApi, target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): Bridge {
  const listeners = new Set<(m: HostMessage) => void>();
  const invalidListeners = new Set<(error: string, raw: unknown) => void>();

  const onEvent = (event: Event) => {
    const raw: unknown = (event as MessageEvent).data;
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      for (const l of invalidListeners) l(parsed.error, raw);
      return;
    }
    for (const l of listeners) l(parsed.message);
  };
  target.addEventListener('message', onEvent);

  return {
    post(message) {
      const r = WebviewMessage.safeParse(message);
      if (!r.success) {
        const error = `the panel tried to send an invalid ${String((message as { type?: unknown }).type)} message: ${describeIssues(r.error)}`;
        for (const l of invalidListeners) l(error, message);
        return false;
      }
      api.postMessage(r.data);
      return true;
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onInvalid(listener) {
      invalidListeners.add(listener);
      return () => invalidListeners.delete(listener);
    },
    loadViewState() {
      const r = ViewState.safeParse(api.getState());
      return r.success ? r.data : undefined;
    },
    saveViewState(state) {
      api.setState(state);
    },
    dispose() {
      target.removeEventListener('message', onEvent);
      listeners.clear();
      invalidListeners.clear();
    },
  };
}

let acquired: Bridge | undefined;

/** The bridge over the real VS Code API (acquired once, as VS Code requires). */
export function acquireBridge(): Bridge {
  if (!acquired) {
    if (typeof acquireVsCodeApi !== 'function') throw new Error('nocodo: this page is not running inside a VS Code webview');
    acquired = createBridge(acquireVsCodeApi());
  }
  return acquired;
}
