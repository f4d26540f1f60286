import { z } from 'zod';
import { MODEL_ROLES, type ModelRole } from '../domain';
import { BaseUrlField, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUTS, EXPECT as FIELD_EXPECT, hasCredentials, MaxRetriesField, MaxTokensField, ModelField, MsField, RepeatPenaltyField, ROLE_DEFAULTS, settingProblem, showValue as show, TemperatureField } from '../settings';
import type { RoleConfig, Timeouts } from './types';

// Defaults and field schemas live with every other setting in src/settings.
export { DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_MODEL, DEFAULT_TIMEOUTS, REPEAT_PENALTY_WINDOW, ROLE_DEFAULTS } from '../settings';

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
export type RoleSettingKey = 'baseUrl' | 'model' | 'temperature' | 'maxTokens' | 'repeatPenalty';
export const roleSetting = (role: ModelRole, key: RoleSettingKey): string => `nocodo.roles.${role}.${key}`;

// ---------------------------------------------------------------------------------------------
// The raw settings object as the host passes it (only explicitly-set values), by the schemas of src/settings.

const RoleSettings = z.object({
  baseUrl: BaseUrlField.optional(),
  model: ModelField.optional(),
  temperature: TemperatureField.optional(),
  maxTokens: MaxTokensField.optional(),
  repeatPenalty: RepeatPenaltyField.optional(),
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
    problems.push(settingProblem(label, wanted, value, fallbackText()));
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
      repeatPenalty: pick(RepeatPenaltyField, r.repeatPenalty, label('repeatPenalty'), FIELD_EXPECT.repeatPenalty, () => String(d.repeatPenalty)) ?? d.repeatPenalty,
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
