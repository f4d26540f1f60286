import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp, FileChange } from '../../src/domain';
import { parseSchema, rustTypeForSql, type Table } from '../../src/rust';
import { fileChange } from '../../src/pipeline/rust/applyOps';
import { extractTableMacro } from '../../src/pipeline/rust/artifact';
import { oneTableGrammar } from '../../src/pipeline/rust/tableGrammar';
import { migrationTimestamp, migrationsDir } from '../diesel-common/migrations';
import { type BuiltPrompt, type Mode, type ModeInput, described } from '../../src/pipeline/mode';
import { singularWord, tableCandidates } from '../diesel-common/naming';
import { cleanAnswer } from '../../src/pipeline/postprocess';
import { openProject, type ModeProject } from '../diesel-common/project';
import { buildPromptMessages } from '../diesel-common/examples';
import { renderJoinable, renderTable } from '../diesel-common/render';
import { promptFor, runModelMode, type ModelModeSpec, type Processed } from '../../src/pipeline/runner';
import { joinPosix } from '../diesel-common/style';
import { closest } from '../diesel-common/validate';
import { estimatePromptTokens } from '../../src/llm/tokenEstimate';
import { schemaExamples, schemaSystemText, SQL_TYPES_FOR } from './bank';
import { createTableSql, dropTableSql, sqlTypeText, type ForeignKey } from './sql';
import { descriptor } from './descriptor';

interface SchemaContext {
  project: ModeProject;
  /** The schema file the table goes into (created when the project has none). */
  schemaFile: string;
  schemaText: string | undefined;
  rendered: string;
  /** Clock for the migration folder name (tests pin it). */
  now: () => Date;
}

/** `diesel::table! { customers (id) { id -> Int4, name -> Varchar, } }` on one line. */
export function oneLineTable(t: Table): string {
  return `diesel::table! { ${t.name} (${t.primaryKey.join(', ')}) { ${t.columns.map((c) => `${c.name} -> ${c.sqlType},`).join(' ')} } }`;
}

const MAX_TABLES_SHOWN = 25;
/**
 * Tokens for the per-request part of the prompt (see diesel-model-fn/budget.ts for why). The
 * system text is short here, so a smaller Context keeps the cached prefix at 85% of the prompt.
 */
const SCHEMA_CONTEXT_BUDGET_TOKENS = 300;

async function prepare(input: ModeInput, now: () => Date): Promise<{ ctx: SchemaContext; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }> {
  if (!input.request.trim()) return { diagnostics: [diag('error', 'no-request', 'Describe the new table: what it stores and which columns it needs.')] };
  const project = await openProject(input.project);
  const diagnostics: Diagnostic[] = [];
  if (input.table && project.info.findTable(input.table)) {
    return { diagnostics: [diag('error', 'table-exists', `Table \`${input.table}\` already exists in ${project.info.findTable(input.table)!.file ?? 'the schema'}.`)] };
  }
  if (!project.style.backendKnown) diagnostics.push(diag('warning', 'backend-unknown', 'Cargo.toml names no Diesel backend; writing for PostgreSQL.'));
  const schemaFile = project.info.schemaPaths[0] ?? joinPosix(project.info.crateDir, 'src/schema.rs');
  const schemaText = await input.project.readFile(schemaFile);
  // Tables the request mentions first (likely foreign keys), then the rest up to a limit.
  const words = ` ${input.request.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  const tables = [...project.info.schema.tables].sort((a, b) => Number(words.includes(` ${singularWord(b.name)} `) || words.includes(` ${b.name} `)) - Number(words.includes(` ${singularWord(a.name)} `) || words.includes(` ${a.name} `)));
  // Whole tables while they fit the budget (the named ones come first), then names, then a count.
  const shown: Table[] = [];
  let used = estimatePromptTokens(`Request: ${input.request}`);
  for (const t of tables.slice(0, MAX_TABLES_SHOWN)) {
    const cost = estimatePromptTokens(oneLineTable(t));
    if (used + cost > SCHEMA_CONTEXT_BUDGET_TOKENS * 0.8) break;
    shown.push(t);
    used += cost;
  }
  const named: string[] = [];
  for (const t of tables.slice(shown.length)) {
    if (used + estimatePromptTokens(`${t.name}, `) > SCHEMA_CONTEXT_BUDGET_TOKENS) break;
    named.push(t.name);
    used += estimatePromptTokens(`${t.name}, `);
  }
  const unnamed = tables.length - shown.length - named.length;
  const lines = ['// Existing tables:', ...shown.map(oneLineTable)];
  if (named.length) lines.push(`// Also: ${named.join(', ')}${unnamed ? ` and ${unnamed} more` : ''}`);
  if (tables.length > shown.length && shown.length < MAX_TABLES_SHOWN) diagnostics.push(diag('info', 'context-trimmed', `The prompt's context was cut to about ${SCHEMA_CONTEXT_BUDGET_TOKENS} tokens: ${named.length} existing tables are listed by name only${unnamed ? `, ${unnamed} not at all` : ''}.`));
  if (!tables.length) lines.push('// (none yet)');
  const wanted = input.table ? `\n// The new table must be named \`${input.table}\`.` : '';
  return { ctx: { project, schemaFile, schemaText, rendered: lines.join('\n') + wanted, now }, diagnostics };
}

