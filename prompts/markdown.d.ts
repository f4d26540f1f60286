// Prompt texts are Markdown files bundled as strings (esbuild `loader: { '.md': 'text' }`,
// and the matching transform in vitest.config.ts).
declare module '*.md' {
  const text: string;
  export default text;
}
