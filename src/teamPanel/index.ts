// The team panel's controller: everything the panel does except talking to VS Code (src/host/teamPanel.ts).
export { TeamPanelController, VIEW_STATE_KEY, SESSION_KEY, type TeamPanelOptions } from './controller';
export { projectSnapshot, projectBoard, projectTaskDetail, MESSAGE_PAGE, type SnapshotSource } from './snapshot';
export { toRequestError } from './errors';
export type { PanelView, PanelLog, PanelMemory, PanelProposals, PanelGit, PanelAcceptOutcome, NewAppHooks } from './ports';