function prompt(ctx: SchemaContext, input: ModeInput): BuiltPrompt {
  return buildPromptMessages(schemaSystemText(ctx.project.style), schemaExamples(), ctx.project.style, ctx.rendered, input.request, input.notes ?? []);
}

/** The answer's `table!`, parsed and rendered canonically (rustfmt leaves macro bodies alone). */
async function postProcess(answer: { content: string; reasoning: string }, _ctx: SchemaContext, input: ModeInput): Promise<Processed> {
  const cleaned = cleanAnswer(answer.content, { reasoning: answer.reasoning, looksLikeAnswer: /table!/ });
  if (hasErrors(cleaned.diagnostics)) return { diagnostics: cleaned.diagnostics };
  const picked = extractTableMacro(cleaned.code, input.table ? { wantedName: input.table } : {});
  const diagnostics = [...cleaned.diagnostics, ...picked.diagnostics];
  if (!('code' in picked)) return { diagnostics };
  const parsed = parseSchema([{ file: 'answer.rs', text: picked.code }]);
  // Syntax problems stop here; meaning (keys, types, names) is checked against the project in check().
  const errors = parsed.diagnostics
    .filter((d) => d.severity === 'error' && d.code !== 'unknown-column')
    .map(({ file: _file, ...d }) => ({ ...d, code: d.code === 'duplicate-column' ? d.code : 'parse-error' }));
  const table = parsed.tables[0];
  if (errors.length || !table) return { code: picked.code, diagnostics: [...diagnostics, ...(errors.length ? errors : [diag('error', 'parse-error', 'The `table!` block declares no table.')])] };
  if (input.table && table.name !== input.table) {
    diagnostics.push(diag('info', 'renamed-table', `The model named the table \`${table.name}\`; renamed to \`${input.table}\` as asked.`));
    table.name = input.table;
  }
  return { code: renderTable({ ...table, uses: [], file: undefined } as Table), diagnostics };
}

/** Foreign keys from `<x>_id` columns naming an existing table whose key has the same type. */
export function foreignKeys(table: Table, project: ModeProject, diagnostics: Diagnostic[]): ForeignKey[] {
  const fks: ForeignKey[] = [];
  for (const c of table.columns) {
    const m = /^(\w+)_id$/.exec(c.name);
    if (!m || table.primaryKey.includes(c.name)) continue;
    const parts = m[1]!.split('_');
    const last = parts.pop()!;
    const names = tableCandidates(last).map((w) => [...parts, w].join('_'));
    const parent = names.map((n) => project.info.findTable(n)).find((t): t is Table => t !== undefined && t.name !== table.name);
    if (!parent) continue;
    if (parent.primaryKey.length !== 1) continue;
    const key = parent.columns.find((x) => x.name === parent.primaryKey[0]);
    const base = (s: string): string => s.replace(/^Nullable<(.*)>$/, '$1');
    if (!key || base(key.sqlType) !== base(c.sqlType)) {
      diagnostics.push(diag('warning', 'fk-type', `\`${table.name}.${c.name}\` looks like a reference to \`${parent.name}\`, but its type ${c.sqlType} differs from \`${parent.name}.${key?.name ?? '?'}\` (${key?.sqlType ?? '?'}); no foreign key or joinable! was added.`));
      continue;
    }
    fks.push({ column: c.name, table: parent.name, key: key.name });
  }
  return fks;
}

