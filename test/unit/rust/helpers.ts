import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../../src/core/diagnostics';
import { MemoryProjectFs } from '../../../src/core/projectFs';
import type { SchemaInfo } from '../../../src/rust';

export const CORPUS = path.resolve(__dirname, '../../fixtures/corpus');

export function corpusFile(rel: string): string {
  return readFileSync(path.join(CORPUS, rel), 'utf8');
}

/** A ProjectFs over an in-memory map of project-relative paths. */
export class MemoryFs extends MemoryProjectFs {
  constructor(files: Record<string, string>) {
    super('/memory', files);
  }
}

export function table(schema: SchemaInfo, name: string) {
  const t = schema.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}; have ${schema.tables.map((x) => x.name).join(', ')}`);
  return t;
}

export function column(schema: SchemaInfo, tableName: string, col: string) {
  const c = table(schema, tableName).columns.find((x) => x.name === col);
  if (!c) throw new Error(`no column ${tableName}.${col}`);
  return c;
}

export const errors = (s: { diagnostics: Diagnostic[] }): Diagnostic[] => s.diagnostics.filter((d) => d.severity === 'error');
