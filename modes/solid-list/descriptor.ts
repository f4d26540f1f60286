import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'solid-list',
  order: 70,
  title: 'SolidJS list',
  description: 'A list page of one entity: createResource with the typed API client, loading/error/empty states, a DaisyUI table.',
  language: 'tsx',
  artifact: 'component',
  role: 'frontendEngineer',
  deterministic: false,
  needs: { struct: true, request: true },
  inputs: ['file', 'struct'],
  requires: [],
  command: { id: 'nocodo.generateSolidList', title: 'Generate SolidJS List for this struct…', target: 'rust', group: '3_solid@1', pickers: ['apiStruct'] },
  request: { prompt: 'What should the list show? Say it in your words.', placeHolder: 'e.g. every product with its price, cheapest first' },
  shaping: { usesTable: false, usesStruct: true, aliases: [/^(solid )?(list|list view|list page|table view)$/] },
} as const satisfies ModeDescriptor;
