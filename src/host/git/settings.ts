import * as vscode from 'vscode';
import { z } from 'zod';

/**
 * Git settings, parsed with zod. `apiUrl` decides where a git host token is sent, so it is a
 * machine setting (a repository's .vscode/settings.json cannot redirect the token).
 */
const GitSettings = z.object({
  commitOnAccept: z.boolean().catch(true),
  branchPerTask: z.boolean().catch(false),
  remote: z.string().trim().min(1).catch('origin'),
  forge: z.enum(['auto', 'github', 'gitlab']).catch('auto'),
  apiUrl: z
    .string()
    .trim()
    .refine((s) => s === '' || /^https?:\/\/[^\s@]+$/.test(s))
    .catch(''),
});
export type GitSettings = z.infer<typeof GitSettings>;

export function readGitSettings(): GitSettings {
  const cfg = vscode.workspace.getConfiguration('nocodo.git');
  return GitSettings.parse({
    commitOnAccept: cfg.get('commitOnAccept'),
    branchPerTask: cfg.get('branchPerTask'),
    remote: cfg.get('remote'),
    forge: cfg.get('forge'),
    apiUrl: cfg.inspect<string>('apiUrl')?.globalValue ?? '',
  });
}
