// The modes import their prompt banks as Markdown strings (esbuild's `.md: text` loader in the
// bundle, a transform in vitest). tsx knows no such loader, so benches that load the modes teach
// Node to read `.md` as a string module first — for require() (tsx runs this package as CommonJS)
// and for import() — and then import the modes dynamically.
import { readFileSync } from 'node:fs';
import Module, { register } from 'node:module';

let done = false;

const HOOKS = `
import { readFile } from 'node:fs/promises';
export async function load(url, context, next) {
  if (url.endsWith('.md')) {
    const text = await readFile(new URL(url), 'utf8');
    return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
  }
  return next(url, context);
}`;

export function registerMarkdownLoader(): void {
  if (done) return;
  done = true;
  const exts = (Module as unknown as { _extensions: Record<string, (m: { exports: unknown }, file: string) => void> })._extensions;
  exts['.md'] = (m, file) => {
    m.exports = { __esModule: true, default: readFileSync(file, 'utf8') };
  };
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
}
