import * as vscode from 'vscode';
import type { TeamSettings } from '../agents';
import { MODEL_ROLES } from '../domain';
import type { RustfmtSetting } from '../pipeline/rust/rustfmt';
import { parseSection, parseSetting, SETTINGS, type SectionValues, type SettingSection, type SettingSpec } from '../settings';
import { log } from './log';
import { explicitValue, isRestricted, isTrusted } from './workspaceTrust';

/**
 * The VS Code side of the settings: which scopes a value may come from. What a valid value is, and
 * each key's default, is src/settings (one schema for every `nocodo.*` setting).
 *   - Only values the user set explicitly are read (unset: the environment, then the default).
 *   - Machine settings (a program, a file, a token's host) come from the user's settings only.
 *   - Restricted settings (workspaceTrust.ts) come from the workspace only when it is trusted.
 */
export function rawSection(section: SettingSection, workspaceAllowed: (key: string) => boolean = (key) => !isRestricted(`${section}.${key}`) || isTrusted()): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(`nocodo.${section}`);
  const raw: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS[section] as Record<string, SettingSpec>)) {
    const v = explicitValue(cfg, key, !spec.machine && workspaceAllowed(key));
    if (v !== undefined) raw[key] = v;
  }
  return raw;
}

const reported = new Set<string>();
/** Each settings problem once in the log (the settings are read on every use). */
function report(problems: readonly string[]): void {
  for (const p of problems) {
    if (reported.has(p)) continue;
    reported.add(p);
    log().warn(`settings: ${p}`);
  }
}

/** One section, parsed: a bad value is logged with its key and that key alone takes its default. */
export function readSection<K extends SettingSection>(section: K): SectionValues<K> {
  const { values, problems } = parseSection(section, rawSection(section));
  report(problems);
  return values;
}

/**
 * Writes one of the user's settings (nocodo's own commands: Choose Local Model), checked against
 * the same schema first: nocodo never stores a value it would refuse to read back.
 */
export async function writeUserSetting<K extends SettingSection>(section: K, key: keyof SectionValues<K> & string, value: unknown): Promise<void> {
  const problems: string[] = [];
  const spec = (SETTINGS[section] as Record<string, SettingSpec>)[key]!;
  const parsed = parseSetting(`nocodo.${section}.${key}`, spec, value, problems);
  if (parsed === undefined) throw new Error(problems[0] ?? `nocodo.${section}.${key} needs a value`);
  await vscode.workspace.getConfiguration(`nocodo.${section}`).update(key, parsed, vscode.ConfigurationTarget.Global);
}

/**
 * The model settings for the core's resolver (src/llm/config.ts: precedence over the environment,
 * problems as messages). Base URLs come from the workspace only when `workspaceBaseUrls` is set (a
 * trusted workspace; the caller then asks the user before the first request goes there, see
 * baseUrlConsent.ts).
 */
export function readExplicitLlmSettings({ workspaceBaseUrls }: { workspaceBaseUrls: boolean }): Record<string, unknown> {
  const allowed = (key: string): boolean => !key.endsWith('baseUrl') || workspaceBaseUrls;
  const llm = rawSection('llm', allowed);
  const byRole = rawSection('roles', allowed);
  const roles: Record<string, Record<string, unknown>> = {};
  for (const role of MODEL_ROLES) {
    const r: Record<string, unknown> = {};
    for (const k of ['baseUrl', 'model', 'temperature', 'maxTokens', 'repeatPenalty']) {
      const v = byRole[`${role}.${k}`];
      // An empty per-role base URL means "use the shared one".
      if (v !== undefined && v !== '') r[k] = v;
    }
    if (Object.keys(r).length) roles[role] = r;
  }
  const timeouts: Record<string, unknown> = {};
  for (const k of ['connectMs', 'firstTokenMs', 'idleMs', 'totalMs']) {
    const v = llm[`timeouts.${k}`];
    if (v !== undefined) timeouts[k] = v;
  }
  const out: Record<string, unknown> = { roles, timeouts };
  if (llm.baseUrl !== undefined && llm.baseUrl !== '') out.baseUrl = llm.baseUrl;
  if (llm.maxRetries !== undefined) out.maxRetries = llm.maxRetries;
  return out;
}

/** The team settings (auto-run is restricted: a repository must not start model work on its own in a workspace the user has not trusted). */
export const readTeamSettings = (): TeamSettings => readSection('team');

/**
 * How the modes format Rust: the user's rustfmt (never a workspace's: a repository must not choose
 * a program nocodo runs), else the one on PATH; in Restricted Mode none at all (no programs run).
 */
export function readRustfmtSetting(): RustfmtSetting {
  if (!isTrusted()) return false;
  const path = readSection('rustfmt').path;
  return path ? { path } : {};
}

/** Settings whose change must rebuild the model client. */
export const affectsModelClient = (e: vscode.ConfigurationChangeEvent): boolean => e.affectsConfiguration('nocodo.llm') || e.affectsConfiguration('nocodo.roles');
