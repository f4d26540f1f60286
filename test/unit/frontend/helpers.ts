import * as path from 'node:path';
import type { Rule } from '../../fixtures/model-server/server.mjs';

export const ROOT = path.resolve(__dirname, '../../..');
export const BAKERY = path.join(ROOT, 'test/fixtures/bakery');

export { fixtureModel } from '../../helpers/fixtureModel';

/** The first answer, then the answer to the re-ask. */
export const firstThenReask = (first: string, second: string): Rule[] => [
  { match: { messageCount: 2 }, reply: { content: first } },
  { match: { messageCount: 4 }, reply: { content: second } },
];

export const tsxBlock = (code: string): string => '```tsx\n' + code + '```';
