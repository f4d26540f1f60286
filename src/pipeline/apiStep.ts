import { withRegeneratedApi } from '../frontend/regenerate';
import type { Mode } from './mode';

/** After a mode's accepted-to-be change: the frontend's API files regenerated into the same proposal when it edits Rust (see withRegeneratedApi). */
export function withApiRegeneration(mode: Mode): Mode {
  return {
    ...mode,
    async run(input, opts) {
      const r = await mode.run(input, opts);
      if (!r.ok || !r.changeSet) return r;
      return { ...r, changeSet: await withRegeneratedApi(input.project, r.changeSet) };
    },
  };
}
