// The project as modes read it inside a real extension host: files on disk with the editors'
// unsaved text over them. The team panel holds its view for as long as the window is open, so its
// view must follow the editors (an edit made after the panel opened, a save, a revert).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { liveWorkspaceProjectFs, workspaceProjectFs } from '../../../src/host/workspaceFs';
import { waitFor } from './helpers';

const REL = 'src/models/customer.rs';

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens the bakery sample as a folder');
  return folder.uri.fsPath;
}

async function insertLine(doc: vscode.TextDocument, line: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(doc.uri, new vscode.Position(0, 0), `${line}\n`);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
}

describe('the workspace as the modes read it', () => {
  afterEach(async () => {
    // Whatever happened, the sample file goes back to its bytes on disk, unsaved edits dropped.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === join(root(), REL));
    if (doc?.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("the team panel's live view follows unsaved edits made after it was created, and a revert", async () => {
    const live = liveWorkspaceProjectFs(root());
    const onDisk = readFileSync(join(root(), REL), 'utf8');
    assert.equal(await live.readFile(REL), onDisk, 'no editor open: the file on disk');

    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root(), REL)));
    await vscode.window.showTextDocument(doc);
    const snapshot = workspaceProjectFs(root());
    await insertLine(doc, '// first unsaved edit');
    assert.ok(doc.isDirty);
    assert.equal(await live.readFile(REL), doc.getText(), 'the unsaved text, though the view is older than the edit');
    assert.equal(await snapshot.readFile(REL), onDisk, "a run's snapshot keeps the project as it was when the run started");

    await insertLine(doc, '// second unsaved edit');
    assert.match((await live.readFile(REL)) ?? '', /^\/\/ second unsaved edit\n\/\/ first unsaved edit\n/);

    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the editor to be reverted', () => !doc.isDirty);
    assert.equal(await live.readFile(REL), onDisk, 'after a revert: the file on disk again');
  });

  it('never lays a file outside the workspace over the project', async () => {
    const live = liveWorkspaceProjectFs(join(root(), 'src'));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root(), 'Cargo.toml')));
    await vscode.window.showTextDocument(doc);
    await insertLine(doc, '# unsaved');
    assert.equal(await live.readFile('../Cargo.toml'), undefined, 'a path out of the root reads as missing');
  });
});
