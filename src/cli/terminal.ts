/**
 * Text for a terminal. Model answers, schema files and file names are not ours: an escape
 * sequence in them could retitle the window, clear the screen or hide lines. Every control
 * character except tab, newline and carriage return is shown as `\xNN` instead; the one sequence
 * the CLI itself writes (erase to end of line, for the progress bar) stays.
 */

const OWN_SEQUENCE = '\x1b[K';
// C0 controls except \t \n \r, DEL, and the C1 range (U+0080–U+009F; U+009B is a one-byte CSI).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

export function escapeTerminal(text: string): string {
  if (!CONTROL.test(text)) return text;
  CONTROL.lastIndex = 0;
  return text
    .split(OWN_SEQUENCE)
    .map((part) => part.replace(CONTROL, hex))
    .join(OWN_SEQUENCE);
}

