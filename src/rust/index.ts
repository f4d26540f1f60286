// PUBLIC API of Rust/Diesel reading (see ./types.ts for the data shapes).
// Everything here is pure core code (no vscode) and never throws on malformed Rust:
// partial results plus diagnostics. Parsing is synchronous once `await initRustParser()` ran;
// `loadProject`, `findSchemaPaths` and `parseSchemaFiles` call it themselves.
export * from './types';
export { initRustParser, isRustParserReady, setWasmDir, locateWasm } from './parser';
export { parseSchema, isNullableType, type SchemaSource } from './schema';
export { parseRustFile, inferTableName, normalizeType, DIESEL_DERIVES } from './models';
export { readCargo } from './cargo';
export {
  rustTypeForSql,
  rustTypesCompatible,
  acceptedRustTypes,
  parseSqlType,
  type RustTypeMapping,
  type RustTypeOptions,
  type FieldUsage,
  type SqlTypeNode,
} from './sqlTypes';
export { loadProject, locateSchema, findSchemaPaths, parseSchemaFiles, schemaFileWithModules, schemaSubModule } from './project';
export * from './actixTypes';
export { loadActix, analyzeActix, readActixFile, moduleOfFile, classifyExtractor, routeAttrsOf, joinRoutePath, routeShape, routesCollide, routeParams, aliasMap } from './actix';
export type { ActixFileRead, FnRead, RawReg, RawRoot } from './actix';
