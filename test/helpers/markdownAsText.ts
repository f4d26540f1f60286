/** Markdown prompt texts load as strings, as esbuild's `.md: text` loader does in the bundle (every vitest config uses it). */
export const markdownAsText = {
  name: 'markdown-as-text',
  transform(code: string, id: string) {
    return id.endsWith('.md') ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined;
  },
};
