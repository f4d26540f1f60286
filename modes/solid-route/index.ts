import { hasErrors } from '../../src/core/diagnostics';
import { type Mode, type ModeInput, type ModeResult, described } from '../../src/pipeline/mode';
import { deterministicResult, emptyTimings, ModeInputError } from '../../src/pipeline/runner';
import { planSolidRoute } from './plan';
import { descriptor } from './descriptor';

async function run(input: ModeInput): Promise<ModeResult> {
  const t0 = performance.now();
  const timings = emptyTimings();
  const planned = await planSolidRoute(input);
  timings.contextMs = performance.now() - t0;
  const done = deterministicResult('solid-route', t0, timings);
  if (!('plan' in planned)) return done({ ok: !hasErrors(planned.diagnostics), diagnostics: planned.diagnostics });
  const { plan, files } = planned;
  const code = `<Route path="${plan.path}" component={${plan.component}} />`;
  if (!files.length) return done({ ok: true, code, diagnostics: planned.diagnostics });
  const linked = files.some((f) => f.proposed.includes(`href="${plan.path}"`) && !f.original?.includes(`href="${plan.path}"`));
  return done({ ok: true, code, changeSet: { mode: 'solid-route', summary: `Route ${plan.path} → ${plan.component} in ${plan.routerFile}${linked ? ', with a menu link' : ''}.`, files }, diagnostics: planned.diagnostics });
}

/** Registers a page with @solidjs/router and links it from the menu: deterministic, no model call. */
export const solidRouteMode: Mode = {
  ...described(descriptor),
  async buildPrompt(input) {
    const planned = await planSolidRoute(input);
    if (!('plan' in planned) && hasErrors(planned.diagnostics)) throw new ModeInputError(planned.diagnostics);
    return { messages: [], stablePrefixChars: 0 };
  },
  run: (input) => run(input),
};

export default solidRouteMode;
