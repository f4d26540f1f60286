import * as vscode from 'vscode';

/**
 * Notifications as the user reads them. VS Code shows notification text as plain text (only
 * `[label](link)` links are rendered), so Markdown backticks would appear literally; and messages
 * from the core often begin with "nocodo …" already, which the "nocodo: " prefix would double.
 */
export function noticeText(message: string): string {
  const plain = message
    .replace(/```[a-z]*\n?([\s\S]*?)```/g, '$1')
    .replace(/`([^`\n]+)`/g, '“$1”')
    .trim();
  return /^nocodo\b/i.test(plain) ? plain : `nocodo: ${plain}`;
}

type Show = <T extends string>(message: string, ...items: T[]) => Thenable<T | undefined>;

const show =
  (fn: Show) =>
  <T extends string>(message: string, ...items: T[]): Thenable<T | undefined> =>
    fn(noticeText(message), ...items);

/** `vscode.window.show*Message` with the wording fixed (see noticeText). */
export const notice = {
  info: show(vscode.window.showInformationMessage as Show),
  warn: show(vscode.window.showWarningMessage as Show),
  error: show(vscode.window.showErrorMessage as Show),
};