/** The new table against the project: parses, new name, primary key, known SQL types for the backend. */
export function validateNewTable(table: Table, project: ModeProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { style } = project;
  if (project.info.findTable(table.name)) out.push(diag('error', 'table-exists', `Table \`${table.name}\` already exists: choose a new name.`));
  if (!/^[a-z][a-z0-9_]*$/.test(table.name)) out.push(diag('error', 'table-name', `Table name \`${table.name}\` must be lowercase snake_case.`));
  if (!table.columns.length) out.push(diag('error', 'no-columns', `Table \`${table.name}\` has no columns.`));
  for (const k of table.primaryKey) {
    if (!table.columns.some((c) => c.name === k)) out.push(diag('error', 'primary-key', `Primary key \`${k}\` is not a column of \`${table.name}\`: add \`${k} -> ${style.backend === 'pg' ? 'Int4' : 'Integer'},\` or fix the key.`));
  }
  for (const c of table.columns) {
    const m = rustTypeForSql(c.sqlType, style.backend);
    if ('unknown' in m) {
      const near = closest(c.sqlType.replace(/^Nullable<(.*)>$/, '$1'), SQL_TYPES_FOR[style.backend]);
      out.push(diag('error', 'unknown-sql-type', `Column \`${c.name} -> ${c.sqlType}\`: ${m.reason}${near.length ? ` Use ${near.map((n) => `\`${n}\``).join(' or ')}.` : ` Use one of ${SQL_TYPES_FOR[style.backend].join(', ')}.`}`));
    }
    else if (sqlTypeText(c.sqlType, style.backend, c.maxLength) === undefined) {
      out.push(diag('error', 'unknown-sql-type', `Column \`${c.name} -> ${c.sqlType}\`: nocodo cannot write the migration for this type; use one of ${SQL_TYPES_FOR[style.backend].join(', ')}.`));
    }
    if (!/^(?:r#)?[a-z_][a-z0-9_]*$/.test(c.name)) out.push(diag('error', 'column-name', `Column \`${c.name}\` must be lowercase snake_case.`));
    if (table.primaryKey.includes(c.name) && c.nullable) out.push(diag('error', 'primary-key', `Primary key column \`${c.name}\` cannot be Nullable.`));
  }
  return out;
}

async function check(processed: Processed & { code: string }, ctx: SchemaContext): Promise<{ diagnostics: Diagnostic[]; changeSet?: { mode: string; summary: string; files: FileChange[] } }> {
  const table = parseSchema([{ file: 'answer.rs', text: processed.code }]).tables[0];
  if (!table) return { diagnostics: [diag('error', 'parse-error', 'The `table!` block declares no table.')] };
  const diagnostics = validateNewTable(table, ctx.project);
  if (hasErrors(diagnostics)) return { diagnostics };
  const fks = foreignKeys(table, ctx.project, diagnostics);
  const { style, info } = ctx.project;
  const schemaOps: EditOp[] = [{ op: 'appendItem', code: processed.code }];
  for (const fk of fks) schemaOps.push({ op: 'appendItem', code: renderJoinable({ child: table.name, parent: fk.table, foreignKey: fk.column }) });
  schemaOps.push({ op: 'allowTables', tables: [table.name] });
  const files: FileChange[] = [];
  const schema = fileChange(ctx.schemaFile, ctx.schemaText, schemaOps);
  files.push(schema.change);
  diagnostics.push(...schema.diagnostics);
  if (ctx.schemaText === undefined) {
    // A project without a schema file yet: declare the module in the crate root.
    const src = joinPosix(info.crateDir, 'src');
    const lib = await info.fs.readFile(`${src}/lib.rs`);
    const rootPath = lib !== undefined ? `${src}/lib.rs` : `${src}/main.rs`;
    const root = fileChange(rootPath, lib ?? (await info.fs.readFile(rootPath)), [{ op: 'addMod', name: 'schema', pub: lib !== undefined }]);
    files.push(root.change);
  }
  const dir = joinPosix(await migrationsDir(info), `${migrationTimestamp(ctx.now())}_create_${table.name}`);
  const existing = (await info.fs.listFiles(await migrationsDir(info), ['up.sql'])).find((p) => p.includes(`_create_${table.name}/`));
  if (existing) diagnostics.push(diag('warning', 'migration-exists', `A migration ${existing} already creates \`${table.name}\`.`));
  files.push(fileChange(`${dir}/up.sql`, undefined, [{ op: 'createFile', content: createTableSql(table, style.backend, fks) }]).change);
  files.push(fileChange(`${dir}/down.sql`, undefined, [{ op: 'createFile', content: dropTableSql(table, style.backend) }]).change);
  const fkText = fks.length ? ` (references ${fks.map((f) => f.table).join(', ')})` : '';
  return { diagnostics, changeSet: { mode: 'diesel-schema', summary: `Add table \`${table.name}\`${fkText} to ${ctx.schemaFile} with migration ${dir}`, files } };
}

/** Builds the mode; `now` fixes the migration timestamp (tests). */
export function createDieselSchemaMode(now: () => Date = () => new Date()): Mode {
  const spec: ModelModeSpec<SchemaContext> = {
    mode: 'diesel-schema',
    // One narrow artifact: an answer longer than this is not what was asked for.
    maxCodeLines: 200,
    prepare: (input) => prepare(input, now),
    prompt,
    // One `table!` in the examples' layout, typed from the backend's list, named as asked.
    grammar: (ctx, input) => oneTableGrammar(SQL_TYPES_FOR[ctx.project.style.backend], input.table && /^[a-z][a-z0-9_]*$/.test(input.table) ? input.table : undefined),
    postProcess,
    check: (processed, ctx) => check(processed, ctx),
  };
  return {
    ...described(descriptor),
    buildPrompt: (input) => promptFor(spec, input),
    run: (input, opts) => runModelMode(spec, input, opts, '`diesel::table!` block'),
  };
}

export const dieselSchemaMode: Mode = createDieselSchemaMode();

export default dieselSchemaMode;
