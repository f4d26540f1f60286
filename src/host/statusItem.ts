import * as vscode from 'vscode';
import { DEFAULT_BASE_URL } from '../settings/defaultBaseUrl';
import { explicitValue, isTrusted } from './workspaceTrust';

/**
 * The model-server status item, made by `activate()` so it shows from the start, drawn from the
 * settings alone (no core, no request): which server the coding roles will use and where that
 * comes from. The core's StatusDisplay (src/host/statusDisplay.ts) takes the same item over when
 * it loads and shows what the server answers from then on.
 */
export function createModelStatusItem(env: NodeJS.ProcessEnv = process.env): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('nocodo.modelServer', vscode.StatusBarAlignment.Left, 50);
  item.name = 'nocodo model server';
  item.command = 'nocodo.checkModelServer';
  item.text = '$(loading~spin) nocodo';
  const { baseUrl, from } = configuredServer(env);
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['nocodo.checkModelServer'] };
  md.appendMarkdown(`**Model server** \`${baseUrl}\` (${from}): not checked yet, nocodo checks it in a moment.\n\n[Check now](command:nocodo.checkModelServer)`);
  item.tooltip = md;
  item.show();
  return item;
}

/** An http(s) URL; anything else is left to the core, which reports it (src/llm/config.ts). */
function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string' || !v.trim()) return false;
  try {
    return ['http:', 'https:'].includes(new URL(v.trim()).protocol);
  } catch {
    return false;
  }
}

/**
 * The rust engineer's base URL as the settings give it: the role's own, then `nocodo.llm.baseUrl`
 * (a workspace's values only when it is trusted), then $LLAMA_CPP_BASE_URL, then the default.
 * Read here, not through src/host/config.ts: that one needs the settings' schemas (zod), which
 * stay out of the activation bundle. Only shown, never used to send anything.
 */
export function configuredServer(env: NodeJS.ProcessEnv = process.env): { baseUrl: string; from: string } {
  const cfg = vscode.workspace.getConfiguration('nocodo');
  const trusted = isTrusted();
  for (const key of ['roles.rustEngineer.baseUrl', 'llm.baseUrl']) {
    const v = explicitValue(cfg, key, trusted);
    if (isHttpUrl(v)) return { baseUrl: v.trim(), from: `nocodo.${key}` };
  }
  const fromEnv = env.LLAMA_CPP_BASE_URL;
  if (isHttpUrl(fromEnv)) return { baseUrl: fromEnv.trim(), from: '$LLAMA_CPP_BASE_URL' };
  return { baseUrl: DEFAULT_BASE_URL, from: 'the default' };
}
