import * as vscode from 'vscode';
import { MODEL_ROLES } from '../domain';

/**
 * Reads only the values the user set explicitly (any scope), so that unset settings let the
 * environment (`LLAMA_CPP_BASE_URL`, `RUST_ENGINEER_MODEL`) and then the defaults apply.
 * Validation and precedence live in the core (`src/llm/config.ts`); this is just the VS Code side.
 */
export function readExplicitLlmSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration('nocodo');
  const explicit = (key: string): unknown => {
    const i = cfg.inspect(key);
    return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
  };
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
  for (const k of ['connectMs', 'firstTokenMs', 'idleMs']) {
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

export interface TeamSettings {
  maxQuestionRounds: number;
  autoRun: boolean;
}

export function readTeamSettings(): TeamSettings {
  const cfg = vscode.workspace.getConfiguration('nocodo.team');
  const rounds = cfg.get<number>('maxQuestionRounds', 3);
  return {
    maxQuestionRounds: Number.isInteger(rounds) && rounds >= 1 && rounds <= 10 ? rounds : 3,
    autoRun: cfg.get<boolean>('autoRun', false) === true,
  };
}

export function readRustfmtPath(): string | undefined {
  const p = vscode.workspace.getConfiguration('nocodo.rustfmt').get<string>('path', '');
  return p.trim() || undefined;
}

/** Settings whose change must rebuild the model client. */
export const affectsModelClient = (e: vscode.ConfigurationChangeEvent): boolean => e.affectsConfiguration('nocodo.llm') || e.affectsConfiguration('nocodo.roles');
