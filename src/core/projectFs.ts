import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ProjectFileCache } from './fileCache';

/**
 * Read access to a project, by project-relative posix paths. The extension wraps it with an
 * overlay of unsaved editor buffers, so modes see what the user sees.
 */
export interface ProjectFs {
  readonly root: string;
  readFile(rel: string): Promise<string | undefined>;
  /** Project-relative paths of files under `dir` (recursive) whose names end with one of `exts`. */
  listFiles(dir: string, exts: readonly string[]): Promise<string[]>;
}

const SKIP_DIRS = new Set(['target', 'node_modules', '.git', 'dist']);

export class NodeProjectFs implements ProjectFs {
  private realRoot: Promise<string> | undefined;

  /** With a `cache`, a file whose stat is unchanged is not read again (see ProjectFileCache). */
  constructor(
    readonly root: string,
    private readonly options: { cache?: ProjectFileCache } = {},
  ) {}

  /**
   * A file the project holds. A symlink that leads out of the project reads as missing: its target
   * (a home folder's secrets, /etc/passwd) must never end up in a prompt sent to a model server.
   */
  async readFile(rel: string): Promise<string | undefined> {
    try {
      const abs = this.resolve(rel);
      this.realRoot ??= fs.realpath(this.root);
      const [real, realRoot] = await Promise.all([fs.realpath(abs), this.realRoot]);
      if (!within(realRoot, real)) return undefined;
      // Keyed on the path as the editor names it (what its file watcher reports), read through the link.
      return await (this.options.cache ? this.options.cache.read(abs, real) : fs.readFile(real, 'utf8'));
    } catch {
      return undefined;
    }
  }

  async listFiles(dir: string, exts: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    const walk = async (abs: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(abs, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const child = path.join(abs, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(child);
        } else if (exts.some((x) => e.name.endsWith(x))) {
          out.push(path.relative(this.root, child).split(path.sep).join('/'));
        }
      }
    };
    await walk(this.resolve(dir));
    return out.sort();
  }

  /** Resolves a project-relative path, refusing anything that escapes the root. */
  resolve(rel: string): string {
    const abs = path.resolve(this.root, rel);
    if (!within(this.root, abs)) throw new Error(`Path ${rel} is outside the project folder ${this.root}.`);
    return abs;
  }
}

/** `child` is `parent` or below it (both absolute). */
function within(parent: string, child: string): boolean {
  const back = path.relative(parent, child);
  return !back.startsWith('..') && !path.isAbsolute(back);
}

/** A ProjectFs whose reads prefer in-memory texts (unsaved editor buffers, test inputs). */
export class OverlayProjectFs implements ProjectFs {
  constructor(
    private readonly base: ProjectFs,
    private readonly overlay: ReadonlyMap<string, string>,
  ) {}
  get root(): string {
    return this.base.root;
  }
  async readFile(rel: string): Promise<string | undefined> {
    return this.overlay.get(rel) ?? this.base.readFile(rel);
  }
  listFiles(dir: string, exts: readonly string[]): Promise<string[]> {
    return this.base.listFiles(dir, exts);
  }
}

/**
 * A project held in memory (eval tasks, benchmarks, tests): project-relative posix paths → text.
 * Nothing on disk is read or touched.
 */
export class MemoryProjectFs implements ProjectFs {
  private readonly files: ReadonlyMap<string, string>;

  constructor(
    readonly root: string,
    files: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  ) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
  }

  async readFile(rel: string): Promise<string | undefined> {
    return this.files.get(rel.replace(/^\.\//, ''));
  }

  async listFiles(dir: string, exts: readonly string[]): Promise<string[]> {
    const prefix = dir && dir !== '.' ? `${dir.replace(/\/+$/, '')}/` : '';
    return [...this.files.keys()].filter((p) => p.startsWith(prefix) && exts.some((x) => p.endsWith(x))).sort();
  }
}

/**
 * The project as it would be with `proposed` texts applied, new files included (the core overlay
 * only reads through to files that exist, it does not list new ones).
 */
export class ProposedProjectFs implements ProjectFs {
  constructor(
    private readonly base: ProjectFs,
    private readonly proposed: ReadonlyMap<string, string>,
  ) {}
  get root(): string {
    return this.base.root;
  }
  async readFile(rel: string): Promise<string | undefined> {
    return this.proposed.get(rel) ?? this.base.readFile(rel);
  }
  async listFiles(dir: string, exts: readonly string[]): Promise<string[]> {
    const prefix = dir && dir !== '.' ? `${dir.replace(/\/+$/, '')}/` : '';
    const extra = [...this.proposed.keys()].filter((p) => p.startsWith(prefix) && exts.some((x) => p.endsWith(x)));
    return [...new Set([...(await this.base.listFiles(dir, exts)), ...extra])].sort();
  }
}
