import type { Diagnostic } from '../core/diagnostics';
import type { RunRecord } from '../domain';

/**
 * "Show Last Run" as a plain Markdown document: what was asked, what came back, what was kept and
 * why it was (not) accepted. The team panel's run inspector is the rich version of this.
 */

export interface RunReportInput {
  /** The calls of one mode run, in order (a re-ask follows its parent). */
  runs: readonly RunRecord[];
  mode?: string;
  /** Diagnostics of the whole mode run (post-processing, validation), when known. */
  diagnostics?: readonly Diagnostic[];
  /** Mode-level timings in ms (context, prompt, model, …), when known. */
  timings?: Readonly<Record<string, number>>;
  proposalId?: string;
}

/** A fence longer than any backtick run inside `text`, so the text cannot close it. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`;
}

const ms = (n: number | undefined): string => (n === undefined ? '—' : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`);

function diagnosticLines(ds: readonly Diagnostic[]): string {
  if (!ds.length) return '_none_';
  return ds.map((d) => `- **${d.severity}**${d.code ? ` \`${d.code}\`` : ''}: ${d.message.replace(/\n/g, ' ')}${d.file ? ` (${d.file}${d.line ? `:${d.line}` : ''})` : ''}`).join('\n');
}

function runSection(run: RunRecord, i: number, total: number): string {
  const out: string[] = [];
  out.push(`## ${total > 1 ? `Attempt ${i + 1} of ${total}` : 'Model call'} — ${run.outcome}${run.parentRunId ? ' (re-ask)' : ''}`);
  out.push('');
  out.push(`- Run: \`${run.id}\`${run.mode ? ` · mode \`${run.mode}\`` : ''}`);
  out.push(`- Model: \`${run.model}\` at ${run.baseUrl} · temperature ${run.params.temperature} · max ${run.params.maxTokens} tokens`);
  out.push(`- Started ${new Date(run.timings.startedAt).toISOString()} · first token ${ms(run.timings.firstTokenMs)} · total ${ms(run.timings.totalMs)}${run.timings.tokensPerSecond ? ` · ${run.timings.tokensPerSecond.toFixed(1)} tokens/s` : ''}`);
  if (run.usage) out.push(`- Tokens: prompt ${run.usage.promptTokens ?? '?'}, completion ${run.usage.completionTokens ?? '?'}${run.usage.stablePrefixTokens ? `, shared prefix ${run.usage.stablePrefixTokens}` : ''}`);
  if (run.error) out.push(`- Error: ${run.error}`);
  if (run.rejection) out.push(`- Rejected by the user ${new Date(run.rejection.at).toISOString()}${run.rejection.reason ? `: ${run.rejection.reason}` : ''}`);
  out.push('', '### Prompt', '');
  for (const m of run.messages) out.push(`#### ${m.role}`, '', fenced(m.content), '');
  out.push('### Raw answer', '', run.raw ? fenced(run.raw) : '_empty_', '');
  if (run.reasoning) out.push('### Reasoning', '', fenced(run.reasoning), '');
  out.push('### Extracted code', '', run.extracted !== undefined ? fenced(run.extracted, 'rust') : '_nothing usable was found_', '');
  out.push('### Diagnostics', '', diagnosticLines(run.diagnostics), '');
  if (run.compile) {
    const c = run.compile;
    const verdict = c.skipped ? `not checked: ${c.skipped}` : c.errors.length ? `${c.errors.length} error${c.errors.length === 1 ? '' : 's'} caused by the change` : c.preExisting ? `the project did not compile before this change (${c.preExisting} errors elsewhere)` : 'compiles';
    out.push('### cargo check', '', `${verdict} · ${ms(c.ms)}`, '', ...(c.output ? [fenced(c.output), ''] : []));
  }
  return out.join('\n');
}

export function renderRunReport(input: RunReportInput): string {
  const runs = input.runs;
  const out: string[] = [];
  const mode = input.mode ?? runs.find((r) => r.mode)?.mode;
  out.push(`# nocodo run${mode ? `: ${mode}` : ''}`, '');
  if (input.proposalId) out.push(`Proposal \`${input.proposalId}\``, '');
  if (input.timings) {
    const parts = Object.entries(input.timings).map(([k, v]) => `${k.replace(/Ms$/, '')} ${ms(v)}`);
    out.push(`Timings: ${parts.join(' · ')}`, '');
  }
  if (input.diagnostics) out.push('## Result diagnostics', '', diagnosticLines(input.diagnostics), '');
  if (!runs.length) out.push('_No model was called (the mode is deterministic or stopped before asking)._', '');
  runs.forEach((r, i) => out.push(runSection(r, i, runs.length)));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** The run `last` and the runs it re-asked for, oldest first. */
export function runChain(last: RunRecord, lookup: (id: string) => RunRecord | undefined): RunRecord[] {
  const chain = [last];
  const seen = new Set([last.id]);
  let cur = last;
  while (cur.parentRunId && !seen.has(cur.parentRunId)) {
    const parent = lookup(cur.parentRunId);
    if (!parent) break;
    chain.unshift(parent);
    seen.add(parent.id);
    cur = parent;
  }
  return chain;
}
