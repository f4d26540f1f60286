import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { RuleTester } from 'eslint';
import { describe, expect, it } from 'vitest';
import layers, { LAYERS, unitOf, violation } from '../../../eslint/layers.mjs';

// The layer rule (eslint/layers.mjs) on real paths of this repository: what it lets through, what
// it refuses, and that every folder of src/ and modes/ is in a layer.

const ROOT = path.resolve(__dirname, '../../..');
const file = (rel: string): string => path.join(ROOT, rel);

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

describe('layer order (nocodo/layers)', () => {
  tester.run('layers', layers.rules!.layers!, {
    valid: [
      // down the layers, inside a unit, packages, and files outside the layers
      { filename: file('src/agents/team.ts'), code: "import { x } from '../store/types'; import y from '../../modes';" },
      { filename: file('src/pipeline/runner.ts'), code: "import { x } from './mode'; import { z } from 'zod';" },
      { filename: file('modes/actix-handler/context.ts'), code: "import { x } from '../diesel-common/naming'; import { y } from '../../src/pipeline/mode';" },
      { filename: file('modes/actix-common/imports.ts'), code: "import { x } from '../diesel-common/imports';" },
      { filename: file('src/extension.ts'), code: "import { x } from './host/ctx'; import * as vscode from 'vscode';" },
      { filename: file('src/cli/main.ts'), code: "import pkg from '../../package.json';" },
      { filename: file('test/unit/any.test.ts'), code: "import { x } from '../../src/host/ctx';" },
    ],
    invalid: [
      { filename: file('src/pipeline/rust/applyOps.ts'), code: "import { useCoverage } from '../../../modes/diesel-common/imports';", errors: [{ message: /src\/pipeline \(layer "pipeline"\) must not import modes\/diesel-common \(layer "mode helpers", higher\)/ }] },
      { filename: file('src/proposals/book.ts'), code: "export { decideProposal } from '../agents/dispatcher';", errors: [{ message: /must not import src\/agents/ }] },
      { filename: file('modes/actix-handler/context.ts'), code: "import { f } from '../diesel-model-fn/context';", errors: [{ message: /Modes do not import each other \(modes\/actix-handler → modes\/diesel-model-fn\)/ }] },
      { filename: file('src/host/generate.ts'), code: "import { open } from '../../modes/actix-common/project';", errors: [{ message: /src\/host reaches the modes through modes\/index\.ts only/ }] },
      { filename: file('src/llm/client.ts'), code: "const m = import('../rust/parser');", errors: [{ message: /src\/llm and src\/rust are both in layer "services"/ }] },
      { filename: file('src/host/ctx.ts'), code: "import { run } from '../cli/main';", errors: [{ message: /src\/host and src\/cli are both in layer "entry points"/ }] },
      { filename: file('src/domain/index.ts'), code: "import { diag } from '../core/diagnostics';", errors: [{ message: /src\/domain \(layer "domain"\) must not import src\/core/ }] },
      { filename: file('src/newThing/a.ts'), code: "export const a = 1;", errors: [{ message: /src\/newThing\/a\.ts is in no layer/ }] },
    ],
  });

  it('has every folder of src/ and modes/ in a layer, and no unit twice', () => {
    const folders = ['src', 'modes'].flatMap((top) =>
      readdirSync(file(top), { withFileTypes: true }).map((d) => `${top}/${d.name}`).filter((rel) => !rel.endsWith('.d.ts')),
    );
    expect(folders.filter((rel) => unitOf(rel) === '?')).toEqual([]);
    const units = LAYERS.flatMap((l) => l.units);
    expect(new Set(units).size).toBe(units.length);
  });

  it('lets a mode use the shared helpers, never the other way round', () => {
    expect(violation('modes/solid-form', 'modes/solid-common')).toBeUndefined();
    expect(violation('modes/solid-common', 'modes/solid-form')).toMatch(/must not import modes\/solid-form/);
    expect(violation('modes/diesel-schema', 'src/agents')).toMatch(/must not import src\/agents/);
  });
});
