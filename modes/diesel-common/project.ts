import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ProjectFs } from '../../src/core/projectFs';
import { loadProject, type ProjectInfo, type RustFileInfo, type StructRef, type Table } from '../../src/rust';
import { boundName as boundNameOf, type ImportEnv } from './imports';
import { joinPosix, modulePathOf, projectStyle, type ProjectStyle } from './style';

/** A project as the modes see it: what src/rust read, plus the conventions derived from it. */
export interface ModeProject {
  info: ProjectInfo;
  style: ProjectStyle;
  /** Every `.rs` file of the crate's `src/`. */
  rustFiles: string[];
}

export async function openProject(fs: ProjectFs): Promise<ModeProject> {
  const info = await loadProject(fs);
  const style = await projectStyle(info);
  const rustFiles = await fs.listFiles(joinPosix(info.crateDir, 'src'), ['.rs']);
  return { info, style, rustFiles };
}

/** Modules of the crate: every file's module path and its parents. */
export function crateModules(p: ModeProject): Set<string> {
  const out = new Set<string>(['crate']);
  for (const f of p.rustFiles) {
    const m = modulePathOf(f, p.info.crateDir);
    if (!m) continue;
    const parts = m.split('::');
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('::'));
  }
  for (const t of p.info.schema.tables) out.add([p.style.schemaModule, ...(t.module ? [t.module] : []), t.name].join('::'));
  return out;
}

/** What import planning needs for code that goes into `targetFile`. */
export function importEnvFor(p: ModeProject, targetFile: string | undefined, fileInfo: RustFileInfo | undefined): ImportEnv {
  const projectTypes = new Map<string, string>();
  for (const f of p.info.files) {
    if (!f.file || f.file === targetFile) continue;
    const mod = modulePathOf(f.file, p.info.crateDir);
    if (!mod || mod === 'crate') continue;
    for (const s of f.structs) if (!projectTypes.has(s.name)) projectTypes.set(s.name, mod);
    for (const e of f.enums) if (!projectTypes.has(e.name)) projectTypes.set(e.name, mod);
  }
  const localNames = new Set<string>();
  for (const s of fileInfo?.structs ?? []) localNames.add(s.name);
  for (const e of fileInfo?.enums ?? []) localNames.add(e.name);
  for (const fn of fileInfo?.functions ?? []) localNames.add(fn.name);
  const fileUses = (fileInfo?.uses ?? []).flatMap((u) => u.items ?? [u.path]);
  const knownImports = new Map<string, string>();
  for (const f of p.info.files) {
    if (f.file === targetFile) continue;
    for (const path of f.uses.flatMap((u) => u.items ?? [u.path])) {
      const name = /^(?:crate|super|self)::/.test(path) || /^[a-z_]\w*::/.test(path) ? boundNameOf(path) : undefined;
      // Only names that are not Diesel's own (those come from the prelude or the trait imports).
      if (name && /^[A-Z]/.test(name) && !path.startsWith('diesel::') && !path.startsWith('super::') && !path.startsWith('self::') && !knownImports.has(name)) knownImports.set(name, path);
    }
  }
  return { style: p.style, tables: p.info.schema.tables, projectTypes, modules: crateModules(p), localNames, fileUses, knownImports };
}

const READ_DERIVES = ['Queryable', 'Selectable', 'HasQuery'];
export const isReadStruct = (r: StructRef): boolean => r.struct.derives.some((d) => READ_DERIVES.includes(d));

/** The struct a function mode works on, from `--struct`, else `--table`, else the file's first row struct. */
export function resolveTargetStruct(p: ModeProject, opts: { struct?: string; table?: string; file?: string }): { ref: StructRef; table: Table } | { diagnostics: Diagnostic[] } {
  const all = p.info.files.flatMap((file) => file.structs.map((struct) => ({ struct, file })));
  let ref: StructRef | undefined;
  if (opts.struct) {
    ref = all.find((r) => r.struct.name === opts.struct && (!opts.file || r.file.file === opts.file)) ?? all.find((r) => r.struct.name === opts.struct);
    if (!ref) {
      const known = all.filter((r) => r.struct.tableName).map((r) => r.struct.name);
      return { diagnostics: [diag('error', 'unknown-struct', `No struct \`${opts.struct}\` in the project's model files.${known.length ? ` Known: ${known.join(', ')}.` : ''}`)] };
    }
  } else if (opts.table) {
    const refs = p.info.structsForTable(opts.table);
    ref = refs.find(isReadStruct) ?? refs[0];
    if (!ref) return { diagnostics: [diag('error', 'no-struct-for-table', `No model struct for table \`${opts.table}\` yet: create one first (diesel-model-struct).`)] };
  } else if (opts.file) {
    ref = all.find((r) => r.file.file === opts.file && isReadStruct(r)) ?? all.find((r) => r.file.file === opts.file && r.struct.tableName !== undefined);
    if (!ref) return { diagnostics: [diag('error', 'no-struct-in-file', `${opts.file} has no Diesel model struct; name one with --struct.`)] };
  } else {
    return { diagnostics: [diag('error', 'no-target', 'Say which struct the function is for (--struct Order) or which table (--table orders).')] };
  }
  const tableName = ref.struct.tableName;
  const table = tableName ? p.info.findTable(tableName) : undefined;
  if (!table) {
    const why = tableName ? `its table \`${tableName}\` is not in the schema${p.info.schemaPaths.length ? ` (${p.info.schemaPaths.join(', ')})` : ''}` : 'it is not a Diesel model (no table_name)';
    return { diagnostics: [diag('error', 'unknown-table', `Cannot write a query for \`${ref.struct.name}\`: ${why}.`)] };
  }
  return { ref, table };
}
