import type * as vscode from 'vscode';
import { TeamPanelController, type NewAppHooks } from '../teamPanel';
import type { StateSnapshot } from '../protocol';
import type { NocodoStore } from '../store';
import type { CompileStepOptions } from '../../modes';
import type { Team } from '../agents';
import { readRustfmtSetting, readTeamSettings } from './config';
import type { NocodoContext } from './ctx';
import type { GitTaskCommands } from './git';
import type { ModelServerFeature } from './modelServer';
import type { ProposalService } from './proposals';
import type { SidebarView } from './sidebarView';
import { projectFiles } from './projectFiles';
import { liveWorkspaceProjectFs } from './workspaceFs';

export type { NewAppHooks } from '../teamPanel';

/**
 * The team panel in VS Code: connects the controller (src/teamPanel/, which routes the webview's
 * requests, streams the agents' text and projects the state) to the sidebar webview, the
 * workspace state, the editor's proposals, the workspace files and the settings.
 */
export class TeamPanel implements vscode.Disposable {
  private readonly controller: TeamPanelController;

  constructor(ctx: NocodoContext, store: NocodoStore, models: ModelServerFeature, proposals: ProposalService, sidebar: SidebarView) {
    const root = ctx.workspaceRoot?.fsPath;
    this.controller = new TeamPanelController({
      store,
      team: { client: models.client, ...(root ? { project: liveWorkspaceProjectFs(root, projectFiles) } : {}), settings: readTeamSettings, rustfmt: readRustfmtSetting },
      proposals,
      view: {
        post: (m) => sidebar.post(m),
        get visible() {
          return sidebar.visible;
        },
      },
      memory: ctx.ext.workspaceState,
      log: ctx.log,
    });
  }

  get team(): Team {
    return this.controller.team;
  }

  setNewApp(hooks: NewAppHooks): void {
    this.controller.setNewApp(hooks);
  }

  setCompileCheck(step: (onProgress?: (seconds: number) => void) => CompileStepOptions | undefined): void {
    this.controller.setCompileCheck(step);
  }

  setGit(git: GitTaskCommands): void {
    this.controller.setGit(git);
  }

  /** Entry point for every raw message from the webview (untrusted). */
  handle(raw: unknown): void {
    void this.controller.handle(raw);
  }

  resume(): Promise<void> {
    return this.controller.resume();
  }

  snapshot(): StateSnapshot {
    return this.controller.snapshot();
  }

  dispose(): void {
    this.controller.dispose();
  }
}
