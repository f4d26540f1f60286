import { fileChange } from '../../src/pipeline/rust/applyOps';
import { ONE_FN_GRAMMAR } from '../../src/pipeline/rust/fnGrammar';
import { withCfgGate } from '../diesel-common/cfgGate';
import { processFunctionAnswer } from '../diesel-common/fnArtifact';
import { type BuiltPrompt, type Mode, type ModeInput, described } from '../../src/pipeline/mode';
import { buildPromptMessages } from '../diesel-common/examples';
import { promptFor, runModelMode, type ModelModeSpec } from '../../src/pipeline/runner';
import { fnExamples, fnSystemText } from './bank';
import { buildFnContext, type FnContext } from './context';
import { checkFunction } from './validate';
import { descriptor } from './descriptor';

function prompt(ctx: FnContext, input: ModeInput): BuiltPrompt {
  const { asyncWrapper, queryMacro } = ctx.placement;
  const opts = { ...(asyncWrapper ? { asyncWrapper } : {}), ...(queryMacro ? { queryMacro: queryMacro.name } : {}) };
  return buildPromptMessages(fnSystemText(ctx.project.style, opts), fnExamples(), ctx.project.style, ctx.rendered, input.request, input.notes ?? []);
}

const spec: ModelModeSpec<FnContext> = {
  mode: 'diesel-model-fn',
  // One narrow artifact: an answer longer than this is not what was asked for.
  maxCodeLines: 150,
  prepare: buildFnContext,
  prompt,
  grammar: ONE_FN_GRAMMAR,
  formatter: 'rustfmt',
  postProcess: (answer, ctx, _input, run) => processFunctionAnswer(answer, { ...(ctx.wantedName ? { wantedName: ctx.wantedName } : {}), importEnv: ctx.importEnv, ...(run.rustfmt !== undefined ? { rustfmt: run.rustfmt } : {}) }),
  async check(processed, ctx) {
    const typeName = ctx.target.struct.name;
    const { diagnostics, free, shownName, warnings } = checkFunction(processed.code, ctx);
    const code = withCfgGate(processed.code, ctx.fileText, [typeName, ctx.table.name]);
    const ops = [{ op: 'addUses' as const, uses: processed.uses ?? [] }, free ? { op: 'insertFn' as const, code } : { op: 'insertInImpl' as const, typeName, code }];
    const fc = fileChange(ctx.file, ctx.fileText, ops);
    const changeSet = { mode: 'diesel-model-fn', summary: `Add \`${shownName}\` to ${ctx.file}${warnings.map((w) => ` (warning: ${w})`).join('')}`, files: [fc.change] };
    // Rejected answers still get their change built: the eval compiles them to count false rejects.
    if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, draft: changeSet };
    diagnostics.push(...fc.diagnostics);
    return { diagnostics, changeSet };
  },
};

/** One Diesel query function, added to a model struct's `impl` block. */
export const dieselModelFnMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'function'),
};

export default dieselModelFnMode;
