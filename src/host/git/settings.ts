import { readSection } from '../config';
import type { SectionValues } from '../../settings';

/**
 * Git settings (`nocodo.git.*`, schema in src/settings). `apiUrl` decides where a git host token is
 * sent, so it is a machine setting (a repository's .vscode/settings.json cannot redirect the token).
 */
export type GitSettings = SectionValues<'git'>;

export const readGitSettings = (): GitSettings => readSection('git');
