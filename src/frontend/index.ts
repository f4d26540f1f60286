// PUBLIC API of the frontend side of the core (no vscode): Rust → TypeScript API types, the typed
// client, and the API model the Solid modes read.
export { generateApiFiles, findFrontendDir, type ApiFiles } from './apiFiles';
export { withRegeneratedApi } from './regenerate';
export { readApiModel, type ApiEndpoint, type ApiModel } from './apiModel';
export { TsTypeGen, INTEGER_RULE, type UnmappedType } from './tsTypes';
export { readSerdeItems, type SerdeItem } from './serdeItems';
export { parseRustType, type RustTypeExpr } from './rustTypeExpr';
