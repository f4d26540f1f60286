import * as path from 'node:path';
import * as vscode from 'vscode';
import { createCompileChecker, skippingChecker, type CargoCheckSetting, type CompileChecker } from '../compile';
import { readSection } from './config';
import { stepLimitMs, type CompileStepOptions } from '../pipeline/compileStep';
import { log } from './log';

/**
 * The compile check in the editor: `nocodo.validation.cargoCheck` (auto | on | off), a timeout and
 * a cap on the build folders, which live per project in the extension's global storage (never in
 * the user's workspace). `cargo check` runs build scripts and proc macros, i.e. the project's own
 * code, so in Restricted Mode it is skipped and the run says why.
 */

export const RESTRICTED = 'Restricted Mode: cargo check runs the project’s build scripts and macros, so it only runs in a trusted workspace';

export class CompileCheckFeature implements vscode.Disposable {
  private checker: CompileChecker | undefined;
  private key = '';

  constructor(private readonly storage: vscode.Uri) {}

  private settings(): { mode: CargoCheckSetting; timeoutMs: number; maxCacheBytes: number } {
    const s = readSection('validation');
    return { mode: s.cargoCheck, timeoutMs: s.cargoCheckTimeout * 1000, maxCacheBytes: s.cargoCheckCacheMaxMB * 1024 * 1024 };
  }

  /** The step for one mode run, or undefined when the setting is off. */
  step(onProgress?: (seconds: number) => void): CompileStepOptions | undefined {
    const s = this.settings();
    if (s.mode === 'off') return undefined;
    const setting = s.mode;
    const progress = onProgress ? { onProgress: (p: { elapsedMs: number }) => onProgress(Math.round(p.elapsedMs / 1000)) } : {};
    if (!vscode.workspace.isTrusted) return { checker: skippingChecker(RESTRICTED), setting, ...progress };
    const key = `${s.timeoutMs}:${s.maxCacheBytes}`;
    if (!this.checker || key !== this.key) {
      this.key = key;
      // NOCODO_CARGO_TARGET_DIR (the machine's environment, never the workspace's): one build
      // folder shared with the CLI and every project, so dependencies are built once per machine;
      // it is not nocodo's to clear, so the cap does not apply to it.
      const shared = process.env.NOCODO_CARGO_TARGET_DIR?.trim();
      this.checker = createCompileChecker({
        cacheDir: path.join(this.storage.fsPath, 'cargo-check'),
        timeoutMs: s.timeoutMs,
        ...(shared ? { targetDirFor: () => shared, maxCacheBytes: Infinity } : { maxCacheBytes: s.maxCacheBytes }),
        onNotice: (m) => {
          log().warn(m);
          void vscode.window.showInformationMessage(m);
        },
      });
    }
    return { checker: this.checker, setting, limitMs: stepLimitMs(s.timeoutMs), ...progress };
  }

  dispose(): void {
    void this.checker?.dispose();
  }
}
