// PUBLIC API of the AI team. The host and the CLI drive `Team`; the rest is exported for tools,
// tests and the board (runnability, answer validation).
export { Team, DEFAULT_TEAM_SETTINGS, parseTeamSettings, type TeamOptions, type TeamSettings, type TeamChange, type TeamChangeKind, type StepOptions, type PendingWork } from './team';
export { TeamError, isCancellation, type TeamErrorKind } from './errors';
export { validateAnswers, describeAnswers, OTHER_MAX_CHARS, type AnswerCheck } from './answers';
export { runTask, decideProposal, whyNotRunnable, runnableTasks, notesForTask, type ModeLookup, type DispatchDeps, type RunTaskOutcome, type ProposalDecision } from './dispatcher';
export { askProductOwner, summariseProduct, PoTurnSchema, PoSummarySchema, type PoTurn, type TurnInput } from './productOwner';
export { planEpic, PlanSchema, mapRole, resolveDependencies, type PlannedEpic, type PlannedTask } from './projectManager';
export { shapeWithModel, ShapingSchema, mapMode, type Shaping, type ShapeInput } from './engineeringManager';
export { checkShaping, topologicalOrder, dependencyClosure, type CheckContext, type CheckResult } from './shapingChecks';
export { describeSummary, renderTranscript } from './transcript';
export type { AgentContext, AgentResult } from './agentCall';
