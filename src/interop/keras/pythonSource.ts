/**
 * Writing Python source: literals and calls formatted the way a person writes them (keyword
 * arguments, short calls on one line, long ones one argument per line).
 */

export type PyLiteral = string | number | boolean | null | PyLiteral[] | PyCode;

/** Python source text used as it is (a call, a name). */
export interface PyCode {
  code: string;
}

export function code(text: string): PyCode {
  return { code: text };
}

/** A Python literal: `"text"`, `0.2`, `True`, `None`, `[1, 2]`; a tuple for `tuple: true`. */
export function py(value: PyLiteral, tuple = false): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  // JSON's escapes (\" \\ \n \t \uXXXX) mean the same in a Python string literal.
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => py(item));
    return tuple ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`;
  }
  return value.code;
}

function pyNumber(value: number): string {
  if (Number.isNaN(value)) return 'float("nan")';
  if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : '-float("inf")';
  return String(value);
}

/**
 * `callee(positional..., key=value...)`; keyword arguments whose value is `undefined` are left out.
 * On one line when it fits in `width`, else one argument per line.
 */
export function call(callee: string, positional: PyLiteral[], keywords: Record<string, PyLiteral | undefined> = {}, indent = '', width = 100): string {
  const args = [
    ...positional.map((value) => py(value)),
    ...Object.entries(keywords)
      .filter((entry): entry is [string, PyLiteral] => entry[1] !== undefined)
      .map(([key, value]) => `${key}=${py(value)}`),
  ];
  const oneLine = `${callee}(${args.join(', ')})`;
  if (indent.length + oneLine.length <= width && !oneLine.includes('\n')) return oneLine;
  return `${callee}(\n${args.map((arg) => `${indent}    ${arg},`).join('\n')}\n${indent})`;
}

/** A `#` comment, wrapped at `width`, each line starting with `indent`. */
export function comment(text: string, indent = '', width = 100): string {
  const lines: string[] = [];
  let line = `${indent}#`;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > width && line !== `${indent}#`) {
      lines.push(line);
      line = `${indent}#`;
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}
