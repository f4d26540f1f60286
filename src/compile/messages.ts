/**
 * Reads `cargo check --message-format=json` output: one JSON object per line. Only compiler
 * errors matter here; warnings are counted, not shown. Errors raised inside a macro expansion
 * are located at the macro call in the project (a `table!` or `#[derive]`), not in the crate
 * that defines the macro.
 */

export interface CompilerError {
  /** The compiler's one-line message (`mismatched types`). */
  message: string;
  /** `E0308` when the error has a code. */
  code?: string;
  /** Project-relative path of the primary span (undefined for crate-level errors). */
  file?: string;
  line?: number;
  column?: number;
  /** The primary span's label (`expected \`i32\`, found \`&str\``). */
  label?: string;
  /** The compiler's `help:` lines (`consider using \`.optional()\``), at most two. */
  help?: string[];
  /** The compiler's own rendering (with the source excerpt and help lines). */
  rendered: string;
}

export interface CargoMessages {
  errors: CompilerError[];
  warnings: number;
  /** `build-finished.success` when cargo printed it. */
  success?: boolean;
  /** Lines that were not JSON: cargo's own status and error lines (fetch failures, manifest errors). */
  plain: string[];
}

interface Span {
  file_name?: string;
  line_start?: number;
  column_start?: number;
  is_primary?: boolean;
  label?: string | null;
  expansion?: { span?: Span } | null;
}

interface Diag {
  message?: string;
  level?: string;
  code?: { code?: string } | null;
  spans?: Span[];
  rendered?: string | null;
  children?: Diag[];
}

const isProjectFile = (f: string | undefined): f is string => !!f && !f.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(f) && !f.startsWith('<');

/** The primary span, or the macro call in the project that produced it. */
function locate(spans: readonly Span[]): Span | undefined {
  let span: Span | undefined = spans.find((s) => s.is_primary) ?? spans[0];
  for (let depth = 0; span && depth < 20; depth++) {
    if (isProjectFile(span.file_name)) return span;
    span = span.expansion?.span ?? undefined;
  }
  return undefined;
}

export function parseCargoMessages(output: string): CargoMessages {
  const out: CargoMessages = { errors: [], warnings: 0, plain: [] };
  for (const line of output.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    if (!t.startsWith('{')) {
      out.plain.push(t);
      continue;
    }
    let msg: { reason?: string; message?: Diag; success?: boolean };
    try {
      msg = JSON.parse(t) as typeof msg;
    } catch {
      out.plain.push(t);
      continue;
    }
    if (msg.reason === 'build-finished') out.success = msg.success === true;
    if (msg.reason !== 'compiler-message' || !msg.message) continue;
    const m = msg.message;
    if (m.level === 'warning') out.warnings++;
    if (m.level !== 'error') continue;
    // "aborting due to N previous errors" and friends carry no span and no news.
    if (!m.spans?.length && /^aborting due to|^could not compile/.test(m.message ?? '')) continue;
    const at = locate(m.spans ?? []);
    const primary = (m.spans ?? []).find((sp) => sp.is_primary);
    const help = (m.children ?? []).filter((c) => c.level === 'help' && c.message).map((c) => c.message!).slice(0, 2);
    out.errors.push({
      message: m.message ?? 'error',
      ...(m.code?.code ? { code: m.code.code } : {}),
      ...(at?.file_name ? { file: at.file_name.split('\\').join('/') } : {}),
      ...(at?.line_start ? { line: at.line_start } : {}),
      ...(at?.column_start ? { column: at.column_start } : {}),
      ...(primary?.label ? { label: primary.label } : {}),
      ...(help.length ? { help } : {}),
      rendered: (m.rendered ?? m.message ?? '').trimEnd(),
    });
  }
  return out;
}

/** Lines in cargo's plain output that mean it could not get the crates, not that the code is wrong. */
export const FETCH_FAILURE =
  /failed to (?:download|fetch|get|load source|update|query replaced source)|unable to update registry|couldn't resolve host|could not resolve host|network failure|spurious network error|failed to connect|attempting to make an HTTP request, but --offline|no matching package named|failed to select a version/i;

/** cargo's first `error:` line (a manifest or fetch problem), for a one-line reason. */
export function firstCargoError(plain: readonly string[]): string | undefined {
  const i = plain.findIndex((l) => /^error(?:\[\w+\])?:/.test(l));
  if (i < 0) return undefined;
  // cargo puts the cause on the following `Caused by:` lines; keep the innermost short one.
  const rest = plain.slice(i + 1, i + 8).filter((l) => l && !/^Caused by:/.test(l));
  const detail = [plain[i]!.replace(/^error:\s*/, ''), ...rest.slice(-1)].join(': ');
  return detail.slice(0, 300);
}
