/**
 * What the accept notice says about files it wrote but did not save. Two different situations
 * leave an accepted file unsaved, and the user must act differently on each:
 *  - the user had unsaved edits in it: nocodo does not save those (saving them is the user's call);
 *  - VS Code refused the save: most often "File Modified Since", the file changed on disk after
 *    the editor loaded it (another program wrote it), and VS Code will not save over that.
 * Nothing is lost in either: the accepted text is in the editor, the disk keeps its own.
 */

/** Why VS Code refused to save a file nocodo asked it to save. */
export type SaveRefusalReason =
  /** The file on disk is not the text the editor loaded: another program wrote it. */
  | 'changed-on-disk'
  /** The save failed otherwise (read-only file, permissions, a full disk…). */
  | 'save-failed'
  /** VS Code gave no answer within the accept's limit (its status bar still saying "Saving…"). */
  | 'no-answer';

export interface SaveRefusal {
  path: string;
  why: SaveRefusalReason;
}

const list = (paths: readonly string[]): string => paths.join(', ');
const itThey = (items: readonly unknown[], one: string, many: string): string => (items.length > 1 ? many : one);

/**
 * The sentences for the accept notice (each begins with a space; '' when every file was saved).
 * `unsaved`: every written file left unsaved; `refused`: those whose save VS Code refused.
 */
export function unsavedNote(unsaved: readonly string[], refused: readonly SaveRefusal[]): string {
  const refusedPaths = new Set(refused.map((r) => r.path));
  const yours = unsaved.filter((p) => !refusedPaths.has(p));
  const onDisk = refused.filter((r) => r.why === 'changed-on-disk').map((r) => r.path);
  const failed = refused.filter((r) => r.why === 'save-failed').map((r) => r.path);
  let note = '';
  if (yours.length) note += ` ${list(yours)} had unsaved edits of yours, so ${itThey(yours, 'it was', 'they were')} left unsaved.`;
  if (onDisk.length) {
    note +=
      ` VS Code did not save ${list(onDisk)}: ${itThey(onDisk, 'it', 'they')} changed on disk after the editor loaded ${itThey(onDisk, 'it', 'them')} (another program wrote ${itThey(onDisk, 'it', 'them')}).` +
      ` Nothing is lost: the accepted change is in the editor, unsaved, and the disk keeps the other program's version.` +
      ` Compare them (Compare with Disk), then save and choose Overwrite to keep the editor's text, or run File: Revert File to take the disk's.`;
  }
  if (failed.length) {
    note += ` VS Code could not save ${list(failed)} (see its message: a read-only file, permissions, a full disk?); the accepted change is in the editor, unsaved.`;
  }
  const silent = refused.filter((r) => r.why === 'no-answer').map((r) => r.path);
  if (silent.length) {
    note += ` VS Code did not finish saving ${list(silent)} in time (its status bar may still say "Saving…"); the accepted change is in the editor: save ${itThey(silent, 'it', 'them')} once VS Code is done.`;
  }
  return note;
}

/** Why a file is not in the accept's commit (for the git notice). */
export function notCommittedNote(unsaved: readonly string[], refused: readonly SaveRefusal[]): string {
  if (!unsaved.length) return '';
  const refusedPaths = new Set(refused.map((r) => r.path));
  const yours = unsaved.filter((p) => !refusedPaths.has(p));
  const parts: string[] = [];
  if (yours.length) parts.push(`${list(yours)} (your unsaved edits are in ${itThey(yours, 'it', 'them')})`);
  if (refused.length) parts.push(`${list(refused.map((r) => r.path))} (VS Code did not save ${itThey(refused, 'it', 'them')}: ${refused.every((r) => r.why === 'changed-on-disk') ? `changed on disk behind the editor` : refused.every((r) => r.why === 'no-answer') ? 'no answer in time' : 'see its message'})`);
  return ` Not committed: ${parts.join('; ')}.`;
}
