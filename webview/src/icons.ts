// The codicons the panel shows, as SVG from @vscode/codicons (the same drawings as VS Code's icon
// font). Only these ship: the whole font and its stylesheet were 68 KB gzipped, a third of the
// webview. An icon the panel needs is added here; `IconName` makes the compiler check every use.
import account from '@vscode/codicons/src/icons/account.svg?raw';
import add from '@vscode/codicons/src/icons/add.svg?raw';
import arrowLeft from '@vscode/codicons/src/icons/arrow-left.svg?raw';
import arrowRight from '@vscode/codicons/src/icons/arrow-right.svg?raw';
import browser from '@vscode/codicons/src/icons/browser.svg?raw';
import check from '@vscode/codicons/src/icons/check.svg?raw';
import checklist from '@vscode/codicons/src/icons/checklist.svg?raw';
import close from '@vscode/codicons/src/icons/close.svg?raw';
import comment from '@vscode/codicons/src/icons/comment.svg?raw';
import commentDiscussion from '@vscode/codicons/src/icons/comment-discussion.svg?raw';
import database from '@vscode/codicons/src/icons/database.svg?raw';
import debugStop from '@vscode/codicons/src/icons/debug-stop.svg?raw';
import diff from '@vscode/codicons/src/icons/diff.svg?raw';
import discard from '@vscode/codicons/src/icons/discard.svg?raw';
import edit from '@vscode/codicons/src/icons/edit.svg?raw';
import error from '@vscode/codicons/src/icons/error.svg?raw';
import eye from '@vscode/codicons/src/icons/eye.svg?raw';
import foldUp from '@vscode/codicons/src/icons/fold-up.svg?raw';
import gitCommit from '@vscode/codicons/src/icons/git-commit.svg?raw';
import gitMerge from '@vscode/codicons/src/icons/git-merge.svg?raw';
import gitPullRequest from '@vscode/codicons/src/icons/git-pull-request.svg?raw';
import history from '@vscode/codicons/src/icons/history.svg?raw';
import info from '@vscode/codicons/src/icons/info.svg?raw';
import lightbulb from '@vscode/codicons/src/icons/lightbulb.svg?raw';
import loading from '@vscode/codicons/src/icons/loading.svg?raw';
import lock from '@vscode/codicons/src/icons/lock.svg?raw';
import milestone from '@vscode/codicons/src/icons/milestone.svg?raw';
import newFolder from '@vscode/codicons/src/icons/new-folder.svg?raw';
import note from '@vscode/codicons/src/icons/note.svg?raw';
import person from '@vscode/codicons/src/icons/person.svg?raw';
import play from '@vscode/codicons/src/icons/play.svg?raw';
import project from '@vscode/codicons/src/icons/project.svg?raw';
import send from '@vscode/codicons/src/icons/send.svg?raw';
import server from '@vscode/codicons/src/icons/server.svg?raw';
import symbolColor from '@vscode/codicons/src/icons/symbol-color.svg?raw';
import symbolMethod from '@vscode/codicons/src/icons/symbol-method.svg?raw';
import tools from '@vscode/codicons/src/icons/tools.svg?raw';
import trash from '@vscode/codicons/src/icons/trash.svg?raw';
import warning from '@vscode/codicons/src/icons/warning.svg?raw';

export const ICONS = {
  account,
  add,
  'arrow-left': arrowLeft,
  'arrow-right': arrowRight,
  browser,
  check,
  checklist,
  close,
  comment,
  'comment-discussion': commentDiscussion,
  database,
  'debug-stop': debugStop,
  diff,
  discard,
  edit,
  error,
  eye,
  'fold-up': foldUp,
  'git-commit': gitCommit,
  'git-merge': gitMerge,
  'git-pull-request': gitPullRequest,
  history,
  info,
  lightbulb,
  loading,
  lock,
  milestone,
  'new-folder': newFolder,
  note,
  person,
  play,
  project,
  send,
  server,
  'symbol-color': symbolColor,
  'symbol-method': symbolMethod,
  tools,
  trash,
  warning,
} as const satisfies Record<string, string>;

export type IconName = keyof typeof ICONS;
