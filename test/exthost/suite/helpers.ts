// Shared helpers for extension-host suites (they run inside code-server's extension host).
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NocodoApi, NocodoCore, NocodoServices } from '../../../src/extension';
import type * as Fixture from '../../fixtures/model-server/server.mjs';
import type { ModelServer } from '../../fixtures/model-server/server.mjs';

export const EXTENSION_ID = 'nocodo.nocodo';

export function nocodoExtension(): vscode.Extension<NocodoApi> {
  const ext = vscode.extensions.getExtension<NocodoApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

/** Activates nocodo if needed and returns what `activate()` returned, with the core's features and those wired once the database opened. */
export async function nocodoApi(): Promise<NocodoApi & NocodoCore & NocodoServices> {
  const ext = nocodoExtension();
  const api = ext.isActive ? ext.exports : await ext.activate();
  if (!api) throw new Error('nocodo activated but exported no API');
  return { ...api, ...(await api.ready) };
}

/** Polls `probe` until it returns something other than undefined/false; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= until) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * `work`, or an error naming `what` once `timeoutMs` passed: a step that hangs (a command that
 * never returns) then says which one it was, instead of the whole test timing out.
 */
export async function within<T>(what: string, work: Thenable<T> | Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(work), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A localhost port on which nothing listens (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Sets a user setting and waits until `applied()` says the extension picked it up. */
export async function setUserSetting(section: string, key: string, value: unknown, applied: () => boolean, timeoutMs = 10_000): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(`setting ${section}.${key} to take effect`, applied, timeoutMs);
}

type FixtureModule = typeof Fixture;

/** A fixture model server in the extension host. Plain ESM with top-level await: loaded at run time, not bundled. */
export async function startFixtureServer(opts: Parameters<FixtureModule['startModelServer']>[0]): Promise<ModelServer> {
  const file = join(nocodoExtension().extensionPath, 'test', 'fixtures', 'model-server', 'server.mjs');
  const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as FixtureModule;
  return mod.startModelServer(opts);
}

/** A script of rules from test/fixtures/model-server (e.g. `cheaper-than.json`: a Diesel function for Product). */
export function fixtureScript(name: string): NonNullable<Parameters<FixtureModule['startModelServer']>[0]>['script'] {
  return JSON.parse(readFileSync(join(nocodoExtension().extensionPath, 'test', 'fixtures', 'model-server', name), 'utf8')) as never;
}
