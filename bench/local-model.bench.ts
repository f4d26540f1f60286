// The embedded runtime with the real model (Gemma 3 270M Q4_K_M from scripts/setup-local-model.sh):
// load time, prefill tokens/s cold and with the cached prefix, generation tokens/s, and the
// runtime process's memory. Skipped (one row saying so) when the model is not installed.
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedRuntime } from '../src/localModel/runtime';
import type { BenchResult } from './run';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODEL = process.env.NOCODO_TEST_MODEL ?? path.join(root, '.tools/models/gemma-3-270m-q4_k_m.gguf');

interface Timings {
  cache_n: number;
  prompt_n: number;
  prompt_ms: number;
  predicted_n: number;
  predicted_ms: number;
}

const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export async function run(): Promise<BenchResult> {
  if (!existsSync(MODEL)) return { name: 'local-model', rows: [{ metric: 'skipped', value: 0, note: 'model not installed: bash scripts/setup-local-model.sh' }] };
  const threads = Math.max(1, os.availableParallelism() - 1);
  const rt = new EmbeddedRuntime({ modelPath: MODEL, idleStopMs: 0, threads, entry: { script: path.join(root, 'src/localModel/child.ts'), execArgv: ['--import', 'tsx'] } });
  const t0 = performance.now();
  const ep = await rt.ensure();
  const startMs = performance.now() - t0;
  const status = rt.status;
  const loadMs = status.state === 'ready' ? status.info.loadMs : 0;
  const ask = async (system: string, user: string, maxTokens: number): Promise<Timings> => {
    const res = await fetch(`${ep.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ep.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'system', content: system }, { role: 'user', content: user }], max_tokens: maxTokens, temperature: 0 }),
    });
    return ((await res.json()) as { timings: Timings }).timings;
  };
  try {
    // About 1,000 tokens of instructions shared by both calls, as a mode's examples are.
    const system = Array.from({ length: 60 }, (_, i) => `Example ${i + 1}: pub fn find_${i}(conn: &mut PgConnection) -> QueryResult<Order> { orders::table.find(${i}).first(conn) }`).join('\n');
    const cold = await ask(system, 'Count the orders.', 1);
    const cached = await ask(system, 'List the orders of one customer.', 64);
    const rss = rt.pid ? rssMiB(rt.pid) : 0;
    const perS = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : 0);
    return {
      name: 'local-model',
      rows: [
        { metric: 'model load (in the runtime)', value: Math.round(loadMs), unit: 'ms' },
        { metric: 'start to ready (process + load)', value: Math.round(startMs), unit: 'ms' },
        { metric: `prefill cold (${cold.prompt_n} tokens)`, value: perS(cold.prompt_n, cold.prompt_ms), unit: 'tokens/s' },
        { metric: `prefill with cached prefix (${cached.cache_n} cached, ${cached.prompt_n} read)`, value: perS(cached.prompt_n + cached.cache_n, cached.prompt_ms), unit: 'prompt tokens/s' },
        { metric: 'prefill time cold vs cached', value: Math.round(cold.prompt_ms), unit: `ms vs ${Math.round(cached.prompt_ms)} ms` },
        { metric: `generation (${cached.predicted_n} tokens)`, value: perS(cached.predicted_n, cached.predicted_ms), unit: 'tokens/s' },
        { metric: 'runtime process memory (RSS)', value: Math.round(rss), unit: 'MiB' },
        { metric: 'threads', value: threads, unit: '' },
      ],
    };
  } finally {
    await rt.stop();
  }
}
