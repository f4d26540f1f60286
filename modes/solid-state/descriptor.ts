import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'solid-state',
  order: 110,
  title: 'SolidJS store',
  description: 'A context and store for one entity, shared by its views: rows loaded through the typed client, loading/error state, and the add/update/remove calls the API offers.',
  language: 'tsx',
  artifact: 'module',
  role: 'frontendEngineer',
  deterministic: false,
  needs: { struct: true, request: true },
  inputs: ['file', 'struct'],
  requires: [],
  shaping: { usesTable: false, usesStruct: true, aliases: [/^(solid )?(state|store|context|context store|shared state)$/] },
} as const satisfies ModeDescriptor;
