/**
 * A JSON parser that remembers where every value starts, so that an import can say *where* in a
 * Keras `model.to_json()` file a setting it cannot take sits (a JSON path and a line). `JSON.parse`
 * gives values only; a `model.to_json()` file is often one long line, hence columns matter too.
 */

/** A key path into a JSON document: object keys and array indices. */
export type JsonPath = readonly (string | number)[];

/** 1-based line and column. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A file that is not JSON; `line`/`column` (1-based) point at the offending character. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** `config.layers[2].config.units`: how people write a path into a JSON document. */
export function formatJsonPath(path: JsonPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += /^[A-Za-z_$][\w$]*$/.test(segment) ? `${text ? '.' : ''}${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return text || '(the whole document)';
}

/** The parsed document plus the offset where each value (by path) starts. */
export class LocatedJson {
  private constructor(
    readonly value: unknown,
    private readonly offsets: Map<string, number>,
    private readonly lineStarts: readonly number[],
  ) {}

  /** Throws JsonSyntaxError with the line and column of the first mistake. */
  static parse(text: string): LocatedJson {
    const offsets = new Map<string, number>();
    const lineStarts = lineStartsOf(text);
    const value = new Parser(text, offsets, lineStarts).document();
    return new LocatedJson(value, offsets, lineStarts);
  }

  /** Where the value at `path` starts; for a path that does not exist, its nearest existing ancestor. */
  locate(path: JsonPath): TextPosition {
    for (let length = path.length; length >= 0; length--) {
      const offset = this.offsets.get(pathKey(path.slice(0, length)));
      if (offset !== undefined) return positionOf(this.lineStarts, offset);
    }
    return { line: 1, column: 1 };
  }
}

function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function positionOf(lineStarts: readonly number[], offset: number): TextPosition {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low]! + 1 };
}

/** Recursive descent over RFC 8259 JSON, plus the `NaN`/`Infinity` Python's json module writes. */
class Parser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly offsets: Map<string, number>,
    private readonly lineStarts: readonly number[],
  ) {}

  document(): unknown {
    if (this.text.charCodeAt(0) === 0xfeff) this.index = 1;
    const value = this.value([]);
    this.skipSpace();
    if (this.index < this.text.length) this.fail('unexpected text after the end of the JSON value');
    return value;
  }

  private value(path: (string | number)[]): unknown {
    this.skipSpace();
    this.offsets.set(pathKey(path), this.index);
    const char = this.text[this.index];
    if (char === '{') return this.object(path);
    if (char === '[') return this.array(path);
    if (char === '"') return this.string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    for (const [word, meaning] of KEYWORDS) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return meaning;
      }
    }
    return this.fail(char === undefined ? 'the file ends where a value was expected' : `unexpected character ${JSON.stringify(char)} where a value was expected`);
  }

  private object(path: (string | number)[]): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.index++;
    this.skipSpace();
    if (this.text[this.index] === '}') {
      this.index++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] !== '"') this.fail('expected a quoted key');
      const key = this.string();
      this.skipSpace();
      this.expect(':');
      result[key] = this.value([...path, key]);
      this.skipSpace();
      if (this.text[this.index] === ',') {
        this.index++;
        continue;
      }
      this.expect('}');
      return result;
    }
  }

  private array(path: (string | number)[]): unknown[] {
    const result: unknown[] = [];
    this.index++;
    this.skipSpace();
    if (this.text[this.index] === ']') {
      this.index++;
      return result;
    }
    for (;;) {
      result.push(this.value([...path, result.length]));
      this.skipSpace();
      if (this.text[this.index] === ',') {
        this.index++;
        continue;
      }
      this.expect(']');
      return result;
    }
  }

  private string(): string {
    const start = this.index;
    this.index++;
    for (;;) {
      const char = this.text[this.index];
      if (char === undefined || char === '\n') {
        this.index = start;
        this.fail('a string is never closed');
      }
      if (char === '\\') this.index += 2;
      else if (char === '"') break;
      else this.index++;
    }
    this.index++;
    try {
      return JSON.parse(this.text.slice(start, this.index)) as string;
    } catch {
      this.index = start;
      return this.fail('a string has an invalid escape sequence');
    }
  }

  private number(): number {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.index, this.index + 64));
    if (match) {
      this.index += match[0].length;
      return Number(match[0]);
    }
    if (this.text.startsWith('-Infinity', this.index)) {
      this.index += '-Infinity'.length;
      return -Infinity;
    }
    return this.fail('malformed number');
  }

  private expect(char: string): void {
    if (this.text[this.index] !== char) {
      const found = this.text[this.index];
      this.fail(`expected ${JSON.stringify(char)} but found ${found === undefined ? 'the end of the file' : JSON.stringify(found)}`);
    }
    this.index++;
  }

  private skipSpace(): void {
    while (this.index < this.text.length && ' \t\r\n'.includes(this.text[this.index]!)) this.index++;
  }

  private fail(message: string): never {
    const { line, column } = positionOf(this.lineStarts, this.index);
    throw new JsonSyntaxError(`${message} (line ${line}, column ${column})`, line, column);
  }
}

const KEYWORDS: readonly [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', NaN],
  ['Infinity', Infinity],
];
