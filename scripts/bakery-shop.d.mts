/** The bakery sample with its online shop, in memory: relative path → text. */
export function bakeryShopFiles(): Map<string, string>;
/** Writes the assembled crate (once per content) under nocodo's cache and returns its folder. */
export function assembleBakeryShop(env?: NodeJS.ProcessEnv): string;
