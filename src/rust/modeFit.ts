import { modeDescriptor, type StackPart } from '../domain/modes';
import type { ProjectStack } from './stack';

/**
 * Why a mode does not apply to the project (undefined when it does, or when no Cargo.toml tells):
 * its descriptor's `requires` names the dependencies (an Actix handler calls a Diesel function, so both).
 */
export function whyModeDoesNotApply(modeId: string, stack: ProjectStack): string | undefined {
  if (!stack.cargoFound) return undefined;
  const crate: Record<StackPart, string> = { actix: 'actix-web', diesel: 'diesel' };
  const missing = (modeDescriptor(modeId)?.requires ?? []).filter((p) => !stack[p]).map((p) => crate[p]);
  if (!missing.length) return undefined;
  return `This project's Cargo.toml has no ${missing.join(' and no ')} dependency, so this command does not apply here. Add ${missing.join(' and ')} to Cargo.toml to use it.`;
}
