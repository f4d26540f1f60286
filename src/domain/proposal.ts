import { z } from 'zod';

/**
 * Syntax-level edit operations. A proposal keeps them beside the proposed text so that, when the
 * user edited the file after the proposal was made, the same operations can be re-applied to the
 * new text (re-anchoring by syntax) instead of overwriting the user's edits.
 */
export const EditOp = z.discriminatedUnion('op', [
  /** Insert `code` as the last item of `impl <typeName>` (created after the struct when missing). */
  z.object({ op: z.literal('insertInImpl'), typeName: z.string(), code: z.string() }),
  /** Insert `code` as a module-level function after the file's last function (the project's free-function style). */
  z.object({ op: z.literal('insertFn'), code: z.string() }),
  /** Add `use` declarations not already present, after the existing `use` block. */
  z.object({ op: z.literal('addUses'), uses: z.array(z.string()) }),
  /** Append an item (struct, fn, table!) at the end of the file. */
  z.object({ op: z.literal('appendItem'), code: z.string() }),
  /** Add `mod name;` / `pub mod name;` if missing. */
  z.object({ op: z.literal('addMod'), name: z.string(), pub: z.boolean() }),
  /** Name `tables` in the file's `allow_tables_to_appear_in_same_query!` (created, listing every `table!` of the file, when missing). */
  z.object({ op: z.literal('allowTables'), tables: z.array(z.string()) }),
  /**
   * Add `.<method>(<args>)` to an Actix builder chain in function `fn`: its `App::new()` chain, its
   * `&mut ServiceConfig` parameter, or the `web::scope` reached through `scopes` (literal scope paths
   * inside `fn`, outermost first). Nothing happens when the chain already has that call.
   */
  z.object({ op: z.literal('actixRegister'), fn: z.string(), scopes: z.array(z.string()), method: z.enum(['service', 'route', 'configure', 'wrap']), args: z.string() }),
  /**
   * Register `component` at `path` in a SolidJS router file (`<Router>`/`<Routes>` children, or a
   * routes array of `{ path, component }` objects), importing it from `importFrom` when needed, and
   * link it from the menu (`<li><A href>`) when `link` is given. Nothing happens when the same route
   * is there already; a path taken by another component is an error.
   */
  z.object({ op: z.literal('addRoute'), path: z.string(), component: z.string(), importFrom: z.string(), link: z.object({ label: z.string() }).nullable() }),
  /**
   * Change class attributes of JSX elements, nothing else: `class`/`className` strings or template
   * literal text, `classList` class names (their conditions stay). Each change finds its element by
   * `element` (the enclosing declaration's name and the JSX tag path, `Note>div>button`), `from`,
   * `sig` (its other attributes and text, so twins are told apart) and `nth` among the elements
   * alike in all three; when the user edited the element, the only one with that path and `from`
   * will do if it was the only one (`alike`: how many the proposal's text had). `from`/`to` are the attribute values as written (`"btn"`, `` {`btn ${x}`} ``); null
   * means absent (added: placed after attribute `after`, or right after the tag name when null).
   */
  z.object({
    op: z.literal('setClasses'),
    changes: z.array(z.object({ element: z.string(), sig: z.string(), nth: z.number().int().min(0), alike: z.number().int().min(1), attr: z.enum(['class', 'className', 'classList']), from: z.string().nullable(), to: z.string().nullable(), after: z.string().nullable() })),
  }),
  /** The whole file is new (or replaced); `content` is the file. */
  z.object({ op: z.literal('createFile'), content: z.string() }),
]);
export type EditOp = z.infer<typeof EditOp>;

export const FileChange = z.object({
  /** Project-relative, forward slashes. Never absolute, never `..`. */
  path: z.string().min(1),
  /** Content the proposal was computed from; null when the file is new. */
  original: z.string().nullable(),
  proposed: z.string(),
  ops: z.array(EditOp),
});
export type FileChange = z.infer<typeof FileChange>;

export const ChangeSet = z.object({
  mode: z.string(),
  summary: z.string(),
  files: z.array(FileChange),
});
export type ChangeSet = z.infer<typeof ChangeSet>;

/** What the checks said about a proposal when it was made (auto-accept needs every one to pass). */
export const ProposalChecks = z.object({
  passed: z.boolean(),
  /** Checks that ran and passed: `validation`, `cargo check`, `tsc`. */
  ran: z.array(z.string()),
  /** Checks that could not run (no cargo, frontend packages not installed…): said, not blocking. */
  notRun: z.array(z.string()),
  /** Why the checks did not all pass, in the user's words (empty when they did). */
  problems: z.array(z.string()),
});
export type ProposalChecks = z.infer<typeof ProposalChecks>;

export const ProposalStatus = z.enum(['pending', 'accepted', 'rejected', 'stale', 'undone']);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

export const Proposal = z.object({
  id: z.string(),
  runId: z.string().optional(),
  taskId: z.string().optional(),
  /** Absolute folder the change set's paths are relative to. */
  root: z.string(),
  changeSet: ChangeSet,
  status: ProposalStatus,
  createdAt: z.number(),
  decidedAt: z.number().optional(),
  rejectionReason: z.string().optional(),
  /** The checks' verdict on the change (absent on proposals made outside a task run). */
  checks: ProposalChecks.optional(),
});
export type Proposal = z.infer<typeof Proposal>;
