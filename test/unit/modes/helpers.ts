import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { MemoryFs } from '../rust/helpers';
import { openProject, type ModeProject } from '../../../modes/diesel-common/project';

export { MemoryFs };

export const FIXTURES = path.resolve(__dirname, '../../fixtures');
export const BAKERY = path.join(FIXTURES, 'bakery');
export const CORPUS = path.join(FIXTURES, 'corpus');

export const corpus = (rel: string): string => readFileSync(path.join(CORPUS, rel), 'utf8');
export const bakeryFs = (): NodeProjectFs => new NodeProjectFs(BAKERY);
export const openBakery = (): Promise<ModeProject> => openProject(bakeryFs());

const CARGO = {
  pg: 'diesel = { version = "2.2", features = ["postgres", "chrono"] }',
  pgAsync: 'diesel = { version = "2.3", features = ["postgres", "chrono"] }\ndiesel-async = { version = "0.6", features = ["postgres"] }',
  mysql: 'diesel = { version = "2.1", features = ["mysql", "chrono"] }',
  sqlite: 'diesel = { version = "2.2", features = ["sqlite", "chrono"] }',
} as const;
export type CargoKind = keyof typeof CARGO;

/** A small in-memory crate: Cargo.toml for the backend, the schema at src/schema.rs, model files under src/models/. */
export function memoryProject(kind: CargoKind, schema: string, models: Record<string, string> = {}, extra: Record<string, string> = {}): MemoryFs {
  const files: Record<string, string> = {
    'Cargo.toml': `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${CARGO[kind]}\nserde = { version = "1", features = ["derive"] }\nchrono = { version = "0.4", features = ["serde"] }\n`,
    'src/schema.rs': schema,
    ...extra,
  };
  const mods = Object.keys(models).map((m) => m.replace(/\.rs$/, ''));
  if (mods.length) files['src/models/mod.rs'] = mods.map((m) => `pub mod ${m};`).join('\n') + '\n';
  for (const [name, text] of Object.entries(models)) files[`src/models/${name}`] = text;
  files['src/main.rs'] ??= 'mod models;\nmod schema;\n\nfn main() {}\n';
  return new MemoryFs(files);
}

/** Whitespace-insensitive comparison of code. */
export const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

export { fixtureClient } from '../../helpers/fixtureModel';
