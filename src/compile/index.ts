// The compiler as the final judge: `cargo check` of a shadow copy with a proposed change applied.
export { checkLimitMs, createCompileChecker, findCargo, DEFAULT_TIMEOUT_MS, type CompileCheckerOptions } from './checker';
export { cargoProgressLabel, compileSummary, skippingChecker, type CargoCheckSetting, type CompileChecker, type CompileError, type CompileProgress, type CompileRequest, type CompileResult } from './types';
export type { GeneratedCode } from './attribute';
