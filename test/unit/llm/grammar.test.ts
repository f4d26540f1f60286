import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ONE_FN_GRAMMAR } from '../../../src/pipeline/rust/fnGrammar';
import { makeClient, useModelServer, user } from './helpers';

// Constrained decoding by grammar: the client sends llama.cpp's `grammar` field (and turns
// thinking off) and records it in the run. (Dropping it for a server that refuses it is the same
// path as response_format's, tested in structured.test.ts.)

describe('grammar-constrained requests', () => {
  const srv = useModelServer();

  it('sends the grammar and records it in the run', async () => {
    srv().setScript([{ reply: { content: '```rust\npub fn a() {}\n```' } }]);
    const { client } = makeClient(srv());
    const r = await client.chat({ role: 'rustEngineer', messages: user('one fn'), grammar: ONE_FN_GRAMMAR });
    const body = srv().chatRequests()[0]?.body;
    expect(body.grammar).toBe(ONE_FN_GRAMMAR);
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: false });
    expect(r.run.params.grammar).toBe(true);
  });

  it('the grammar admits exactly one fenced fn item (shape of the rules)', () => {
    expect(ONE_FN_GRAMMAR).toMatch(/^root ::= "```rust\\n" lead\* vis\? qual\* "fn " ident sig "\{" body "\}" "\\n```"$/m);
    expect(ONE_FN_GRAMMAR).toMatch(/^body ::= \(\[\^\{\}\] \| "\{" body "\}"\)\*$/m);
  });
});

describe('constrainedDecoding: false (to measure what the constraints are worth)', () => {
  const srv = useModelServer();

  it('sends neither grammar nor response_format, keeps the shape in the prompt, and records no constraint', async () => {
    const { client } = makeClient(srv(), { constrainedDecoding: false });
    srv().setScript([{ reply: { content: '```rust\npub fn a() {}\n```' } }]);
    const code = await client.chat({ role: 'rustEngineer', messages: user('one fn'), grammar: ONE_FN_GRAMMAR });
    srv().setScript([{ reply: { content: '{"n": 1}' } }]);
    const s = await client.structured({ role: 'productOwner', schema: z.object({ n: z.number() }), schemaName: 'N', messages: user('a number') });
    const [first, second] = srv().chatRequests().map((r) => r.body);
    expect(first.grammar).toBeUndefined();
    expect(second.response_format).toBeUndefined();
    expect(second.messages[0].content).toMatch(/^Answer with JSON only/);
    expect(code.run.params.grammar).toBeUndefined();
    expect(s.value).toEqual({ n: 1 });
    expect(s.runs[0]?.params.jsonSchema).toBeUndefined();
  });
});
