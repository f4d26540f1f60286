import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';

/**
 * A file's text is trusted by its stat only once its last change (mtime, ctime) is this much older
 * than the stat: a write within the file system's timestamp granularity (up to 2 s on FAT, a
 * scheduler tick on ext4) can leave size and times as they were. Younger files are read again and
 * compared (git's "racily clean" rule).
 */
export const SETTLED_MS = 2_000;

interface Entry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  text: string;
  /** The stat alone vouches for the text (see SETTLED_MS). */
  settled: boolean;
}

export interface FileCacheStats {
  /** Reads answered by the stat alone (no read, same string as before). */
  hits: number;
  /** Reads that read the file. */
  reads: number;
  /** Entries dropped by `drop` (file-watcher events). */
  dropped: number;
  entries: number;
  bytes: number;
}

/**
 * Project files remembered by absolute path, size, mtime (and ctime and inode): a read whose stat
 * still matches costs one `stat` and returns the very string read before, so the parse caches
 * (src/rust/parseCache.ts) recognise it without hashing or parsing. Every read checks the stat,
 * so a file-watcher event that comes late (or never: a change made outside the editor's watch)
 * cannot serve a stale text; the extension drops entries on its watcher's events all the same
 * (src/host/projectFiles.ts), which also covers a write that kept size and times. Bounded by
 * entries and by bytes, least recently used first out.
 */
export class ProjectFileCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private hits = 0;
  private reads = 0;
  private dropped = 0;

  constructor(
    private readonly limits: { entries: number; bytes: number } = { entries: 4096, bytes: 64 * 1024 * 1024 },
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The text of the file at `abs` (absolute; the key, as a file watcher names it), read from
   * `real` (its resolved path, when the caller resolved links); throws as `fs.readFile` does.
   */
  async read(abs: string, real = abs): Promise<string> {
    // stat before reading: a change between the two leaves an older stamp, which the next read
    // finds outdated; the other order could pair new times with the old text for good.
    const st = await fs.stat(real);
    const e = this.entries.get(abs);
    if (e && e.settled && sameFile(e, st)) {
      this.hits++;
      this.entries.delete(abs); // re-insert: the Map's order is the eviction order
      this.entries.set(abs, e);
      return e.text;
    }
    if (!st.isFile()) throw Object.assign(new Error(`EISDIR: not a file: ${abs}`), { code: 'EISDIR' });
    const read = await fs.readFile(real, 'utf8');
    this.reads++;
    // The same string as before when nothing changed, so what was derived from it still applies.
    const text = e && e.text === read ? e.text : read;
    this.forget(abs);
    const settled = this.now() - Math.max(st.mtimeMs, st.ctimeMs) > SETTLED_MS;
    this.entries.set(abs, { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, text, settled });
    this.bytes += text.length;
    this.evict();
    return text;
  }

  /** Forgets the file at `abs` (changed or created). */
  drop(abs: string): void {
    if (!this.entries.has(abs)) return;
    this.forget(abs);
    this.dropped++;
  }

  /** Forgets `abs` and everything below it (a deleted file or folder: one event for the whole folder). */
  dropTree(abs: string): void {
    this.drop(abs);
    const prefix = abs.endsWith(path.sep) ? abs : abs + path.sep;
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.drop(k);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  stats(): FileCacheStats {
    return { hits: this.hits, reads: this.reads, dropped: this.dropped, entries: this.entries.size, bytes: this.bytes };
  }

  private forget(abs: string): void {
    const e = this.entries.get(abs);
    if (!e) return;
    this.entries.delete(abs);
    this.bytes -= e.text.length;
  }

  private evict(): void {
    while (this.entries.size > this.limits.entries || (this.bytes > this.limits.bytes && this.entries.size > 1)) this.forget(this.entries.keys().next().value!);
  }
}

function sameFile(e: Entry, st: Stats): boolean {
  return e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs && e.ino === st.ino;
}
