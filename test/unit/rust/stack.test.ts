import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProjectStack } from '../../../src/rust/stack';
import { whyModeDoesNotApply } from '../../../src/rust/modeFit';
import { MemoryFs } from './helpers';

// Issue #22: the Actix commands appear only in projects that depend on actix-web, the Diesel ones only with diesel.

const stackOf = (files: Record<string, string>) => readProjectStack(new MemoryFs(files));

describe('project stack', () => {
  it('reads actix-web and diesel from the root Cargo.toml', async () => {
    expect(await stackOf({ 'Cargo.toml': '[package]\nname = "a"\n[dependencies]\nactix-web = "4"\ndiesel = { version = "2", features = ["postgres"] }\n' })).toEqual({ cargoFound: true, actix: true, diesel: true });
    expect(await stackOf({ 'Cargo.toml': '[package]\nname = "a"\n[dependencies]\ndiesel = "1.4"\n' })).toEqual({ cargoFound: true, actix: false, diesel: true });
    expect(await stackOf({ 'Cargo.toml': '[package]\nname = "a"\n[dependencies]\naxum = "0.7"\n' })).toEqual({ cargoFound: true, actix: false, diesel: false });
    expect(await stackOf({ 'src/main.rs': 'fn main() {}\n' })).toEqual({ cargoFound: false, actix: false, diesel: false });
  });

  it('finds the dependencies of workspace members, `workspace = true` included', async () => {
    const stack = await stackOf({
      'Cargo.toml': '[workspace]\nmembers = ["api", "db"]\n[workspace.dependencies]\ndiesel = { version = "2.2", features = ["sqlite"] }\n',
      'api/Cargo.toml': '[package]\nname = "api"\n[dependencies]\nactix-web = "4"\n',
      'db/Cargo.toml': '[package]\nname = "db"\n[dependencies]\ndiesel = { workspace = true }\n',
    });
    expect(stack).toEqual({ cargoFound: true, actix: true, diesel: true });
  });

  it('says why a mode does not apply, and offers everything when no Cargo.toml tells', () => {
    const dieselOnly = { cargoFound: true, actix: false, diesel: true };
    expect(whyModeDoesNotApply('diesel-model-fn', dieselOnly)).toBeUndefined();
    expect(whyModeDoesNotApply('actix-router', dieselOnly)).toBe(
      "This project's Cargo.toml has no actix-web dependency, so this command does not apply here. Add actix-web to Cargo.toml to use it.",
    );
    expect(whyModeDoesNotApply('actix-handler', { cargoFound: true, actix: false, diesel: false })).toBe(
      "This project's Cargo.toml has no actix-web and no diesel dependency, so this command does not apply here. Add actix-web and diesel to Cargo.toml to use it.",
    );
    expect(whyModeDoesNotApply('diesel-schema', { cargoFound: true, actix: true, diesel: false })).toMatch(/no diesel dependency/);
    expect(whyModeDoesNotApply('actix-router', { cargoFound: false, actix: false, diesel: false })).toBeUndefined();
  });

  it('package.json shows each generation command only where its mode applies', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const entries = Object.values(pkg.contributes.menus)
      .flat()
      .filter((e) => /^nocodo\.generate(?:Actix|Diesel)/.test(e.command));
    expect(entries.length).toBeGreaterThanOrEqual(12);
    for (const e of entries) {
      if (e.command.startsWith('nocodo.generateActix')) expect(e.when).toContain('nocodo.project.actix');
      if (e.command.startsWith('nocodo.generateDiesel') || e.command === 'nocodo.generateActixHandler') expect(e.when).toContain('nocodo.project.diesel');
    }
  });
});
