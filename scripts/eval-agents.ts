// `npm run eval:agents`: the team agents (Product Owner, Project Manager, Engineering Manager) on
// a real model through the embedded runtime. Prints the share of structured outputs valid on the
// FIRST try, with grammar-constrained decoding (the JSON schema sent as response_format, turned
// into a llama.cpp grammar by the runtime) and without it (the shape only described in the
// prompt). Inputs: eval/agents/cases.json.
//
//   npx tsx scripts/eval-agents.ts [--local-model file.gguf] [--decoding both|constrained|free]
//        [--apps n] [--threads n] [--max-tokens n] [--out file.json]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalRuntime } from '../src/cli/localRuntime';
import type { AgentCaseResult, RunGate, summariseAgentResults as Summarise } from '../src/eval/agents';
import { registerMarkdownLoader } from '../bench/lib/markdown';
import { createModelClient, resolveLlmConfig } from '../src/llm';

const root = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  // The modes' prompt banks are Markdown: teach Node to load them before importing the modes.
  registerMarkdownLoader();
  const { listModes } = await import('../modes');
  const { AgentCases, AGENT_STEPS, agentCases, runAgentCases, summariseAgentResults } = await import('../src/eval/agents');
  const { values } = parseArgs({
    options: {
      'local-model': { type: 'string' },
      decoding: { type: 'string', default: 'both' },
      apps: { type: 'string' },
      threads: { type: 'string' },
      'max-tokens': { type: 'string', default: '256' },
      out: { type: 'string' },
    },
  });
  const decodings = values.decoding === 'both' ? (['constrained', 'free'] as const) : values.decoding === 'constrained' || values.decoding === 'free' ? ([values.decoding] as const) : undefined;
  if (!decodings) throw new Error(`--decoding is both, constrained or free, not "${values.decoding}"`);
  const modelPath = values['local-model'] ?? execFileSync('bash', [path.join(root, 'scripts/setup-local-model.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const cases = AgentCases.parse(JSON.parse(readFileSync(path.join(root, 'eval/agents/cases.json'), 'utf8')));
  if (values.apps) cases.apps = cases.apps.slice(0, Number(values.apps));
  const calls = agentCases(cases, listModes());
  const maxTokens = Number(values['max-tokens']);

  const local = await startLocalRuntime(modelPath, { ...(values.threads ? { threads: Number(values.threads) } : {}), log: (l) => process.stderr.write(`[runtime] ${l}\n`) });
  const report: Record<string, { results: AgentCaseResult[]; summary: ReturnType<typeof Summarise> }> = {};
  try {
    for (const decoding of decodings) {
      const roles = Object.fromEntries(['productOwner', 'projectManager', 'engineeringManager'].map((r) => [r, { model: local.endpoint.modelId, temperature: 0.2, maxTokens }]));
      const config = resolveLlmConfig({ baseUrl: local.endpoint.baseUrl, maxRetries: 0, timeouts: { firstTokenMs: 1_800_000, totalMs: 1_800_000, idleMs: 300_000 }, roles }, {});
      const gate: RunGate = {};
      const client = createModelClient({ config, getApiKey: async () => local.endpoint.token, constrainedDecoding: decoding === 'constrained', onRun: (run) => gate.onRun?.(run) });
      const results = await runAgentCases(client, gate, calls, (r, i) => {
        process.stderr.write(`[${decoding} ${i + 1}/${calls.length}] ${r.step} ${r.app}: ${r.valid ? 'valid' : `INVALID ${r.problem}`} (${(r.ms / 1000).toFixed(1)} s, ${r.completionTokens ?? '?'} tokens)\n`);
      });
      report[decoding] = { results, summary: summariseAgentResults(results) };
    }
  } finally {
    await local.stop();
  }

  console.log(`\nTeam agents on ${local.endpoint.modelId}: structured outputs valid on the first try (${cases.apps.length} apps, max ${maxTokens} tokens)`);
  console.log(`| agent step | ${decodings.map((d) => (d === 'constrained' ? 'with grammar' : 'without grammar')).join(' | ')} |`);
  console.log(`|---|${decodings.map(() => '---:').join('|')}|`);
  for (const step of [...AGENT_STEPS, 'all'] as const) {
    console.log(`| ${step} | ${decodings.map((d) => `${report[d]!.summary[step].valid}/${report[d]!.summary[step].total}`).join(' | ')} |`);
  }
  if (values.out) {
    mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    writeFileSync(path.resolve(values.out), `${JSON.stringify({ model: local.endpoint.modelId, modelPath: path.basename(modelPath), maxTokens, date: new Date().toISOString(), ...report }, null, 2)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`eval-agents: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
