import { posix } from 'node:path';
import { hasErrors } from '../../src/core/diagnostics';
import { type Mode, described } from '../../src/pipeline/mode';
import { fileChange } from '../../src/pipeline/rust/applyOps';
import { promptFor, runModelMode, type ModelModeSpec } from '../../src/pipeline/runner';
import { cleanTsxAnswer } from '../../src/pipeline/tsx/answer';
import { buildSolidPrompt } from '../solid-common/prompt';
import { bank } from './bank';
import { buildStyleContext, styleContextText, type StyleCtx } from './context';
import { checkRestyle } from './validate';
import { descriptor } from './descriptor';

const spec: ModelModeSpec<StyleCtx> = {
  mode: 'daisyui-style',
  answerInstruction: 'changing only the class strings (DaisyUI 5 and Tailwind classes that exist); every other character of code stays. Answer with one ```tsx block and nothing else.',
  prepare: buildStyleContext,
  prompt(ctx, input) {
    const { system, examples } = bank();
    return buildSolidPrompt(system, examples, styleContextText(ctx), input.request, input.notes);
  },
  async postProcess(answer, ctx) {
    const cleaned = cleanTsxAnswer(ctx.sp.ts, answer.content);
    return { ...(cleaned.code ? { code: `${cleaned.code.trim()}\n` } : {}), diagnostics: cleaned.diagnostics };
  },
  async check(processed, ctx) {
    const { changes, diagnostics } = await checkRestyle(processed.code, ctx);
    if (hasErrors(diagnostics) || !changes.length) return { diagnostics };
    // The class changes as an edit op on the component: the user's formatting stays, and an edit made before accepting is kept.
    const applied = fileChange(ctx.file, ctx.original, [{ op: 'setClasses', changes }], { ts: ctx.sp.ts });
    if (hasErrors(applied.diagnostics)) return { diagnostics: [...diagnostics, ...applied.diagnostics] };
    return { diagnostics, changeSet: { mode: 'daisyui-style', summary: `Restyle ${posix.basename(ctx.file)} with DaisyUI (classes only).`, files: [applied.change] } };
  },
};

/** Restyles one component: only class attributes may change, and every class must exist in DaisyUI or Tailwind. */
export const daisyuiStyleMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'component'),
};

export default daisyuiStyleMode;
