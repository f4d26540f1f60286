import type { ModeId } from '../src/domain';
import { actixHandlerMode } from './actix-handler';
import { actixMiddlewareMode } from './actix-middleware';
import { actixRouterMode } from './actix-router';
import { dieselModelFnMode } from './diesel-model-fn';
import { dieselModelStructMode } from './diesel-model-struct';
import { dieselSchemaMode } from './diesel-schema';
import { daisyuiStyleMode } from './daisyui-style';
import { solidDetailMode } from './solid-detail';
import { solidFormMode } from './solid-form';
import { solidListMode } from './solid-list';
import { solidRouteMode } from './solid-route';
import { solidStateMode } from './solid-state';
import { withApiRegeneration } from '../src/pipeline/apiStep';
import { withCompileCheck } from '../src/pipeline/compileStep';
import type { Mode } from '../src/pipeline/mode';

export type { BuiltPrompt, Mode, ModeInput, ModeResult, ModeRunOptions, ModeTimings } from '../src/pipeline/mode';
export { emptyTimings, ModeInputError } from '../src/pipeline/runner';
export { applyOps, fileChange } from '../src/pipeline/rust/applyOps';
export { compileSummary, type CompileStepOptions } from '../src/pipeline/compileStep';
/** The Actix project as the Actix modes see it (the host's handler picker lists its Diesel functions). */
export { openActixProject } from './actix-common/project';

/** Every mode that can run today. */
// The model modes compile-check inside their runner (errors go into the re-ask); the deterministic ones here.
// Every mode that edits Rust brings the frontend's generated API files along (src/pipeline/apiStep.ts).
const MODES: readonly Mode[] = [
  dieselModelFnMode,
  withCompileCheck(dieselModelStructMode),
  dieselSchemaMode,
  actixHandlerMode,
  withCompileCheck(actixRouterMode),
  actixMiddlewareMode,
  solidListMode,
  solidDetailMode,
  solidRouteMode,
  solidFormMode,
  solidStateMode,
  daisyuiStyleMode,
].map(withApiRegeneration);

export function listModes(): readonly Mode[] {
  return MODES;
}

/** The mode with this id, or undefined when it is not implemented (yet). */
export function getMode(id: ModeId | string): Mode | undefined {
  return MODES.find((m) => m.id === id);
}
