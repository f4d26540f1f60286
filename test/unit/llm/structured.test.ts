import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { ProductSummary, Question, RunRecord } from '../../../src/domain';
import { ModelError } from '../../../src/llm/errors';
import { findJsonCandidates } from '../../../src/llm/lenientJson';
import { checkStructuredAnswer, describeJsonSchema, toJsonSchema } from '../../../src/llm/structured';
import { json, messyJsonVariants, wrap } from '../../fixtures/model-server/messy.mjs';
import { failure, makeClient, useModelServer } from './helpers';

const Plan = z.object({
  title: z.string().min(1),
  steps: z.array(z.object({ name: z.string(), done: z.boolean() })).min(1),
  priority: z.enum(['low', 'high']),
  note: z.string().optional(),
});
const PLAN = { title: 'Invoices', steps: [{ name: "add 'table'", done: false }, { name: 'list', done: true }], priority: 'high' };

describe('schema for the server and the prompt', () => {
  it('produces a JSON schema without noise', () => {
    const js = toJsonSchema(z.object({ n: z.number().int(), s: z.string() }), 'Thing');
    expect(js.$schema).toBeUndefined();
    expect(js.title).toBe('Thing');
    expect(js.properties).toEqual({ n: { type: 'integer' }, s: { type: 'string' } });
  });

  it('describes the shape compactly', () => {
    const text = describeJsonSchema(toJsonSchema(Question));
    expect(text).toContain('"kind": "single" | "multiple"');
    expect(text).toContain('"options": [{');
    expect(text).toContain('"recommended"?: boolean');
    expect(text).toContain('(2 to 4 items)');
    expect(text).toContain('"allowOther": boolean');
    const plan = describeJsonSchema(toJsonSchema(Plan.extend({ id: z.string().describe('a short id') })));
    expect(plan).toContain('// a short id');
    expect(plan).toContain('(at least 1 item)');
  });
});

describe('lenient JSON', () => {
  it('finds the value in every messy variant a tiny model writes', () => {
    const variants = messyJsonVariants(PLAN);
    expect(variants.length).toBeGreaterThanOrEqual(14);
    for (const v of variants) {
      const check = checkStructuredAnswer(Plan, 'object', v.text, '');
      const fromReasoning = check.ok ? check : checkStructuredAnswer(Plan, 'object', '', v.text);
      expect(fromReasoning.ok, v.name).toBe(true);
      if (fromReasoning.ok) expect(fromReasoning.value, v.name).toEqual(PLAN);
    }
  });

  it('skips an example object that does not validate and takes the real answer', () => {
    const text = 'For example {"title": 1} would be wrong. Here is mine:\n' + JSON.stringify(PLAN);
    const check = checkStructuredAnswer(Plan, 'object', text, '');
    expect(check.ok).toBe(true);
    expect(findJsonCandidates(text, 'object')).toHaveLength(2);
  });

  it('reads fenced JSON first, in ``` and in ~~~ fences alike (one fence scanner, src/llm/fences.ts)', () => {
    for (const fence of ['```', '~~~']) {
      const text = `An example: {"x": 0}\n${fence}json\n{"a": 1}\n${fence}\n`;
      expect(findJsonCandidates(text, 'object').map((c) => c.value), fence).toEqual([{ a: 1 }, { x: 0 }]);
    }
  });

  it('reports why nothing validated', () => {
    const check = checkStructuredAnswer(Plan, 'object', '{"title": "", "steps": [], "priority": "urgent"}', '');
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.errors.some((e) => e.startsWith('title:'))).toBe(true);
      expect(check.errors.some((e) => e.startsWith('steps:'))).toBe(true);
      expect(check.errors.some((e) => e.startsWith('priority:'))).toBe(true);
    }
    const none = checkStructuredAnswer(Plan, 'object', 'I cannot do that.', '');
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.errors).toEqual(['No JSON value found in the answer.']);
  });
});

