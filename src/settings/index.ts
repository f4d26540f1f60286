import { z } from 'zod';
import { MODEL_ROLES, type ModelRole } from '../domain';
import { DEFAULT_BASE_URL } from './defaultBaseUrl';

/**
 * Every `nocodo.*` setting in one place: what a valid value is (a zod schema), its default, and how
 * a message says what is expected. The editor (src/host/config.ts) and the core read through it;
 * package.json's `contributes.configuration` shows the same keys and defaults (tested in
 * test/unit/settings). An invalid value never takes the others down: it is reported with its key
 * and that key alone falls back to its default.
 */

export interface SettingSpec<T = unknown> {
  schema: z.ZodType<T, unknown>;
  default: T;
  /** "should be …" in a message about a bad value. */
  expect: string;
  /** Read from the user's own settings only: it names a program, a file or a host nocodo sends a token to. */
  machine?: true;
}

const setting = <T>(schema: z.ZodType<T, unknown>, dflt: T, expect: string, machine?: true): SettingSpec<T> => ({ schema, default: dflt, expect, ...(machine ? { machine } : {}) });

// ---------------------------------------------------------------------------------------------
// Defaults are sized for small local models on a CPU: a 0.8B model answers at a few tokens per
// second and needs minutes for a long prompt, so first-token waits are long and code roles run cold.

export { DEFAULT_BASE_URL };
export const DEFAULT_MODEL = 'unsloth/Qwen3.5-0.8B-GGUF';
export interface TimeoutSettings {
  connectMs: number;
  firstTokenMs: number;
  idleMs: number;
  totalMs: number;
}
// totalMs: a first-token wait plus 1024 tokens at ~2 tokens/s still fits, an endless stream does not.
export const DEFAULT_TIMEOUTS: Readonly<TimeoutSettings> = { connectMs: 10_000, firstTokenMs: 180_000, idleMs: 60_000, totalMs: 900_000 };
export const DEFAULT_MAX_RETRIES = 2;

// repeatPenalty: llama.cpp's repeat_penalty over the last REPEAT_PENALTY_WINDOW tokens; 1 = off.
export const ROLE_DEFAULTS: Readonly<Record<ModelRole, { model: string; temperature: number; maxTokens: number; repeatPenalty: number }>> = {
  rustEngineer: { model: DEFAULT_MODEL, temperature: 0.1, maxTokens: 1024, repeatPenalty: 1 },
  frontendEngineer: { model: DEFAULT_MODEL, temperature: 0.2, maxTokens: 1536, repeatPenalty: 1 },
  productOwner: { model: DEFAULT_MODEL, temperature: 0.3, maxTokens: 2048, repeatPenalty: 1 },
  projectManager: { model: DEFAULT_MODEL, temperature: 0.3, maxTokens: 2048, repeatPenalty: 1 },
  engineeringManager: { model: DEFAULT_MODEL, temperature: 0.3, maxTokens: 2048, repeatPenalty: 1 },
};
/** How many recent tokens (the prompt's last ones, then the answer's) the repeat penalty looks at: llama.cpp's default repeat_last_n. */
export const REPEAT_PENALTY_WINDOW = 64;

export const LOCAL_RUNTIMES = ['auto', 'llama-server', 'embedded'] as const;
export const CARGO_CHECK_MODES = ['auto', 'on', 'off'] as const;
export const GIT_FORGES = ['auto', 'github', 'gitlab'] as const;

// ---------------------------------------------------------------------------------------------
// Field schemas.

const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

