import * as vscode from 'vscode';

/**
 * Stand-ins for commands whose features are not there yet: all of them until the core bundle is
 * loaded (on first use, src/extension.ts), then those that need the database, which opens in the
 * background. Every contributed command must exist as soon as `activate()` returns (VS Code runs
 * an `onCommand` activation's command right after it), so each one not registered yet gets a
 * stand-in that asks for its features (`wired`: loading them if need be), waits, and then runs
 * the real command. A feature that fails to start makes the command fail with that error.
 */
export class LateCommands implements vscode.Disposable {
  private readonly standIns: vscode.Disposable[] = [];

  /** `ids`: the commands that may not exist yet; those already registered are left alone. `wired(id)`: resolves once `id`'s real command is registered. */
  constructor(ids: readonly string[], wired: (id: string) => Promise<unknown>) {
    for (const id of ids) {
      try {
        this.standIns.push(
          vscode.commands.registerCommand(id, async (...args: unknown[]) => {
            await wired(id);
            return vscode.commands.executeCommand(id, ...args);
          }),
        );
      } catch {
        // Registered already (VS Code refuses a second registration of an id): nothing to wait for.
      }
    }
  }

  get count(): number {
    return this.standIns.length;
  }

  /** Removes the stand-ins; call it right before registering the real commands, in the same tick. */
  dispose(): void {
    for (const d of this.standIns.splice(0)) d.dispose();
  }
}
