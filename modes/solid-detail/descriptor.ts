import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'solid-detail',
  order: 80,
  title: 'SolidJS detail',
  description: 'A page of one record: the id from the route, createResource with the typed client, loading/error states, a DaisyUI card.',
  language: 'tsx',
  artifact: 'component',
  role: 'frontendEngineer',
  deterministic: false,
  needs: { struct: true, request: true },
  inputs: ['file', 'struct'],
  requires: [],
  command: { id: 'nocodo.generateSolidDetail', title: 'Generate SolidJS Detail for this struct…', target: 'rust', group: '3_solid@3', pickers: ['apiStruct'] },
  request: { prompt: 'What should the page show about one record?', placeHolder: 'e.g. one order with its customer, pickup date and status' },
  shaping: { usesTable: false, usesStruct: true, aliases: [/^(solid )?(detail|details|detail view|detail page|show page)$/] },
} as const satisfies ModeDescriptor;
