/**
 * English-ish singular/plural and case helpers for names derived from tables. Diesel itself only
 * appends `s` (see inferTableName); people name tables in real English, so these handle the
 * common endings and leave unknown words alone.
 */

const IRREGULAR: Record<string, string> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  data: 'datum',
  media: 'medium',
  indices: 'index',
  statuses: 'status',
  addresses: 'address',
  analyses: 'analysis',
};
const UNCHANGED = new Set(['series', 'species', 'news', 'info', 'staff', 'feedback', 'equipment', 'metadata', 'status', 'address', 'access', 'business', 'class', 'process', 'analysis', 'bus', 'canvas']);

/** Singular of one lowercase word: `categories` → `category`, `boxes` → `box`, `orders` → `order`. */
export function singularWord(word: string): string {
  const w = word.toLowerCase();
  if (IRREGULAR[w]) return IRREGULAR[w]!;
  if (UNCHANGED.has(w) || w.length <= 2) return word;
  if (/[^aeiou]ies$/.test(w)) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|z|ch|sh)es$/.test(w)) return word.slice(0, -2);
  if (/(?:ss|us|is)$/.test(w)) return word;
  if (w.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** Plural of one lowercase word: `category` → `categories`, `box` → `boxes`, `order` → `orders`. */
export function pluralWord(word: string): string {
  const w = word.toLowerCase();
  const irregular = Object.entries(IRREGULAR).find(([, s]) => s === w);
  if (irregular) return irregular[0];
  if (/[^aeiou]y$/.test(w)) return `${word.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(w)) return `${word}es`;
  return `${word}s`;
}

/** `order_items` → `OrderItems`. */
export function pascalCase(snake: string): string {
  return snake
    .replace(/^r#/, '')
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** `OrderItem` → `order_item`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Struct name for a table's rows: `order_items` → `OrderItem`, `casbin_rule` → `CasbinRule`. */
export function structNameForTable(table: string): string {
  const parts = table.replace(/^r#/, '').split('_').filter(Boolean);
  if (!parts.length) return 'Row';
  parts[parts.length - 1] = singularWord(parts[parts.length - 1]!);
  return pascalCase(parts.join('_'));
}

/** Names a word could refer to a table by: `order` → `order`, `orders`. */
export function tableCandidates(word: string): string[] {
  const w = word.toLowerCase();
  return [...new Set([w, pluralWord(w), singularWord(w)])];
}
