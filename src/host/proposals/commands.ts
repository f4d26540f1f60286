import * as vscode from 'vscode';
import type { Proposal } from '../../domain';
import { ProposalInputError } from '../../proposals';
import { toProposalSummary } from '../../protocol/board';
import { notice } from '../notice';
import { askRejectionReason, modeTitle, type ProposalService, type ProposeMeta } from './service';
import { parseProposalUri } from './uris';
import { PROPOSE_CHANGE_SET_COMMAND } from './commandIds';

/**
 * The proposal commands. Their first argument depends on where they were invoked from:
 * - editor title bar / keybinding: the URI of the active editor (the proposed document) or nothing;
 * - the sidebar, tests and other extensions: a proposal id, or `{ proposalId, reason? }`.
 * Without an id the active proposal is used, else the only pending one, else a quick pick.
 */

interface TargetArg {
  proposalId?: unknown;
  reason?: unknown;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

async function pickPending(service: ProposalService, title: string): Promise<string | undefined> {
  const pending = service.list();
  if (pending.length === 0) {
    void notice.info('no proposed change is waiting for review.');
    return undefined;
  }
  if (pending.length === 1) return pending[0]!.id;
  const pick = await vscode.window.showQuickPick(
    pending
      .slice()
      .reverse()
      .map((p) => describe(p)),
    { title, placeHolder: 'Which proposed change?' },
  );
  return pick?.id;
}

function describe(p: Proposal): vscode.QuickPickItem & { id: string } {
  const s = toProposalSummary(p);
  const added = s.files.reduce((n, f) => n + f.added, 0);
  const removed = s.files.reduce((n, f) => n + f.removed, 0);
  return {
    id: p.id,
    label: p.changeSet.summary || modeTitle(p.changeSet.mode),
    description: `${modeTitle(p.changeSet.mode)} · +${added} −${removed}`,
    detail: `${s.files.map((f) => f.path).join(', ')} · ${new Date(p.createdAt).toLocaleString()}`,
  };
}

async function resolveTarget(service: ProposalService, arg: unknown, title: string): Promise<string | undefined> {
  if (typeof arg === 'string' && arg) return arg;
  if (arg instanceof vscode.Uri) {
    const ref = parseProposalUri(arg);
    if (ref) return ref.proposalId;
  }
  if (isObject(arg) && typeof (arg as TargetArg).proposalId === 'string') return (arg as TargetArg).proposalId as string;
  return service.activeProposalId() ?? (await pickPending(service, title));
}

/** Not in the palette: how tests and other extensions hand nocodo a change set to propose. */
export { PROPOSE_CHANGE_SET_COMMAND };

export function registerProposalCommands(service: ProposalService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('nocodo.acceptProposal', async (arg?: unknown) => {
      const id = await resolveTarget(service, arg, 'nocodo: Accept Proposed Change');
      return id ? service.accept(id) : undefined;
    }),

    vscode.commands.registerCommand('nocodo.rejectProposal', async (arg?: unknown) => {
      const id = await resolveTarget(service, arg, 'nocodo: Reject Proposed Change');
      if (!id) return undefined;
      // A caller that passes `reason` (even '') has asked already; everyone else gets the input box.
      const given = isObject(arg) && 'reason' in arg ? (arg as TargetArg).reason : undefined;
      const reason = typeof given === 'string' ? given : await askRejectionReason();
      if (reason === undefined) return undefined;
      return service.rejectWithMessage(id, reason);
    }),

    /** Puts back every file of an accepted proposal (the newest when several and none is named, after asking). */
    vscode.commands.registerCommand('nocodo.undoProposal', async (arg?: unknown) => {
      let id = typeof arg === 'string' ? arg : isObject(arg) && typeof arg.proposalId === 'string' ? arg.proposalId : undefined;
      if (!id) {
        const accepted = service.accepted();
        if (accepted.length === 0) {
          void notice.info('no accepted proposal to undo.');
          return undefined;
        }
        id = (await vscode.window.showQuickPick(accepted.map(describe), { title: 'nocodo: Undo an Accepted Proposal', placeHolder: 'Which change should be put back?' }))?.id;
      }
      return id ? service.undoWithMessage(id) : undefined;
    }),

    vscode.commands.registerCommand('nocodo.reviewProposals', async () => {
      const id = service.activeProposalId() ?? (await pickPending(service, 'nocodo: Review Proposed Changes'));
      if (!id) return;
      const p = service.get(id);
      if (p && p.changeSet.files.length > 1) await service.pickFile(id);
      else await service.openDiff(id);
    }),

    vscode.commands.registerCommand('nocodo.reviewProposalFiles', async (arg?: unknown) => {
      const id = await resolveTarget(service, arg, 'nocodo: Review Files');
      if (!id) return;
      // `{ proposalId, file }` opens that file's diff directly (the sidebar's file list does this).
      const file = isObject(arg) && typeof arg.file === 'string' ? arg.file : undefined;
      if (file) await service.openDiff(id, file);
      else await service.pickFile(id);
    }),

    /**
     * For integrations (and the extension-host tests): `{ changeSet, root?, runId?, taskId?, reveal? }`.
     * The change set is validated (zod and path safety) before anything is stored.
     */
    vscode.commands.registerCommand(PROPOSE_CHANGE_SET_COMMAND, async (arg?: unknown) => {
      if (!isObject(arg)) throw new ProposalInputError(['nocodo.proposeChangeSet expects { changeSet, root? }.']);
      const root = typeof arg.root === 'string' ? arg.root : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (!root) throw new ProposalInputError(['Open a project folder first.']);
      const meta: ProposeMeta = { root, ...(typeof arg.runId === 'string' ? { runId: arg.runId } : {}), ...(typeof arg.taskId === 'string' ? { taskId: arg.taskId } : {}) };
      return service.propose(arg.changeSet as never, meta, { reveal: arg.reveal !== false });
    }),
  ];
}
