/** Commands registered but not contributed in package.json (internal), kept apart from their heavy modules so activation can name them. */
export const PROPOSE_CHANGE_SET_COMMAND = 'nocodo.proposeChangeSet';
