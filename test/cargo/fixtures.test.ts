import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCargo } from '../../src/compile';
import { sharedTargetDir } from '../../src/compile/paths';

/** The sample projects build with the committed Cargo.lock (`--locked`: no version may move). */
const ROOT = path.resolve(__dirname, '../..');
const cargo = findCargo();

describe('the sample projects compile', () => {
  for (const fixture of ['bakery', 'actix-library']) {
    it(`${fixture}: cargo check --locked passes`, () => {
      expect(cargo, 'cargo must be installed (.ci/run installs Rust)').toBeDefined();
      const r = spawnSync(cargo!, ['check', '--locked', '--quiet', '--message-format=short'], {
        cwd: path.join(ROOT, 'test/fixtures', fixture),
        env: { ...process.env, CARGO_TARGET_DIR: sharedTargetDir(), CARGO_TERM_COLOR: 'never' },
        encoding: 'utf8',
        timeout: 1_500_000,
      });
      expect(r.stderr).not.toMatch(/^error/m);
      expect(r.status).toBe(0);
    });
  }
});
