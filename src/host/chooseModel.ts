import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { NocodoContext } from './ctx';
import { MODEL_CATALOG, resolveUrl, type CatalogModel } from '../localModel/catalog';
import { DownloadError, downloadModel, partPath } from '../localModel/download';
import { chosenModelNote } from '../localModel/settings';
import { writeUserSetting } from './config';
import { readLocalModelSettings } from './localRuntime';

/**
 * "nocodo: Choose Local Model": pick a .gguf on disk, or download one of a few small models from
 * Hugging Face into the extension's global storage (progress with size and speed, cancellable,
 * resumed on the next try, checked against the published size and SHA-256). The choice goes to
 * `nocodo.localModel.path` (user settings; read and written through the settings module like every
 * other nocodo setting, so a workspace's value never shows as the model in use).
 */
export function registerChooseModel(ctx: NocodoContext): void {
  ctx.own(vscode.commands.registerCommand('nocodo.chooseLocalModel', () => chooseLocalModel(ctx)));
}

type Pick = vscode.QuickPickItem & { action: 'file' } | vscode.QuickPickItem & { action: 'download'; model: CatalogModel };

const modelsDir = (ctx: NocodoContext) => path.join(ctx.ext.globalStorageUri.fsPath, 'models');

async function chooseLocalModel(ctx: NocodoContext): Promise<void> {
  const dir = modelsDir(ctx);
  const current = readLocalModelSettings().path;
  const items: Pick[] = [
    { action: 'file', label: '$(file) Pick a .gguf file on this computer…' },
    { kind: vscode.QuickPickItemKind.Separator, label: 'Download from Hugging Face' } as unknown as Pick,
    ...MODEL_CATALOG.map((m): Pick => {
      const file = path.join(dir, m.file);
      const state = existsSync(file) ? (file === current ? '$(check) in use' : '$(check) downloaded') : existsSync(partPath(file)) ? '$(debug-pause) partly downloaded: resumes' : '';
      return { action: 'download', model: m, label: m.label, description: state, detail: `${m.detail} · ${m.repo}` };
    }),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'nocodo: Choose Local Model', placeHolder: current ? `Now: ${current}` : 'No local model chosen yet' });
  if (!pick) return;
  let file: string | undefined;
  if (pick.action === 'file') {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'GGUF model': ['gguf'] }, openLabel: 'Use this model' });
    file = uris?.[0]?.fsPath;
  } else file = await download(ctx, pick.model, dir);
  if (!file) return;
  await writeUserSetting('localModel', 'path', file);
  void vscode.window.showInformationMessage(`nocodo: local model set to ${path.basename(file)}. ${chosenModelNote(readLocalModelSettings().runtime)}`);
}

async function download(ctx: NocodoContext, model: CatalogModel, dir: string): Promise<string | undefined> {
  const dest = path.join(dir, model.file);
  if (existsSync(dest)) return dest;
  const url = resolveUrl(model);
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `nocodo: downloading ${model.label}`, cancellable: true }, async (progress, token) => {
      const ctl = new AbortController();
      token.onCancellationRequested(() => ctl.abort());
      let lastPct = 0;
      await downloadModel({
        url,
        dest,
        pinned: { ...(model.sizeBytes ? { sizeBytes: model.sizeBytes } : {}), ...(model.sha256 ? { sha256: model.sha256 } : {}) },
        signal: ctl.signal,
        onProgress: (p) => {
          const pct = (p.receivedBytes / p.totalBytes) * 100;
          progress.report({ increment: pct - lastPct, message: `${mb(p.receivedBytes)} of ${mb(p.totalBytes)} MB at ${mb(p.bytesPerSecond)} MB/s${p.resumedFromBytes ? ` (resumed at ${mb(p.resumedFromBytes)} MB)` : ''}` });
          lastPct = pct;
        },
      });
      progress.report({ message: 'checked size and SHA-256' });
    });
    ctx.log.info(`downloaded ${url} to ${dest}`);
    return dest;
  } catch (err) {
    const msg = err instanceof DownloadError ? err.message : `Download failed: ${(err as Error).message}`;
    ctx.log.warn(`download of ${url}: ${msg}`);
    if (err instanceof DownloadError && err.kind === 'cancelled') void vscode.window.showInformationMessage(`nocodo: ${msg}`);
    else void vscode.window.showErrorMessage(`nocodo: ${msg}`);
    return undefined;
  }
}

const mb = (n: number): string => (n / 1e6).toFixed(n < 1e7 ? 1 : 0);
