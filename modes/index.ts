import type { ModeId } from '../src/domain';
import { actixHandlerMode } from './actix-handler';
import { actixMiddlewareMode } from './actix-middleware';
import { actixRouterMode } from './actix-router';
import { dieselModelFnMode } from './diesel-model-fn';
import { dieselModelStructMode } from './diesel-model-struct';
import { dieselSchemaMode } from './diesel-schema';
import type { Mode } from '../src/pipeline/mode';

export type { BuiltPrompt, Mode, ModeInput, ModeResult, ModeRunOptions, ModeTimings } from '../src/pipeline/mode';
export { emptyTimings, ModeInputError } from '../src/pipeline/runner';
export { applyOps, fileChange } from '../src/pipeline/rust/applyOps';

/** Every mode that can run today. */
const MODES: readonly Mode[] = [dieselModelFnMode, dieselModelStructMode, dieselSchemaMode, actixHandlerMode, actixRouterMode, actixMiddlewareMode];

export function listModes(): readonly Mode[] {
  return MODES;
}

/** The mode with this id, or undefined when it is not implemented (yet). */
export function getMode(id: ModeId | string): Mode | undefined {
  return MODES.find((m) => m.id === id);
}
