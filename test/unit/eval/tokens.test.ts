import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCounter, estimateTokens, tokenCountLabel } from '../../../src/eval/tokens';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/server.mjs';

// Issue #18: prompt tokens with the server's tokenizer, else a real tokenizer for the model family
// (chars/4 was 6% low), else the estimate, and the report says which.
const TEXT = 'pub fn find_user_by_login(conn: &mut PgConnection, login: &str) -> QueryResult<Option<User>> {\n    users::table.filter(users::gh_login.eq(login)).first(conn).optional()\n}\n';

let withTokenize: ModelServer;
let without: ModelServer;
beforeAll(async () => {
  withTokenize = await startModelServer();
  without = await startModelServer({ tokenize: false });
});
afterAll(async () => {
  await withTokenize.close();
  await without.close();
});

describe('prompt token counts', () => {
  it("the server's /tokenize when it has one", async () => {
    const c = createTokenCounter(withTokenize.baseUrl, { models: ['unsloth/Qwen3.5-0.8B-GGUF'] });
    const n = await c.count(TEXT);
    expect(withTokenize.requests.some((r) => r.path.endsWith('/tokenize'))).toBe(true);
    expect(n).toBeGreaterThan(0);
    expect(tokenCountLabel(c.sources())).toBe('server /tokenize');
  });

  it('without /tokenize, the Qwen3 tokenizer for a Qwen model: a real count, not chars/4', async () => {
    const c = createTokenCounter(without.baseUrl, { models: ['unsloth/Qwen3.5-0.8B-GGUF'] });
    const n = await c.count(TEXT);
    expect(tokenCountLabel(c.sources())).toBe('Qwen3 tokenizer (no server /tokenize)');
    expect(n).toBeGreaterThan(10);
    // Short words and punctuation: about a token each, far from chars/4.
    const short = 'a, b; c. d! e? f: g ( h ) i [ j ] k { l } m';
    expect(await c.count(short)).toBeGreaterThan(2 * estimateTokens(short));
    // One failed /tokenize is enough: the next text does not ask again.
    const asked = without.requests.filter((r) => r.path.endsWith('/tokenize')).length;
    await c.count('SELECT 1');
    expect(without.requests.filter((r) => r.path.endsWith('/tokenize')).length).toBe(asked);
  }, 60_000);

  it('another model family without /tokenize: the estimate, labelled as such', async () => {
    const c = createTokenCounter(without.baseUrl, { models: ['gemma-3-270m'] });
    expect(await c.count(TEXT)).toBe(estimateTokens(TEXT));
    expect(tokenCountLabel(c.sources())).toBe('estimate (chars/4)');
  });
});
