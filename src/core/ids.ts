import { randomUUID } from 'node:crypto';

/** Short, sortable-enough ids with a readable prefix (`run_…`, `task_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}
