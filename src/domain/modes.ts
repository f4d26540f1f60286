import { z } from 'zod';
import { MODE_DESCRIPTORS as LISTED } from '../../modes/descriptors';
import type { ModeDescriptor } from './modeDescriptor';

export * from './modeDescriptor';

/** A mode id: the `id` of one of the descriptors in modes/<id>/descriptor.ts. */
export type ModeId = (typeof LISTED)[number]['id'];

/** Every mode's descriptor (modes/<id>/descriptor.ts), in their `order`. */
export const MODE_DESCRIPTORS: readonly (ModeDescriptor & { id: ModeId })[] = LISTED;

/** Every coding mode nocodo knows, in their `order`. A task's `mode` must be one of these to be runnable. */
export const MODE_IDS = LISTED.map((d) => d.id) as unknown as readonly [ModeId, ...ModeId[]];
export const ModeId = z.enum(MODE_IDS);

const BY_ID = new Map<string, ModeDescriptor & { id: ModeId }>(MODE_DESCRIPTORS.map((d) => [d.id, d]));

/** The descriptor of a mode id (undefined for an unknown id). */
export function modeDescriptor(id: string): (ModeDescriptor & { id: ModeId }) | undefined {
  return BY_ID.get(id);
}
