import { z } from 'zod';
import { MODEL_ROLES, type ModelRole } from '../domain';
import type { RoleConfig, Timeouts } from './types';

// Defaults are sized for small local models on a CPU: a 0.8B model answers at a few tokens per
// second and needs minutes for a long prompt, so first-token waits are long and code roles run cold.

export const DEFAULT_BASE_URL = 'http://localhost:8080/v1';
export const DEFAULT_MODEL = 'unsloth/Qwen3.5-0.8B-GGUF';
// totalMs: a first-token wait plus 1024 tokens at ~2 tokens/s still fits, an endless stream does not.
export const DEFAULT_TIMEOUTS: Readonly<Required<Timeouts>> = { connectMs: 10_000, firstTokenMs: 180_000, idleMs: 60_000, totalMs: 900_000 };
export const DEFAULT_MAX_RETRIES = 2;

export const ROLE_DEFAULTS: Readonly<Record<ModelRole, { model: string; temperature: number; maxTokens: number }>> = {
  rustEngineer: { model: DEFAULT_MODEL, temperature: 0.1, maxTokens: 1024 },
  frontendEngineer: { model: DEFAULT_MODEL, temperature: 0.2, maxTokens: 1536 },
  productOwner: { model: DEFAULT_MODEL, temperature: 0.3, maxTokens: 2048 },
  projectManager: { model: DEFAULT_MODEL, temperature: 0.3, maxTokens: 2048 },
  engineeringManager: { model: DEFAULT_MODEL, temperature: 0.3, maxTokens: 2048 },
};

/**
 * Most characters (answer plus reasoning) kept from one call asked for `maxTokens` tokens. A token
 * is about 4 characters; 16 leaves room for long identifiers and whitespace runs, while a server
 * that ignores max_tokens (or floods) is cut long before memory suffers.
 */
export const answerCharCap = (maxTokens: number): number => Math.max(16_384, maxTokens * 16);

/** Environment variables read (after explicit settings, before defaults). */
export const ENV_BASE_URL = 'LLAMA_CPP_BASE_URL';
export const ENV_RUST_ENGINEER_MODEL = 'RUST_ENGINEER_MODEL';

/** Setting keys as the user sees them, for messages. */
export const BASE_URL_SETTING = 'nocodo.llm.baseUrl';
export const MAX_RETRIES_SETTING = 'nocodo.llm.maxRetries';
export const TIMEOUT_SETTINGS: Readonly<Record<keyof Timeouts, string>> = {
  connectMs: 'nocodo.llm.timeouts.connectMs',
  firstTokenMs: 'nocodo.llm.timeouts.firstTokenMs',
  idleMs: 'nocodo.llm.timeouts.idleMs',
  totalMs: 'nocodo.llm.timeouts.totalMs',
};
export type RoleSettingKey = 'baseUrl' | 'model' | 'temperature' | 'maxTokens';
export const roleSetting = (role: ModelRole, key: RoleSettingKey): string => `nocodo.roles.${role}.${key}`;

// ---------------------------------------------------------------------------------------------
// Field schemas: the single source of truth for what a valid value is.

const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

