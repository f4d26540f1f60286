// PUBLIC API of the store. Core code depends on NocodoStore (./types), never on SQL.
export * from './types';
export { openStore } from './openStore';
export { saveRuns } from './saveRuns';
export { exportSession, exportBoard, type ExportFormat, type ExportOptions } from './export';
export { StoreValidationError, StoreDataError, StoreNotFoundError, StoreClosedError, StoreLockError } from './errors';
export { SCHEMA_VERSION } from './migrations';
