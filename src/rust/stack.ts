import { posix } from 'node:path';
import type { ProjectFs } from '../core/projectFs';
import { modeDescriptor, type StackPart } from '../domain/modes';
import { readCargo } from './cargo';

/** Which parts of nocodo's stack a project's Cargo.toml files depend on. */
export interface ProjectStack {
  /** Some Cargo.toml was found (without one, nothing is known and every command is offered). */
  cargoFound: boolean;
  actix: boolean;
  diesel: boolean;
}

/** Reads the Cargo.toml files at the root and up to two folders down (workspace members). */
export async function readProjectStack(fs: ProjectFs): Promise<ProjectStack> {
  const paths = (await fs.listFiles('', ['Cargo.toml'])).filter((p) => posix.basename(p) === 'Cargo.toml' && p.split('/').length <= 3);
  const rootText = paths.includes('Cargo.toml') ? await fs.readFile('Cargo.toml') : undefined;
  const stack: ProjectStack = { cargoFound: paths.length > 0, actix: false, diesel: false };
  for (const p of paths) {
    const text = p === 'Cargo.toml' ? rootText : await fs.readFile(p);
    if (text === undefined) continue;
    const cargo = readCargo(text, { file: p, ...(rootText !== undefined && p !== 'Cargo.toml' ? { workspaceText: rootText } : {}) });
    stack.actix ||= cargo.actix;
    stack.diesel ||= cargo.dieselVersion !== undefined || cargo.dieselFeatures !== undefined || cargo.async;
  }
  return stack;
}

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
