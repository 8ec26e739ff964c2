/**
 * Text taken from a user's file (a spec, a data file, typed input) made safe to print: control
 * characters (terminal escape sequences included) become visible `\xNN` escapes, and long values
 * are cut, so a message never replays raw bytes into a terminal or floods an editor.
 */

// C0 and C1 controls except tab and newline, plus DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `maxLength` cuts the text (with `...`) after escaping; omit it to keep every character. */
export function printable(text: string, maxLength?: number): string {
  const visible = text.replace(CONTROL, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return maxLength !== undefined && visible.length > maxLength ? `${visible.slice(0, maxLength)}...` : visible;
}
