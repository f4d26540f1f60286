import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { NodeProjectFs } from '../../core/projectFs';
import { generateApiFiles } from '../../frontend';
import { parseCommandArgs, type CliCommand } from '../types';
import { WriteRefused } from '../../proposals/writeFiles';
import { lineDiff, writeChanges } from './generate';

const usage = `Usage: nocodo types [--project <dir>] [--frontend <dir>] [--write] [--json]

Generates the frontend's API contract from the Actix backend, without a model:
  <frontend>/src/api/types.ts   the serde types the handlers take and return, in TypeScript
  <frontend>/src/api/client.ts  one typed function per route, resolving to an ApiResult
Running it again on an unchanged backend changes nothing.

Options:
  --project <dir>   Project folder (default: the working folder)
  --frontend <dir>  Frontend folder, project-relative (default: the folder whose package.json uses solid-js)
  --write           Write the two files (only those whose text changes)
  --json            Print {ok, typesPath, clientPath, types, client, endpoints, unmapped, summary, edits, diagnostics} as JSON
  -h, --help        Show this help

Without --write it prints both files. Rust types it cannot map become \`unknown\` with a comment
and are listed at the end. Exit code: 0 on success, 1 when the project cannot be read.`;

export const typesCommand: CliCommand = {
  name: 'types',
  summary: 'Write the frontend API types (types.ts) and typed client (client.ts) from the Actix backend',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { project: { type: 'string' }, frontend: { type: 'string' }, write: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } });
    const root = path.resolve(io.cwd, values.project ?? '.');
    if (!(await fsp.stat(root).catch(() => undefined))?.isDirectory()) {
      io.stderr(`nocodo types: project folder ${root} does not exist.\n`);
      return 1;
    }
    const r = await generateApiFiles(new NodeProjectFs(root), values.frontend !== undefined ? { frontendDir: values.frontend.split(path.sep).join('/') } : {});
    let written: string[] = [];
    try {
      if (values.write) written = await writeChanges(root, r.changeSet.files);
    } catch (err) {
      if (!(err instanceof WriteRefused)) throw err;
      io.stderr(`nocodo types: ${err.message}\n`);
      return 1;
    }
    if (values.json) {
      const edits = r.changeSet.files.map((f) => ({ path: f.path, original: f.original, proposed: f.proposed, diff: lineDiff(f.original ?? '', f.proposed, f.path) }));
      const out = { ok: true, typesPath: r.typesPath, clientPath: r.clientPath, types: r.types, client: r.client, endpoints: r.endpoints, unmapped: r.unmapped, summary: r.changeSet.summary, edits, written, diagnostics: r.diagnostics };
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    if (!values.write) io.stdout(`// ===== ${r.typesPath} =====\n${r.types}\n// ===== ${r.clientPath} =====\n${r.client}\n`);
    for (const d of r.diagnostics) if (d.severity !== 'info') io.stderr(`${d.severity}${d.code ? ` [${d.code}]` : ''}: ${d.message}${d.file ? ` (${d.file}${d.line ? `:${d.line}` : ''})` : ''}\n`);
    for (const u of r.unmapped) io.stderr(`unmapped: ${u.rust} in ${u.where} (${u.reason}); it is \`unknown\` in the TypeScript\n`);
    io.stderr(`${written.length ? `wrote ${written.join(', ')}. ` : values.write ? 'nothing to write. ' : ''}${r.changeSet.summary}\n`);
    return 0;
  },
};