/** `http://user:pass@host`: credentials in a URL end up in logs, runs and exports; keys go elsewhere. */
const hasCredentials = (s: string): boolean => {
  try {
    const u = new URL(s);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
};

const BaseUrlField = z
  .string()
  .trim()
  .refine(isHttpUrl)
  .refine((s) => !hasCredentials(s))
  .transform((s) => s.replace(/\/+$/, ''));
const ModelField = z.string().trim().min(1).max(300);
const TemperatureField = z.number().min(0).max(2);
const MaxTokensField = z.number().int().min(1).max(1_000_000);
const MsField = z.number().int().min(1).max(3_600_000);
const MaxRetriesField = z.number().int().min(0).max(10);

const FIELD_EXPECT = {
  baseUrl: 'an http(s) URL such as http://localhost:8080/v1',
  baseUrlWithoutCredentials: 'an http(s) URL without user:password@ (an API key goes to the secret storage, or NOCODO_API_KEY for the CLI)',
  model: 'a non-empty model name',
  temperature: 'a number from 0 to 2',
  maxTokens: 'a whole number from 1 to 1000000',
  ms: 'a whole number of milliseconds from 1 to 3600000',
  maxRetries: 'a whole number from 0 to 10',
} as const;

const RoleSettings = z.object({
  baseUrl: BaseUrlField.optional(),
  model: ModelField.optional(),
  temperature: TemperatureField.optional(),
  maxTokens: MaxTokensField.optional(),
});

/** The raw settings object the host passes (only explicitly-set values). */
export const LlmSettings = z.object({
  baseUrl: BaseUrlField.optional(),
  timeouts: z
    .object({
      connectMs: MsField.optional(),
      firstTokenMs: MsField.optional(),
      idleMs: MsField.optional(),
      totalMs: MsField.optional(),
    })
    .optional(),
  maxRetries: MaxRetriesField.optional(),
  roles: z.partialRecord(z.enum(MODEL_ROLES), RoleSettings).optional(),
});
export type LlmSettings = z.input<typeof LlmSettings>;

export interface LlmConfig {
  roles: Record<ModelRole, RoleConfig>;
  timeouts: Timeouts;
  maxRetries: number;
  /** Human-readable problems with settings or environment; each bad value was replaced by its default. */
  problems: string[];
}
/** Alias used by the host. */
export type ResolvedLlmConfig = LlmConfig;

// ---------------------------------------------------------------------------------------------

/**
 * Resolves every role's configuration: explicitly-set settings → environment → defaults.
 * Never throws: invalid values are reported in `problems` and replaced.
 */
export function resolveLlmConfig(rawSettings: unknown, env: NodeJS.ProcessEnv): LlmConfig {
  const problems: string[] = [];
  const raw = asObject(rawSettings, 'nocodo settings', problems);

  const pick = <T>(schema: z.ZodType<T>, value: unknown, label: string, expect: string, fallbackText: () => string): T | undefined => {
    if (value === undefined || value === null) return undefined;
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const wanted = expect === FIELD_EXPECT.baseUrl && typeof value === 'string' && hasCredentials(value) ? FIELD_EXPECT.baseUrlWithoutCredentials : expect;
    problems.push(`${label} should be ${wanted}, but is ${show(value)}; using ${fallbackText()} instead.`);
    return undefined;
  };
  const fromEnv = <T>(schema: z.ZodType<T>, name: string, expect: string, fallbackText: () => string): T | undefined => {
    const v = env[name];
    if (v === undefined || v.trim() === '') return undefined;
    return pick(schema, v, `The environment variable ${name}`, expect, fallbackText);
  };

  const envBaseUrl = fromEnv(BaseUrlField, ENV_BASE_URL, FIELD_EXPECT.baseUrl, () => DEFAULT_BASE_URL);
  const globalBaseUrl = pick(BaseUrlField, raw.baseUrl, `\`${BASE_URL_SETTING}\``, FIELD_EXPECT.baseUrl, () => envBaseUrl ?? DEFAULT_BASE_URL) ?? envBaseUrl ?? DEFAULT_BASE_URL;

  const rawTimeouts = asObject(raw.timeouts, `\`nocodo.llm.timeouts\``, problems);
  const timeouts = {} as Timeouts;
  for (const k of Object.keys(DEFAULT_TIMEOUTS) as (keyof Timeouts)[]) {
    timeouts[k] = pick(MsField, rawTimeouts[k], `\`${TIMEOUT_SETTINGS[k]}\``, FIELD_EXPECT.ms, () => String(DEFAULT_TIMEOUTS[k])) ?? DEFAULT_TIMEOUTS[k];
  }
  const maxRetries = pick(MaxRetriesField, raw.maxRetries, `\`${MAX_RETRIES_SETTING}\``, FIELD_EXPECT.maxRetries, () => String(DEFAULT_MAX_RETRIES)) ?? DEFAULT_MAX_RETRIES;

  const rawRoles = asObject(raw.roles, '`nocodo.roles`', problems);
  for (const name of Object.keys(rawRoles)) {
    if (!(MODEL_ROLES as readonly string[]).includes(name)) problems.push(`\`nocodo.roles.${name}\` is not a known role (known: ${MODEL_ROLES.join(', ')}); it is ignored.`);
  }
  const envRustModel = fromEnv(ModelField, ENV_RUST_ENGINEER_MODEL, FIELD_EXPECT.model, () => ROLE_DEFAULTS.rustEngineer.model);

  const roles = {} as Record<ModelRole, RoleConfig>;
  for (const role of MODEL_ROLES) {
    const d = ROLE_DEFAULTS[role];
    const r = asObject(rawRoles[role], `\`nocodo.roles.${role}\``, problems);
    const envModel = role === 'rustEngineer' ? envRustModel : undefined;
    const label = (k: RoleSettingKey) => `\`${roleSetting(role, k)}\``;
    roles[role] = {
      role,
      baseUrl: pick(BaseUrlField, r.baseUrl, label('baseUrl'), FIELD_EXPECT.baseUrl, () => globalBaseUrl) ?? globalBaseUrl,
      model: pick(ModelField, r.model, label('model'), FIELD_EXPECT.model, () => envModel ?? d.model) ?? envModel ?? d.model,
      temperature: pick(TemperatureField, r.temperature, label('temperature'), FIELD_EXPECT.temperature, () => String(d.temperature)) ?? d.temperature,
      maxTokens: pick(MaxTokensField, r.maxTokens, label('maxTokens'), FIELD_EXPECT.maxTokens, () => String(d.maxTokens)) ?? d.maxTokens,
    };
  }
  return { roles, timeouts, maxRetries, problems };
}

/** The configuration with no settings and no environment (tests, first start). */
export const defaultLlmConfig = (): LlmConfig => resolveLlmConfig(undefined, {});

function asObject(value: unknown, label: string, problems: string[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.push(`${label} should be an object, but is ${show(value)}; it is ignored.`);
  return {};
}

function show(value: unknown): string {
  // Never repeat credentials from a URL into a message (messages reach logs and stored runs).
  const shown = typeof value === 'string' ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@') : value;
  const s = typeof shown === 'string' ? JSON.stringify(shown) : (JSON.stringify(shown) ?? String(shown));
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
