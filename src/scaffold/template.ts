import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { AppNames } from './names';

/**
 * The New App template is data: `templates/app/` in the repository, copied to `dist/templates/app/`
 * by the build. Files hold `{{app_name}}`, `{{crate_name}}` and `{{package_name}}`; a path segment
 * `dot-x` becomes `.x` (packagers and tools treat dotfiles in a template as the template's own).
 */
export interface TemplateFile {
  /** Path in the new app, posix, with `dot-` segments renamed. */
  path: string;
  text: string;
}

export const PLACEHOLDER = /\{\{(app_name|crate_name|package_name)\}\}/g;

/** Where the template lives: beside the bundle (dist/) or, from sources, at the repository root. */
export function templateDir(name = 'app'): string {
  const candidates = [path.join(__dirname, 'templates', name), path.resolve(__dirname, '..', '..', 'templates', name)];
  const found = candidates.find((c) => existsSync(path.join(c, 'README.md')));
  if (!found) throw new Error(`The New App template is missing (looked in ${candidates.join(', ')}). Reinstall nocodo or run npm run build.`);
  return found;
}

const renamed = (rel: string): string =>
  rel
    .split('/')
    .map((seg) => (seg.startsWith('dot-') ? `.${seg.slice(4)}` : seg))
    .join('/');

/** Every template file with its placeholders filled in, sorted by path (deterministic order). */
export async function renderTemplate(names: AppNames, dir = templateDir()): Promise<TemplateFile[]> {
  const values: Record<string, string> = { app_name: names.appName, crate_name: names.crateName, package_name: names.packageName };
  const out: TemplateFile[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    const entries = await fsp.readdir(abs, { withFileTypes: true });
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        // A development install of the template's frontend (npm ci in place) is not template data.
        if (e.name !== 'node_modules' && e.name !== 'target') await walk(path.join(abs, e.name), childRel);
      } else if (e.isFile()) {
        const text = await fsp.readFile(path.join(abs, e.name), 'utf8');
        out.push({ path: renamed(childRel), text: text.replace(PLACEHOLDER, (_m, key: string) => values[key]!) });
      }
    }
  };
  await walk(dir, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
