import * as vscode from 'vscode';
import type { NocodoStore } from '../../store';
import type { NocodoContext } from '../ctx';
import type { ProposalService } from '../proposals';
import { GitFeature } from './gitFeature';
import { GIT_SCHEME, GitDocuments } from './gitDocuments';
import { GitTaskCommands } from './taskCommands';
import { GitHostTokens } from './tokens';

export { GitFeature } from './gitFeature';
export { GitTaskCommands } from './taskCommands';

export interface GitIntegration {
  feature: GitFeature;
  commands: GitTaskCommands;
}

/** Git in the editor: commit on accept, task branches, task history/revert/finish, and the diff documents they show. */
export function registerGit(ctx: NocodoContext, store: NocodoStore, proposals: ProposalService): GitIntegration {
  const feature = ctx.own(new GitFeature(ctx, store));
  const docs = new GitDocuments((root) => feature.repoAt(root));
  const commands = new GitTaskCommands(feature, store, docs, new GitHostTokens(ctx.ext.secrets), () => ctx.workspaceRoot?.fsPath);
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(GIT_SCHEME, docs));
  for (const d of commands.register()) ctx.own(d);
  ctx.own(proposals.onDidAccept((change) => void feature.commitAccepted(change)));
  ctx.own(proposals.onDidUndo(({ proposal, files }) => void feature.commitUndo(proposal, files)));
  return { feature, commands };
}
