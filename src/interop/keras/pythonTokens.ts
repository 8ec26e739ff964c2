/**
 * A tokenizer for Python source, enough to read literals and calls out of a learner's Keras script
 * (names, numbers, strings with their prefixes and escapes, operators, logical line ends) without
 * executing anything. Brackets must match and two operands never stand side by side (a missing
 * comma): those syntax errors Python reports are reported here at the same place, so a broken file
 * is never read as a model missing a layer. Lexical rules per the Python language reference,
 * section 2 ("Lexical analysis").
 */

export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'end';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** A number's value (NaN for complex literals); a string's value (undefined for f-strings, whose value needs evaluation). */
  value?: number | string;
  /** 1-based. */
  line: number;
  column: number;
  /** Offset of the first character, and of the one after the last. */
  start: number;
  end: number;
}

/** Source that is not Python (an unclosed string or bracket, a missing comma); `line`/`column` are 1-based. */
export class PythonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'PythonSyntaxError';
  }
}

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '==', '!=', '<=', '>=', '<<', '>>',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  '(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '=', '+', '-', '*', '/', '%', '@', '<', '>', '&', '|', '^', '~',
];

const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_]/u;
const STRING_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])?(?='|")/;
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJ]?/;

export function tokenizePython(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let line = 1;
  let lineStart = 0;
  const open: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number, value?: number | string) => {
    tokens.push({ kind, text: source.slice(start, end), ...(value !== undefined ? { value } : {}), line, column: start - lineStart + 1, start, end });
  };
  const newline = (at: number) => {
    line++;
    lineStart = at + 1;
  };

  while (index < source.length) {
    const char = source[index]!;
    if (char === '\n') {
      if (open.length === 0 && tokens.length > 0 && tokens[tokens.length - 1]!.kind !== 'newline') push('newline', index, index + 1);
      newline(index);
      index++;
    } else if (char === ' ' || char === '\t' || char === '\r' || char === '\f') {
      index++;
    } else if (char === '#') {
      while (index < source.length && source[index] !== '\n') index++;
    } else if (char === '\\' && source[index + 1] === '\n') {
      newline(index + 1);
      index += 2;
    } else if (STRING_PREFIX.test(source.slice(index, index + 3))) {
      const prefix = STRING_PREFIX.exec(source.slice(index, index + 3))![0];
      const start = index;
      const startLine = line;
      const startColumn = index - lineStart + 1;
      const quote = source.startsWith(source[index + prefix.length]!.repeat(3), index + prefix.length)
        ? source[index + prefix.length]!.repeat(3)
        : source[index + prefix.length]!;
      index += prefix.length + quote.length;
      const bodyStart = index;
      for (;;) {
        if (index >= source.length || (quote.length === 1 && source[index] === '\n')) {
          throw new PythonSyntaxError('a string is never closed', startLine, startColumn);
        }
        if (source[index] === '\\') {
          if (source[index + 1] === '\n') newline(index + 1);
          index += 2;
        } else if (source.startsWith(quote, index)) break;
        else {
          if (source[index] === '\n') newline(index);
          index++;
        }
      }
      const body = source.slice(bodyStart, index);
      index += quote.length;
      const lower = prefix.toLowerCase();
      const value = lower.includes('f') ? undefined : lower.includes('r') ? body : unescape(body);
      tokens.push({ kind: 'string', text: source.slice(start, index), ...(value !== undefined ? { value } : {}), line: startLine, column: startColumn, start, end: index });
    } else if (/\d/.test(char) || (char === '.' && /\d/.test(source[index + 1] ?? ''))) {
      const text = NUMBER.exec(source.slice(index))![0];
      const clean = text.replace(/_/g, '');
      const value = /[jJ]$/.test(clean) ? NaN : /^0[oO]/.test(clean) ? parseInt(clean.slice(2), 8) : /^0[bB]/.test(clean) ? parseInt(clean.slice(2), 2) : Number(clean);
      push('number', index, index + text.length, value);
      index += text.length;
    } else if (NAME_START.test(char)) {
      const start = index;
      while (index < source.length && NAME_PART.test(source[index]!)) index++;
      push('name', start, index);
    } else {
      const operator = OPERATORS.find((candidate) => source.startsWith(candidate, index)) ?? char;
      push('op', index, index + operator.length);
      if ('([{'.includes(operator)) open.push(tokens[tokens.length - 1]!);
      else if (')]}'.includes(operator)) closeBracket(open, tokens[tokens.length - 1]!);
      index += operator.length;
    }
  }
  const unclosed = open.pop();
  if (unclosed) throw new PythonSyntaxError(`\`${unclosed.text}\` is never closed`, unclosed.line, unclosed.column);
  checkOperandsSeparated(tokens);
  if (tokens.length > 0 && tokens[tokens.length - 1]!.kind !== 'newline') push('newline', index, index);
  push('end', index, index);
  return tokens;
}

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function closeBracket(open: Token[], closing: Token): void {
  const opening = open.pop();
  if (!opening) throw new PythonSyntaxError(`unmatched \`${closing.text}\``, closing.line, closing.column);
  if (PAIRS[closing.text] !== opening.text) {
    throw new PythonSyntaxError(`closing \`${closing.text}\` does not match the \`${opening.text}\` opened at line ${opening.line}:${opening.column}`, closing.line, closing.column);
  }
}

/** Python's keywords (and soft keywords), which may stand next to an operand. */
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'match', 'case', 'type',
]);

function isOperand(token: Token): boolean {
  return token.kind === 'number' || token.kind === 'string' || (token.kind === 'name' && !KEYWORDS.has(token.text));
}

/**
 * `LSTM(4 return_sequences=True)`: two operands (or a closing bracket and an operand) side by side
 * in one logical line are invalid syntax; Python suggests the comma that is missing. Adjacent
 * strings concatenate and are allowed. (The soft keywords `match`, `case`, `type` count as keywords: a false
 * alarm on valid code would be worse than a missed one.)
 */
function checkOperandsSeparated(tokens: readonly Token[]): void {
  for (let i = 1; i < tokens.length; i++) {
    const before = tokens[i - 1]!;
    const token = tokens[i]!;
    if (!isOperand(token)) continue;
    const closes = before.kind === 'op' && (before.text === ')' || before.text === ']' || before.text === '}');
    if ((isOperand(before) && !(before.kind === 'string' && token.kind === 'string')) || closes) {
      throw new PythonSyntaxError(`invalid syntax at \`${token.text}\`: perhaps a comma is missing before it`, token.line, token.column);
    }
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** Python's escape sequences in a non-raw string; an unknown escape keeps its backslash, as Python does. */
function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (whole, escape: string) => {
    if (/^[xuU]/.test(escape) && escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    if (/^[0-7]+$/.test(escape)) return String.fromCodePoint(parseInt(escape, 8));
    return SIMPLE_ESCAPES[escape] ?? whole;
  });
}
