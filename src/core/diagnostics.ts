/** A finding about code or a model answer. Positions are 1-based lines/columns when known. */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** Stable machine-readable code, e.g. `unknown-column`, `parse-error`, `no-code`. */
  code?: string;
  file?: string;
  line?: number;
  column?: number;
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

export function diag(severity: Severity, code: string, message: string, at?: Partial<Diagnostic>): Diagnostic {
  return { severity, code, message, ...at };
}
