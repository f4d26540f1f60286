import * as vscode from 'vscode';

/**
 * Stand-ins for commands whose features need the database, which opens in the background after
 * activation. Every contributed command must exist as soon as `activate()` returns (VS Code runs
 * an `onCommand` activation's command right after it), so each one not registered yet gets a
 * stand-in that waits for the features to be wired and then runs the real command.
 */
export class LateCommands implements vscode.Disposable {
  private readonly standIns: vscode.Disposable[] = [];

  /** `ids`: the commands that may not exist yet; those already registered are left alone. */
  constructor(ids: readonly string[], wired: Promise<unknown>) {
    for (const id of ids) {
      try {
        this.standIns.push(
          vscode.commands.registerCommand(id, async (...args: unknown[]) => {
            await wired;
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
