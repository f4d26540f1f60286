import { defineConfig } from 'vitest/config';
import { markdownAsText } from '../helpers/markdownAsText';

// The `cargo` layer: real cargo on the sample projects (npm test runs it after the unit layer).
// One file at a time: every test shares the cargo build folder, whose lock serialises them anyway.
export default defineConfig({
  plugins: [markdownAsText],
  test: {
    name: 'cargo',
    environment: 'node',
    include: ['test/cargo/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
  },
});
