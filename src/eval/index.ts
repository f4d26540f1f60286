// PUBLIC API of the eval harness (core: no vscode). `nocodo eval` (src/cli/commands/eval.ts) and
// the tests drive it; tasks are data under eval/tasks/<set>/<task>/.
export * from './types';
export { loadTasks, findTaskDirs, TaskLoadError } from './tasks';
export { MemoryProjectFs, maskFunction, extractFunctionText, materialize, readTree } from './project';
export { normalizeRust, sameSyntaxTree, parsesCleanly, codeTokens, lexTokens, containsPattern, type NormalizeOptions } from './normalize';
export { runChecks, checkLabel } from './checks';
export { scoreResult, firstAnswer, matchAnswer } from './score';
export { evalCompileStep } from './cargo';
export { createRenderStep, type RenderStep, type RenderStepOptions } from './render';
export { createTokenCounter, estimateTokens, type TokenCounter } from './tokens';
export { runEval, EvalHarnessError, type EvalOptions, type ProgressEvent } from './run';
export { summarize, stats, renderMarkdown, renderConsoleSummary, summaryTable } from './report';
export { loadRecorded, loadRecordedSet, replayRules, RecordedSet, RecordedAnswer, REASK_MARKER, type ReplayRule } from './recorded';
export { createProgress } from './progress';
export * from './split';
