import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser, parseRustFile, parseSchema } from '../../../src/rust';
import { clearParseCache, parseCacheStats } from '../../../src/rust/parseCache';
import { scanModDecls } from '../../../src/rust/modScan';

beforeAll(() => initRustParser());

describe('parse cache', () => {
  it('the same path and text parse once; a changed text parses again; callers get their own copy', () => {
    clearParseCache();
    const text = '#[derive(Queryable)]\npub struct User { pub id: i32 }\n';
    const a = parseRustFile(text, 'src/user.rs');
    a.structs[0]!.name = 'Changed';
    a.diagnostics.push({ severity: 'error', code: 'x', message: 'added by a caller' });
    const b = parseRustFile(text, 'src/user.rs');
    expect(b.structs[0]!.name).toBe('User');
    expect(b.diagnostics).toEqual([]);
    expect(parseCacheStats()).toMatchObject({ hits: 1, misses: 1 });
    expect(parseRustFile(text.replace('i32', 'i64'), 'src/user.rs').structs[0]!.fields[0]!.type).toBe('i64');
    const schema = [{ file: 'src/schema.rs', text: 'diesel::table! { users (id) { id -> Int4, } }' }];
    parseSchema(schema).tables.pop();
    expect(parseSchema(schema).tables.map((t) => t.name)).toEqual(['users']);
    expect(parseCacheStats().misses).toBe(3);
  });
});

describe('mod declarations by scan', () => {
  it('top-level `mod x;` only: not inline modules, comments or strings', () => {
    const text = `pub mod models;\nmod schema;\n#[cfg(test)]\nmod tests;\npub(crate) mod r#type;\n// mod commented;\n/* mod blocked; */\nconst S: &str = "mod quoted;";\nmod inline {\n    mod nested;\n}\nmod after;\n`;
    expect(scanModDecls(text)).toEqual(['models', 'schema', 'tests', 'type', 'after']);
    expect(scanModDecls(text)).toEqual(parseRustFile(text).mods.map((m) => m.replace(/^r#/, '')));
  });
});
