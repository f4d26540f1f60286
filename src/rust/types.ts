import type { Diagnostic } from '../core/diagnostics';
import type { ProjectFs } from '../core/projectFs';

/**
 * Byte and line span in a source file (lines 1-based). `startByte`/`endByte` are UTF-8 byte
 * offsets; to cut a JS string use `startIndex`/`endIndex` (UTF-16 offsets, equal to the bytes
 * for ASCII files). Item spans (structs, enums, impls, functions) include the item's leading
 * doc comments and outer attributes, so replacing a span replaces the whole item.
 */
export interface Span {
  startByte: number;
  endByte: number;
  startLine: number;
  endLine: number;
  /** Offset in the JS string (`text.slice(startIndex, endIndex)`). */
  startIndex?: number;
  endIndex?: number;
}

export interface Column {
  name: string;
  /** SQL type exactly as written, whitespace removed: `Nullable<Array<Text>>`. */
  sqlType: string;
  nullable: boolean;
  /** `#[sql_name = "..."]`: the real column name when `name` is a Rust alias. */
  sqlName?: string;
  maxLength?: number;
  /** Other attributes as written, e.g. `auto_increment`. */
  attributes: string[];
  doc?: string;
  span?: Span;
}

export interface Table {
  name: string;
  /** Postgres schema prefix (`smdb` in `smdb.service`). */
  schema?: string;
  /** Declared key, or `["id"]` when omitted. */
  primaryKey: string[];
  columns: Column[];
  doc?: string;
  /** `use` lines inside the block. */
  uses: string[];
  /** `#[sql_name = "..."]` on the table. */
  sqlName?: string;
  /** Table-level attributes other than `sql_name`, as written. */
  attributes?: string[];
  /** Rust module path inside the schema file when the macro sits in `pub mod x { ... }` (`smdb`). */
  module?: string;
  file?: string;
  /** The whole `table!` invocation when it declares only this table. */
  span?: Span;
}

export interface Joinable {
  child: string;
  parent: string;
  foreignKey: string;
  file?: string;
  line?: number;
}

export interface SqlTypeDef {
  /** Rust name in `sql_types` (e.g. `Ltree`). */
  name: string;
  /** `postgres_type(name = "...")`, `sqlite_type`, `mysql_type`. */
  dbName?: string;
  dbSchema?: string;
  /** Backend named by the attribute (`postgres_type` → `pg`). */
  backend?: Backend;
  doc?: string;
  file?: string;
  line?: number;
}

export interface SchemaInfo {
  tables: Table[];
  joinables: Joinable[];
  /** Each `allow_tables_to_appear_in_same_query!` group. */
  allowedTogether: string[][];
  sqlTypes: SqlTypeDef[];
  diagnostics: Diagnostic[];
}

export interface UseDecl {
  /** The declaration's text without `pub`/`use`/`;`: `diesel::prelude::*`. */
  path: string;
  text: string;
  span: Span;
  visibility?: string;
  /** Every imported path spelled out: `use a::{b, c as d}` → `a::b`, `a::c as d`. */
  items?: string[];
}

export interface StructField {
  name: string;
  /** Type as written, whitespace normalised (`Option<NaiveDateTime>`, `&'a str`). */
  type: string;
  /** Attributes as written without `#[`/`]`: `diesel(column_name = x)`. */
  attributes: string[];
  visibility?: string;
  /** `#[diesel(column_name = x)]` / 1.x `#[column_name = "x"]`. */
  columnName?: string;
  /** `#[diesel(sql_type = X)]` / 1.x `#[sql_type = "X"]`. */
  sqlType?: string;
  doc?: string;
}

