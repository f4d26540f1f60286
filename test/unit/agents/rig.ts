import * as path from 'node:path';
import { NodeProjectFs } from '../../../src/core/projectFs';
import type { ActorRole } from '../../../src/domain';
import { createModelClient } from '../../../src/llm/client';
import { resolveLlmConfig } from '../../../src/llm/config';
import type { ModelClient } from '../../../src/llm/types';
import { openStore } from '../../../src/store';
import type { NocodoStore } from '../../../src/store';
import { Team, type TeamChange, type TeamOptions } from '../../../src/agents/team';
import type { ModeLookup } from '../../../src/agents/dispatcher';
import type { ModelServer, Rule } from '../../fixtures/model-server/server.mjs';
import { makeShopProject, tempDir } from './project';

// Markers in the agents' system prompts (prompts/team/…) the fixture script matches on.
export const PO = 'You are the Product Owner of a small team';
export const SUMMARY = 'Write the product summary';
export const PM = 'You are the Project Manager';
export const EM = 'You are the Engineering Manager';
/** The last user message of the client's one re-ask after an invalid structured answer. */
export const REASK = 'is not valid';

export const reply = (value: unknown) => ({ content: JSON.stringify(value) });

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
  cfg.timeouts = { connectMs: 5_000, firstTokenMs: 20_000, idleMs: 20_000 };
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
