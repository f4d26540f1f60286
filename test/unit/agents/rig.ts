import * as path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { getMode as modeLookup } from '../../../modes';
import { NodeProjectFs } from '../../../src/core/projectFs';
import type { ActorRole } from '../../../src/domain';
import { createModelClient } from '../../../src/llm/client';
import { resolveLlmConfig } from '../../../src/llm/config';
import type { ModelClient } from '../../../src/llm/types';
import { openStore } from '../../../src/store';
import type { NocodoStore } from '../../../src/store';
import { Team, type TeamChange, type TeamOptions } from '../../../src/agents/team';
import type { ModeLookup } from '../../../src/agents/dispatcher';
import { startModelServer, type ModelServer, type Rule } from '../../fixtures/model-server/server.mjs';
import { cleanupDirs, makeShopProject, tempDir } from './project';

// Markers in the agents' system prompts (prompts/team/…) the fixture script matches on.
export const PO = 'You are the Product Owner of a small team';
export const SUMMARY = 'Write the product summary';
export const PM = 'You are the Project Manager';
export const EM = 'You are the Engineering Manager';
/** The last user message of the client's one re-ask after an invalid structured answer. */
export const REASK = 'is not valid';

export const j = (v: unknown) => JSON.stringify(v);
export const reply = (value: unknown) => ({ content: j(value) });

export function rule(system: string, content: string, extra: Partial<Rule['match']> = {}, times = 1): Rule {
  return { match: { system, ...extra }, times, reply: { content } };
}

export interface Rig {
  server: ModelServer;
  store: NocodoStore;
  client: ModelClient;
  /** Database file (reopened by `restart`). */
  file: string;
  projectRoot: string;
  team: Team;
  deltas: [ActorRole, string][];
  changes: TeamChange[];
  errors: unknown[];
  /** Closes the store and opens the same file with a new Team, as after reloading the editor. */
  restart(over?: Partial<TeamOptions>): Promise<Team>;
  close(): Promise<void>;
}

export async function makeRig(server: ModelServer, getMode: ModeLookup, over: Partial<TeamOptions> = {}): Promise<Rig> {
  const file = path.join(tempDir(), 'nocodo.sqlite');
  const projectRoot = makeShopProject();
  const cfg = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
  cfg.timeouts = { connectMs: 5_000, firstTokenMs: 20_000, idleMs: 20_000, totalMs: 120_000 };
  const client = createModelClient({ config: cfg, retryDelayMs: 10 });
  const deltas: [ActorRole, string][] = [];
  const changes: TeamChange[] = [];
  const errors: unknown[] = [];
  const make = (store: NocodoStore, extra: Partial<TeamOptions>) => {
    const team = new Team({
      store,
      client,
      project: new NodeProjectFs(projectRoot),
      getMode,
      settings: { maxQuestionRounds: 3 },
      onDelta: (a, t) => deltas.push([a, t]),
      onError: (e) => errors.push(e),
      ...over,
      ...extra,
    });
    team.onChange((c) => changes.push(c));
    return team;
  };
  const rig: Rig = {
    server,
    store: await openStore({ file, saveDelayMs: 10 }),
    client,
    file,
    projectRoot,
    team: undefined as unknown as Team,
    deltas,
    changes,
    errors,
    async restart(extra = {}) {
      const sessionId = rig.team.sessionId;
      rig.team.dispose();
      await rig.store.close();
      rig.store = await openStore({ file, saveDelayMs: 10 });
      rig.team = make(rig.store, { ...(sessionId ? { sessionId } : {}), ...extra });
      return rig.team;
    },
    async close() {
      rig.team.dispose();
      await rig.store.close();
    },
  };
  rig.team = make(rig.store, {});
  return rig;
}

/** Polls until `cond` holds; fails after `ms` instead of hanging the test. */
export async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('waitFor: the condition never held');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Answers the open round of questions with each question's first (recommended) option. */
export async function answerRecommended(r: Rig): Promise<void> {
  const msg = r.team.messages().find((m) => m.questions?.length)!;
  await r.team.answer(
    msg.id,
    msg.questions!.map((q) => ({ questionId: q.id, selected: [q.options[0]!.id] })),
  );
}

export interface TeamTestEnv {
  /** The file's fixture model server (started in `beforeAll`). */
  readonly server: ModelServer;
  /** A rig over the real modes, closed after the test. */
  makeRig(over?: Partial<TeamOptions>): Promise<Rig>;
}

/**
 * Registers the hooks every Team test file shares: one fixture model server for the file and, after
 * each test, its rig closed, the server's script and request log cleared and the temp projects removed.
 */
export function useTeamTestEnv(): TeamTestEnv {
  let server: ModelServer | undefined;
  let open: Rig | undefined;
  beforeAll(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    const rig = open;
    open = undefined;
    await rig?.close();
    server?.setScript([]);
    server?.requests.splice(0);
    cleanupDirs();
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('The model server starts in beforeAll; use it inside a test.');
      return server;
    },
    async makeRig(over = {}) {
      open = await makeRig(this.server, modeLookup, over);
      return open;
    },
  };
}
