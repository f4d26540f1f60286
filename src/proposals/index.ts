// PUBLIC API of the editor-free proposal core: path safety, planning an accept against the files
// as they are now (re-anchoring by syntax), text/EOL plumbing, persistence and run reports.
// The VS Code glue lives in src/host/proposals/.
export { checkRelativePath, resolveInsideRoot, rootIsInside, isInside, type RelPathCheck, type ResolvedPath } from './paths';
export { detectEol, forDocument, sameContent, minimalEdit, keepsAllCode, stripBom, toLf, type Eol, type TextEditSpan } from './text';
export { planFile, planAccept, reanchoredChangeSet, type FilePlan, type AcceptPlan, type ReadCurrent } from './plan';
export { ProposalBook, ProposalInputError, validateChangeSet, type Decision, type DecisionRecorder, type NewProposalInput } from './book';
export { renderRunReport, runChain, type RunReportInput } from './runReport';
export { planUndo, describeUndo, recordUndo, type UndoPlan, type UndoFile, type ListFolder } from './undo';
export { writeAllOrNothing, WriteRefused, type PlannedWrite } from './writeFiles';
export { applyOnDisk, type ApplyOutcome } from './applyOnDisk';
export { unsavedNote, notCommittedNote, type SaveRefusal, type SaveRefusalReason } from './saveNotes';