describe('structured output through the real client', () => {
  const srv = useModelServer();

  it('sends the schema the way llama-server applies it and describes it in the system prompt', async () => {
    srv().setScript([{ match: { schema: true }, reply: { content: JSON.stringify(PLAN) } }]);
    const { client, runs } = makeClient(srv());
    const r = await client.structured({
      role: 'projectManager',
      schema: Plan,
      schemaName: 'Plan',
      messages: [
        { role: 'system', content: 'You plan work.' },
        { role: 'user', content: 'Plan invoices' },
      ],
    });
    expect(r.value).toEqual(PLAN);
    const body = srv().chatRequests()[0]?.body;
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'Plan', schema: { type: 'object', title: 'Plan' } } });
    expect(body.response_format.json_schema.schema.properties.priority).toEqual({ type: 'string', enum: ['low', 'high'] });
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: false });
    expect(body.messages[0].content).toMatch(/^You plan work\.\n\nAnswer with JSON only/);
    expect(body.messages[0].content).toContain('"priority": "low" | "high"');
    expect(r.runs).toHaveLength(1);
    expect(runs).toEqual(r.runs);
    expect(RunRecord.parse(runs[0])).toMatchObject({ outcome: 'ok', params: { jsonSchema: true }, extracted: JSON.stringify(PLAN) });
  });

  it('adds a system message when there is none', async () => {
    srv().setScript([{ reply: { content: JSON.stringify(PLAN) } }]);
    const { client } = makeClient(srv());
    await client.structured({ role: 'projectManager', schema: Plan, schemaName: 'Plan', messages: [{ role: 'user', content: 'x' }] });
    const msgs = srv().chatRequests()[0]?.body.messages;
    expect(msgs.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(msgs[0].content).toContain('Answer with JSON only');
  });

  it('repairs the worst messy answer from a server that ignores the schema, without re-asking', async () => {
    srv().setScript([{ match: { schema: true }, reply: { content: json.worst(PLAN), chunkSize: 7 } }]);
    const { client, runs } = makeClient(srv());
    const r = await client.structured({ role: 'projectManager', schema: Plan, schemaName: 'Plan', messages: [{ role: 'user', content: 'x' }] });
    expect(r.value).toEqual(PLAN);
    expect(srv().chatRequests()).toHaveLength(1);
    expect(runs[0]?.diagnostics.map((d) => d.code)).toContain('json-repaired');
    expect(runs[0]?.reasoning).toContain('Let me think step by step');
  });

  it('takes JSON from an unclosed think block', async () => {
    srv().setScript([{ reply: { content: wrap.unclosedThink(JSON.stringify(PLAN)) } }]);
    const { client, runs } = makeClient(srv());
    const r = await client.structured({ role: 'projectManager', schema: Plan, schemaName: 'Plan', messages: [{ role: 'user', content: 'x' }] });
    expect(r.value).toEqual(PLAN);
    expect(runs[0]?.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['unclosed-think', 'json-in-reasoning']));
  });

  it('re-asks once with the validation errors and the previous answer', async () => {
    const wrong = JSON.stringify({ title: 'Invoices', steps: [{ name: 'x' }], priority: 'urgent' });
    srv().setScript([
      { match: { messageCount: 2 }, reply: { content: `Here you go: ${wrong}` } },
      { match: { messageCount: 4 }, reply: { content: JSON.stringify(PLAN) } },
    ]);
    const { client, runs } = makeClient(srv());
    const r = await client.structured({ role: 'projectManager', schema: Plan, schemaName: 'Plan', mode: 'plan', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'Plan invoices' }] });
    expect(r.value).toEqual(PLAN);
    const [first, second] = srv().chatRequests();
    expect(first?.body.messages).toHaveLength(2);
    const msgs = second?.body.messages;
    expect(msgs[2]).toEqual({ role: 'assistant', content: `Here you go: ${wrong}` });
    expect(msgs[3].role).toBe('user');
    expect(msgs[3].content).toContain('not valid Plan JSON');
    expect(msgs[3].content).toContain('steps[0].done:');
    expect(msgs[3].content).toContain('priority:');
    expect(second?.body.response_format).toBeDefined();

    expect(r.runs).toHaveLength(2);
    expect(runs).toEqual(r.runs);
    expect(runs[0]).toMatchObject({ outcome: 'invalid', mode: 'plan', extracted: wrong });
    expect(runs[0]?.diagnostics.filter((d) => d.code === 'schema-mismatch').length).toBeGreaterThan(0);
    expect(runs[1]).toMatchObject({ outcome: 'ok', parentRunId: runs[0]?.id, mode: 'plan' });
  });

  it('gives up after the re-ask with a clear error that keeps both raw answers', async () => {
    srv().setScript([
      { times: 1, reply: { content: 'Sorry, I will describe the plan in words instead.' } },
      { times: 1, reply: { content: '<think>ok</think>{"title": "Invoices"}' } },
    ]);
    const { client, runs } = makeClient(srv());
    const err = await failure(client.structured({ role: 'projectManager', schema: Plan, schemaName: 'Plan', messages: [{ role: 'user', content: 'x' }] }));
    expect(err).toBeInstanceOf(ModelError);
    expect(err.kind).toBe('invalid-output');
    expect(err.message).toContain("wasn't usable");
    expect(err.message).not.toContain('Plan');
    expect(err.runs!.at(-1)!.diagnostics.map((d) => d.message).join('\n')).toContain('steps');
    expect(err.raws).toEqual(['Sorry, I will describe the plan in words instead.', '{"title": "Invoices"}']);
    expect(err.runs).toHaveLength(2);
    expect(runs.map((r) => r.outcome)).toEqual(['invalid', 'invalid']);
    expect(srv().chatRequests()[1]?.body.messages.at(-1).content).toContain('No JSON value found in the answer.');
    expect(srv().chatRequests()).toHaveLength(2);
  });

  it('validates domain schemas (ProductSummary) from messy output', async () => {
    const summary = { appName: 'Bakery orders', users: [{ name: 'Owner', description: 'runs the shop' }], entities: [{ name: 'Order', fields: [{ name: 'total', type: 'money', required: true }] }], features: ['take orders'], constraints: [] };
    srv().setScript([{ reply: { content: wrap.proseAndFence(json.trailingCommas(summary), 'js') } }]);
    const { client } = makeClient(srv());
    const r = await client.structured({ role: 'productOwner', schema: ProductSummary, schemaName: 'ProductSummary', messages: [{ role: 'user', content: 'x' }] });
    expect(r.value).toEqual(summary);
  });

  it('falls back to a plain request when the server rejects the schema fields', async () => {
    srv().setScript([
      { match: { schema: true }, reply: { fault: 'status', status: 400, message: "Unrecognized request argument supplied: response_format", type: 'invalid_request_error' } },
      { match: { schema: false }, reply: { content: JSON.stringify(PLAN) } },
    ]);
    const { client, runs } = makeClient(srv());
    const r = await client.structured({ role: 'projectManager', schema: Plan, schemaName: 'Plan', messages: [{ role: 'user', content: 'x' }] });
    expect(r.value).toEqual(PLAN);
    const [first, second] = srv().chatRequests();
    expect(first?.body.response_format).toBeDefined();
    expect(second?.body.response_format).toBeUndefined();
    expect(second?.body.chat_template_kwargs).toBeUndefined();
    expect(second?.body.stream_options).toBeUndefined();
    expect(second?.body.messages[0].content).toContain('Answer with JSON only'); // the prompt still describes the shape
    expect(runs[0]?.params.jsonSchema).toBeUndefined();
    expect(runs[0]?.diagnostics.map((d) => d.code)).toContain('extensions-rejected');

    // The client remembers: the next call to this server goes plain straight away.
    await client.structured({ role: 'projectManager', schema: Plan, schemaName: 'Plan', messages: [{ role: 'user', content: 'y' }] });
    expect(srv().chatRequests()).toHaveLength(3);
    expect(srv().chatRequests()[2]?.body.response_format).toBeUndefined();
    expect(runs[1]?.diagnostics.map((d) => d.code)).toContain('extensions-skipped');
  });

  it('attaches the runs to transport errors too', async () => {
    srv().setScript([{ reply: { fault: 'status', status: 500 } }]);
    const { client, runs } = makeClient(srv(), { maxRetries: 0 });
    const err = await failure(client.structured({ role: 'projectManager', schema: Plan, schemaName: 'Plan', messages: [{ role: 'user', content: 'x' }] }));
    expect(err.kind).toBe('server');
    expect(err.runs).toHaveLength(1);
    expect(runs[0]?.outcome).toBe('error');
  });
});
