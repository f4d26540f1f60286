// Assembles the bakery sample app with its online shop (test/cargo/bakery-shop/README.md) and
// prints the folder: the fixture's crate + the shop's files + the wiring, written once per content
// under nocodo's cache (cargo reuses the build) with a binary of its own (`writeOwnCrate`: the
// plain sample, also a crate named bakery, shares the cargo build folder).
// Usage: npx tsx scripts/bakery-shop.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOwnCrate, type OwnCrate } from '../src/compile/ownCrate';
import { defaultCacheDir } from '../src/compile/paths';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(root, 'test/fixtures/bakery');
const SHOP = path.join(root, 'test/cargo/bakery-shop');

/** Relative path → text of every file under `dir` (only the crate: no frontend, no build output). */
function readTree(dir: string, keep: (rel: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
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
function patch(files: Map<string, string>, file: string, anchor: string, replacement: string): void {
  const text = files.get(file);
  if (text === undefined || text.split(anchor).length !== 2) {
    throw new Error(`bakery-shop: expected exactly one \`${anchor}\` in test/fixtures/bakery/${file}; update scripts/bakery-shop.ts`);
  }
  files.set(file, text.replace(anchor, replacement));
}

/** The assembled crate's files, in memory. */
export function bakeryShopFiles(): Map<string, string> {
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

/** Writes the crate (once per content) under nocodo's cache; its folder and its binary's name. */
export function assembleBakeryShop(env: NodeJS.ProcessEnv = process.env): OwnCrate {
  return writeOwnCrate(bakeryShopFiles(), defaultCacheDir(env), 'bakery-shop');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(assembleBakeryShop().dir);
}
