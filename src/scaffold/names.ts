/** The names a new app goes by: shown to people, as a Rust crate, as an npm package. */
export interface AppNames {
  /** As the user wrote it: "Corner Bakery". Shown in the README, the page title and the menu. */
  appName: string;
  /** `corner_bakery`: the Cargo package (and binary) name. */
  crateName: string;
  /** `corner-bakery`: the npm package name prefix. */
  packageName: string;
}

// The display name lands in Rust strings, JSX text, HTML and JSON unescaped: no quotes, angle
// brackets, braces or backslashes, so no template needs an escaping rule per language.
const DISPLAY_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.'&-]{0,59}$/u;

export class AppNameError extends Error {}

function words(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Names for `name` (or, when absent, the folder's name). Throws AppNameError with the reason. */
export function appNames(name: string): AppNames {
  const appName = name.trim().replace(/\s+/g, ' ');
  if (!DISPLAY_NAME.test(appName)) {
    throw new AppNameError(
      `"${name}" cannot be an app name: use 1–60 letters, digits, spaces and . _ ' & - (starting with a letter or digit).`,
    );
  }
  const w = words(appName);
  if (!w.length) throw new AppNameError(`"${name}" has no letters or digits a crate name could use.`);
  // A crate name may not start with a digit; `app_` keeps `3 sisters` valid.
  const base = /^[0-9]/.test(w[0]!) ? ['app', ...w] : w;
  return { appName, crateName: base.join('_').slice(0, 64), packageName: base.join('-').slice(0, 64) };
}
