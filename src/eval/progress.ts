import type { ProgressEvent } from './run';

/**
 * Progress on stderr: on a terminal one line rewritten in place (`\r`) with a bar; otherwise
 * (CI logs, pipes) one line per finished task, so logs stay readable.
 */
export function createProgress(write: (text: string) => void, isTTY: boolean, width = 24): (e: ProgressEvent) => void {
  return (e) => {
    const where = `${e.taskId}${e.model ? ` [${e.model}]` : ''}`;
    if (isTTY) {
      const done = e.type === 'task-done' ? e.index : e.index - 1;
      const filled = Math.round((done / e.total) * width);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      const status = e.type === 'task-done' ? (e.result.score.pass ? 'pass' : 'fail') : 'running';
      write(`\r\x1b[K[${bar}] ${done}/${e.total} ${where} ${status}`);
      if (e.type === 'task-done' && e.index === e.total) write('\n');
      return;
    }
    if (e.type !== 'task-done') return;
    const r = e.result;
    const secs = `${(r.latencyMs / 1000).toFixed(1)} s`;
    write(`[${e.index}/${e.total}] ${where} ${r.mode}: ${r.score.pass ? 'pass' : `FAIL ${r.score.failure ?? ''}`.trim()} (${secs})\n`);
  };
}
