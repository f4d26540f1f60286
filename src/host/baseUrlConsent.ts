import * as vscode from 'vscode';

/**
 * Asks once per workspace before prompts go to a model server that the workspace's settings chose
 * and the user did not: a cloned repository could otherwise send the user's prompts and project
 * code to a host of its choosing. The answer is kept in the workspace's state, per URL.
 */

const STATE_KEY = 'nocodo.workspaceBaseUrlConsent';
type Decision = 'allow' | 'deny';

/** Resolves true to allow, false to refuse, undefined when the question was dismissed (asked again later). */
export type AskConsent = (workspaceUrl: string, userUrl: string) => Thenable<boolean | undefined>;

const ALLOW = 'Allow';
const REFUSE = 'Use My Server';

const askWithModal: AskConsent = async (workspaceUrl, userUrl) => {
  const pick = await vscode.window.showWarningMessage(
    `This workspace sends prompts to ${workspaceUrl}: allow?`,
    {
      modal: true,
      detail: `The workspace's settings choose this model server instead of yours (${userUrl}). nocodo would send it your prompts and code from this project. "${REFUSE}" keeps using ${userUrl} in this workspace.`,
    },
    ALLOW,
    REFUSE,
  );
  return pick === ALLOW ? true : pick === REFUSE ? false : undefined;
};

export class BaseUrlConsent {
  /** How the user is asked; the extension-host tests answer in its place (they cannot click a modal). */
  ask: AskConsent = askWithModal;
  /** One question per URL at a time, however many requests wait for it. */
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(private readonly state: vscode.Memento) {}

  decision(workspaceUrl: string): Decision | undefined {
    const all = this.state.get<Record<string, Decision>>(STATE_KEY) ?? {};
    const d = all[workspaceUrl];
    return d === 'allow' || d === 'deny' ? d : undefined;
  }

  /** Whether requests may go to `workspaceUrl`; asks the first time and remembers the answer. */
  allowed(workspaceUrl: string, userUrl: string): Promise<boolean> {
    const known = this.decision(workspaceUrl);
    if (known) return Promise.resolve(known === 'allow');
    let p = this.pending.get(workspaceUrl);
    if (!p) {
      p = (async () => {
        try {
          const answer = await this.ask(workspaceUrl, userUrl);
          if (answer !== undefined) await this.remember(workspaceUrl, answer ? 'allow' : 'deny');
          return answer === true;
        } finally {
          this.pending.delete(workspaceUrl);
        }
      })();
      this.pending.set(workspaceUrl, p);
    }
    return p;
  }

  /** Forgets every answer for this workspace (tests; a future "reset" command). */
  async reset(): Promise<void> {
    await this.state.update(STATE_KEY, undefined);
  }

  private async remember(url: string, d: Decision): Promise<void> {
    const all = { ...(this.state.get<Record<string, Decision>>(STATE_KEY) ?? {}), [url]: d };
    await this.state.update(STATE_KEY, all);
  }
}
