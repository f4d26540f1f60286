import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ProjectFs } from '../../src/core/projectFs';
import { findDieselFn, indexDieselFns, qualifiedName, servedStruct, type DieselFn, type IndexSource } from '../../src/rust/dieselFns';
import type { ActixInfo, ModelStruct } from '../../src/rust';

/**
 * The Diesel functions a handler can call, for the whole crate: read from every `.rs` file the
 * Actix reading already parsed, so a query module, a repository struct or an `impl User` in
 * another file are all found.
 */
export async function indexProjectFns(fs: ProjectFs, actix: Pick<ActixInfo, 'rust' | 'typeAliases'>, moduleOf: (file: string) => string | undefined): Promise<DieselFn[]> {
  const sources: IndexSource[] = [];
  for (const info of actix.rust) {
    if (!info.file) continue;
    const text = await fs.readFile(info.file);
    if (text === undefined) continue;
    const module = moduleOf(info.file);
    sources.push({ info, text, ...(module ? { module } : {}) });
  }
  const aliases = new Map<string, string>();
  for (const a of actix.typeAliases) if (!aliases.has(a.name)) aliases.set(a.name, a.type);
  const structs = new Map<string, ModelStruct>();
  for (const f of actix.rust) for (const s of f.structs) if (!structs.has(s.name)) structs.set(s.name, s);
  return indexDieselFns(sources, { aliases, structs });
}

/** One line per function for pickers and messages: `db_actions::find_vehicle(conn, vehicle_id) -> Result<…>` (src/db_actions.rs). */
export function describeFn(f: DieselFn): string {
  const params = f.params.map((p) => p.pattern.replace(/^mut\s+/, '')).join(', ');
  return `${qualifiedName(f)}(${f.receiver ? `${f.receiver}${params ? ', ' : ''}` : ''}${params})${f.returnType ? ` -> ${f.returnType}` : ''}`;
}

const listOf = (fns: readonly DieselFn[], max = 12): string =>
  fns
    .slice(0, max)
    .map((f) => `\`${qualifiedName(f)}\` (${f.file})`)
    .join(', ') + (fns.length > max ? `, and ${fns.length - max} more` : '');

/**
 * The function `--function` names (bare, `module::fn`, `Type::method`), or why none is: unknown
 * (with the functions that exist), or ambiguous (with the candidates, for a picker).
 */
export function resolveModelFn(index: readonly DieselFn[], input: { function?: string; struct?: string; request: string }, isModel: (n: string) => boolean): DieselFn | Diagnostic {
  const wanted = input.function?.trim();
  const related = input.struct ? index.filter((f) => f.owner === input.struct || servedStruct(f, isModel) === input.struct) : [];
  const known = (related.length ? related : index).slice();
  const knownText = known.length ? ` The project's Diesel functions${related.length ? ` for \`${input.struct}\`` : ''}: ${listOf(known)}.` : ' The project has no Diesel query functions yet: write one with diesel-model-fn first.';
  if (wanted) {
    const hit = findDieselFn(index, wanted, { ...(input.struct ? { struct: input.struct } : {}), isModel });
    if ('fn' in hit) return hit.fn;
    if ('candidates' in hit) {
      return diag('error', 'ambiguous-model-fn', `Several Diesel functions are called \`${wanted}\`: ${listOf(hit.candidates)}. Name one as \`Type::method\` or \`module::function\`.`);
    }
    return diag('error', 'unknown-model-fn', `No Diesel function \`${wanted}\` in the project.${knownText}`);
  }
  // No --function: a function the request names, among those of the struct when one is given.
  const words = new Set(input.request.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  const named = known.filter((f) => words.has(f.name));
  if (named.length === 1) return named[0]!;
  return diag('error', 'no-model-fn', `Say which Diesel function the handler calls (--function name, \`Type::method\` or \`module::function\`).${knownText}`);
}
