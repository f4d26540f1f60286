import { CompileCheckFeature } from '../compileCheck';
import * as vscode from 'vscode';
import { decideProposal } from '../../agents';
import { ProposalBook } from '../../proposals';
import type { NocodoStore } from '../../store';
import type { NocodoContext } from '../ctx';
import { GenerateFeature } from '../generate';
import { RegenerateApiFeature } from '../regenerateApi';
import type { ModelServerFeature } from '../modelServer';
import { registerProposalCommands } from './commands';
import { ProposalContentProvider } from './contentProvider';
import { ProposalIndicators } from './indicators';
import { RunLog } from './runLog';
import { ProposalService } from './service';
import { PROPOSAL_SCHEME, RUN_SCHEME } from './uris';
import { notice } from '../notice';

export { ProposalService, type AcceptOutcome, type ProposeMeta } from './service';

export interface ProposalsFeature extends vscode.Disposable {
  /** accept / reject / openDiff / propose / list — what the sidebar router and the team call. */
  readonly service: ProposalService;
  readonly generate: GenerateFeature;
  readonly runs: RunLog;
  /** The `cargo check` step for mode runs (the team's runs use it too). */
  readonly compile: CompileCheckFeature;
}

/**
 * Proposed changes and the right-click generate flow: the `nocodo-proposal` documents, the
 * accept/reject/review commands, context keys, the pending-count status item, the Generate…
 * commands, "Regenerate API Types and Client" and "Show Last Run". Pending proposals come from the store, so they survive a reload.
 */
export function registerProposals(ctx: NocodoContext, deps: { models: ModelServerFeature; store: NocodoStore }): ProposalsFeature {
  // Until the team panel plugs in the Team's recorder: the decision with the task's bookkeeping.
  const book = new ProposalBook(deps.store, (id, decision, reason) => {
    decideProposal(deps.store, id, decision, reason);
  });
  const content = new ProposalContentProvider(book);
  const service = new ProposalService(book, content);
  const runs = new RunLog(deps.store);
  const compile = new CompileCheckFeature(ctx.ext.globalStorageUri);
  const generate = new GenerateFeature(deps.models, service, runs, compile);
  const regenerateApi = new RegenerateApiFeature(service);
  const indicators = new ProposalIndicators(service);
  const disposables: vscode.Disposable[] = [
    compile,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, content),
    vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, runs),
    ...registerProposalCommands(service),
    vscode.commands.registerCommand('nocodo.showLastRun', () => runs.showLast()),
    indicators,
    generate,
    regenerateApi,
    runs,
    service,
    content,
  ];

  const pending = service.list().length;
  if (pending > 0) {
    ctx.log.info(`${pending} proposal(s) pending from an earlier session`);
    void notice.info(`${pending} proposed change${pending > 1 ? 's are' : ' is'} waiting for your review.`, 'Review').then((pick) => {
      if (pick) void vscode.commands.executeCommand('nocodo.reviewProposals');
    });
  }

  return {
    service,
    generate,
    runs,
    compile,
    dispose: () => {
      for (const d of disposables.reverse()) d.dispose();
    },
  };
}
