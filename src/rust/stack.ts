import { posix } from 'node:path';
import type { ProjectFs } from '../core/projectFs';
import { readCargo } from './cargo';

// Read by the extension's activation bundle (the menus' context keys, src/host/projectStack.ts):
// keep it free of the modes, zod and tree-sitter. Whether a mode fits the stack: ./modeFit.ts.

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
