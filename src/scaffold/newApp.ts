import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { NodeProjectFs } from '../core/projectFs';
import { generateApiFiles } from '../frontend';
import { GitRepository, type CommitInfo, type GitOptions } from '../git';
import { appNames, type AppNames } from './names';
import { renderTemplate, templateDir } from './template';

export interface NewAppOptions {
  /** Folder of the new app: missing or empty. */
  dir: string;
  /** Display name; default: the folder's name. */
  name?: string;
  /** Template folder (default: the bundled `templates/app`). */
  template?: string;
  /** git settings, or false for no repository (e.g. an untrusted workspace runs no programs). */
  git?: GitOptions | false;
}

export interface NewAppResult {
  dir: string;
  names: AppNames;
  /** Every file written, app-relative, sorted. */
  files: string[];
  /** The first commit, or why there is none (the files are there either way). */
  commit?: CommitInfo;
  gitError?: string;
}

/** New App will not write here. `suggestion` is a free subfolder to offer instead, when there is one. */
export class NewAppRefused extends Error {
  constructor(
    message: string,
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

// Files an OS drops into any folder: a folder holding only these still counts as empty.
const OS_LITTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/** Entries of `dir` that make it non-empty; undefined when it does not exist. Throws for a file. */
async function occupants(dir: string): Promise<string[] | undefined> {
  const st = await fsp.stat(dir).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isDirectory()) throw new NewAppRefused(`${dir} is a file, not a folder.`);
  return (await fsp.readdir(dir)).filter((n) => !OS_LITTER.has(n));
}

async function freeSubfolder(dir: string, base: string): Promise<string | undefined> {
  for (let i = 1; i < 100; i++) {
    const candidate = path.join(dir, i === 1 ? base : `${base}-${i}`);
    if (!(await fsp.stat(candidate).catch(() => undefined))) return candidate;
  }
  return undefined;
}

/** Refuses a folder with files in it (never overwrite), naming a free subfolder to use instead. */
export async function checkNewAppTarget(dir: string, names: AppNames): Promise<void> {
  const found = await occupants(dir);
  if (!found?.length) return;
  const suggestion = await freeSubfolder(dir, names.packageName);
  const shown = found.slice(0, 3).join(', ') + (found.length > 3 ? `, … (${found.length} entries)` : '');
  throw new NewAppRefused(
    `${dir} is not empty (${shown}); New App never writes into a folder with files.${suggestion ? ` Use a new subfolder instead: ${suggestion}` : ''}`,
    suggestion,
  );
}

/**
 * Writes the full-stack scaffold into `dir` (created when missing), its generated API types and
 * client, and makes the first commit. No model is involved: the same name gives the same files.
 * Files are created exclusively (an existing file is never replaced, even one that appeared since
 * the check); when writing fails, everything written is removed again.
 */
export async function createNewApp(opts: NewAppOptions): Promise<NewAppResult> {
  const dir = path.resolve(opts.dir);
  const names = appNames(opts.name ?? path.basename(dir));
  await checkNewAppTarget(dir, names);
  const files = await renderTemplate(names, opts.template ?? templateDir());

  const created: string[] = [];
  const madeDirs: string[] = [];
  const mkdirs = async (abs: string): Promise<void> => {
    const missing: string[] = [];
    for (let d = abs; !(await fsp.stat(d).catch(() => undefined)); d = path.dirname(d)) missing.unshift(d);
    for (const d of missing) {
      await fsp.mkdir(d);
      madeDirs.push(d);
    }
  };
  const write = async (rel: string, text: string): Promise<void> => {
    const abs = path.join(dir, ...rel.split('/'));
    await mkdirs(path.dirname(abs));
    await fsp.writeFile(abs, text, { flag: 'wx' });
    created.push(rel);
  };
  try {
    await mkdirs(dir);
    for (const f of files) await write(f.path, f.text);
    // The frontend's API contract comes from the backend's routes, as `nocodo types` makes it.
    const api = await generateApiFiles(new NodeProjectFs(dir));
    for (const f of api.changeSet.files) await write(f.path, f.proposed);
  } catch (err) {
    for (const rel of created.reverse()) await fsp.rm(path.join(dir, ...rel.split('/')), { force: true });
    for (const d of madeDirs.reverse()) await fsp.rmdir(d).catch(() => undefined);
    throw err;
  }

  const result: NewAppResult = { dir, names, files: [...created].sort() };
  if (opts.git === false) return { ...result, gitError: 'not made: this workspace is not trusted, and nocodo runs no programs (git) there' };
  try {
    const repo = await GitRepository.init(dir, opts.git);
    await repo.raw(['add', '-A', '--', '.']);
    const identity = await repo.identityArgs();
    await repo.raw([...identity, 'commit', '--quiet', '-m', `New app: ${names.appName}\n\nScaffold written by nocodo (template "app"): Actix Web + Diesel + SQLite backend, SolidJS frontend.`]);
    result.commit = await repo.commitInfo('HEAD');
  } catch (err) {
    result.gitError = err instanceof Error ? err.message : String(err);
  }
  return result;
}
