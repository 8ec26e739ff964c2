/**
 * Text taken from a user's file (a spec, a data file, typed input) made safe to print: control
 * characters (terminal escape sequences included) become visible `\xNN` escapes, so a message
 * never replays raw bytes into a terminal.
 */

// C0 and C1 controls except tab and newline, plus DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Every control character, tab and newline included.
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

const escape = (character: string) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** A whole message: its own line breaks and tabs are kept. */
export function printable(message: string): string {
  return message.replace(CONTROL, escape);
}

/** A value quoted inside a message: one line, at most `maxLength` characters (then `...`). */
export function printableValue(value: string, maxLength = 40): string {
  const visible = value.replace(ANY_CONTROL, escape);
  return visible.length > maxLength ? `${visible.slice(0, maxLength)}...` : visible;
}
