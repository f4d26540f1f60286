// The Solid side of the right-click menus (#19) inside a real extension host, on the copy of the
// bakery sample: "Restyle with DaisyUI…" on a .tsx file runs the daisyui-style mode as the
// frontend engineer and proposes the restyled file; the command's menus come from the mode
// descriptors. The model is the fixture server with a scripted answer.
import * as assert from 'node:assert/strict';
import { existsSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { Proposal } from '../../../src/domain';
import type * as Fixture from '../../fixtures/model-server/server.mjs';
import type { ModelServer } from '../../fixtures/model-server/server.mjs';
import { nocodoApi, nocodoExtension, setUserSetting } from './helpers';

type FixtureModule = typeof Fixture;

async function startFixtureServer(opts: Parameters<FixtureModule['startModelServer']>[0]): Promise<ModelServer> {
  const href = pathToFileURL(join(nocodoExtension().extensionPath, 'test', 'fixtures', 'model-server', 'server.mjs')).href;
  const mod = (await import(/* @vite-ignore */ href)) as FixtureModule;
  return mod.startModelServer(opts);
}

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens the bakery sample as a folder');
  return folder.uri.fsPath;
}
const uriOf = (rel: string): vscode.Uri => vscode.Uri.file(join(root(), ...rel.split('/')));

const FILE = 'frontend/src/pages/ProductList.tsx';

