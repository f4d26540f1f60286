import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'solid-form',
  order: 100,
  title: 'SolidJS form',
  description: 'A create/edit form for one request type: inputs by field type, required fields checked, submitted through the typed client, server errors shown.',
  language: 'tsx',
  artifact: 'component',
  role: 'frontendEngineer',
  deterministic: false,
  needs: { struct: true, request: true },
  inputs: ['file', 'struct'],
  requires: [],
  command: { id: 'nocodo.generateSolidForm', title: 'Generate SolidJS Form for this struct…', target: 'rust', group: '3_solid@2', pickers: ['apiStruct'] },
  request: { prompt: 'What should the form do? Say it in your words.', placeHolder: 'e.g. create a customer; name and email are required' },
  shaping: { usesTable: false, usesStruct: true, aliases: [/^(solid )?(form|create form|edit form|input form)$/] },
} as const satisfies ModeDescriptor;
