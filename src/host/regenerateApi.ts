import * as vscode from 'vscode';
import type { Proposal } from '../domain';
import { generateApiFiles } from '../frontend';
import { log } from './log';
import { notice } from './notice';
import type { ProposalService } from './proposals/service';
import { projectFiles } from './projectFiles';
import { workspaceProjectFs } from './workspaceFs';

export const REGENERATE_API_COMMAND = 'nocodo.regenerateApi';

/**
 * "nocodo: Regenerate API Types and Client": the frontend's `src/api/types.ts` and `client.ts`
 * computed again from the Actix routes and serde types (no model), offered as a proposal like any
 * other change. Running it on an up-to-date project proposes nothing and says so.
 */
export class RegenerateApiFeature implements vscode.Disposable {
  private readonly sub: vscode.Disposable;

  constructor(private readonly proposals: ProposalService) {
    this.sub = vscode.commands.registerCommand(REGENERATE_API_COMMAND, () => this.run());
  }

  /** Resolves to the proposal, or undefined when nothing was proposed. */
  async run(): Promise<Proposal | undefined> {
    const folder = this.folder();
    if (!folder) {
      void notice.error('Open your app\'s folder first: the API types are generated from its Rust backend.');
      return undefined;
    }
    const root = folder.uri.fsPath;
    try {
      const api = await generateApiFiles(workspaceProjectFs(root, projectFiles));
      for (const d of api.diagnostics) log().info(`regenerate API: ${d.message}`);
      if (!api.endpoints.length) {
        void notice.error('No Actix routes were found in this project, so there is no API to describe. Add a handler first (nocodo: Generate Actix Handler…).');
        return undefined;
      }
      const unmapped = api.unmapped.length ? ` ${api.unmapped.length} Rust type${api.unmapped.length > 1 ? 's' : ''} became \`unknown\`: ${api.unmapped.map((u) => `${u.rust} (${u.where})`).join(', ')}.` : '';
      if (!api.changeSet.files.length) {
        void notice.info(`The API types and client are up to date (${api.endpoints.length} routes).${unmapped}`);
        return undefined;
      }
      const proposal = await this.proposals.propose(api.changeSet, { root });
      if (unmapped) void notice.warn(`Regenerate API Types and Client:${unmapped}`);
      return proposal;
    } catch (e) {
      log().error('regenerating the API types and client failed', e);
      void notice.error(`Regenerate API Types and Client: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** The folder of the active file, else the first workspace folder (local files only). */
  private folder(): vscode.WorkspaceFolder | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) || vscode.workspace.workspaceFolders?.[0];
    return folder?.uri.scheme === 'file' ? folder : undefined;
  }

  dispose(): void {
    this.sub.dispose();
  }
}
