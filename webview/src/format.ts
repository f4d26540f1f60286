import { ROLE_LABELS, STATE_LABELS } from '../../src/domain';
import type { IconName } from './icons';
import type { ActorRole, ModelRole, SpecialistRole, TaskState } from '../../src/domain';

export { ROLE_LABELS, STATE_LABELS };

export const MODEL_ROLE_LABELS: Record<ModelRole, string> = {
  rustEngineer: 'Rust engineer',
  frontendEngineer: 'Frontend engineer',
  productOwner: 'Product Owner',
  projectManager: 'Project Manager',
  engineeringManager: 'Engineering Manager',
};

/** Codicon per author, so roles are told apart without relying on colour. */
export const ROLE_ICONS: Record<ActorRole, IconName> = {
  user: 'account',
  product_owner: 'lightbulb',
  project_manager: 'checklist',
  engineering_manager: 'tools',
  backend: 'server',
  frontend: 'browser',
  db: 'database',
  ui_designer: 'symbol-color',
  system: 'info',
};

export function specialistLabel(role: SpecialistRole): string {
  return ROLE_LABELS[role];
}

export function stateLabel(state: TaskState): string {
  return STATE_LABELS[state];
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
}

export function formatRate(tps: number | undefined): string {
  return tps === undefined || !Number.isFinite(tps) ? '—' : `${tps.toFixed(1)} tokens/s`;
}

export function formatTime(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A mode's title from the snapshot's list ("Diesel model function"); its id when the list lacks it. */
export function modeTitle(id: string, modes: ReadonlyArray<{ id: string; title: string }> | undefined): string {
  return modes?.find((m) => m.id === id)?.title ?? id;
}

export function modeLabel(task: { mode?: string }, modes?: ReadonlyArray<{ id: string; title: string }>): string {
  return task.mode ? modeTitle(task.mode, modes) : 'stays with you';
}
