/**
 * serde's `rename_all` rules, written from serde's documented behaviour: fields are converted
 * from snake_case, variants from PascalCase. An unknown rule leaves the name as it is.
 */
export type RenameRule = 'lowercase' | 'UPPERCASE' | 'PascalCase' | 'camelCase' | 'snake_case' | 'SCREAMING_SNAKE_CASE' | 'kebab-case' | 'SCREAMING-KEBAB-CASE';

export const RENAME_RULES: readonly string[] = ['lowercase', 'UPPERCASE', 'PascalCase', 'camelCase', 'snake_case', 'SCREAMING_SNAKE_CASE', 'kebab-case', 'SCREAMING-KEBAB-CASE'];

export function renameField(name: string, rule: string | undefined): string {
  const raw = name.replace(/^r#/, '');
  switch (rule) {
    case 'UPPERCASE':
    case 'SCREAMING_SNAKE_CASE':
      return raw.toUpperCase();
    case 'PascalCase':
      return raw
        .split('_')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join('');
    case 'camelCase': {
      const pascal = renameField(raw, 'PascalCase');
      return pascal.charAt(0).toLowerCase() + pascal.slice(1);
    }
    case 'kebab-case':
      return raw.replace(/_/g, '-');
    case 'SCREAMING-KEBAB-CASE':
      return raw.toUpperCase().replace(/_/g, '-');
    default:
      return raw;
  }
}

export function renameVariant(name: string, rule: string | undefined): string {
  const raw = name.replace(/^r#/, '');
  const snake = (): string => raw.replace(/(?<=.)([A-Z])/g, '_$1').toLowerCase();
  switch (rule) {
    case 'lowercase':
      return raw.toLowerCase();
    case 'UPPERCASE':
      return raw.toUpperCase();
    case 'camelCase':
      return raw.charAt(0).toLowerCase() + raw.slice(1);
    case 'snake_case':
      return snake();
    case 'SCREAMING_SNAKE_CASE':
      return snake().toUpperCase();
    case 'kebab-case':
      return snake().replace(/_/g, '-');
    case 'SCREAMING-KEBAB-CASE':
      return snake().toUpperCase().replace(/_/g, '-');
    default:
      return raw;
  }
}
