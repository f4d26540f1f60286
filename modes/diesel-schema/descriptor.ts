import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'diesel-schema',
  order: 30,
  title: 'Diesel table',
  description: 'Write one diesel::table! for a new table, with its migration (up.sql/down.sql), joinable! lines for its foreign keys.',
  language: 'rust',
  artifact: 'table',
  role: 'rustEngineer',
  deterministic: false,
  needs: { request: true },
  inputs: ['table'],
  requires: ['diesel'],
  command: { id: 'nocodo.generateDieselTable', title: 'Generate Diesel Table…', target: 'rust', group: '1_diesel@3', pickers: [] },
  request: { prompt: 'Describe the new table: what it stores and which columns it needs.', placeHolder: 'e.g. suppliers with a name, a phone number and an optional email' },
  shaping: { creates: 'table', usesTable: false, usesStruct: false, aliases: [/^(diesel )?(schema|table|tables|migration)$/] },
} as const satisfies ModeDescriptor;
