/** Diagnostics as compilers print them, so terminals and editors can link to the position. */
import type { SpecDiagnostic } from './types';

/** `file:line:col: severity: message`, one-based like every compiler. */
export function formatDiagnostic(file: string, d: SpecDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message}`;
}

/** Messages start with the name of a place (`layer 2`), which starts the sentence. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
