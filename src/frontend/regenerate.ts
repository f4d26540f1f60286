import { posix } from 'node:path';
import { ProposedProjectFs, type ProjectFs } from '../core/projectFs';
import type { ChangeSet } from '../domain';
import { findFrontendDir, generateApiFiles } from './apiFiles';

/**
 * A backend change keeps the frontend's contract in step: when `changeSet` edits Rust and the
 * project's Solid frontend already has generated API files, types.ts and client.ts are regenerated
 * from the proposed code and added to the same proposal (so accepting it is one undo step), with
 * a line in its summary. Projects without generated API files are left alone.
 */
export async function withRegeneratedApi(project: ProjectFs, changeSet: ChangeSet): Promise<ChangeSet> {
  if (!changeSet.files.some((f) => f.path.endsWith('.rs'))) return changeSet;
  const frontendDir = await findFrontendDir(project);
  if (frontendDir === undefined) return changeSet;
  if ((await project.readFile(posix.join(frontendDir, 'src/api/types.ts'))) === undefined) return changeSet;
  const proposed = new ProposedProjectFs(project, new Map(changeSet.files.map((f) => [f.path, f.proposed])));
  const api = await generateApiFiles(proposed, { frontendDir });
  const extra = api.changeSet.files.filter((f) => !changeSet.files.some((c) => c.path === f.path));
  if (!extra.length) return changeSet;
  const note = `The frontend's API files follow the backend change (regenerated, no model): ${extra.map((f) => f.path).join(', ')}.`;
  return { ...changeSet, summary: `${changeSet.summary} ${note}`.trim(), files: [...changeSet.files, ...extra] };
}
