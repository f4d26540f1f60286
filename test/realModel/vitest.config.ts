import { defineConfig } from 'vitest/config';
import { markdownAsText } from '../helpers/markdownAsText';

// The real-model layer: completions from Gemma 3 270M through the embedded runtime. Slow on a
// shared 2-core machine, so generous timeouts and one file at a time (one model in memory).
export default defineConfig({
  plugins: [markdownAsText],
  test: {
    name: 'real-model',
    root: new URL('../..', import.meta.url).pathname,
    environment: 'node',
    include: ['test/realModel/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
