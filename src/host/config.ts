import * as vscode from 'vscode';
import { TeamSettingsSchema, type TeamSettings } from '../agents';
import { MODEL_ROLES } from '../domain';
import { explicitValue, isTrusted, userValue } from './workspaceTrust';

/**
 * Reads only the values the user set explicitly (any scope), so that unset settings let the
 * environment (`LLAMA_CPP_BASE_URL`, `RUST_ENGINEER_MODEL`) and then the defaults apply.
 * Validation and precedence live in the core (`src/llm/config.ts`); this is just the VS Code side.
 * Base URLs come from the workspace only when `workspaceBaseUrls` is set (a trusted workspace;
 * the caller then asks the user before the first request goes there, see baseUrlConsent.ts).
 */
export function readExplicitLlmSettings({ workspaceBaseUrls }: { workspaceBaseUrls: boolean }): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration('nocodo');
  const explicit = (key: string): unknown => explicitValue(cfg, key, !key.endsWith('baseUrl') || workspaceBaseUrls);
  const roles: Record<string, Record<string, unknown>> = {};
  for (const role of MODEL_ROLES) {
    const r: Record<string, unknown> = {};
    for (const k of ['baseUrl', 'model', 'temperature', 'maxTokens']) {
      const v = explicit(`roles.${role}.${k}`);
      // An empty per-role base URL means "use the shared one".
      if (v !== undefined && v !== '') r[k] = v;
    }
    if (Object.keys(r).length) roles[role] = r;
  }
  const timeouts: Record<string, unknown> = {};
  for (const k of ['connectMs', 'firstTokenMs', 'idleMs', 'totalMs']) {
    const v = explicit(`llm.timeouts.${k}`);
    if (v !== undefined) timeouts[k] = v;
  }
  const out: Record<string, unknown> = { roles, timeouts };
  const baseUrl = explicit('llm.baseUrl');
  if (baseUrl !== undefined && baseUrl !== '') out.baseUrl = baseUrl;
  const maxRetries = explicit('llm.maxRetries');
  if (maxRetries !== undefined) out.maxRetries = maxRetries;
  return out;
}

/** The team settings, parsed by the same schema the core applies (src/agents TeamSettingsSchema). */
export function readTeamSettings(): TeamSettings {
  const cfg = vscode.workspace.getConfiguration('nocodo.team');
  return TeamSettingsSchema.parse({
    maxQuestionRounds: cfg.get('maxQuestionRounds'),
    // A repository must not start model work on its own in a workspace the user has not trusted.
    autoRun: explicitValue(cfg, 'autoRun', isTrusted()),
  });
}

/** The user's rustfmt (never a workspace's: a repository must not choose a program nocodo runs). */
export function readRustfmtPath(): string | undefined {
  const p = userValue(vscode.workspace.getConfiguration('nocodo.rustfmt'), 'path');
  return typeof p === 'string' && p.trim() ? p.trim() : undefined;
}

/** Settings whose change must rebuild the model client. */
export const affectsModelClient = (e: vscode.ConfigurationChangeEvent): boolean => e.affectsConfiguration('nocodo.llm') || e.affectsConfiguration('nocodo.roles');
