import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'actix-handler',
  order: 40,
  title: 'Actix handler',
  description: 'Write one Actix Web handler that calls a Diesel model function (extractors, pool, status codes, errors) and register its route.',
  language: 'rust',
  artifact: 'handler',
  role: 'rustEngineer',
  deterministic: false,
  needs: { function: true, request: true },
  inputs: ['file', 'struct', 'function', 'handler', 'route'],
  requires: ['actix', 'diesel'],
  command: { id: 'nocodo.generateActixHandler', title: 'Generate Actix Handler…', target: 'rust', group: '2_actix@1', pickers: ['dieselFunction'] },
  request: { prompt: 'What should the endpoint do? Say it in your words.', placeHolder: 'e.g. GET one customer by id, 404 when there is none' },
  shaping: { usesTable: false, usesStruct: true, aliases: [/^(actix )?(handler|endpoint|api|route handler)$/] },
} as const satisfies ModeDescriptor;
