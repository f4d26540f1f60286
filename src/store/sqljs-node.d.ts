// sql.js's Node build (the package's `browser` export condition would pick the browser one).
declare module 'sql.js/dist/sql-wasm.js' {
  import initSqlJs from 'sql.js';
  export default initSqlJs;
}
