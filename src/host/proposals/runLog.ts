import * as vscode from 'vscode';
import type { ModeResult } from '../../../modes';
import type { RunRecord } from '../../domain';
import { renderRunReport, runChain } from '../../proposals';
import { saveRuns, type NocodoStore } from '../../store';
import { log } from '../log';
import { RUN_SCHEME, runUri } from './uris';
import { notice } from '../notice';

interface LastRun {
  result: ModeResult;
  proposalId?: string;
}

/**
 * Keeps the runs of the editor's own mode runs (in the store, with what the mode added: extracted
 * code, diagnostics) and shows the last one as a read-only Markdown document ("Show Last Run").
 */
export class RunLog implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private last: LastRun | undefined;
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly store: NocodoStore) {}

  /** Saves the runs of a mode result (insert, or complete what the model client saved). */
  record(result: ModeResult, proposalId?: string): void {
    this.last = { result, ...(proposalId ? { proposalId } : {}) };
    for (const run of result.runs) {
      try {
        saveRuns(this.store, [run]);
      } catch (e) {
        log().error(`could not save run ${run.id}`, e);
      }
    }
  }

  linkProposal(proposalId: string): void {
    if (this.last) this.last.proposalId = proposalId;
  }

  /** The report of the last run: this window's last mode run, else the newest run in the store. */
  lastReport(): { key: string; markdown: string } | undefined {
    if (this.last) {
      const r = this.last.result;
      const lastRun = r.runs[r.runs.length - 1];
      // Prefer the stored copy: a rejection may have been recorded on it since.
      const runs = r.runs.map((x) => this.stored(x.id) ?? x);
      const { totalMs, ...phases } = r.timings;
      const markdown = renderRunReport({ runs, mode: r.mode, diagnostics: r.diagnostics, timings: { ...phases, totalMs }, ...(this.last.proposalId ? { proposalId: this.last.proposalId } : {}) });
      return { key: lastRun?.id ?? `${r.mode}-deterministic`, markdown };
    }
    let newest: RunRecord | undefined;
    try {
      newest = this.store.runs.list({ limit: 1 })[0];
    } catch (e) {
      log().warn('reading the last run failed', e);
    }
    if (!newest) return undefined;
    const chain = runChain(newest, (id) => this.stored(id));
    return { key: newest.id, markdown: renderRunReport({ runs: chain }) };
  }

  private stored(id: string): RunRecord | undefined {
    try {
      return this.store.runs.get(id);
    } catch {
      return undefined;
    }
  }

  async showLast(): Promise<void> {
    const report = this.lastReport();
    if (!report) {
      void notice.info('no run yet. Right-click a Rust file → nocodo → Generate… to start one.');
      return;
    }
    this.reports.set(report.key, report.markdown);
    const uri = runUri(report.key);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.scheme !== RUN_SCHEME) return '';
    const key = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    return this.reports.get(key) ?? `# nocodo run ${key}\n\nThis report is no longer in memory; run "nocodo: Show Last Run" again.\n`;
  }

  dispose(): void {
    this.changed.dispose();
    this.reports.clear();
  }
}