describe('Solid commands (right-click a .tsx file or a Rust struct)', function () {
  // Typechecking and class lookups in the frontend take a while on a loaded 2-core machine.
  this.timeout(180_000);
  let server: ModelServer;
  let linked: string | undefined;
  const created: string[] = [];

  before(async () => {
    // The workspace copy has no node_modules: borrow the sample frontend's (TypeScript, Tailwind, DaisyUI).
    const modules = join(nocodoExtension().extensionPath, 'test', 'fixtures', 'bakery', 'frontend', 'node_modules');
    assert.ok(existsSync(modules), 'the sample frontend is installed (npm ci in test/fixtures/bakery/frontend; scripts/test-all.mjs does it first)');
    const target = join(root(), 'frontend', 'node_modules');
    if (!existsSync(target)) {
      symlinkSync(modules, target, 'dir');
      linked = target;
    }
    const original = (await vscode.workspace.fs.readFile(uriOf(FILE))).toString();
    const restyled = original.replace('<table class="table"', '<table class="table table-zebra"');
    assert.notEqual(restyled, original, 'the sample list has a table to restyle');
    const retitled = original.replace('>Products</h1>', '>All products</h1>');
    assert.notEqual(retitled, original, 'the sample list has a title');
    server = await startFixtureServer({
      script: [
        { match: { lastUser: 'zebra' }, reply: { content: `Restyled:\n\`\`\`tsx\n${restyled}\`\`\`\n`, tokenDelayMs: 1 } },
        { match: { lastUser: 'every product' }, reply: { content: `\`\`\`tsx\n${retitled}\`\`\`\n`, tokenDelayMs: 1 } },
      ],
    });
    const api = await nocodoApi();
    await setUserSetting('nocodo.llm', 'baseUrl', server.baseUrl, () => api.models.config.roles.frontendEngineer.baseUrl === server.baseUrl);
  });

  after(async () => {
    for (const id of created) await vscode.commands.executeCommand('nocodo.rejectProposal', { proposalId: id, reason: 'test cleanup' });
    if (server) {
      const api = await nocodoApi();
      await setUserSetting('nocodo.llm', 'baseUrl', undefined, () => api.models.config.roles.frontendEngineer.baseUrl !== server.baseUrl);
      await server.close();
    }
    if (linked) unlinkSync(linked);
  });

  it('package.json puts "Restyle with DaisyUI…" in the nocodo submenu of .tsx files', () => {
    const pkg = nocodoExtension().packageJSON as { contributes: { commands: { command: string; title: string }[]; menus: Record<string, { command?: string; submenu?: string; when?: string }[]> } };
    assert.equal(pkg.contributes.commands.find((c) => c.command === 'nocodo.restyleWithDaisyUI')?.title, 'Restyle with DaisyUI…');
    assert.ok(pkg.contributes.menus['explorer/context']!.some((m) => m.submenu === 'nocodo.tsx' && m.when === 'resourceLangId == typescriptreact'));
    assert.deepEqual(pkg.contributes.menus['nocodo.tsx']!.map((m) => m.command), ['nocodo.restyleWithDaisyUI']);
  });

  it('restyles the right-clicked component as the frontend engineer: a proposal that changes only its classes', async () => {
    const p = await vscode.commands.executeCommand<Proposal | undefined>('nocodo.restyleWithDaisyUI', { file: uriOf(FILE), request: 'zebra rows in the table' });
    assert.ok(p, 'a proposal');
    created.push(p.id);
    assert.equal(p.status, 'pending');
    assert.equal(p.changeSet.mode, 'daisyui-style');
    assert.deepEqual(
      p.changeSet.files.map((f) => f.path),
      [FILE],
    );
    assert.match(p.changeSet.files[0]!.proposed, /<table class="table table-zebra"/);
    const chats = server.chatRequests();
    assert.equal(chats.length, 1, 'one model call');
  });

  it('"Generate SolidJS List for this struct…" on a Rust model file proposes the list page of that struct', async () => {
    const p = await vscode.commands.executeCommand<Proposal | undefined>('nocodo.generateSolidList', { file: uriOf('src/models/product.rs'), struct: 'Product', request: 'every product with its price' });
    assert.ok(p, 'a proposal');
    created.push(p.id);
    assert.equal(p.changeSet.mode, 'solid-list');
    const page = p.changeSet.files.find((f) => f.path === FILE);
    assert.ok(page, `the change set writes ${FILE}`);
    assert.match(page.proposed, />All products<\/h1>/);
  });

  it('"Regenerate API Types and Client" proposes nothing when the files are current, and types.ts after a backend change (no model call)', async () => {
    const before = server.chatRequests().length;
    assert.equal(await vscode.commands.executeCommand<Proposal | undefined>('nocodo.regenerateApi'), undefined, "the sample's generated API files are current");
    const model = uriOf('src/models/product.rs');
    const original = (await vscode.workspace.fs.readFile(model)).toString();
    const changed = original.replace('    pub available: bool,\n}', '    pub available: bool,\n    pub weight_grams: Option<i32>,\n}');
    assert.notEqual(changed, original, 'the sample has a Product struct ending with `available`');
    await vscode.workspace.fs.writeFile(model, Buffer.from(changed));
    try {
      const p = await vscode.commands.executeCommand<Proposal | undefined>('nocodo.regenerateApi');
      assert.ok(p, 'a proposal');
      created.push(p.id);
      assert.equal(p.status, 'pending');
      assert.deepEqual(
        p.changeSet.files.map((f) => f.path),
        ['frontend/src/api/types.ts'],
      );
      assert.match(p.changeSet.files[0]!.proposed, /export interface Product \{[^}]*weight_grams: number \| null;/);
      assert.equal(server.chatRequests().length, before, 'no model call');
    } finally {
      await vscode.workspace.fs.writeFile(model, Buffer.from(original));
    }
  });

  it('a .tsx file outside the Solid frontend gets a clear message, not a proposal', async () => {
    const before = server.chatRequests().length;
    const outside = 'stray.tsx';
    await vscode.workspace.fs.writeFile(uriOf(outside), Buffer.from('export default function Stray() {\n  return <div class="p-2">x</div>;\n}\n'));
    try {
      const p = await vscode.commands.executeCommand<Proposal | undefined>('nocodo.restyleWithDaisyUI', { file: uriOf(outside), request: 'zebra' });
      assert.equal(p, undefined);
      assert.equal(server.chatRequests().length, before, 'no model call');
    } finally {
      await vscode.workspace.fs.delete(uriOf(outside));
    }
  });
});
