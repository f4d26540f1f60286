import { describe, it, expect } from 'vitest';
import { ReasoningSplitter, splitReasoning } from '../../../src/llm/reasoning';
import type { StreamDelta } from '../../../src/llm/types';
import { useModelServer, makeClient, user } from './helpers';

function streamThrough(chunks: string[]): { content: string; reasoning: string; live: StreamDelta[]; s: ReasoningSplitter } {
  const s = new ReasoningSplitter();
  const live: StreamDelta[] = [];
  for (const c of chunks) live.push(s.push(c));
  live.push(s.finish());
  return { content: s.content, reasoning: s.reasoning, live, s };
}

describe('ReasoningSplitter', () => {
  const answer = '<think>\nThe user wants a function.\n</think>\n\npub fn a() {}';

  it('separates a closed think block', () => {
    expect(splitReasoning(answer)).toEqual({ content: 'pub fn a() {}', reasoning: 'The user wants a function.', unclosedThink: false });
  });

  it('handles the tags split at every possible chunk boundary', () => {
    for (let i = 1; i < answer.length; i++) {
      for (let j = i + 1; j < answer.length; j += 3) {
        const r = streamThrough([answer.slice(0, i), answer.slice(i, j), answer.slice(j)]);
        expect(r.content, `split at ${i}/${j}`).toBe('pub fn a() {}');
        expect(r.reasoning, `split at ${i}/${j}`).toBe('The user wants a function.');
        // The live view never shows a tag, or reasoning as content.
        const liveContent = r.live.map((d) => d.content ?? '').join('');
        expect(liveContent).toBe('pub fn a() {}');
      }
    }
  });

  it('handles one character per chunk', () => {
    const r = streamThrough([...answer]);
    expect(r.content).toBe('pub fn a() {}');
    expect(r.reasoning).toBe('The user wants a function.');
  });

  it('treats an unclosed think block as reasoning', () => {
    const r = streamThrough(['<think>\nLet me ', 'think. {"a": 1}']);
    expect(r.content).toBe('');
    expect(r.reasoning).toBe('Let me think. {"a": 1}');
    expect(r.s.unclosedThink).toBe(true);
  });

  it('drops a stray leading </think>', () => {
    expect(splitReasoning('</think>\n\nfn main() {}')).toEqual({ content: 'fn main() {}', reasoning: '', unclosedThink: false });
  });

  it('moves text before a stray </think> (template-opened think) into the reasoning', () => {
    const r = streamThrough(['Okay, the user wants', ' X.\n</th', 'ink>\n\nX']);
    expect(r.content).toBe('X');
    expect(r.reasoning).toBe('Okay, the user wants X.');
    expect(r.s.movedContentToReasoning).toBe(true);
  });

  it('keeps reasoning_content deltas apart from the content', () => {
    const s = new ReasoningSplitter();
    expect(s.pushReasoning('thinking')).toEqual({ reasoning: 'thinking' });
    expect(s.push('answer')).toEqual({ content: 'answer' });
    s.finish();
    expect(s.content).toBe('answer');
    expect(s.reasoning).toBe('thinking');
  });

  it('holds back a possible tag start, then releases it when it is not a tag', () => {
    const s = new ReasoningSplitter();
    expect(s.push('if a <')).toEqual({ content: 'if a ' });
    expect(s.push(' b {')).toEqual({ content: '< b {' });
    expect(s.push('x <th')).toEqual({ content: 'x ' });
    expect(s.finish()).toEqual({ content: '<th' });
    expect(s.content).toBe('if a < b {x <th');
  });

  it('is case-insensitive about tags and handles several think blocks', () => {
    expect(splitReasoning('<THINK>a</THINK>one <think>b</think>two').content).toBe('one two');
  });
});

describe('reasoning through the real client', () => {
  const srv = useModelServer();

  it('splits <think> streamed one character per chunk, and keeps it out of content deltas', async () => {
    srv().setScript([{ reply: { content: '<think>\nplan: use filter\n</think>\n\nfn x() {}', chunkSize: 1 } }]);
    const { client, runs } = makeClient(srv());
    const live: StreamDelta[] = [];
    const r = await client.chat({ role: 'rustEngineer', messages: user('write x'), onDelta: (d) => live.push(d) });
    expect(r.content).toBe('fn x() {}');
    expect(r.reasoning).toBe('plan: use filter');
    expect(live.map((d) => d.content ?? '').join('')).toBe('fn x() {}');
    expect(live.map((d) => d.reasoning ?? '').join('')).toContain('plan: use filter');
    expect(runs[0]?.raw).toBe('fn x() {}');
    expect(runs[0]?.reasoning).toBe('plan: use filter');
  });

  it('takes reasoning_content deltas as reasoning', async () => {
    srv().setScript([{ reply: { reasoning: 'The user greets me.', content: 'Hello!' } }]);
    const { client, runs } = makeClient(srv());
    const r = await client.chat({ role: 'productOwner', messages: user('hi') });
    expect(r).toMatchObject({ content: 'Hello!', reasoning: 'The user greets me.' });
    expect(runs[0]?.reasoning).toBe('The user greets me.');
    expect(runs[0]?.raw).toBe('Hello!');
  });

  it('flags an unclosed think block on the run', async () => {
    srv().setScript([{ reply: { content: '<think>\nhmm\n\n```rust\nfn x() {}\n```' } }]);
    const { client, runs } = makeClient(srv());
    const r = await client.chat({ role: 'rustEngineer', messages: user('x') });
    expect(r.content).toBe('');
    expect(r.reasoning).toContain('fn x() {}');
    expect(runs[0]?.diagnostics.map((d) => d.code)).toContain('unclosed-think');
  });
});
