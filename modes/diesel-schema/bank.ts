import examplesMd from '../../prompts/diesel/diesel-schema/examples.md';
import systemMd from '../../prompts/diesel/diesel-schema/system.md';
import type { Backend } from '../../src/rust';
import { fillTemplate, lazyExamples } from '../../src/pipeline/promptBank';
import type { ProjectStyle } from '../diesel-common/style';

export const schemaExamples = lazyExamples(examplesMd, 'prompts/diesel/diesel-schema/examples.md');

/** The SQL types a new table may use per backend: common ones only, all mapped by Diesel and by ./sql. */
export const SQL_TYPES_FOR: Record<Backend, string[]> = {
  pg: ['Int4', 'Int8', 'Varchar', 'Text', 'Bool', 'Timestamp', 'Timestamptz', 'Date', 'Time', 'Numeric', 'Float8', 'Uuid', 'Jsonb'],
  sqlite: ['Integer', 'BigInt', 'Text', 'Bool', 'Timestamp', 'Date', 'Time', 'Double'],
  mysql: ['Integer', 'BigInt', 'Varchar', 'Text', 'Bool', 'Timestamp', 'Datetime', 'Date', 'Time', 'Numeric', 'Double'],
};

export const intTypeFor = (b: Backend): string => (b === 'pg' ? 'Int4' : 'Integer');

export function schemaSystemText(style: ProjectStyle): string {
  return fillTemplate(
    systemMd,
    { BACKEND: style.backendName, INT: intTypeFor(style.backend), SQL_TYPES: SQL_TYPES_FOR[style.backend].map((t) => `\`${t}\``).join(', ') },
    'prompts/diesel/diesel-schema/system.md',
  );
}
