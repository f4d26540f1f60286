import { posix } from 'node:path';
import examplesMd from '../../prompts/solid/daisyui-style/examples.md';
import systemMd from '../../prompts/solid/daisyui-style/system.md';
import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import { type Mode, described } from '../../src/pipeline/mode';
import { parseExamples } from '../../src/pipeline/promptBank';
import { promptFor, runModelMode, type ModelModeSpec } from '../../src/pipeline/runner';
import { checkTsx } from '../../src/pipeline/tsx';
import { cleanTsxAnswer } from '../../src/pipeline/tsx/answer';
import { onlyClassesChanged } from '../../src/pipeline/tsx/classOnly';
import { apiOverlay, inFrontend, openSolidProject, type SolidProject } from '../solid-common/project';
import { buildSolidPrompt } from '../solid-common/prompt';
import { descriptor } from './descriptor';

const examples = parseExamples(examplesMd, 'prompts/solid/daisyui-style/examples.md');

interface StyleCtx {
  sp: SolidProject;
  /** Project-relative path of the component. */
  file: string;
  original: string;
}

const spec: ModelModeSpec<StyleCtx> = {
  mode: 'daisyui-style',
  answerInstruction: 'changing only the class strings (DaisyUI 5 and Tailwind classes that exist); every other character of code stays. Answer with one ```tsx block and nothing else.',
  async prepare(input) {
    if (!input.file || !/\.[jt]sx$/.test(input.file)) return { diagnostics: [diag('error', 'no-tsx-file', 'Name the component to restyle: a .tsx file of the Solid frontend (--file).')] };
    const opened = await openSolidProject(input.project, input.file);
    if (!('sp' in opened)) return opened;
    const original = await input.project.readFile(input.file);
    if (original === undefined) return { diagnostics: [diag('error', 'file-missing', `${input.file} does not exist.`)] };
    return { ctx: { sp: opened.sp, file: input.file, original }, diagnostics: [] };
  },
  prompt(ctx, input) {
    const rel = inFrontend(ctx.sp, ctx.file);
    return buildSolidPrompt(systemMd, examples, `// File: ${rel}\n${ctx.original.trim()}`, input.request, input.notes);
  },
  async postProcess(answer, ctx) {
    const cleaned = cleanTsxAnswer(ctx.sp.ts, answer.content);
    return { ...(cleaned.code ? { code: `${cleaned.code.trim()}\n` } : {}), diagnostics: cleaned.diagnostics };
  },
  async check(processed, ctx) {
    const { sp } = ctx;
    const diagnostics: Diagnostic[] = onlyClassesChanged(sp.ts, ctx.original, processed.code);
    const rel = inFrontend(sp, ctx.file);
    // Only the class names matter here; the code is the user's, unchanged by the check above.
    diagnostics.push(...(await checkTsx({ frontendAbs: sp.frontendAbs, file: rel, text: processed.code, others: apiOverlay(sp) }, { typecheck: false, lint: false })).filter((d) => d.code === 'unknown-class'));
    if (hasErrors(diagnostics)) return { diagnostics };
    if (processed.code === ctx.original) return { diagnostics: [...diagnostics, diag('warning', 'no-change', 'The model changed no class.')] };
    return { diagnostics, changeSet: { mode: 'daisyui-style', summary: `Restyle ${posix.basename(ctx.file)} with DaisyUI (classes only).`, files: [{ path: ctx.file, original: ctx.original, proposed: processed.code, ops: [{ op: 'createFile', content: processed.code }] }] } };
  },
};

/** Restyles one component: only class attributes may change, and every class must exist in DaisyUI or Tailwind. */
export const daisyuiStyleMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'component'),
};

export default daisyuiStyleMode;
