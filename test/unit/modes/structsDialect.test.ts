import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dieselModelStructMode } from '../../../modes/diesel-model-struct';
import { generateStructs } from '../../../modes/diesel-model-struct/generate';
import { openProject } from '../../../modes/diesel-common/project';
import { validateStruct } from '../../../modes/diesel-common/validate';
import { MemoryProjectFs } from '../../../src/core/projectFs';
import { loadTasks, type EvalTask } from '../../../src/eval';
import type { ModelClient } from '../../../src/llm/types';
import { initRustParser, parseRustFile, parseSchema } from '../../../src/rust';
import { corpus } from './helpers';

/**
 * diesel-model-struct writes each project's own Diesel dialect: 1.x attributes and derives in the
 * Diesel 1.4 corpus projects (rfcbot-rs, realworld-rust-rocket), 2.x in the 2.x ones; on the real
 * projects as the corpus-real tasks build them (tables there that have no struct yet).
 */

let tasks: EvalTask[];
beforeAll(async () => {
  await initRustParser();
  tasks = await loadTasks(path.resolve(__dirname, '../../../eval/tasks/corpus-real'));
}, 60_000);

const noModel = {} as ModelClient;
const projectOf = (taskId: string, edit: (files: Map<string, string>) => void = () => undefined) => {
  const files = new Map(tasks.find((x) => x.id === `corpus-real/${taskId}`)!.files);
  edit(files);
  return new MemoryProjectFs(`t:${taskId}`, files);
};

describe('diesel-model-struct in Diesel 1.x projects', () => {
  it('rfcbot-rs (1.4, #[macro_use] extern crate diesel): #[table_name = "teams"], no Selectable, no check_for_backend, no derive imports', async () => {
    const fs = projectOf('existing-proposal', (f) => f.set('src/lib.rs', `#[macro_use]\nextern crate diesel;\n\n${f.get('src/lib.rs')}`));
    const r = await dieselModelStructMode.run({ project: fs, table: 'teams', request: '' }, { client: noModel });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.code).toMatch(/^#\[derive\(Queryable, Identifiable, Debug, Clone, Serialize\)\]\n#\[table_name = "teams"\]\npub struct Team \{/);
    expect(r.code).toContain('#[derive(Insertable, Debug, Clone, Deserialize)]\n#[table_name = "teams"]\npub struct NewTeam {');
    expect(r.code).toContain('#[table_name = "teams"]\npub struct TeamChanges {');
    expect(r.code).not.toMatch(/Selectable|check_for_backend|#\[diesel\(/);
    const file = r.changeSet!.files[0]!.proposed;
    expect(file).not.toMatch(/use diesel::(?:Queryable|Insertable|\{)/);
    // The row struct loads by position: every column of `teams`, in the table's order.
    const p = await openProject(fs);
    const table = p.info.findTable('teams')!;
    const row = parseRustFile(r.code!).structs[0]!;
    expect(row.fields.map((f) => f.name)).toEqual(table.columns.map((c) => c.name));
    for (const s of parseRustFile(r.code!).structs) expect(validateStruct(s, { tables: p.info.schema.tables, style: p.style }), s.name).toEqual([]);
  });

  it('realworld-rust-rocket (1.4, no #[macro_use]): a composite key as #[primary_key(user, article)], derives imported by name', async () => {
    const fs = projectOf('find-user');
    const r = await dieselModelStructMode.run({ project: fs, table: 'favorites', request: '' }, { client: noModel });
    expect(r.ok).toBe(true);
    expect(r.code).toMatch(/^#\[derive\(Queryable, Identifiable, Debug, Clone, Serialize\)\]\n#\[table_name = "favorites"\]\n#\[primary_key\(user, article\)\]\npub struct Favorite \{/);
    const file = r.changeSet!.files[0]!;
    expect(file.proposed).toContain('use diesel::{Identifiable, Insertable, Queryable};');
    expect(file.proposed).toContain('use crate::schema::favorites;');
  });

  it('every corpus table in the 1.x dialect validates, and a column without a Rust type is an error (no Selectable to skip it)', () => {
    const schema = parseSchema([{ file: 'schema.rs', text: corpus('rfcbot-rs/schema.rs') }]);
    const style = { backend: 'pg', backendKnown: true, diesel1: true, async: false, connType: 'PgConnection', backendPath: 'diesel::pg::Pg', backendName: 'PostgreSQL', dateTime: 'chrono', deps: new Set(['serde', 'chrono']), depFeatures: new Map([['serde', ['derive']], ['chrono', ['serde']]]), serde: true, schemaModule: 'crate::schema' } as const;
    for (const table of schema.tables) {
      const gen = generateStructs(table, { style: { ...style, deps: new Set(style.deps), depFeatures: new Map(style.depFeatures) }, macroUseDiesel: true });
      expect(gen.diagnostics.filter((d) => d.severity === 'error'), table.name).toEqual([]);
      for (const s of parseRustFile(gen.structs.map((x) => x.code).join('\n\n')).structs) {
        expect(s.tableName).toBe(table.name);
        expect(validateStruct(s, { tables: schema.tables, style: { ...style, deps: new Set(), depFeatures: new Map() } }), `${table.name}/${s.name}`).toEqual([]);
      }
    }
    const custom = parseSchema([{ file: 's.rs', text: 'table! { use diesel::sql_types::*; use crate::Mood; people (id) { id -> Int4, mood -> Mood, } }' }]).tables[0]!;
    const gen = generateStructs(custom, { style: { ...style, deps: new Set(), depFeatures: new Map() } });
    expect(gen.diagnostics.find((d) => d.code === 'skipped-columns')).toMatchObject({ severity: 'error' });
  });
});

describe('diesel-model-struct in Diesel 2.x projects', () => {
  it('realworld-actix-diesel (2.1): #[diesel(table_name = …, primary_key(…), check_for_backend(diesel::pg::Pg))] with Selectable', async () => {
    const fs = projectOf('article-with-author');
    const r = await dieselModelStructMode.run({ project: fs, table: 'follows', request: '' }, { client: noModel });
    expect(r.ok).toBe(true);
    expect(r.code).toMatch(/^#\[derive\(Queryable, Selectable, Identifiable, Debug, Clone, Serialize\)\]\n#\[diesel\(table_name = follows, primary_key\(follower_id, followee_id\), check_for_backend\(diesel::pg::Pg\)\)\]\npub struct Follow \{/);
    expect(r.code).not.toContain('#[table_name');
    expect(r.changeSet!.files[0]!.proposed).not.toMatch(/use diesel::\{?[A-Z]/);
  });
});
