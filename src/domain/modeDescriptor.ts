import type { ModelRole } from './roles';

/**
 * Everything nocodo needs to know about a mode without running it. Each mode folder has one
 * (`modes/<id>/descriptor.ts`, plain data); `npm run modes:sync` lists them in
 * `modes/descriptors.ts` and writes package.json's commands and menus from them. The mode ids, the
 * registry, the VS Code commands and input boxes, the Engineering Manager's checks and aliases,
 * the CLI usage and the eval task rules are all derived from these, so adding a mode touches only
 * its own folder, its prompt bank and its eval tasks.
 */

/** The artifact's language: picks the code-block languages, the answer wording and the post-processing (src/pipeline/language.ts). */
export type ModeLanguage = 'rust' | 'tsx';

/** A dependency the project's Cargo.toml must have for the mode to apply (src/rust/stack.ts; menu `when` clauses). */
export type StackPart = 'actix' | 'diesel';

/** Inputs besides the request: each is a CLI flag (`--struct`) and a task.json field of the eval. */
export type ModeInputField = 'file' | 'struct' | 'table' | 'function' | 'handler' | 'route';
export const MODE_INPUT_FIELDS: readonly ModeInputField[] = ['file', 'struct', 'table', 'function', 'handler', 'route'];

/** What one run writes; messages name it ("Write the whole corrected function again"). */
export type ArtifactKind = 'function' | 'structs' | 'table' | 'handler' | 'registration' | 'middleware' | 'component' | 'module' | 'route';

/** Right-click targets: which files offer the command (the `nocodo` submenu of that kind of file). */
export type CommandTarget = 'rust' | 'tsx';

/**
 * What the VS Code command asks for when the invocation did not give it, in this order:
 * `modelStruct` a Diesel model struct (of the file, else the project), `table` a schema table,
 * `dieselFunction` the function an endpoint calls, `scope` where middleware applies,
 * `apiStruct` a struct of the file that the API takes or returns.
 */
export type CommandPicker = 'modelStruct' | 'table' | 'dieselFunction' | 'scope' | 'apiStruct';

export interface ModeCommand {
  /** The command id (`nocodo.generateActixHandler`); stable: keybindings and tests use it. */
  id: string;
  /** As menus and the palette show it ("Generate Actix Handler…"). */
  title: string;
  target: CommandTarget;
  /** Menu group and position inside the nocodo submenu (`2_actix@1`). */
  group: string;
  pickers: readonly CommandPicker[];
}

export interface ModeShaping {
  /** What the mode makes that other tasks may use (a later task waits for it). */
  creates?: 'table' | 'struct' | 'function';
  /** The target table must exist, or be created by a task it depends on. */
  usesTable: boolean;
  /** The target struct must exist, or be created by a task it depends on. */
  usesStruct: boolean;
  /** What models write instead of the id (`"model struct"`), matched on the lower-cased words. */
  aliases: readonly RegExp[];
}

export interface ModeDescriptor {
  id: string;
  /** Position in lists (the mode list, pickers, report rows): lower first. */
  order: number;
  title: string;
  /** One line for pickers, `--help` and the Engineering Manager's list of modes. */
  description: string;
  language: ModeLanguage;
  artifact: ArtifactKind;
  /** The model role that answers; a board task runs the mode only when its specialist maps to this role. */
  role: ModelRole;
  /** The code is generated without a model (no prompt, nothing to record or replay). */
  deterministic: boolean;
  /** Which inputs the mode cannot run without (the CLI, the commands and the Engineering Manager check them). */
  needs: { struct?: boolean; table?: boolean; function?: boolean; request: boolean };
  /** Inputs the mode reads: the CLI flags it takes and the task.json fields its eval tasks may set. */
  inputs: readonly ModeInputField[];
  requires: readonly StackPart[];
  /** The VS Code command; absent when the mode runs only from the board and the CLI. */
  command?: ModeCommand;
  /** Wording of the input box that asks for the request. */
  request?: { prompt: string; placeHolder: string };
  shaping: ModeShaping;
}
