import type { ModeDescriptor } from '../../src/domain/modeDescriptor';

export const descriptor = {
  id: 'diesel-model-struct',
  order: 20,
  title: 'Diesel model structs',
  description: 'Write the Queryable, Insertable and AsChangeset structs of an existing table (no model needed).',
  language: 'rust',
  artifact: 'structs',
  role: 'rustEngineer',
  deterministic: true,
  needs: { table: true, request: false },
  inputs: ['file', 'struct', 'table'],
  requires: ['diesel'],
  command: { id: 'nocodo.generateDieselStruct', title: 'Generate Diesel Model Struct…', target: 'rust', group: '1_diesel@2', pickers: ['table'] },
  shaping: { creates: 'struct', usesTable: true, usesStruct: false, aliases: [/^(diesel )?(model )?(struct|record|model)( struct)?$/] },
} as const satisfies ModeDescriptor;
