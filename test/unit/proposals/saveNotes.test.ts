import { describe, expect, it } from 'vitest';
import { notCommittedNote, unsavedNote } from '../../../src/proposals';

describe('unsavedNote: why an accepted file was left unsaved', () => {
  it('says nothing when every file was saved', () => {
    expect(unsavedNote([], [])).toBe('');
  });

  it("the user's own unsaved edits: left unsaved on purpose", () => {
    expect(unsavedNote(['src/a.rs'], [])).toBe(' src/a.rs had unsaved edits of yours, so it was left unsaved.');
  });

  it('a file changed on disk behind the editor is not blamed on the user, and says what to do', () => {
    const note = unsavedNote(['src/models/customer.rs'], [{ path: 'src/models/customer.rs', why: 'changed-on-disk' }]);
    expect(note).not.toMatch(/edits of yours/);
    expect(note).toMatch(/VS Code did not save src\/models\/customer\.rs: it changed on disk after the editor loaded it/);
    expect(note).toMatch(/Nothing is lost: the accepted change is in the editor, unsaved/);
    expect(note).toMatch(/Compare with Disk/);
    expect(note).toMatch(/Overwrite/);
    expect(note).toMatch(/Revert File/);
  });

  it('tells the cases apart in one accept', () => {
    const note = unsavedNote(
      ['src/a.rs', 'src/b.rs', 'src/c.rs'],
      [
        { path: 'src/b.rs', why: 'changed-on-disk' },
        { path: 'src/c.rs', why: 'save-failed' },
      ],
    );
    expect(note).toMatch(/^ src\/a\.rs had unsaved edits of yours, so it was left unsaved\./);
    expect(note).toMatch(/VS Code did not save src\/b\.rs: it changed on disk/);
    expect(note).toMatch(/VS Code could not save src\/c\.rs \(see its message/);
    expect(note.match(/edits of yours/g)).toHaveLength(1);
  });

  it('a save VS Code did not answer in time (code-server under load): not blamed on the user, the change waits in the editor', () => {
    const note = unsavedNote(['src/models/product.rs'], [{ path: 'src/models/product.rs', why: 'no-answer' }]);
    expect(note).toBe(' VS Code did not finish saving src/models/product.rs in time (its status bar may still say "Saving…"); the accepted change is in the editor: save it once VS Code is done.');
    expect(notCommittedNote(['src/models/product.rs'], [{ path: 'src/models/product.rs', why: 'no-answer' }])).toBe(' Not committed: src/models/product.rs (VS Code did not save it: no answer in time).');
  });

  it('speaks of several files in the plural', () => {
    const note = unsavedNote(['x.ts', 'y.ts'], [{ path: 'x.ts', why: 'changed-on-disk' }, { path: 'y.ts', why: 'changed-on-disk' }]);
    expect(note).toMatch(/VS Code did not save x\.ts, y\.ts: they changed on disk after the editor loaded them/);
  });
});

describe('notCommittedNote: why an accepted file is not in the commit', () => {
  it("the user's unsaved edits vs a save VS Code refused", () => {
    expect(notCommittedNote(['a.rs'], [])).toBe(' Not committed: a.rs (your unsaved edits are in it).');
    expect(notCommittedNote(['a.rs', 'b.rs'], [{ path: 'b.rs', why: 'changed-on-disk' }])).toBe(
      ' Not committed: a.rs (your unsaved edits are in it); b.rs (VS Code did not save it: changed on disk behind the editor).',
    );
    expect(notCommittedNote([], [])).toBe('');
  });
});
