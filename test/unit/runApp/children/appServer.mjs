// The app's programs in test/unit/runApp/orphans.test.ts. `backend`: the server `cargo run`
// would start (PORT, HOST, GET /api/health), slow to stop: it ignores SIGTERM, as a server
// finishing its requests would. `frontend` (as node_modules/vite/bin/vite.js): --host, --port.
// Each writes its pid into $APP_PIDS so the test can check that it is gone.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

const role = process.argv[2] === 'backend' ? 'backend' : 'frontend';
const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const port = Number(role === 'backend' ? process.env.PORT : arg('--port'));
const host = role === 'backend' ? process.env.HOST : arg('--host');
if (role === 'backend') process.on('SIGTERM', () => console.log('SIGTERM: finishing the requests first'));
fs.writeFileSync(path.join(process.env.APP_PIDS, `${role}-${process.pid}`), '');
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(role === 'backend' && req.url === '/api/health' ? 'ok' : `<html>${role}</html>`);
  })
  .listen(port, host, () => console.log(`${role} listening on ${host}:${port}`));
