import * as vscode from 'vscode';

/** Git host tokens live only in SecretStorage, one per host, never in settings or run records. */
const keyFor = (host: string): string => `nocodo.gitToken:${host.toLowerCase()}`;

export class GitHostTokens {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(host: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(keyFor(host)));
  }

  /** Asks for a token for `host` (empty removes it). Resolves the stored token, or undefined. */
  async prompt(host: string, kind: 'github' | 'gitlab'): Promise<string | undefined> {
    const token = await vscode.window.showInputBox({
      title: `nocodo: ${kind === 'github' ? 'GitHub' : 'GitLab'} token for ${host}`,
      prompt:
        kind === 'github'
          ? 'A token that may create pull requests (fine-grained: "Pull requests: read and write"). Stored in VS Code SecretStorage. Empty removes it.'
          : 'A personal access token with the "api" scope. Stored in VS Code SecretStorage. Empty removes it.',
      password: true,
      ignoreFocusOut: true,
    });
    if (token === undefined) return undefined;
    if (!token.trim()) {
      await this.secrets.delete(keyFor(host));
      return undefined;
    }
    await this.secrets.store(keyFor(host), token.trim());
    return token.trim();
  }
}
