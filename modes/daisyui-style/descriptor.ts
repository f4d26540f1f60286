import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'daisyui-style',
  order: 120,
  title: 'DaisyUI restyle',
  description: 'Restyle one Solid component with DaisyUI 5 and Tailwind; only class attributes change (checked), unknown classes are rejected.',
  language: 'tsx',
  artifact: 'component',
  role: 'frontendEngineer',
  deterministic: false,
  needs: { request: true },
  inputs: ['file'],
  requires: [],
  command: { id: 'nocodo.restyleWithDaisyUI', title: 'Restyle with DaisyUI…', target: 'tsx', group: '1_style@1', pickers: [] },
  request: { prompt: 'How should the component look? Say it in your words.', placeHolder: 'e.g. a compact table with zebra rows and a primary button' },
  shaping: { usesTable: false, usesStruct: false, aliases: [/^(daisy ?ui|style|restyle|styling|theme|look)( style| restyle)?$/] },
} as const satisfies ModeDescriptor;
