#!/usr/bin/env node
// Assembles the bakery sample app with its online shop (test/cargo/bakery-shop/README.md) and
// prints the folder: the fixture's crate + the shop's files + the wiring. The folder is named by
// a hash of what it holds, under nocodo's cache, so the same sources always build in the same
// place (cargo reuses the build) and different checkouts never overwrite each other's copy.
// Usage: node scripts/bakery-shop.mjs
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const FIXTURE = path.join(root, 'test/fixtures/bakery');
const SHOP = path.join(root, 'test/cargo/bakery-shop');

/** Relative path → text of every file under `dir` (only the crate: no frontend, no build output). */
function readTree(dir, keep) {
  const out = new Map();
  const walk = (rel) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (!keep(r)) continue;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.set(r, readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return out;
}

/** Replaces the one occurrence of `anchor`; the fixture changed under us when it is not exactly one. */
function patch(files, file, anchor, replacement) {
  const text = files.get(file);
  if (text === undefined || text.split(anchor).length !== 2) {
    throw new Error(`bakery-shop: expected exactly one \`${anchor}\` in test/fixtures/bakery/${file}; update scripts/bakery-shop.mjs`);
  }
  files.set(file, text.replace(anchor, replacement));
}

/** The assembled crate's files, in memory. */
export function bakeryShopFiles() {
  const files = readTree(FIXTURE, (r) => r === 'Cargo.toml' || r === 'Cargo.lock' || r === 'diesel.toml' || /^(src|migrations)(\/|$)/.test(r));
  for (const [r, text] of readTree(SHOP, (r) => /^src(\/|$)/.test(r))) {
    if (files.has(r)) throw new Error(`bakery-shop: ${r} would replace the fixture's own file`);
    files.set(r, text);
  }
  files.set('src/models/mod.rs', `${files.get('src/models/mod.rs')}pub mod order_placement;\n`);
  files.set('src/handlers/mod.rs', `${files.get('src/handlers/mod.rs')}pub mod shop;\n`);
  patch(files, 'src/handlers/mod.rs', 'web::scope("/api")', 'web::scope("/api")\n            .configure(shop::configure)');
  patch(files, 'src/main.rs', '.bind(("127.0.0.1", 8088))?', '.bind(("127.0.0.1", port()))?');
  files.set(
    'src/main.rs',
    `${files.get('src/main.rs')}\n/// PORT (default 8088): tests run the app on a free port.\nfn port() -> u16 {\n    std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8088)\n}\n`,
  );
  return files;
}

/** Writes the crate (once per content) and returns its folder. */
export function assembleBakeryShop(env = process.env) {
  const files = bakeryShopFiles();
  const hash = createHash('sha256');
  for (const [r, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${r}\0${text}\0`);
  const id = hash.digest('hex').slice(0, 12);
  // The shared cargo folder puts every crate's server at debug/<bin name>: the plain sample (also
  // named bakery, built by other tests) would overwrite the shop's, and `cargo run` here would
  // start the wrong server. The shop's binary is named after its content instead (bin names are
  // not in Cargo.lock, so --locked holds).
  files.set('Cargo.toml', `${files.get('Cargo.toml').trimEnd()}\n\n[[bin]]\nname = "bakery-shop-${id}"\npath = "src/main.rs"\n`);
  // The folder is named by everything written, so a folder is never reused for other content.
  const written = createHash('sha256');
  for (const [r, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) written.update(`${r}\0${text}\0`);
  const cache = path.join(env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache'), 'nocodo');
  const dir = path.join(cache, `bakery-shop-${written.digest('hex').slice(0, 12)}`);
  if (existsSync(path.join(dir, 'Cargo.toml'))) return dir;
  // Written aside, then renamed: a concurrent run never sees half a crate.
  const scratch = `${dir}.${process.pid}.tmp`;
  rmSync(scratch, { recursive: true, force: true });
  for (const [r, text] of files) {
    mkdirSync(path.dirname(path.join(scratch, r)), { recursive: true });
    writeFileSync(path.join(scratch, r), text);
  }
  try {
    renameSync(scratch, dir);
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(path.join(dir, 'Cargo.toml'))) throw e;
  }
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  console.log(assembleBakeryShop());
}
