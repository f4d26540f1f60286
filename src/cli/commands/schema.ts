import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { diag, type Diagnostic } from '../../core/diagnostics';
import { NodeProjectFs } from '../../core/projectFs';
import { initRustParser, locateSchema, parseSchema, schemaFileWithModules, schemaSubModule, type SchemaInfo, type SchemaSource } from '../../rust';
import { UsageError, type CliCommand, type CliIo } from '../types';

const usage = `Usage: nocodo schema <file-or-dir>... [--json]

Reads Diesel schema files (table!, joinable!, allow_tables_to_appear_in_same_query!, sql_types)
and prints the tables. A folder is read like a project: diesel.toml's [print_schema] file,
else src/schema.rs, else src/schema/mod.rs, else any .rs file with table!.

Options:
  --json      Print {"tables","joinables","allowedTogether","sqlTypes","diagnostics"} as JSON
  -h, --help  Show this help

Exit code: 0 when the schema has no errors, 1 when it has (partial results are still printed).`;

/** Display paths relative to the working folder, with forward slashes. */
const display = (cwd: string, abs: string): string => path.relative(cwd, abs).split(path.sep).join('/') || '.';

async function collectSources(args: string[], io: CliIo): Promise<{ sources: SchemaSource[]; diagnostics: Diagnostic[] }> {
  const sources: SchemaSource[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = async (abs: string, module?: string): Promise<void> => {
    if (seen.has(abs)) return;
    seen.add(abs);
    try {
      sources.push({ file: display(io.cwd, abs), text: await fsp.readFile(abs, 'utf8'), ...(module ? { module } : {}) });
    } catch (err) {
      diagnostics.push(diag('error', 'file-missing', `Cannot read ${display(io.cwd, abs)}: ${(err as Error).message}`));
    }
  };
  for (const arg of args) {
    const abs = path.resolve(io.cwd, arg);
    const stat = await fsp.stat(abs).catch(() => undefined);
    if (!stat) {
      diagnostics.push(diag('error', 'file-missing', `${arg} does not exist.`));
    } else if (stat.isDirectory()) {
      const found = await locateSchema(new NodeProjectFs(abs));
      // Discovery messages name paths inside the folder; show them from the working folder.
      for (const d of found.diagnostics) diagnostics.push(d.file ? { ...d, file: display(io.cwd, path.join(abs, d.file)) } : d);
      for (const p of found.paths) await add(path.join(abs, p), schemaSubModule(p, found.paths));
    } else {
      // A split schema (`src/schema/mod.rs` with `pub mod account;`): follow its `mod` declarations.
      const files = await schemaFileWithModules(new NodeProjectFs(path.dirname(abs)), path.basename(abs));
      for (const f of files) await add(path.join(path.dirname(abs), f), schemaSubModule(f, files));
    }
  }
  return { sources, diagnostics };
}

function formatText(schema: SchemaInfo): string {
  const lines: string[] = [];
  for (const t of schema.tables) {
    const name = t.schema ? `${t.schema}.${t.name}` : t.name;
    const where = t.file ? `  ${t.file}${t.span ? `:${t.span.startLine}` : ''}` : '';
    lines.push(`${name} (${t.primaryKey.join(', ')})${t.sqlName ? ` sql_name "${t.sqlName}"` : ''}${where}`);
    const width = Math.max(0, ...t.columns.map((c) => c.name.length));
    for (const c of t.columns) {
      const notes = [
        c.sqlName ? `sql_name "${c.sqlName}"` : '',
        c.maxLength !== undefined ? `max_length ${c.maxLength}` : '',
        ...c.attributes,
      ].filter(Boolean);
      lines.push(`  ${c.name.padEnd(width)}  ${c.sqlType}${notes.length ? `  [${notes.join(', ')}]` : ''}`);
    }
    lines.push('');
  }
  if (schema.joinables.length) {
    lines.push('joinable:');
    for (const j of schema.joinables) lines.push(`  ${j.child} -> ${j.parent} (${j.foreignKey})`);
    lines.push('');
  }
  for (const g of schema.allowedTogether) lines.push(`allowed together: ${g.join(', ')}`);
  if (schema.allowedTogether.length) lines.push('');
  if (schema.sqlTypes.length) {
    lines.push('custom SQL types:');
    for (const s of schema.sqlTypes) lines.push(`  ${s.name}${s.dbName ? ` = ${s.dbSchema ? `${s.dbSchema}.` : ''}${s.dbName}` : ''}${s.backend ? ` (${s.backend})` : ''}`);
    lines.push('');
  }
  for (const d of schema.diagnostics) {
    const at = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
    lines.push(`${at}${d.severity}${d.code ? ` [${d.code}]` : ''}: ${d.message}`);
  }
  const count = (s: Diagnostic['severity']): number => schema.diagnostics.filter((d) => d.severity === s).length;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(schema.tables.length, 'table')}, ${plural(schema.joinables.length, 'joinable')}, ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`,
  );
  return `${lines.join('\n')}\n`;
}

export const schemaCommand: CliCommand = {
  name: 'schema',
  summary: 'Read Diesel schema files or a project folder and list tables, joins and types',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    if (!positionals.length) throw new UsageError('give at least one schema file or project folder.');
    await initRustParser();
    const { sources, diagnostics } = await collectSources(positionals, io);
    const schema = parseSchema(sources);
    schema.diagnostics.unshift(...diagnostics);
    if (values.json) {
      io.stdout(`${JSON.stringify({ tables: schema.tables, joinables: schema.joinables, allowedTogether: schema.allowedTogether, sqlTypes: schema.sqlTypes, diagnostics: schema.diagnostics }, null, 2)}\n`);
    } else {
      io.stdout(formatText(schema));
    }
    return schema.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
  },
};
