// The throwaway PostgreSQL lives in the eval's render step (src/eval/render/postgres.ts); the
// cargo tests start it from here.
export { postgresBinDir, startPostgres, type TestPostgres } from '../../src/eval/render/postgres';
