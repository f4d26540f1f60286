import type { ModeId } from '../src/domain';
import { withApiRegeneration } from '../src/pipeline/apiStep';
import type { Mode } from '../src/pipeline/mode';
import { REGISTERED_MODES } from './registry';

export type { BuiltPrompt, Mode, ModeInput, ModeResult, ModeRunOptions, ModeTimings } from '../src/pipeline/mode';
export { emptyTimings, ModeInputError } from '../src/pipeline/runner';
export { applyOps, fileChange } from '../src/pipeline/rust/applyOps';
export { compileSummary, type CompileStepOptions } from '../src/pipeline/compileStep';
/** The Actix project as the Actix modes see it (the host's handler picker lists its Diesel functions). */
export { openActixProject } from './actix-common/project';

/**
 * Every mode that can run today: each folder's index.ts, listed by `npm run modes:sync` in
 * registry.ts. Every mode that edits Rust brings the frontend's generated API files along
 * (src/pipeline/apiStep.ts).
 */
const MODES: readonly Mode[] = REGISTERED_MODES.map(withApiRegeneration);

export function listModes(): readonly Mode[] {
  return MODES;
}

/** The mode with this id, or undefined when it is not implemented (yet). */
export function getMode(id: ModeId | string): Mode | undefined {
  return MODES.find((m) => m.id === id);
}
