import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { estimatePromptTokens } from '../../src/llm/tokenEstimate';
import type { ModeInput } from '../../src/pipeline/mode';
import type { Table } from '../../src/rust';
import { singularWord } from '../diesel-common/naming';
import { openProject, type ModeProject } from '../diesel-common/project';
import { joinPosix } from '../diesel-common/style';

export interface SchemaContext {
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
 * system text is short here, so a smaller Context keeps the cached prefix at 85% of the prompt
 * (300 gave 84.96% on the 70-table schema once the system text got shorter; 280: 85.8%,
 * test/unit/modes/promptGoals.test.ts).
 */
const SCHEMA_CONTEXT_BUDGET_TOKENS = 280;

/** The project's schema, its existing tables cut to the budget, and where the new table goes. */
export async function buildSchemaContext(input: ModeInput, now: () => Date): Promise<{ ctx: SchemaContext; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }> {
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
