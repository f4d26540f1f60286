// Child process for the durability tests: writes messages in a loop and prints the id of every
// message whose save has completed (`committed <id>`). Args: <file> <prefix> <count|0=forever> <flush-each|debounced> <payloadBytes> [taskId] [goFile]
// With goFile, prints `ready` once open and starts writing when goFile exists (so two writers really overlap).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { openStore } from '../../../../src/store';

async function main(): Promise<void> {
  const [file, prefix, countArg, mode, payloadArg, taskId, goFile] = process.argv.slice(2);
  if (!file || !prefix || !countArg || !mode || !payloadArg) throw new Error('usage: writer <file> <prefix> <count> <flush-each|debounced> <payloadBytes> [taskId]');
  const count = Number(countArg);
  const store = await openStore({ file, saveDelayMs: 5, onNotice: (n) => process.stderr.write(`notice ${n.kind}: ${n.message}\n`) });
  store.onChange((c) => c.source === 'external' && process.stdout.write('external\n'));
  const session = store.sessions.list()[0] ?? store.sessions.create({ id: 'ses_shared', title: 'shared' });
  if (goFile) {
    process.stdout.write('ready\n');
    while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 5));
  }
  for (let i = 0; count === 0 || i < count; i++) {
    const id = `${prefix}-${i}`;
    store.messages.create({ id, sessionId: session.id, author: 'user', content: randomBytes(Number(payloadArg) / 2).toString('hex') });
    if (taskId && i % 5 === 0) store.comments.create({ id: `${id}-c`, taskId, author: 'user', body: `comment ${id}` });
    if (mode === 'flush-each') {
      await store.flush();
      process.stdout.write(`committed ${id}\n`);
    } else if (i % 7 === 0) {
      await new Promise((r) => setTimeout(r, 3));
    }
  }
  if (taskId) store.tasks.update(taskId, prefix === 'A' ? { technicalNotes: 'from A' } : { request: 'from B' });
  await store.close();
  process.stdout.write('done\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
