// Issue #14: a cloned repository whose `.vscode/settings.json` is hostile, in a real extension host
// with workspace trust ON. The runner (test/exthost/run.mjs, hostileSession) gives this suite a
// session of its own: a copy of the bakery whose workspace settings name
//   - a script of the repository as `nocodo.rustfmt.path` (it appends to a marker file when run),
//   - a listener as `nocodo.llm.baseUrl` (a fixture model server logging every request it gets),
//   - `nocodo.team.autoRun: true`;
// and the folder opens in Restricted Mode. Halfway, the suite trusts the workspace the way a user
// does (the Workspace Trust editor's "Trust" button, which the runner clicks).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Proposal } from '../../../src/domain';
import type { ModelServer } from '../../fixtures/model-server/server.mjs';
import { fixtureScript, nocodoApi, nocodoExtension, setUserSetting, startFixtureServer, waitFor } from './helpers';

interface Hostile {
  rustfmt: string;
  marker: string;
  requestLog: string;
  baseUrl: string;
}

const hostile = (): Hostile => {
  const raw = process.env.NOCODO_HOSTILE;
  assert.ok(raw, 'the runner describes the hostile workspace in NOCODO_HOSTILE');
  return JSON.parse(raw) as Hostile;
};

/** Requests the workspace's listener received so far (it logs each one as it arrives). */
const requestsToWorkspaceServer = (): Array<{ method: string; path: string }> =>
  readFileSync(hostile().requestLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { method: string; path: string });

const rustfmtRan = (): boolean => existsSync(hostile().marker);

const root = (): string => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens the hostile copy of the bakery as a folder');
  return folder.uri.fsPath;
};

/** A Diesel function for Product: the mode formats it with rustfmt (when it may run one). */
async function generateFunction(): Promise<Proposal> {
  const file = vscode.Uri.file(join(root(), 'src', 'models', 'product.rs'));
  const p = await vscode.commands.executeCommand<Proposal | undefined>('nocodo.generateDieselFunction', { file, struct: 'Product', request: 'list the products cheaper than a given price' });
  assert.ok(p, 'the generation produced a proposal');
  assert.match(p.changeSet.files.map((f) => f.proposed).join('\n'), /pub fn cheaper_than/);
  await vscode.commands.executeCommand('nocodo.rejectProposal', { proposalId: p.id, reason: 'test cleanup' });
  return p;
}

