import * as vscode from 'vscode';

/**
 * The one "nocodo" output channel (LogOutputChannel: levels, timestamps, user-controlled
 * verbosity). Both bundles (dist/extension.js and dist/core.js) carry a copy of this module, so
 * the channel is kept in one process-wide slot rather than in a module variable.
 */
const SLOT = Symbol.for('nocodo.outputChannel');
const slot = globalThis as { [SLOT]?: vscode.LogOutputChannel };

export function log(): vscode.LogOutputChannel {
  slot[SLOT] ??= vscode.window.createOutputChannel('nocodo', { log: true });
  return slot[SLOT];
}

export function disposeLog(): void {
  slot[SLOT]?.dispose();
  slot[SLOT] = undefined;
}
