import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RoleConfig } from './types';

// The editor-free half of "start a local model server": find the binary and build its command
// line. Running it in a terminal is the host's job.

export const LLAMA_SERVER_BINARY = 'llama-server';
const DEFAULT_PORT = 8080;

export interface LlamaServerCommand {
  /** Absolute path when found on PATH, otherwise the bare name. */
  command: string;
  args: string[];
  port: number;
  /** Shell-quoted, for showing to the user or sending to a terminal. */
  commandLine: string;
}

/** The port a base URL points at (8080 when none is given for http, as llama-server defaults). */
export function portOf(baseUrl: string): number {
  try {
    const u = new URL(baseUrl);
    if (u.port) return Number(u.port);
    return u.protocol === 'https:' ? 443 : u.hostname === 'localhost' || u.hostname === '127.0.0.1' ? DEFAULT_PORT : 80;
  } catch {
    return DEFAULT_PORT;
  }
}

/** Whether the base URL names this machine (only then can nocodo offer to start the server). */
export function isLocalBaseUrl(baseUrl: string): boolean {
  try {
    const h = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || h === '0.0.0.0' || /^127\./.test(h);
  } catch {
    return false;
  }
}

/** Finds `llama-server` on PATH (honouring PATHEXT on Windows). Synchronous: a few stat calls. */
export function findLlamaServer(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const pathVar = env.PATH ?? env.Path ?? '';
  const sep = platform === 'win32' ? ';' : ':';
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of pathVar.split(sep)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, LLAMA_SERVER_BINARY + ext);
      try {
        if (!fs.statSync(candidate).isFile()) continue;
        if (platform !== 'win32') fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The arguments after the binary: `-hf <model> --port <port>`. */
export function llamaServerArgs(model: string, port: number): string[] {
  return ['-hf', model, '--port', String(port)];
}

/** `llama-server -hf <model> --port <port>` for a role's configuration. */
export function llamaServerCommand(cfg: Pick<RoleConfig, 'model' | 'baseUrl'>, binary: string = LLAMA_SERVER_BINARY): LlamaServerCommand {
  const port = portOf(cfg.baseUrl);
  const args = llamaServerArgs(cfg.model, port);
  return { command: binary, args, port, commandLine: [binary, ...args].map(shellQuote).join(' ') };
}

/** The command line to suggest in messages. */
export const llamaServerCommandLine = (model: string, baseUrl: string): string => llamaServerCommand({ model, baseUrl }).commandLine;

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
