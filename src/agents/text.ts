// Small, deterministic text normalisers for what tiny models write: they number their options,
// mix cases, repeat themselves and pad with whitespace. Everything here is pure.

/** Collapses whitespace and trims; `max` cuts with an ellipsis. */
export function clean(text: string, max?: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return max !== undefined && t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

/** Multi-line text with trailing spaces and runs of blank lines removed. */
export function cleanBlock(text: string, max?: number): string {
  const t = text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return max !== undefined && t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

/** Strips list markers a model puts before items: `1. `, `a) `, `- `, `* `, `(B) `. */
export function stripListMarker(text: string): string {
  return text.replace(/^\s*(?:[-*•]\s+|\(?(?:\d{1,2}|[a-dA-D])[.)]\s+)/, '').trim();
}

/** Case- and punctuation-insensitive key for de-duplication. */
export function dedupeKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Keeps the first of items whose keys are equal. */
export function dedupeBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const it of items) {
    const k = key(it);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(it);
  }
  return out;
}

/** `Customer Name`, `customerName`, `customer-name` → `customer_name`. */
export function snakeCase(text: string): string {
  return text
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** `order item`, `order_items`, `orderItem` → `OrderItem` (no singularising). */
export function pascalCase(text: string): string {
  return snakeCase(text)
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** English plural of a snake_case noun, good enough for table names (`category` → `categories`). */
export function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** Inverse of pluralize for the common cases (`categories` → `category`, `orders` → `order`). */
export function singularize(word: string): string {
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Table name Diesel conventions give a struct: `OrderItem` → `order_items`. */
export function tableForStruct(struct: string): string {
  const parts = snakeCase(struct).split('_');
  const last = parts.pop() ?? '';
  return [...parts, pluralize(last)].filter(Boolean).join('_');
}

/** Struct name for a table: `order_items` → `OrderItem`. */
export function structForTable(table: string): string {
  const parts = snakeCase(table).split('_');
  const last = parts.pop() ?? '';
  return pascalCase([...parts, singularize(last)].join('_'));
}

/** `a, b and c` for messages. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
