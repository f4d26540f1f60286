import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp, FileChange } from '../../src/domain';
import { parseSchema, type Table } from '../../src/rust';
import { fileChange } from '../../src/pipeline/rust/applyOps';
import { extractTableMacro } from '../../src/pipeline/rust/artifact';
import { oneTableGrammar } from '../../src/pipeline/rust/tableGrammar';
import { migrationTimestamp, migrationsDir } from '../diesel-common/migrations';
import { type BuiltPrompt, type Mode, type ModeInput, described } from '../../src/pipeline/mode';
import { cleanAnswer } from '../../src/pipeline/postprocess';
import { buildPromptMessages } from '../diesel-common/examples';
import { renderJoinable, renderTable } from '../diesel-common/render';
import { promptFor, runModelMode, type ModelModeSpec, type Processed } from '../../src/pipeline/runner';
import { joinPosix } from '../diesel-common/style';
import { schemaExamples, schemaSystemText, SQL_TYPES_FOR } from './bank';
import { createTableSql, dropTableSql } from './sql';
import { buildSchemaContext, type SchemaContext } from './context';
import { foreignKeys, validateNewTable } from './validate';
import { descriptor } from './descriptor';

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
    prepare: (input) => buildSchemaContext(input, now),
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
