// Agent prompts of the AI team, as data (system texts and few-shot examples).
export type { FewShot, TeamPrompt } from './types';
export { productOwnerTurn } from './productOwner/turn';
export { productOwnerSummary } from './productOwner/summary';
export { projectManagerPlan } from './projectManager/plan';
export { engineeringManagerShape } from './engineeringManager/shape';
