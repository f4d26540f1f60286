import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import solid from 'vite-plugin-solid';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** codicon.css and its font go beside the bundle under fixed names; the host links them (font-src allows them). */
function codicons(): Plugin {
  const dir = dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
  return {
    name: 'nocodo-codicons',
    generateBundle() {
      for (const file of ['codicon.css', 'codicon.ttf']) this.emitFile({ type: 'asset', fileName: file, source: readFileSync(join(dir, file)) });
    },
  };
}

// One IIFE script and one stylesheet with fixed names (the host's HTML refers to them), no inline
// scripts or styles, no eval, no chunks: everything the strict webview CSP allows.
export default defineConfig(({ mode }) => ({
  root: here,
  base: './',
  publicDir: false,
  plugins: [solid(), codicons()],
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production') },
  build: {
    outDir: join(here, '..', 'dist', 'webview'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: mode === 'development',
    // Only the string 'esbuild' turns minification on for a library build.
    minify: mode === 'development' ? false : 'esbuild',
    // Fonts and images must be files the CSP can allow, never data: URLs inside the CSS.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    lib: {
      entry: join(here, 'src', 'main.tsx'),
      formats: ['iife'],
      name: 'nocodoTeamPanel',
      fileName: () => 'main.js',
      cssFileName: 'main',
    },
    rollupOptions: {
      output: { inlineDynamicImports: true },
      onwarn(warning, warn) {
        // zod's sources carry comments Rollup cannot place; harmless, and noisy on every build.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
}));
