import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'actix-router',
  order: 50,
  title: 'Actix routes',
  description: 'Register handlers with `.service(handler)` in their scope or configure function (no model needed; never duplicates a route).',
  language: 'rust',
  artifact: 'registration',
  role: 'rustEngineer',
  deterministic: true,
  needs: { request: false },
  inputs: ['file', 'function', 'route'],
  requires: ['actix'],
  command: { id: 'nocodo.generateActixRouter', title: 'Register Actix Routes…', target: 'rust', group: '2_actix@2', pickers: [] },
  shaping: { usesTable: false, usesStruct: false, aliases: [/^(actix )?(router|routes|routing)$/] },
} as const satisfies ModeDescriptor;
