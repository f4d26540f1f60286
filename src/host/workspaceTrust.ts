import * as vscode from 'vscode';

/**
 * What a repository may decide for the person who opens it. A workspace's `.vscode/settings.json`
 * travels with the repository, so settings that pick a program to run, a server that receives the
 * user's code, or work that starts on its own are taken from the workspace only when the user
 * trusts it (package.json lists them under `restrictedConfigurations`). Programs are never taken
 * from a workspace at all: their settings are `machine`-scoped and read from the user's settings.
 */

/** Setting keys (without `nocodo.`) a workspace may set only when trusted. */
export const RESTRICTED_SETTINGS = ['llm.baseUrl', 'roles.*.baseUrl', 'team.autoRun', 'rustfmt.path', 'localModel.path'] as const;

/** Whether a key (without `nocodo.`) is in RESTRICTED_SETTINGS (`*` stands for one key segment). */
export const isRestricted = (key: string): boolean => RESTRICTED_SETTINGS.some((r) => new RegExp(`^${r.replace(/\./g, '\\.').replace('*', '[^.]+')}$`).test(key));

export const isTrusted = (): boolean => vscode.workspace.isTrusted;

/** The value the user set: workspace folder, then workspace (both only when `workspaceAllowed`), then user settings. */
export function explicitValue(cfg: vscode.WorkspaceConfiguration, key: string, workspaceAllowed: boolean): unknown {
  const i = cfg.inspect(key);
  if (!i) return undefined;
  return (workspaceAllowed ? (i.workspaceFolderValue ?? i.workspaceValue) : undefined) ?? i.globalValue;
}

/** The user's own value of a setting, ignoring whatever the workspace says. */
export const userValue = (cfg: vscode.WorkspaceConfiguration, key: string): unknown => explicitValue(cfg, key, false);
