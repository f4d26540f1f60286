import * as vscode from 'vscode';

/** The one "nocodo" output channel (LogOutputChannel: levels, timestamps, user-controlled verbosity). */
let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('nocodo', { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
