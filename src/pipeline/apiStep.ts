import { diag } from '../core/diagnostics';
import { StepTimeoutError, withinLimit } from '../core/timeLimit';
import { withRegeneratedApi } from '../frontend/regenerate';
import { stepLimits, type Mode } from './mode';

/**
 * After a mode's accepted-to-be change: the frontend's API files regenerated into the same
 * proposal when it edits Rust (see withRegeneratedApi). A regeneration that does not finish within
 * its limit leaves the change as the mode made it, with a warning saying what to run afterwards.
 */
export function withApiRegeneration(mode: Mode): Mode {
  return {
    ...mode,
    async run(input, opts) {
      const r = await mode.run(input, opts);
      if (!r.ok || !r.changeSet) return r;
      const t0 = performance.now();
      const limitMs = stepLimits(opts).apiFilesMs;
      try {
        const changeSet = await withinLimit("Regenerating the frontend's API files", withRegeneratedApi(input.project, r.changeSet), limitMs);
        opts.trace?.(`${mode.id}: API files ${changeSet === r.changeSet ? 'unchanged' : `regenerated (${changeSet.files.length - r.changeSet.files.length} file(s))`} in ${Math.round(performance.now() - t0)} ms`);
        return { ...r, changeSet };
      } catch (e) {
        if (!(e instanceof StepTimeoutError)) throw e;
        opts.trace?.(`${mode.id}: ${e.message}`);
        const warning = diag('warning', 'step-timeout', `${e.message}: the proposal leaves them as they are; run "nocodo: Regenerate API Types and Client" after accepting it.`);
        return { ...r, diagnostics: [...r.diagnostics, warning] };
      }
    },
  };
}
