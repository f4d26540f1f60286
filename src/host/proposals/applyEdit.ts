import * as vscode from 'vscode';
import { StepTimeoutError, withinLimit } from '../../core/timeLimit';
import { forDocument, minimalEdit, sameContent, type Eol, type FilePlan, type ReadCurrent, type SaveRefusal } from '../../proposals';

type WritePlan = Extract<FilePlan, { kind: 'write' }>;

interface Snapshot {
  doc: vscode.TextDocument;
  version: number;
  text: string;
  wasDirty: boolean;
}

/**
 * Reads project files through the editor (its buffer when the file is open, unsaved edits
 * included; the file's encoding is detected and kept by the editor) and remembers what it read,
 * so the edit can check that nothing moved in between.
 */
export class DocumentSnapshots {
  private readonly byPath = new Map<string, Snapshot>();

  readonly read: ReadCurrent = async (_rel, abs) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(abs));
    const text = doc.getText();
    this.byPath.set(abs, { doc, version: doc.version, text, wasDirty: doc.isDirty });
    return text;
  };

  get(abs: string): Snapshot | undefined {
    return this.byPath.get(abs);
  }
}

export type ApplyResult =
  /**
   * `unsaved`: every written file left unsaved; `refused`: those of them whose save VS Code
   * refused (the others held unsaved edits of the user's). `reveal`: where the first written file
   * changed (for showing the inserted code after Accept).
   */
  | { ok: true; saved: string[]; unsaved: string[]; refused: SaveRefusal[]; uris: vscode.Uri[]; reveal?: { uri: vscode.Uri; range: vscode.Range } }
  | { ok: false; message: string };

/**
 * Longest wait for VS Code to save one written file (a save takes milliseconds). A save that does
 * not answer (seen in code-server under load: "Saving 'product.rs': Writing into file..." for
 * minutes) must not hold the accept: the change is applied in the editor, the file is reported
 * as not saved (`no-answer`), and the accept goes on.
 */
export const SAVE_LIMIT_MS = 15_000;

const eolOf = (doc: vscode.TextDocument): Eol => (doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');

/** Line ending for a new file: the `files.eol` setting, else the platform's. */
function newFileEol(uri: vscode.Uri): Eol {
  const setting = vscode.workspace.getConfiguration('files', uri).get<string>('eol');
  if (setting === '\n' || setting === '\r\n') return setting;
  return process.platform === 'win32' ? '\r\n' : '\n';
}

/**
 * Why VS Code refused to save a file nocodo edited. It refuses to save over a file that changed on
 * disk after the editor loaded it ("File Modified Since"): the disk then holds another text than
 * the one nocodo read from the editor (`loaded`, undefined for a new file).
 */
async function whySaveFailed(uri: vscode.Uri, loaded: string | undefined): Promise<SaveRefusal['why']> {
  let onDisk: string;
  try {
    onDisk = await vscode.workspace.decode(await vscode.workspace.fs.readFile(uri), { uri });
  } catch (e) {
    // Deleted behind the editor's back is a change on disk; unreadable (permissions) is not.
    return e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? 'changed-on-disk' : 'save-failed';
  }
  if (loaded === undefined) return onDisk === '' ? 'save-failed' : 'changed-on-disk';
  return sameContent(onDisk, loaded) ? 'save-failed' : 'changed-on-disk';
}

/**
 * Writes every planned file with ONE WorkspaceEdit (one undo step restores them all), through the
 * documents (line endings and encodings stay the files'), then saves the files that had no unsaved
 * edits of the user's before (theirs stay unsaved: saving them is the user's call).
 */
export async function applyWrites(files: readonly WritePlan[], snapshots: DocumentSnapshots, label: string, step: (what: string) => void = () => undefined): Promise<ApplyResult> {
  const edit = new vscode.WorkspaceEdit();
  const meta: vscode.WorkspaceEditEntryMetadata = { label, needsConfirmation: false };
  const uris: vscode.Uri[] = [];
  /** Offsets of the first change in the text after the edit. */
  let first: { uri: vscode.Uri; start: number; end: number } | undefined;
  for (const f of files) {
    const uri = vscode.Uri.file(f.abs);
    uris.push(uri);
    if (f.isNew) {
      edit.createFile(uri, { overwrite: false, ignoreIfExists: false }, meta);
      const text = forDocument(f.text, newFileEol(uri));
      edit.insert(uri, new vscode.Position(0, 0), text, meta);
      first ??= { uri, start: 0, end: 0 };
      continue;
    }
    const snap = snapshots.get(f.abs);
    if (!snap) return { ok: false, message: `nocodo did not read ${f.path} before writing it; nothing was changed.` };
    // The editor may have received typing while we planned: never apply offsets to a moved text.
    if (snap.doc.version !== snap.version || !sameContent(snap.doc.getText(), snap.text)) {
      return { ok: false, message: `${f.path} changed while nocodo was applying the proposal; nothing was changed. Accept again to re-check it.` };
    }
    const current = snap.doc.getText();
    const target = forDocument(f.text, eolOf(snap.doc));
    const span = minimalEdit(current, target);
    if (!span) continue;
    first ??= { uri, start: span.start, end: span.start + span.text.length };
    edit.replace(uri, new vscode.Range(snap.doc.positionAt(span.start), snap.doc.positionAt(span.end)), span.text, meta);
  }
  if (edit.size === 0) return { ok: true, saved: [], unsaved: [], refused: [], uris };
  step(`applying one edit to ${edit.size} file(s)`);
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
  if (!applied) return { ok: false, message: 'VS Code refused the edit (a file may have changed or be read-only); nothing was changed.' };
  step('edit applied, saving');

  const saved: string[] = [];
  const unsaved: string[] = [];
  const refused: SaveRefusal[] = [];
  for (const f of files) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(f.abs));
    const snap = f.isNew ? undefined : snapshots.get(f.abs);
    if (snap?.wasDirty) {
      unsaved.push(f.path);
      continue;
    }
    const outcome = doc.isDirty ? await saveWithin(doc, f.path, step) : 'saved';
    if (outcome !== 'saved') {
      unsaved.push(f.path);
      refused.push({ path: f.path, why: outcome === 'no-answer' ? 'no-answer' : await whySaveFailed(doc.uri, snap?.text) });
    } else saved.push(f.path);
  }
  step(`saved ${saved.length ? saved.join(', ') : 'nothing'}${refused.length ? `; not saved: ${refused.map((r) => `${r.path} (${r.why})`).join(', ')}` : ''}`);
  let reveal: { uri: vscode.Uri; range: vscode.Range } | undefined;
  if (first) {
    const doc = await vscode.workspace.openTextDocument(first.uri);
    reveal = { uri: first.uri, range: new vscode.Range(doc.positionAt(first.start), doc.positionAt(first.end)) };
  }
  return { ok: true, saved, unsaved, refused, uris, ...(reveal ? { reveal } : {}) };
}

/** Saves one document: refused (false), or no answer within SAVE_LIMIT_MS (the save may still finish later). */
async function saveWithin(doc: vscode.TextDocument, rel: string, step: (what: string) => void): Promise<'saved' | 'refused' | 'no-answer'> {
  try {
    return (await withinLimit(`VS Code saving ${rel}`, doc.save(), SAVE_LIMIT_MS)) ? 'saved' : 'refused';
  } catch (e) {
    if (!(e instanceof StepTimeoutError)) throw e;
    step(e.message);
    return 'no-answer';
  }
}
