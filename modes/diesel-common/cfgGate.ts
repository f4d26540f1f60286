import { withRustTree } from '../../src/rust/parser';

/**
 * `#[cfg(feature = "…")]` gating of generated code: when the file imports the struct or its table
 * only under a cfg (a per-backend or optional-feature module), code that uses them must carry the
 * same cfg, or the crate stops building without that feature. Needs `await initRustParser()`.
 */

/** The cfg attributes (`cfg(feature = "full")`) on the file-level `use` lines that import one of `names`. */
export function cfgOfImports(fileText: string, names: readonly string[]): string[] {
  const out = new Set<string>();
  withRustTree(fileText, (tree) => {
    for (const n of tree.rootNode.namedChildren) {
      if (n?.type !== 'use_declaration') continue;
      const arg = n.childForFieldName('argument')?.text ?? '';
      if (!names.some((name) => new RegExp(`\\b${name}\\b`).test(arg))) continue;
      for (let p = n.previousNamedSibling; p?.type === 'attribute_item'; p = p.previousNamedSibling) {
        const attr = p.text.replace(/^#\[\s*|\s*\]$/g, '').replace(/\s+/g, ' ');
        if (/^cfg\s*\(/.test(attr)) out.add(attr);
      }
    }
  });
  return [...out];
}

/** `code` with the cfg attributes the file puts on the imports of `names`, unless it already has them. */
export function withCfgGate(code: string, fileText: string, names: readonly string[]): string {
  const cfgs = cfgOfImports(fileText, names).filter((c) => !code.replace(/\s+/g, ' ').includes(`#[${c}]`));
  return cfgs.length ? `${cfgs.map((c) => `#[${c}]`).join('\n')}\n${code}` : code;
}