describe('hostile workspace settings (workspace trust on)', () => {
  /** The user's own model server (user settings), answering from the same script. */
  let users: ModelServer;
  const asked: Array<{ url: string; requestsBefore: number }> = [];

  before(async () => {
    await waitFor('nocodo to activate', () => nocodoExtension().isActive, 60_000);
    const api = await nocodoApi();
    // A modal cannot be clicked from here: the question is answered in its place, and recorded.
    api.models.consent.ask = async (url) => {
      asked.push({ url, requestsBefore: requestsToWorkspaceServer().length });
      return true;
    };
    users = await startFixtureServer({ script: fixtureScript('cheaper-than.json') });
  });
  after(async () => {
    await users?.close();
  });

  describe('in Restricted Mode', () => {
    it('the folder is not trusted, and nocodo is active in it', () => {
      assert.equal(vscode.workspace.isTrusted, false, 'workspace trust is on and this folder is not trusted');
      assert.ok(nocodoExtension().isActive);
    });

    it('ignores the workspace’s rustfmt, model server and auto-run', async () => {
      const api = await nocodoApi();
      assert.equal(api.rustfmt(), false, 'no program runs in Restricted Mode, not even rustfmt');
      for (const role of Object.values(api.models.config.roles)) assert.notEqual(role.baseUrl, hostile().baseUrl, `${role.role} must not use the workspace's server`);
      assert.equal(api.panel.team.settings().autoRun, false, 'auto-run stays off');
    });

    it('a generation spawns nothing and sends nothing to the workspace’s server', async () => {
      const api = await nocodoApi();
      await setUserSetting('nocodo.llm', 'baseUrl', users.baseUrl, () => api.models.config.roles.rustEngineer.baseUrl === users.baseUrl);
      const state = await vscode.commands.executeCommand<{ kind: string }>('nocodo.checkModelServer');
      assert.equal(state?.kind, 'ready', 'the user’s own server answers');
      const p = await generateFunction();
      assert.equal(users.chatRequests().length, 1, 'the model call went to the user’s server');
      assert.ok(p.runId);
      assert.equal(rustfmtRan(), false, 'the workspace’s rustfmt script never ran');
      assert.deepEqual(requestsToWorkspaceServer(), [], 'the workspace’s listener received nothing (not even a health check)');
      assert.deepEqual(asked, [], 'nothing to ask: the workspace’s server is not even considered');
    });
  });

  describe('once the user trusts the workspace', () => {
    before(async function () {
      this.timeout(120_000);
      const api = await nocodoApi();
      // The Workspace Trust editor: the runner clicks its "Trust" button.
      await vscode.commands.executeCommand('workbench.trust.manage');
      await waitFor('the workspace to be trusted', () => vscode.workspace.isTrusted, 90_000);
      await waitFor('the workspace’s model server to be taken into account', () => api.models.config.roles.rustEngineer.baseUrl === hostile().baseUrl, 30_000);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('still never takes a program from the workspace: its machine-scoped rustfmt path is ignored', async () => {
      const rustfmt = (await nocodoApi()).rustfmt();
      assert.notEqual(rustfmt, false, 'trusted: the user’s own rustfmt may run again');
      assert.notEqual(rustfmt && rustfmt.path, hostile().rustfmt);
      const inspected = vscode.workspace.getConfiguration('nocodo.rustfmt').inspect<string>('path');
      assert.equal(inspected?.workspaceValue, undefined, 'VS Code itself drops a machine-scoped value from workspace settings');
    });

    it('probes the workspace’s server only after asking; the first request waits for the answer', async () => {
      const api = await nocodoApi();
      // The background probe ran against the new server and sent nothing: it says it will ask.
      await waitFor(
        'the status to say nocodo asks first',
        () => {
          const s = api.models.lastState;
          if (s && 'detail' in s && /asks you before/.test(s.detail)) return true;
          throw new Error(`the status is ${JSON.stringify(s)}`);
        },
        30_000,
      );
      assert.deepEqual(requestsToWorkspaceServer(), [], 'nothing reached the workspace’s server before the question');
      assert.deepEqual(asked, []);

      const state = await vscode.commands.executeCommand<{ kind: string }>('nocodo.checkModelServer');
      assert.deepEqual(asked, [{ url: hostile().baseUrl, requestsBefore: 0 }], 'asked once, before any request');
      assert.equal(state?.kind, 'ready', 'allowed: the workspace’s server is used');
      assert.ok(requestsToWorkspaceServer().length > 0, 'the workspace’s server is reached after the answer');
    });

    it('remembers the answer, generates with the workspace’s server, and never runs its rustfmt', async () => {
      const before = users.chatRequests().length;
      await generateFunction();
      assert.equal(asked.length, 1, 'not asked a second time in this workspace');
      assert.ok(
        requestsToWorkspaceServer().some((r) => r.path.endsWith('/chat/completions')),
        'the model call went to the allowed workspace server',
      );
      assert.equal(users.chatRequests().length, before, 'not to the user’s');
      assert.equal(rustfmtRan(), false, 'the workspace’s rustfmt script never ran');
    });

    it('takes the workspace’s auto-run setting once trusted (restrictedConfigurations)', async () => {
      const api = await nocodoApi();
      assert.equal(api.panel.team.settings().autoRun, true);
    });

    it('the rustfmt probe is real: the script leaves its marker when it does run', () => {
      assert.equal(rustfmtRan(), false);
      const out = execFileSync(hostile().rustfmt, ['--edition', '2021', '--emit', 'stdout'], { input: 'fn main() {}\n', encoding: 'utf8' });
      assert.equal(out, 'fn main() {}\n');
      assert.equal(rustfmtRan(), true);
    });
  });
});
