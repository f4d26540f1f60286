import { defineConfig } from 'vitest/config';
import { markdownAsText } from './test/helpers/markdownAsText';
import solid from 'vite-plugin-solid';

// Two projects: host code in Node, the webview in jsdom. They must stay apart: the `browser`
// resolve condition the Solid project needs would make sql.js load its browser build in Node.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [markdownAsText],
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The probes of issue #14 (hostile repositories, runaway servers, deep input): their own
        // layer in `npm test`, so the summary shows them apart from the unit tests.
        plugins: [markdownAsText],
        test: {
          name: 'security',
          environment: 'node',
          include: ['test/security/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [solid()],
        resolve: { conditions: ['development', 'browser'] },
        test: {
          name: 'webview',
          environment: 'jsdom',
          include: ['test/webview/**/*.test.{ts,tsx}'],
          server: { deps: { inline: [/solid-js/, /@solidjs/] } },
          testTimeout: 20_000,
        },
      },
    ],
  },
});
