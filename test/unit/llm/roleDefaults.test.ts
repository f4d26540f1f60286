import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_ROLES } from '../../../src/domain';
import { ROLE_DEFAULTS, roleSetting } from '../../../src/llm/config';

// The per-role defaults the Settings UI shows (package.json) are the ones nocodo applies when a
// setting is unset (ROLE_DEFAULTS in src/llm/config.ts). ROLE_DEFAULTS is the source; package.json
// follows it.

const ROOT = path.resolve(__dirname, '../../..');
type Prop = { default?: unknown; minimum?: number; maximum?: number };
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Prop> } | { properties: Record<string, Prop> }[] } };
const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
const properties: Record<string, Prop> = Object.assign({}, ...sections.map((s) => s.properties));

describe('per-role defaults', () => {
  it.each(MODEL_ROLES)('package.json shows what nocodo applies for %s', (role) => {
    for (const key of ['model', 'temperature', 'maxTokens'] as const) {
      expect(properties[roleSetting(role, key)]?.default, roleSetting(role, key)).toBe(ROLE_DEFAULTS[role][key]);
    }
  });

  it('keeps every default inside the range the Settings UI allows', () => {
    for (const role of MODEL_ROLES) {
      for (const key of ['temperature', 'maxTokens'] as const) {
        const p = properties[roleSetting(role, key)]!;
        expect(ROLE_DEFAULTS[role][key]).toBeGreaterThanOrEqual(p.minimum!);
        expect(ROLE_DEFAULTS[role][key]).toBeLessThanOrEqual(p.maximum!);
      }
    }
  });
});
