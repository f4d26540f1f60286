/** Names the Solid modes derive from a type or component name (`OrderItem` → `/order-items`). */

/** `OrderItemList` → `['order', 'item', 'list']`. */
export const words = (name: string): string[] => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(' ');

/** English plural of one lowercase word, the way routes and stores name collections. */
export const plural = (w: string): string => (/[^aeiou]y$/.test(w) ? `${w.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(w) ? `${w}es` : `${w}s`);

/** The router path of an entity's pages: `Order` → `/orders`, `OrderItem` → `/order-items`. */
export function entityPath(type: string): string {
  const w = words(type);
  return `/${[...w.slice(0, -1), plural(w[w.length - 1] ?? 'item')].join('-')}`;
}

/** `Product` → `Products`, `Category` → `Categories` (for `useProducts`). */
export function pluralName(type: string): string {
  const w = words(type);
  const last = type.slice(type.length - w[w.length - 1]!.length);
  return type.slice(0, type.length - last.length) + plural(last.toLowerCase()).replace(/^./, (c) => c.toUpperCase());
}
