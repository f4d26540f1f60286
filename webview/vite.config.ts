import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const here = dirname(fileURLToPath(import.meta.url));

// One IIFE script and one stylesheet with fixed names (the host's HTML refers to them), no inline
// scripts or styles, no eval, no chunks: everything the strict webview CSP allows.
export default defineConfig(({ mode }) => ({
  root: here,
  base: './',
  publicDir: false,
  plugins: [solid()],
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production') },
  build: {
    outDir: join(here, '..', 'dist', 'webview'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: mode === 'development',
    // Only the string 'esbuild' turns minification on for a library build.
    minify: mode === 'development' ? false : 'esbuild',
    // Images must be files the CSP can allow, never data: URLs inside the CSS (icons are inline SVG).
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
