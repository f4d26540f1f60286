// PUBLIC API of Rust/Diesel reading (being implemented; see ./types.ts for the data shapes).
// Everything here is pure core code (no vscode) and never throws on malformed Rust:
// partial results plus diagnostics.
export * from './types';
