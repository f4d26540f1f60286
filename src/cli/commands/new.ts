import * as path from 'node:path';
import { AppNameError, createNewApp, NewAppRefused } from '../../scaffold';
import { parseCommandArgs, UsageError, type CliCommand } from '../types';

const usage = `Usage: nocodo new <dir> [--name <app name>] [--json]

Writes a new full-stack app into <dir> (created when missing; it must be empty), without a model:
  backend/    Actix Web + Diesel + SQLite: r2d2 pool, migrations run at start, GET /api/health,
              CORS for the dev frontend, settings from the environment, one error type
  frontend/   Vite + SolidJS + @solidjs/router + Tailwind + DaisyUI, with the generated API
              types and client (as \`nocodo types\` writes them)
  README.md, .gitignore, .vscode/settings.json, and a git repository with a first commit.
Versions are pinned (Cargo.lock, package-lock.json). Nothing is ever overwritten: a folder that
holds files is refused, and a free subfolder is suggested.

Options:
  --name <app name>  Name shown in the app (default: the folder's name); the crate and package
                     names are derived from it
  --json             Print {ok, dir, appName, crateName, packageName, files, commit, gitError} as JSON
  -h, --help         Show this help

Then: \`nocodo run <dir>\`. Exit code: 0 on success, 1 when the folder is refused or writing fails.`;

export const newCommand: CliCommand = {
  name: 'new',
  summary: 'Write a new app (Actix + Diesel + SQLite backend, SolidJS frontend) into an empty folder',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { name: { type: 'string' }, json: { type: 'boolean', default: false } }, 1);
    if (!positionals.length) throw new UsageError('which folder? nocodo new <dir>');
    const dir = path.resolve(io.cwd, positionals[0]!);
    try {
      const r = await createNewApp({ dir, name: values.name });
      if (values.json) {
        const out = { ok: true, dir: r.dir, ...r.names, files: r.files, commit: r.commit ?? null, gitError: r.gitError ?? null };
        io.stdout(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        io.stdout(`Created ${r.names.appName} in ${r.dir} (${r.files.length} files).\n`);
        io.stdout(r.commit ? `First commit ${r.commit.short}: ${r.commit.subject}\n` : '');
        io.stdout(`Next: nocodo run ${positionals[0]}\n`);
      }
      if (r.gitError) io.stderr(`nocodo new: the files are written, but the git repository could not be made: ${r.gitError}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof NewAppRefused || err instanceof AppNameError)) throw err;
      if (values.json) io.stdout(`${JSON.stringify({ ok: false, error: err.message, suggestion: err instanceof NewAppRefused ? (err.suggestion ?? null) : null })}\n`);
      io.stderr(`nocodo new: ${err.message}\n`);
      return 1;
    }
  },
};
