import type { Diagnostic } from '../core/diagnostics';

/** Byte and line span in a source file (lines 1-based). */
export interface Span {
  startByte: number;
  endByte: number;
  startLine: number;
  endLine: number;
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
  file?: string;
  span?: Span;
}

export interface Joinable {
  child: string;
  parent: string;
  foreignKey: string;
}

export interface SqlTypeDef {
  /** Rust name in `sql_types` (e.g. `Ltree`). */
  name: string;
  /** `postgres_type(name = "...")`, `sqlite_type`, `mysql_type`. */
  dbName?: string;
  dbSchema?: string;
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
}

export interface StructField {
  name: string;
  type: string;
  attributes: string[];
  visibility?: string;
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
  span: Span;
}

export interface ImplBlock {
  typeName: string;
  trait?: string;
  functions: FnSig[];
  span: Span;
}

export interface RustEnum {
  name: string;
  variants: string[];
  derives: string[];
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
  diagnostics: Diagnostic[];
}
