import * as vscode from 'vscode';

/**
 * URIs of the read-only documents nocodo shows. The manifest's editor/title menus and keybindings
 * key on `resourceScheme == nocodo-proposal`, so the proposed side of every diff uses it; the
 * path ends with the file's own path so the editor picks the right language.
 */
export const PROPOSAL_SCHEME = 'nocodo-proposal';
export const RUN_SCHEME = 'nocodo-run';

/** `proposed`: the proposed file; `empty`: the left side of a diff for a new file. */
export type ProposalSide = 'proposed' | 'empty';

export interface ProposalRef {
  proposalId: string;
  path: string;
  side: ProposalSide;
}

export function proposalUri(proposalId: string, path: string, side: ProposalSide): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${path}`, query: new URLSearchParams({ id: proposalId, side }).toString() });
}

export function parseProposalUri(uri: vscode.Uri): ProposalRef | undefined {
  if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
  const q = new URLSearchParams(uri.query);
  const proposalId = q.get('id');
  const side = q.get('side');
  if (!proposalId || (side !== 'proposed' && side !== 'empty')) return undefined;
  return { proposalId, path: uri.path.replace(/^\//, ''), side };
}

export function runUri(runId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/${runId}.md` });
}

/** The proposal shown by a tab, whether it is the diff or the proposed document alone. */
export function proposalOfTab(tab: vscode.Tab | undefined): ProposalRef | undefined {
  const input = tab?.input;
  if (input instanceof vscode.TabInputTextDiff) return parseProposalUri(input.modified) ?? parseProposalUri(input.original);
  if (input instanceof vscode.TabInputText) return parseProposalUri(input.uri);
  return undefined;
}
