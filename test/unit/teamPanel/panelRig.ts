import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { NodeProjectFs } from '../../../src/core/projectFs';
import type { Proposal } from '../../../src/domain';
import { createModelClient } from '../../../src/llm/client';
import { resolveLlmConfig } from '../../../src/llm/config';
import { applyOnDisk, ProposalBook, resolveInsideRoot } from '../../../src/proposals';
import type { HostMessage, TaskCommitSummary, TaskGit } from '../../../src/protocol';
import { openStore, type NocodoStore } from '../../../src/store';
import { TeamPanelController, type PanelAcceptOutcome, type PanelGit, type PanelProposals, type TeamPanelOptions } from '../../../src/teamPanel';
import type { ModelServer } from '../../fixtures/model-server/server.mjs';
import { makeShopProject } from '../agents/project';

/**
 * The panel's proposals without an editor: the real proposal book in the store, accepted onto
 * the files on disk (all or nothing), undone by writing each file's original text back. What only
 * an editor can show (a diff, a review notice) is recorded.
 */
export class DiskProposals implements PanelProposals {
  readonly book: ProposalBook;
  readonly presented: string[] = [];
  readonly diffsOpened: string[] = [];

  constructor(store: NocodoStore) {
    this.book = new ProposalBook(store, () => {
      throw new Error('no decision recorder: the controller plugs the team in');
    });
  }
  list(): Proposal[] {
    return this.book.pending();
  }
  get(id: string): Proposal | undefined {
    return this.book.get(id);
  }
  async present(id: string): Promise<void> {
    this.presented.push(id);
  }
  async openDiff(id: string): Promise<boolean> {
    if (!this.book.get(id)) return false;
    this.diffsOpened.push(id);
    return true;
  }
  async accept(id: string): Promise<PanelAcceptOutcome> {
    const p = this.book.get(id);
    if (!p || p.status !== 'pending') return { status: 'refused', problems: [p ? `This proposal was already ${p.status}.` : `There is no proposal ${id}.`] };
    const out = await applyOnDisk(p.changeSet, p.root);
    if (out.status === 'applied') this.book.decide(id, 'accepted');
    return out.status === 'reanchored' ? { status: 'reanchored', files: out.files } : out;
  }
  async reject(id: string, reason?: string): Promise<unknown> {
    return this.book.decide(id, 'rejected', reason);
  }
  async undo(id: string): Promise<{ status: 'undone' } | { status: 'refused'; problems: string[] }> {
    const p = this.book.get(id);
    if (p?.status !== 'accepted') return { status: 'refused', problems: ['Only an accepted proposal can be undone.'] };
    for (const f of p.changeSet.files) {
      const abs = await resolveInsideRoot(p.root, f.path);
      if (!abs.ok) return { status: 'refused', problems: [abs.reason] };
      if (f.original === null) await fsp.rm(abs.abs, { force: true });
      else await fsp.writeFile(abs.abs, f.original);
    }
    return { status: 'undone' };
  }
  setDecisionRecorder(recorder: Parameters<PanelProposals['setDecisionRecorder']>[0]): void {
    this.book.setDecisionRecorder(recorder);
  }
  onDidChange(listener: () => void) {
    return this.book.onChange(listener);
  }
}

/** Git for the board as a record of what was asked, with one commit per task it is told about. */
export class RecordedGit implements PanelGit {
  readonly calls: string[] = [];
  readonly commits = new Map<string, TaskCommitSummary>();
  async taskGit(taskId: string): Promise<TaskGit | undefined> {
    const c = this.commits.get(taskId);
    return c ? { commits: [c], canRevert: true, branch: `nocodo/${taskId}` } : undefined;
  }
  async runCommit(): Promise<TaskCommitSummary | undefined> {
    return undefined;
  }
  async openTaskCommitDiff(taskId: string, hash: string, file: string): Promise<boolean> {
    this.calls.push(`diff ${taskId} ${hash} ${file}`);
    return this.commits.get(taskId)?.hash === hash;
  }
  async revert(taskId: string): Promise<void> {
    this.calls.push(`revert ${taskId}`);
  }
  async finish(taskId: string): Promise<void> {
    this.calls.push(`finish ${taskId}`);
  }
}

export interface PanelRig {
  panel: TeamPanelController;
  store: NocodoStore;
  proposals: DiskProposals;
  posted: HostMessage[];
  logs: string[];
  memory: Map<string, unknown>;
  view: { visible: boolean };
  projectRoot: string;
  /** Sends a request and returns its reply. */
  ask(type: string, body?: Record<string, unknown>): Promise<Extract<HostMessage, { type: 'reply' }>>;
  /** The next `state` push after now. */
  nextState(): Promise<Extract<HostMessage, { type: 'state' }>['state']>;
  close(): Promise<void>;
}

let seq = 0;

export async function makePanelRig(server: ModelServer, over: { store?: NocodoStore; memory?: Map<string, unknown> } & Partial<Pick<TeamPanelOptions, 'log'>> = {}): Promise<PanelRig> {
  const store = over.store ?? (await openStore({ file: ':memory:' }));
  const projectRoot = makeShopProject();
  const cfg = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
  cfg.timeouts = { connectMs: 5_000, firstTokenMs: 20_000, idleMs: 20_000, totalMs: 120_000 };
  const client = createModelClient({ config: cfg, retryDelayMs: 10 });
  const posted: HostMessage[] = [];
  const logs: string[] = [];
  const memory = over.memory ?? new Map<string, unknown>();
  const view = { visible: true };
  const proposals = new DiskProposals(store);
  const stateWaiters: ((s: Extract<HostMessage, { type: 'state' }>['state']) => void)[] = [];
  const panel = new TeamPanelController({
    store,
    team: { client, project: new NodeProjectFs(projectRoot), settings: { maxQuestionRounds: 3, autoRun: false } },
    proposals,
    view: {
      post: (m) => {
        posted.push(m);
        if (m.type === 'state') for (const w of stateWaiters.splice(0)) w(m.state);
      },
      get visible() {
        return view.visible;
      },
    },
    memory: { get: (k) => memory.get(k), update: async (k, v) => void memory.set(k, v) },
    log: over.log ?? {
      debug: (t) => logs.push(`debug ${t}`),
      info: (t) => logs.push(`info ${t}`),
      warn: (t, e) => logs.push(`warn ${t}${e ? ` ${String(e)}` : ''}`),
      error: (t, e) => logs.push(`error ${t}${e ? ` ${String(e)}` : ''}`),
    },
    pushDelayMs: 0,
  });
  return {
    panel,
    store,
    proposals,
    posted,
    logs,
    memory,
    view,
    projectRoot,
    async ask(type, body = {}) {
      const id = `r${++seq}`;
      await panel.handle({ type, id, ...body });
      const reply = posted.find((m): m is Extract<HostMessage, { type: 'reply' }> => m.type === 'reply' && m.id === id);
      if (!reply) throw new Error(`no reply to ${type} ${id}`);
      return reply;
    },
    nextState: () => new Promise((resolve) => stateWaiters.push(resolve)),
    async close() {
      panel.dispose();
      await store.close();
    },
  };
}

export const fileOf = (root: string, rel: string) => fsp.readFile(path.join(root, rel), 'utf8');
