import * as vscode from 'vscode';
import { forDocument, type UndoPlan } from '../../proposals';

type Plan = Extract<UndoPlan, { kind: 'undo' }>;

/** Lists a folder through the workspace file system (undefined when it does not exist). */
export async function listFolder(abs: string): Promise<string[] | undefined> {
  try {
    return (await vscode.workspace.fs.readDirectory(vscode.Uri.file(abs))).map(([name]) => name);
  } catch {
    return undefined;
  }
}

/**
 * Applies an undo plan as ONE WorkspaceEdit (all files or none): restored files through their
 * documents (line endings kept), created files and the folders they emptied deleted; restored
 * files are saved, as the accept saved them.
 */
export async function applyUndo(plan: Plan, label: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const edit = new vscode.WorkspaceEdit();
  const meta: vscode.WorkspaceEditEntryMetadata = { label, needsConfirmation: false };
  const restored: vscode.Uri[] = [];
  for (const f of plan.files) {
    const uri = vscode.Uri.file(f.abs);
    if (f.kind === 'delete') {
      edit.deleteFile(uri, { ignoreIfNotExists: false }, meta);
      continue;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    edit.replace(uri, whole, forDocument(f.text, doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'), meta);
    restored.push(uri);
  }
  for (const dir of plan.folders) edit.deleteFile(vscode.Uri.file(dir), { recursive: false, ignoreIfNotExists: true }, meta);
  if (!(await vscode.workspace.applyEdit(edit))) return { ok: false, message: 'VS Code refused the edit (a file may be read-only); nothing was changed.' };
  for (const uri of restored) {
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty) await doc.save();
  }
  return { ok: true };
}
