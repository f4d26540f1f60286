import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'diesel-model-fn',
  order: 10,
  title: 'Diesel model function',
  description: 'Write one Diesel query function (find, list, insert, update, delete, join, count…) in a model struct’s impl block.',
  language: 'rust',
  artifact: 'function',
  role: 'rustEngineer',
  deterministic: false,
  needs: { struct: true, request: true },
  inputs: ['file', 'struct', 'table'],
  requires: ['diesel'],
  command: { id: 'nocodo.generateDieselFunction', title: 'Generate Diesel Function…', target: 'rust', group: '1_diesel@1', pickers: ['modelStruct'] },
  request: { prompt: 'What should the function do? Say it in your words.', placeHolder: 'e.g. list the orders of a customer, newest first' },
  shaping: { creates: 'function', usesTable: true, usesStruct: true, aliases: [/^(diesel )?(model )?(fn|function|query|method)$/] },
} as const satisfies ModeDescriptor;
