import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { RustfmtSetting } from '../pipeline/rust/rustfmt';

/** What a CLI command may touch: output sinks, the working folder and the environment. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** stderr is a terminal (progress lines may be rewritten in place). */
  stderrIsTTY?: boolean;
}

/** One `nocodo <name>` subcommand; each lives in src/cli/commands/<name>.ts. */
export interface CliCommand {
  name: string;
  /** One line for `nocodo --help`. */
  summary: string;
  /** Full help text: synopsis and options. */
  usage: string;
  /** Returns the exit code: 0 ok, 1 failure (e.g. errors found), 2 bad usage. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Thrown by commands for bad arguments: runCli prints the message and the usage, exit 2. */
export class UsageError extends Error {}

/** A whole number ≥ 1 from an option value, or undefined when the option was not given. */
export function positiveInt(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} needs a whole number of at least 1, not "${value}".`);
  return n;
}

export const RUSTFMT_USAGE = `  --rustfmt <path|off>  rustfmt that formats the Rust answers, or off (default: rustfmt on PATH or in ~/.cargo/bin)`;

/** `--rustfmt`: a program that must exist, or `off`; undefined when not given (rustfmt from PATH). */
export function rustfmtOption(value: string | undefined, cwd: string): RustfmtSetting | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === 'off') return false;
  const file = path.resolve(cwd, value.trim());
  if (!existsSync(file)) throw new UsageError(`--rustfmt names ${file}, which does not exist (give rustfmt's path, or off).`);
  return { path: file };
}

/**
 * A command's arguments: strict options (an unknown one is a usage error) and at most
 * `maxPositionals` positionals, the first extra one named in the error.
 */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, maxPositionals = 0): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  const parsed = parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({ args: argv, options, allowPositionals: true, strict: true });
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}".`);
  return parsed;
}
