import { beforeAll, describe, expect, it } from 'vitest';
import { handlerExamples, type HandlerBankKind } from '../../../modes/actix-handler/bank';
import { specLine } from '../../../modes/actix-handler/context';
import { handlerShape } from '../../../modes/actix-handler/shape';
import { validateHandler, type HandlerCheckEnv } from '../../../modes/actix-handler/validate';
import { middlewareExamples } from '../../../modes/actix-middleware/bank';
import { validateMiddleware } from '../../../modes/actix-middleware/validate';
import { answerFor } from '../../../src/pipeline/promptBank';
import { adaptCode } from '../../../modes/diesel-common/examples';
import { initRustParser, parseRustFile, type Table } from '../../../src/rust';

beforeAll(() => initRustParser());

/** Tables the examples' model functions refer to (`customer_id` → customers). */
const EXAMPLE_TABLES = ['tasks', 'invoices', 'customers', 'employees', 'appointments', 'suppliers', 'tickets', 'rooms', 'bookings', 'products'];
const table = (name: string): Table => ({ name, primaryKey: ['id'], columns: [], uses: [] });

function checkExample(kind: HandlerBankKind, i: number): void {
  const ex = handlerExamples(kind)[i]!;
  const isAsync = kind === 'async';
  const context = adaptCode(ex.context, { backend: 'pg', async: isAsync, connType: isAsync ? 'AsyncPgConnection' : 'PgConnection', backendPath: 'diesel::pg::Pg' });
  const info = parseRustFile(context);
  expect(info.diagnostics).toEqual([]);
  const impl = info.impls.find((x) => !x.trait)!;
  const struct = info.structs.find((s) => s.name === impl.typeName)!;
  const fn = impl.functions[0]!;
  expect(fn.isAsync).toBe(isAsync);
  const shape = handlerShape({ fn, struct: struct.name, table: table(struct.tableName!), tables: EXAMPLE_TABLES.map(table), isProjectStruct: (n) => info.structs.some((s) => s.name === n) });
  // The request carries exactly the spec the mode computes for this context.
  expect(ex.request).toContain(specLine({ name: shape.name, method: shape.method, attrPath: shape.fullPath, shape }, 'pool: web::Data<DbPool>'));
  if (shape.query) expect(context).toContain(shape.query.code);
  const env: HandlerCheckEnv = {
    method: shape.method,
    attrPath: shape.fullPath,
    userRoute: false,
    struct: struct.name,
    modelFn: fn,
    fnLabel: `${struct.name}::${fn.name}`,
    callee: `${struct.name}::${fn.name}`,
    shape,
    asyncDb: isAsync,
    poolName: 'DbPool',
    access: { param: 'pool', extractor: 'web::Data<DbPool>', dataType: 'DbPool', kind: 'pool', poolExpr: 'pool' },
    handlerDataTypes: new Set(['DbPool']),
    extractorTypes: new Set(),
    moduleFns: () => undefined,
    resultIsActix: false,
    aliases: new Map(),
    errorTypes: kind === 'plain' ? [] : ['AppError'],
    blockingIsError: true,
    ...(kind === 'plain' ? {} : { error: { name: 'AppError', variants: ['NotFound', 'Database', 'Pool'] } }),
    types: new Map(info.structs.map((s) => [s.name, { kind: 'struct', derives: s.derives }])),
    existingNames: [],
    structFns: (n) => (n === struct.name ? impl.functions.map((f) => f.name) : undefined),
    routeTaken: () => undefined,
  };
  expect(validateHandler(answerFor(ex, 'pg'), env)).toEqual([]);
}

describe('actix-handler example banks', () => {
  for (const kind of ['sync', 'async', 'plain'] as const) {
    const count = handlerExamples(kind).length;
    it(`${kind}: has enough examples`, () => {
      expect(count).toBeGreaterThanOrEqual(kind === 'plain' ? 5 : 10);
    });
    for (let i = 0; i < count; i++) {
      it(`${kind} #${i + 1} (${handlerExamples(kind)[i]!.title}): spec line and answer pass the mode's own checks`, () => checkExample(kind, i));
    }
  }
});

describe('actix-middleware example bank', () => {
  const deps = new Set(['log', 'serde', 'serde_json', 'diesel', 'chrono']);
  const names = middlewareExamples().map((e) => /\bfn\s+(\w+)/.exec(answerFor(e, 'pg'))?.[1]);
  it('has 10-15 examples with distinct names', () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
    expect(new Set(names).size).toBe(names.length);
  });
  for (const ex of middlewareExamples()) {
    it(`${ex.title}: passes the checks`, () => {
      expect(validateMiddleware(answerFor(ex, 'pg'), { existingNames: [], deps, crateModules: new Set() })).toEqual([]);
    });
  }
});