export interface ModelStruct {
  name: string;
  visibility?: string;
  /** Generic parameters as written, e.g. `<'a>`. */
  generics?: string;
  derives: string[];
  /** From `#[diesel(table_name = ...)]` / `#[table_name = "..."]`, or inferred. */
  tableName?: string;
  /** True when no attribute names the table and it was inferred from the struct name. */
  tableInferred: boolean;
  primaryKey?: string[];
  belongsTo: { parent: string; foreignKey?: string }[];
  checkForBackend: string[];
  treatNoneAsNull?: boolean;
  fields: StructField[];
  /** Tuple structs have positional fields named `0`, `1`, … */
  tuple: boolean;
  doc?: string;
  /** Every outer attribute as written without `#[`/`]` (derive, diesel, serde, cfg…). */
  attributes?: string[];
  span: Span;
}

export interface FnParam {
  pattern: string;
  type: string;
}

export interface FnSig {
  name: string;
  visibility?: string;
  isAsync: boolean;
  /** `self`, `&self`, `&mut self` or undefined for associated functions. */
  selfParam?: string;
  params: FnParam[];
  returnType?: string;
  /** Signature text up to the body: `pub async fn find(conn: &mut PgConnection) -> QueryResult<User>`. */
  signature: string;
  /** Generic parameters as written, e.g. `<T: Into<String>>`. */
  generics?: string;
  /** Outer attributes as written without `#[`/`]`: `diesel::dsl::auto_type`. */
  attributes?: string[];
  doc?: string;
  /** False for trait method declarations without a body. */
  hasBody?: boolean;
  span: Span;
}

export interface ImplBlock {
  typeName: string;
  trait?: string;
  /** `impl<'a>` parameters as written. */
  generics?: string;
  functions: FnSig[];
  span: Span;
}

export interface RustEnum {
  name: string;
  variants: string[];
  derives: string[];
  visibility?: string;
  attributes?: string[];
  doc?: string;
  span: Span;
}

export interface RustFileInfo {
  file?: string;
  uses: UseDecl[];
  structs: ModelStruct[];
  enums: RustEnum[];
  impls: ImplBlock[];
  /** Free functions at module level. */
  functions: FnSig[];
  /** `mod x;` declarations. */
  mods: string[];
  diagnostics: Diagnostic[];
}

export type Backend = 'pg' | 'mysql' | 'sqlite';

export interface CargoInfo {
  /** The backend code should target (first of diesel's enabled backends). */
  backend?: Backend;
  backends: Backend[];
  /** diesel-async is a dependency. */
  async: boolean;
  dieselVersion?: string;
  /** actix-web is a dependency. */
  actix: boolean;
  /** `[package] name`. */
  packageName?: string;
  /** Features enabled on diesel (its own list plus `diesel/x` entries of default features). */
  dieselFeatures?: string[];
  dieselAsyncVersion?: string;
  actixVersion?: string;
  /** The file is a workspace root (`[workspace]`). */
  workspace?: boolean;
  diagnostics: Diagnostic[];
}

/** A struct together with the file it was found in. */
export interface StructRef {
  struct: ModelStruct;
  file: RustFileInfo;
}

/** A table joined to another one by `joinable!`, seen from the other table. */
export interface JoinedTable {
  table: string;
  joinable: Joinable;
  /** `parent`: `table` is the parent (the other table holds the foreign key); `child`: the reverse. */
  role: 'parent' | 'child';
}

/** What `loadProject` found: paths are project-relative posix paths. */
export interface ProjectInfo {
  fs: ProjectFs;
  /** Folder of the crate (`''` for the project root, else e.g. `backend`). */
  crateDir: string;
  cargoPath?: string;
  cargo?: CargoInfo;
  dieselTomlPath?: string;
  schemaPaths: string[];
  schema: SchemaInfo;
  /** Model files (Diesel derives, `table_name`, or inside a `models/` folder). */
  files: RustFileInfo[];
  /** Every diagnostic: schema, model files, Cargo.toml, discovery. */
  diagnostics: Diagnostic[];
  findTable(name: string): Table | undefined;
  findStruct(name: string): StructRef | undefined;
  structsForTable(table: string): StructRef[];
  joinableTables(table: string): JoinedTable[];
}
