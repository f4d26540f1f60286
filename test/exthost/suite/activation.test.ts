// nocodo inside a real VS Code extension host (code-server), on a copy of the bakery sample.
// The runner (test/exthost/run.mjs) starts the fixture model server and passes its URL as
// LLAMA_CPP_BASE_URL, which the extension host inherits.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { NodeProjectFs } from '../../../src/core/projectFs';
import type { ServerState } from '../../../src/llm/types';
import { closedPort, nocodoApi, nocodoExtension, setUserSetting, waitFor } from './helpers';

const DEFAULT_MODEL = 'unsloth/Qwen3.5-0.8B-GGUF';

describe('activation', () => {
  it('activates on its own because the workspace contains Cargo.toml', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens the sample project as a folder');
    const cargo = await vscode.workspace.findFiles('**/Cargo.toml', '**/target/**', 1);
    assert.equal(cargo.length, 1, 'the sample project has a Cargo.toml');
    // No activate() call here: the workspaceContains activation event must do it.
    await waitFor('nocodo to activate', () => nocodoExtension().isActive, 30_000);
    const api = nocodoExtension().exports;
    assert.ok(api.ctx && api.sidebar, 'activate() returns the NocodoApi');
    // Nothing here used nocodo yet: the core (dist/core.js) is not loaded by activation, at most by
    // the background load once the workbench's start-up is over.
    const before = api.coreFirstUse;
    assert.ok(before === undefined || before === 'the model-server status (start-up is over)', `the core was loaded for ${before}`);
    // A command run before the core is there waits for it, then runs; it is the first use if nothing came before.
    const state = await vscode.commands.executeCommand<ServerState>('nocodo.checkModelServer');
    assert.ok(state?.kind, `nocodo.checkModelServer returned ${JSON.stringify(state)}`);
    const firstUses = before ? [before] : ['the command nocodo.checkModelServer', 'the model-server status (start-up is over)'];
    assert.ok(firstUses.includes(String(api.coreFirstUse)), `the core was loaded for ${api.coreFirstUse}`);
    assert.ok((await api.core).models, 'the core is loaded');
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0, 'activation time is measured');
    // For `npm run bench` (bench/bundle.bench.ts): activation time in a real extension host.
    const artifacts = path.join(nocodoExtension().extensionPath, 'test', '.artifacts');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(path.join(artifacts, 'activation.json'), `${JSON.stringify({ activationMs: api.activationMs, coreLoadMs: api.coreLoadMs, coreFirstUse: api.coreFirstUse, at: new Date().toISOString() })}\n`);
  });

  it('registers every command contributed in package.json', async () => {
    const contributed = (nocodoExtension().packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('resolves the team view and loads the webview app when the panel is opened', async () => {
    const api = await nocodoApi();
    let readyFired = false;
    const sub = api.sidebar.onDidBecomeReady(() => {
      readyFired = true;
    });
    try {
      await vscode.commands.executeCommand('nocodo.openTeamPanel');
      const webview = await waitFor('the nocodo.team webview to resolve', () => api.sidebar.webview, 30_000);
      assert.match(webview.html, /<script[^>]+main\.js/, 'the view loads the bundled webview script');
      assert.match(webview.html, /Content-Security-Policy/i, 'the view sets a CSP');
      assert.equal(api.sidebar.visible, true);
      await waitFor('the webview to post "ready"', () => readyFired, 30_000);
    } finally {
      sub.dispose();
    }
  });
});

describe('model server status', () => {
  const envUrl = process.env.LLAMA_CPP_BASE_URL;

  it('is "ready" against the fixture model server named by LLAMA_CPP_BASE_URL', async () => {
    assert.ok(envUrl, 'the runner sets LLAMA_CPP_BASE_URL to the fixture model server');
    const api = await nocodoApi();
    assert.equal(api.models.config.roles.rustEngineer.baseUrl, envUrl, 'the environment applies when no setting is made');
    const state = await api.models.check();
    assert.equal(state.kind, 'ready', JSON.stringify(state));
    assert.ok(state.kind === 'ready' && state.models.includes(DEFAULT_MODEL), JSON.stringify(state));
    assert.equal(api.models.lastState?.kind, 'ready');
  });

  it('runs "nocodo.checkModelServer" without throwing and returns the state', async () => {
    const state = await vscode.commands.executeCommand<ServerState>('nocodo.checkModelServer');
    assert.equal(state?.kind, 'ready', JSON.stringify(state));
  });

  describe('with nocodo.llm.baseUrl pointing at a closed port', () => {
    let closedUrl = '';
    before(async () => {
      const api = await nocodoApi();
      closedUrl = `http://127.0.0.1:${await closedPort()}/v1`;
      await setUserSetting('nocodo.llm', 'baseUrl', closedUrl, () => api.models.config.roles.rustEngineer.baseUrl === closedUrl);
    });
    after(async () => {
      const api = await nocodoApi();
      await setUserSetting('nocodo.llm', 'baseUrl', undefined, () => api.models.config.roles.rustEngineer.baseUrl === envUrl);
    });

    it('reports "unreachable" with a hint how to start a server', async () => {
      const api = await nocodoApi();
      const state = await api.models.check();
      assert.equal(state.kind, 'unreachable', JSON.stringify(state));
      assert.equal(state.baseUrl, closedUrl);
      assert.ok(state.kind === 'unreachable' && state.detail.length > 0);
      assert.equal(api.models.lastState?.kind, 'unreachable');
    });
  });
});

describe('project files', () => {
  it("the core's file cache forgets a workspace file when the file watcher reports its change", async () => {
    const api = await nocodoApi();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const rel = 'src/nocodo_watch_probe.rs';
    const abs = path.join(root, rel);
    // A watcher of the test's own: its events come with nocodo's (the same workspace watcher).
    const seen: string[] = [];
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, rel));
    const subs = [watcher.onDidCreate(() => seen.push('create')), watcher.onDidChange(() => seen.push('change'))];
    try {
      writeFileSync(abs, '// one\n');
      await waitFor('the file watcher to report the new file', () => seen.length > 0, 20_000);
      const fs = new NodeProjectFs(root, { cache: api.projectFiles });
      assert.equal(await fs.readFile(rel), '// one\n');
      const before = api.projectFiles.stats().dropped;
      writeFileSync(abs, '// two, longer\n');
      await waitFor("nocodo's file cache to drop the changed file", () => api.projectFiles.stats().dropped > before, 20_000);
      assert.equal(await fs.readFile(rel), '// two, longer\n');
    } finally {
      for (const s of subs) s.dispose();
      watcher.dispose();
      rmSync(abs, { force: true });
    }
  });
});
