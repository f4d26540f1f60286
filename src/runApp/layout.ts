import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Where an app's two halves are: `backend/` (a Cargo crate) and `frontend/` (a Vite app). */
export interface AppLayout {
  dir: string;
  backend: string;
  /** Absent when the app has no frontend folder (the backend runs alone). */
  frontend?: string;
}

export function findAppLayout(dir: string): AppLayout {
  const root = path.resolve(dir);
  const backend = [path.join(root, 'backend'), root].find((d) => existsSync(path.join(d, 'Cargo.toml')));
  if (!backend) throw new Error(`${root} has no backend/Cargo.toml: is it an app made by nocodo new?`);
  const frontend = path.join(root, 'frontend');
  return { dir: root, backend, ...(existsSync(path.join(frontend, 'package.json')) ? { frontend } : {}) };
}