/** `http://user:pass@host`: credentials in a URL end up in logs, runs and exports; keys go elsewhere. */
export const hasCredentials = (s: string): boolean => {
  try {
    const u = new URL(s);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
};

export const BaseUrlField = z
  .string()
  .trim()
  .refine(isHttpUrl)
  .refine((s) => !hasCredentials(s))
  .transform((s) => s.replace(/\/+$/, ''));
export const ModelField = z.string().trim().min(1).max(300);
export const MsField = z.number().int().min(1).max(3_600_000);
export const TemperatureField = z.number().min(0).max(2);
export const MaxTokensField = z.number().int().min(1).max(1_000_000);
export const MaxRetriesField = z.number().int().min(0).max(10);
export const RepeatPenaltyField = z.number().min(1).max(2);

export const EXPECT = {
  baseUrl: 'an http(s) URL such as http://localhost:8080/v1',
  baseUrlWithoutCredentials: 'an http(s) URL without user:password@ (an API key goes to the secret storage, or NOCODO_API_KEY for the CLI)',
  model: 'a non-empty model name',
  temperature: 'a number from 0 to 2',
  maxTokens: 'a whole number from 1 to 1000000',
  repeatPenalty: 'a number from 1 (off) to 2',
  ms: 'a whole number of milliseconds from 1 to 3600000',
  maxRetries: 'a whole number from 0 to 10',
} as const;

const roleSettings = (role: ModelRole) => {
  const d = ROLE_DEFAULTS[role];
  return {
    // Empty: the shared `nocodo.llm.baseUrl`.
    [`${role}.baseUrl`]: setting(z.literal('').or(BaseUrlField), '', EXPECT.baseUrl),
    [`${role}.model`]: setting(ModelField, d.model, EXPECT.model),
    [`${role}.temperature`]: setting(TemperatureField, d.temperature, EXPECT.temperature),
    [`${role}.maxTokens`]: setting(MaxTokensField, d.maxTokens, EXPECT.maxTokens),
    [`${role}.repeatPenalty`]: setting(RepeatPenaltyField, d.repeatPenalty, EXPECT.repeatPenalty),
  };
};

const msSetting = (k: keyof TimeoutSettings) => setting(MsField, DEFAULT_TIMEOUTS[k], EXPECT.ms);
const httpUrlOrEmpty = z
  .string()
  .trim()
  .refine((s) => s === '' || /^https?:\/\/[^\s@]+$/.test(s));

/** The settings, by section (`nocodo.<section>.<key>`). */
export const SETTINGS = {
  llm: {
    baseUrl: setting(BaseUrlField, DEFAULT_BASE_URL, EXPECT.baseUrl),
    'timeouts.connectMs': msSetting('connectMs'),
    'timeouts.firstTokenMs': msSetting('firstTokenMs'),
    'timeouts.idleMs': msSetting('idleMs'),
    'timeouts.totalMs': msSetting('totalMs'),
    maxRetries: setting(MaxRetriesField, DEFAULT_MAX_RETRIES, EXPECT.maxRetries),
  },
  roles: Object.assign({}, ...MODEL_ROLES.map(roleSettings)) as Record<`${ModelRole}.${'baseUrl' | 'model' | 'temperature' | 'maxTokens' | 'repeatPenalty'}`, SettingSpec<string | number>>,
  localModel: {
    path: setting(z.string().trim(), '', 'the path of a .gguf file', true),
    runtime: setting(z.enum(LOCAL_RUNTIMES), 'auto', `one of ${LOCAL_RUNTIMES.join(', ')}`),
    idleStopMinutes: setting(z.number().min(0).max(1440), 10, 'a number of minutes from 0 to 1440'),
    threads: setting(z.number().int().min(0).max(256), 0, 'a whole number from 0 to 256'),
  },
  team: {
    // Clamped rather than refused: 20 rounds means "as many as allowed".
    maxQuestionRounds: setting(
      z
        .number()
        .int()
        .transform((n) => Math.min(10, Math.max(1, n))),
      3,
      'a whole number from 1 to 10',
    ),
    autoRun: setting(z.boolean(), false, 'true or false'),
  },
  validation: {
    cargoCheck: setting(z.enum(CARGO_CHECK_MODES), 'auto', `one of ${CARGO_CHECK_MODES.join(', ')}`),
    cargoCheckTimeout: setting(z.number().min(10).max(86_400), 300, 'a number of seconds from 10 to 86400'),
    cargoCheckCacheMaxMB: setting(z.number().min(256), 4096, 'a number of megabytes, at least 256'),
  },
  rustfmt: {
    path: setting(z.string().trim(), '', 'the path of a rustfmt program', true),
  },
  git: {
    commitOnAccept: setting(z.boolean(), true, 'true or false'),
    branchPerTask: setting(z.boolean(), false, 'true or false'),
    remote: setting(z.string().trim().min(1), 'origin', 'the name of a git remote'),
    forge: setting(z.enum(GIT_FORGES), 'auto', `one of ${GIT_FORGES.join(', ')}`),
    // Where a git host token is sent.
    apiUrl: setting(httpUrlOrEmpty, '', 'an http(s) URL without user:password@, or empty', true),
  },
} as const;

export type SettingSection = keyof typeof SETTINGS;
type SpecValue<S> = S extends SettingSpec<infer T> ? T : never;
export type SectionValues<K extends SettingSection> = { -readonly [F in keyof (typeof SETTINGS)[K]]: SpecValue<(typeof SETTINGS)[K][F]> };

/** Every setting by its full key (`nocodo.llm.baseUrl`). */
export const ALL_SETTINGS: Readonly<Record<string, SettingSpec>> = Object.fromEntries(
  Object.entries(SETTINGS).flatMap(([section, fields]) => Object.entries(fields as Record<string, SettingSpec>).map(([k, s]) => [`nocodo.${section}.${k}`, s])),
);

/** A value as a message shows it: short, and never with the credentials of a URL. */
export function showValue(value: unknown): string {
  const shown = typeof value === 'string' ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@') : value;
  const s = typeof shown === 'string' ? JSON.stringify(shown) : (JSON.stringify(shown) ?? String(shown));
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** "`nocodo.x.y` should be …, but is …; using … instead." (`what`: the key in backticks, or "The environment variable X"). */
export function settingProblem(what: string, expect: string, value: unknown, fallback: string): string {
  return `${what} should be ${expect}, but is ${showValue(value)}; using ${fallback} instead.`;
}

/**
 * Parses one value: undefined/null means "not set" (no problem). An invalid value is reported and
 * gives undefined, so that the caller's next source (environment, default) applies.
 */
export function parseSetting<T>(key: string, spec: SettingSpec<T>, value: unknown, problems: string[], fallback: () => string = () => showValue(spec.default)): T | undefined {
  if (value === undefined || value === null) return undefined;
  const r = spec.schema.safeParse(value);
  if (r.success) return r.data;
  problems.push(settingProblem(`\`${key}\``, spec.expect, value, fallback()));
  return undefined;
}

/** One section's values: each key set and valid, or its default; `problems` names every bad key. */
export function parseSection<K extends SettingSection>(section: K, raw: Readonly<Record<string, unknown>>): { values: SectionValues<K>; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(SETTINGS[section] as Record<string, SettingSpec>)) {
    values[k] = parseSetting(`nocodo.${section}.${k}`, spec, raw[k], problems) ?? spec.default;
  }
  return { values: values as SectionValues<K>, problems };
}

/** The defaults of one section. */
export const sectionDefaults = <K extends SettingSection>(section: K): SectionValues<K> => parseSection(section, {}).values;
