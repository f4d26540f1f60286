import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A crate that nocodo writes and builds in the shared cargo build folder (`sharedTargetDir`) with a
 * binary of its own. That folder puts every crate's binary at `debug/<bin name>`, and the bin name
 * defaults to the package name: two crates named `bakery` (the plain sample and the one with its
 * online shop, or two variants a render eval runs) would overwrite each other's server there, and
 * `cargo run` in one would start the other's. Every crate written here names its binary after its
 * content instead (bin names are not in Cargo.lock, so `--locked` still holds).
 */
export interface OwnCrate {
  /** The crate's folder: `<parent>/<name>-<hash of everything written>`. */
  readonly dir: string;
  /** Its binary's name, `<name>-<hash of the given files>`: `cargo run --bin <bin>`, `debug/<bin>`. */
  readonly bin: string;
}

/** Cargo.toml with a `[[bin]]` named `bin` for src/main.rs; undefined when it declares its own bins (renaming one of them would break whatever runs it). */
export function withOwnBinary(cargoToml: string, bin: string): string | undefined {
  if (/^\s*\[\[bin\]\]/m.test(cargoToml)) return undefined;
  return `${cargoToml.trimEnd()}\n\n[[bin]]\nname = "${bin}"\npath = "src/main.rs"\n`;
}

function contentId(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const [rel, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${rel}\0${text}\0`);
  return hash.digest('hex').slice(0, 12);
}

/**
 * Writes the crate (relative path → text) once per content under `parent`, with its own binary;
 * the same files always land in the same folder, so cargo reuses their build.
 */
export function writeOwnCrate(files: ReadonlyMap<string, string>, parent: string, name: string): OwnCrate {
  const cargoToml = files.get('Cargo.toml');
  if (cargoToml === undefined) throw new Error(`${name}: the crate has no Cargo.toml`);
  const bin = `${name}-${contentId(files)}`;
  const toml = withOwnBinary(cargoToml, bin);
  if (toml === undefined) throw new Error(`${name}: its Cargo.toml declares its own [[bin]] targets, so it cannot get a binary of its own in the shared build folder`);
  const written = new Map(files).set('Cargo.toml', toml);
  // Named by everything written (not only the input), so a folder is never reused for other content.
  const dir = path.join(parent, `${name}-${contentId(written)}`);
  if (existsSync(path.join(dir, 'Cargo.toml'))) return { dir, bin };
  // Written aside, then renamed: a concurrent run never sees half a crate.
  const scratch = `${dir}.${process.pid}.tmp`;
  rmSync(scratch, { recursive: true, force: true });
  for (const [rel, text] of written) {
    mkdirSync(path.dirname(path.join(scratch, rel)), { recursive: true });
    writeFileSync(path.join(scratch, rel), text);
  }
  try {
    renameSync(scratch, dir);
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    // Another run renamed the same content first: its folder is as good as ours.
    if (!existsSync(path.join(dir, 'Cargo.toml'))) throw e;
  }
  return { dir, bin };
}
