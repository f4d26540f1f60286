import { diag, type Diagnostic } from '../../core/diagnostics';
import { loadPackage } from './packages';

interface LintMessage {
  ruleId: string | null;
  message: string;
  line?: number;
  column?: number;
  severity: number;
  fatal?: boolean;
}
interface LinterLike {
  verify(code: string, config: unknown[], options: { filename: string }): LintMessage[];
}
interface EslintModule {
  Linter: new (opts: { configType: 'flat' }) => LinterLike;
}
interface SolidPlugin {
  configs: Record<string, { rules?: Record<string, unknown>; plugins?: Record<string, unknown> }>;
}

/** Rules whose findings block a proposal; the rest of the recommended set only warns. */
const BLOCKING = new Set(['solid/reactivity', 'solid/no-destructure', 'solid/jsx-no-undef', 'solid/no-react-specific-props', 'solid/no-react-deps', 'solid/jsx-no-duplicate-props', 'solid/components-return-once', 'solid/no-unknown-namespaces']);

/**
 * eslint-plugin-solid's recommended rules (destructured props, reactivity lost in plain
 * variables, React-only props) on one TSX text, with eslint's own Linter and the TypeScript parser.
 */
export function lintSolid(frontendAbs: string, file: string, text: string): Diagnostic[] {
  const eslint = loadPackage<EslintModule>(frontendAbs, 'eslint');
  const solid = loadPackage<SolidPlugin>(frontendAbs, 'eslint-plugin-solid');
  const parser = loadPackage<unknown>(frontendAbs, '@typescript-eslint/parser');
  if (!eslint || !solid || !parser) return [diag('warning', 'eslint-solid-missing', 'eslint, eslint-plugin-solid or @typescript-eslint/parser is not installed: the Solid lint rules were not run.', { file })];
  const rules = solid.configs['flat/typescript']?.rules ?? solid.configs.recommended?.rules ?? {};
  const linter = new eslint.Linter({ configType: 'flat' });
  const messages = linter.verify(
    text,
    [{ files: ['**/*.tsx', '**/*.ts'], languageOptions: { parser, parserOptions: { ecmaFeatures: { jsx: true } } }, plugins: { solid }, rules }],
    { filename: file.endsWith('.tsx') || file.endsWith('.ts') ? file : `${file}.tsx` },
  );
  return messages.map((m) => {
    const severity = m.fatal || (m.ruleId && BLOCKING.has(m.ruleId)) ? 'error' : 'warning';
    return diag(severity, m.ruleId ?? 'eslint-parse', `${m.message}${m.ruleId ? ` (${m.ruleId})` : ''}`, { file, ...(m.line ? { line: m.line } : {}), ...(m.column ? { column: m.column } : {}) });
  });
}
