import { hasErrors } from '../../src/core/diagnostics';
import { parseRustFile } from '../../src/rust';
import { type Mode, type ModeInput, type ModeResult, described } from '../../src/pipeline/mode';
import { deterministicResult, emptyTimings, ModeInputError } from '../../src/pipeline/runner';
import { planRouter } from './plan';
import { withCompileCheck } from '../../src/pipeline/compileStep';
import { descriptor } from './descriptor';

async function run(input: ModeInput): Promise<ModeResult> {
  const t0 = performance.now();
  const timings = emptyTimings();
  const planned = await planRouter(input);
  timings.contextMs = performance.now() - t0;
  const done = deterministicResult('actix-router', t0, timings);
  if (!('plans' in planned)) return done({ ok: !hasErrors(planned.diagnostics), diagnostics: planned.diagnostics });
  const t1 = performance.now();
  // The edited files must still parse: a registration spliced into a broken chain must not reach a file.
  const diagnostics = [...planned.diagnostics];
  for (const f of planned.files) {
    const before = parseRustFile(f.original ?? '').diagnostics.filter((d) => d.severity === 'error').length;
    const after = parseRustFile(f.proposed, f.path).diagnostics.filter((d) => d.severity === 'error');
    if (after.length > before) diagnostics.push(...after.map((d) => ({ ...d, code: 'parse-error' })));
  }
  timings.validateMs = performance.now() - t1;
  const code = planned.plans.map((p) => `.${p.op.method}(${p.op.args})`).join('\n');
  if (hasErrors(diagnostics)) return done({ ok: false, ...(code ? { code } : {}), diagnostics });
  if (!planned.files.length) return done({ ok: true, diagnostics });
  const routes = planned.plans.flatMap((p) => p.routes.map((r) => `${r.method} ${r.path}`));
  return done({
    ok: true,
    code,
    changeSet: { mode: 'actix-router', summary: `Register ${planned.plans.map((p) => `\`${p.ref}\``).join(', ')} (${routes.join(', ')})`, files: planned.files },
    diagnostics,
  });
}

/** Registers handlers in the Actix app: deterministic, no model call. */
export const actixRouterMode: Mode = {
  ...described(descriptor),
  async buildPrompt(input) {
    const planned = await planRouter(input);
    if (!('plans' in planned) && hasErrors(planned.diagnostics)) throw new ModeInputError(planned.diagnostics);
    return { messages: [], stablePrefixChars: 0 };
  },
  run: (input) => run(input),
};

/** As the registry runs it: model-free, so the compile check wraps the mode (the model modes check inside their runner). */
export default withCompileCheck(actixRouterMode);
