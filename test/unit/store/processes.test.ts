import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, onLines, open, seedBoard, spawnChild, tempDir, waitExit } from './helpers';

afterEach(cleanupTempDirs);

describe('durability across processes', () => {
  it('keeps every flushed write when the writer is killed with SIGKILL mid-save, repeatedly', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const committed: string[] = [];
    for (let round = 0; round < 5; round++) {
      // 40 KB per message: the file grows to a few MB, so the child spends most of its time saving.
      const child = spawnChild('writer.ts', [file, `r${round}`, '0', 'flush-each', '40000']);
      const exited = waitExit(child);
      const target = 3 + Math.floor(Math.random() * 12);
      let seen = 0;
      await new Promise<void>((resolve) => {
        onLines(child, (line) => {
          if (!line.startsWith('committed ')) return;
          committed.push(line.slice('committed '.length));
          // Kill after a random extra delay so the signal lands at varying points of a save.
          if (++seen === target) setTimeout(resolve, Math.random() * 15);
        });
        void exited.then(() => resolve());
      });
      child.kill('SIGKILL');
      const { signal, stderr } = await exited;
      expect(signal, stderr).toBe('SIGKILL');

      const { store, notices } = await open(file);
      expect(notices).toEqual([]);
      const ids = new Set(store.messages.list('ses_shared').map((m) => m.id));
      for (const id of committed) expect(ids.has(id), `${id} was flushed before the kill`).toBe(true);
      await store.close();
    }
    expect(committed.length).toBeGreaterThanOrEqual(15);
    // Killed saves left a lock and temp files; the next process recovered the lock, and a later save swept the temps.
    const { store } = await open(file);
    store.sessions.create({ title: 'after' });
    await store.close();
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['db.sqlite', 'db.sqlite.gen']);
  }, 120_000);

  it('loses no rows when two processes write the same database at the same time', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const seed = await open(file);
    const { table } = seedBoard(seed.store);
    seed.store.sessions.create({ id: 'ses_shared', title: 'shared' });
    await seed.store.close();

    const n = 150;
    const go = path.join(path.dirname(file), 'go');
    const a = spawnChild('writer.ts', [file, 'A', String(n), 'flush-each', '2000', table.id, go]);
    const b = spawnChild('writer.ts', [file, 'B', String(n), 'debounced', '2000', table.id, go]);
    let external = 0;
    let ready = 0;
    for (const c of [a, b]) {
      onLines(c, (line) => {
        if (line === 'external') external++;
        // Both opened the database: let them write at the same time.
        if (line === 'ready' && ++ready === 2) writeFileSync(go, '');
      });
    }
    const [ra, rb] = await Promise.all([waitExit(a), waitExit(b)]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect(ra.stderr + rb.stderr).not.toMatch(/notice/);
    // The test is only meaningful if the writers really interleaved: one re-applied its journal on the other's save.
    expect(external).toBeGreaterThan(0);

    const { store } = await open(file);
    const ids = new Set(store.messages.list('ses_shared').map((m) => m.id));
    for (const p of ['A', 'B']) for (let i = 0; i < n; i++) expect(ids.has(`${p}-${i}`), `${p}-${i}`).toBe(true);
    expect(ids.size).toBe(2 * n);
    expect(store.comments.list(table.id)).toHaveLength((2 * n) / 5);
    expect(store.tasks.get(table.id)).toMatchObject({ technicalNotes: 'from A', request: 'from B' });
    await store.close();
  }, 120_000);
});
