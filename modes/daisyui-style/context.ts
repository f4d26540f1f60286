import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ModeInput } from '../../src/pipeline/mode';
import { inFrontend, openSolidProject, type SolidProject } from '../solid-common/project';

/** The component to restyle, as it is now. */
export interface StyleCtx {
  sp: SolidProject;
  /** Project-relative path of the component. */
  file: string;
  original: string;
}

/** Reads the right-clicked .tsx file of the Solid frontend, or says why it cannot be restyled. */
export async function buildStyleContext(input: ModeInput): Promise<{ ctx: StyleCtx; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }> {
  if (!input.file || !/\.[jt]sx$/.test(input.file)) return { diagnostics: [diag('error', 'no-tsx-file', 'Name the component to restyle: a .tsx file of the Solid frontend (--file).')] };
  const opened = await openSolidProject(input.project, input.file);
  if (!('sp' in opened)) return opened;
  const original = await input.project.readFile(input.file);
  if (original === undefined) return { diagnostics: [diag('error', 'file-missing', `${input.file} does not exist.`)] };
  return { ctx: { sp: opened.sp, file: input.file, original }, diagnostics: [] };
}

/** What the model sees: the component's file, under its frontend-relative path. */
export function styleContextText(ctx: StyleCtx): string {
  return `// File: ${inFrontend(ctx.sp, ctx.file)}\n${ctx.original.trim()}`;
}
