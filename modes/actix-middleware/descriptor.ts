import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'actix-middleware',
  order: 60,
  title: 'Actix middleware',
  description: 'Write one Actix Web middleware function (request logging, an auth guard, headers…) and wrap the app or a scope with it.',
  language: 'rust',
  artifact: 'middleware',
  role: 'rustEngineer',
  deterministic: false,
  needs: { request: true },
  inputs: ['route'],
  requires: ['actix'],
  command: { id: 'nocodo.generateActixMiddleware', title: 'Generate Actix Middleware…', target: 'rust', group: '2_actix@3', pickers: ['scope'] },
  request: { prompt: 'What should the middleware do?', placeHolder: 'e.g. log every request with its method, path and duration' },
  shaping: { usesTable: false, usesStruct: false, aliases: [/^(actix )?middleware$/] },
} as const satisfies ModeDescriptor;
