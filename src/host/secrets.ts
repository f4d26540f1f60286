import * as vscode from 'vscode';
import { notice } from './notice';

/**
 * API keys live only in SecretStorage, one per server origin, so a key for a remote vLLM host is
 * never sent to the local llama-server and never written to settings or run records.
 */
const keyFor = (baseUrl: string): string => {
  try {
    return `nocodo.apiKey:${new URL(baseUrl).origin}`;
  } catch {
    return `nocodo.apiKey:${baseUrl}`;
  }
};

export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(baseUrl: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(keyFor(baseUrl)));
  }

  async promptAndStore(baseUrls: readonly string[]): Promise<void> {
    const unique = [...new Set(baseUrls)];
    const baseUrl =
      unique.length === 1
        ? unique[0]
        : (await vscode.window.showQuickPick(unique, { title: 'nocodo: Set API Key', placeHolder: 'Which model server is the key for?' }));
    if (!baseUrl) return;
    const key = await vscode.window.showInputBox({
      title: `API key for ${baseUrl}`,
      prompt: 'Stored in VS Code SecretStorage. Leave empty to remove the key.',
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return;
    if (key.trim() === '') {
      await this.secrets.delete(keyFor(baseUrl));
      void notice.info(`removed the API key for ${baseUrl}.`);
    } else {
      await this.secrets.store(keyFor(baseUrl), key.trim());
      void notice.info(`saved the API key for ${baseUrl}.`);
    }
  }
}
