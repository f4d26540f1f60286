// A stand-in for the extension host in test/unit/runApp/orphans.test.ts: starts the app through
// Run App's own code path (startApp), prints `started {ports}` and then just lives until it is
// killed. Args: <appDir> <cargo>
import { startApp } from '../../../../src/runApp';

async function main(): Promise<void> {
  const [dir, cargo] = process.argv.slice(2);
  if (!dir || !cargo) throw new Error('usage: host <appDir> <cargo>');
  const app = await startApp({ dir, cargo, timeoutMs: 60_000, onLine: (part, line) => process.stderr.write(`${part}: ${line}\n`) });
  process.stdout.write(`started ${JSON.stringify({ backendPort: app.backendPort, frontendPort: app.frontendPort })}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((e: unknown) => {
  process.stdout.write(`failed ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
