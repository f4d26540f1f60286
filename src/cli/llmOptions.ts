import { BASE_URL_SETTING, TIMEOUT_SETTINGS, resolveLlmConfig, type Knobs, type LlmConfig, type Timeouts } from '../llm';
import { UsageError } from './types';

/**
 * The model-server options every CLI command that calls a model shares: the server, the four
 * timeouts, and the API key from the environment (never a flag: flags show up in `ps` and shell
 * history). Messages name these flags, not the editor's settings.
 */

export const ENV_API_KEY = 'NOCODO_API_KEY';

const TIMEOUT_FLAGS: Readonly<Record<keyof Timeouts, string>> = {
  connectMs: 'connect-timeout-ms',
  firstTokenMs: 'first-token-timeout-ms',
  idleMs: 'idle-timeout-ms',
  totalMs: 'timeout-ms',
};

export const CLI_KNOBS: Knobs = {
  baseUrl: '--base-url',
  ...Object.fromEntries(Object.entries(TIMEOUT_FLAGS).map(([k, flag]) => [k, `--${flag}`])),
};

/** parseArgs options for the timeouts. */
export const TIMEOUT_OPTIONS = Object.fromEntries(Object.values(TIMEOUT_FLAGS).map((f) => [f, { type: 'string' as const }])) as Record<string, { type: 'string' }>;

export const TIMEOUT_USAGE = `  --timeout-ms <ms>              Longest one model call may take in all (default 900000)
  --connect-timeout-ms <ms>      Wait for the server to answer at all (default 10000)
  --first-token-timeout-ms <ms>  Wait for the first token (default 180000)
  --idle-timeout-ms <ms>         Longest silence between tokens (default 60000)
  Environment: ${ENV_API_KEY} is sent as the API key (Authorization: Bearer).`;

/** The timeouts given on the command line, as settings; a bad number is a usage error naming its flag. */
export function timeoutSettings(values: Readonly<Record<string, unknown>>): Partial<Timeouts> {
  const out: Partial<Timeouts> = {};
  for (const [k, flag] of Object.entries(TIMEOUT_FLAGS) as [keyof Timeouts, string][]) {
    const v = values[flag];
    if (typeof v !== 'string') continue;
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < 1 || n > 3_600_000) throw new UsageError(`--${flag} should be a whole number of milliseconds from 1 to 3600000, not "${v}".`);
    out[k] = n;
  }
  return out;
}

/** Resolves the configuration and turns a settings problem into a usage error that names the flag. */
export function cliLlmConfig(settings: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): LlmConfig {
  const config = resolveLlmConfig(settings, env);
  const bad = config.problems[0];
  if (bad) {
    let msg = bad.replace(`\`${BASE_URL_SETTING}\``, '--base-url').replace('`nocodo.roles.rustEngineer.model`', '--model');
    for (const [k, flag] of Object.entries(TIMEOUT_FLAGS)) msg = msg.replace(`\`${TIMEOUT_SETTINGS[k as keyof Timeouts]}\``, `--${flag}`);
    throw new UsageError(msg);
  }
  return config;
}

export const apiKeyFrom = (env: Readonly<Record<string, string | undefined>>): string | undefined => env[ENV_API_KEY]?.trim() || undefined;
