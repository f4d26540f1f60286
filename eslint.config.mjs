import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './eslint/layers.mjs';

// The core (agents, modes, store, model client, Rust reading, CLI) must not depend on VS Code:
// it is unit-tested without an editor and driven by the headless `nocodo` CLI.
const noVscode = {
  'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Core code must not import vscode; put editor glue in src/host/.' }] }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', 'test/.artifacts/**', 'test/fixtures/**/*.js', 'test/fixtures/*/frontend/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/**/*.ts', 'modes/**/*.ts', 'prompts/**/*.ts'], ignores: ['src/host/**', 'src/extension.ts'], rules: noVscode },
  // One mechanism decides what "parses" means for TypeScript/TSX: the pipeline's syntaxErrors()
  // (src/pipeline/tsx/syntax.ts), used by the answer cleaner, the accept check and the eval alike.
  {
    files: ['src/**/*.ts', 'modes/**/*.ts', 'prompts/**/*.ts'],
    rules: { 'no-restricted-properties': ['error', { property: 'transpileModule', message: 'Check TSX syntax with syntaxErrors(ts, parseTsx(…)) from src/pipeline/tsx/syntax.ts: one mechanism decides what "parses" means.' }] },
  },
  // The layer order (eslint/layers.mjs; README "Architecture").
  { files: ['src/**/*.ts', 'modes/**/*.ts', 'prompts/**/*.ts'], plugins: { nocodo: layers }, rules: { 'nocodo/layers': 'error' } },
  { files: ['webview/**/*.{ts,tsx}', 'test/webview/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } }, rules: noVscode },
);
