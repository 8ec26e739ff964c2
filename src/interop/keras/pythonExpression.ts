/**
 * A parser for the literal subset of Python expressions a Keras model definition uses: calls with
 * positional and keyword arguments, dotted names, numbers, strings, booleans, None, lists, tuples,
 * dicts, and arithmetic on numbers. Anything else (a comprehension, a lambda, a subscript, a
 * conditional...) becomes an `unsupported` node spanning exactly that expression, so one strange
 * argument never hides the rest of the call. Nothing is ever evaluated here.
 */
import type { Token } from './pythonTokens';

/** Where an expression is: offsets into the source, and its first token's 1-based line and column. */
export interface Span {
  start: number;
  end: number;
  line: number;
  column: number;
}

export interface KeywordArgument {
  name: string;
  value: PyExpr;
  span: Span;
}

export type PyExpr =
  | { kind: 'literal'; value: number | string | boolean | null; span: Span }
  | { kind: 'list' | 'tuple'; items: PyExpr[]; span: Span }
  | { kind: 'dict'; entries: [PyExpr, PyExpr][]; span: Span }
  | { kind: 'name'; path: string[]; span: Span }
  | { kind: 'call'; callee: string[]; args: PyExpr[]; kwargs: KeywordArgument[]; span: Span }
  | { kind: 'binary'; op: string; left: PyExpr; right: PyExpr; span: Span }
  | { kind: 'negate'; operand: PyExpr; span: Span }
  | { kind: 'unsupported'; reason: string; span: Span };

class Unsupported extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const KEYWORDS = new Set(['lambda', 'not', 'and', 'or', 'if', 'else', 'for', 'in', 'is', 'await', 'yield', 'async', 'def', 'class', 'return', 'import', 'from']);
const KEYWORD_MEANING: Record<string, string> = {
  for: 'a comprehension',
  if: 'a conditional expression',
  lambda: 'a lambda',
  not: 'a boolean expression',
  and: 'a boolean expression',
  or: 'a boolean expression',
};
const CLOSING = new Set([')', ']', '}']);

export class ExpressionParser {
  constructor(private readonly tokens: readonly Token[]) {}

  token(index: number): Token {
    return this.tokens[Math.min(index, this.tokens.length - 1)]!;
  }

  isOp(index: number, text: string): boolean {
    const token = this.token(index);
    return token.kind === 'op' && token.text === text;
  }

  /**
   * The expression starting at `index`, up to the next `,`, closing bracket or line end at its own
   * nesting level; `next` is the index of that boundary token.
   */
  expression(index: number): { expr: PyExpr; next: number } {
    try {
      const parsed = this.sum(index);
      if (!this.atBoundary(parsed.next)) throw new Unsupported(this.describe(parsed.next));
      return parsed;
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      const next = this.skip(index);
      return { expr: { kind: 'unsupported', reason: error.reason, span: this.span(index, next) }, next };
    }
  }

  /** The index after the expression at `index`, brackets balanced (for skipping what is not understood). */
  skip(index: number): number {
    let depth = 0;
    for (let at = index; ; at++) {
      const token = this.token(at);
      // The tokenizer ends logical lines only outside brackets, so a line end closes everything.
      if (token.kind === 'newline' || token.kind === 'end' || (depth === 0 && this.atBoundary(at))) return at;
      if (token.kind === 'op' && '([{'.includes(token.text)) depth++;
      else if (token.kind === 'op' && CLOSING.has(token.text)) depth--;
    }
  }

  span(start: number, next: number): Span {
    const first = this.token(start);
    const last = this.token(Math.max(start, next - 1));
    return { start: first.start, end: Math.max(first.start, last.end), line: first.line, column: first.column };
  }

  private atBoundary(index: number): boolean {
    const token = this.token(index);
    return token.kind === 'newline' || token.kind === 'end' || (token.kind === 'op' && (token.text === ',' || CLOSING.has(token.text) || token.text === ';'));
  }

  private describe(index: number): string {
    const token = this.token(index);
    const keyword = KEYWORD_MEANING[token.text];
    if (token.kind === 'name' && keyword) return keyword;
    return `\`${token.text}\` is outside the literal subset`;
  }

  private sum(index: number): { expr: PyExpr; next: number } {
    let { expr, next } = this.product(index);
    while (this.isOp(next, '+') || this.isOp(next, '-')) {
      const op = this.token(next).text;
      const right = this.product(next + 1);
      expr = { kind: 'binary', op, left: expr, right: right.expr, span: this.span(index, right.next) };
      next = right.next;
    }
    return { expr, next };
  }

  private product(index: number): { expr: PyExpr; next: number } {
    let { expr, next } = this.unary(index);
    while (['*', '/', '//', '%'].some((op) => this.isOp(next, op))) {
      const op = this.token(next).text;
      const right = this.unary(next + 1);
      expr = { kind: 'binary', op, left: expr, right: right.expr, span: this.span(index, right.next) };
      next = right.next;
    }
    return { expr, next };
  }

  private unary(index: number): { expr: PyExpr; next: number } {
    if (this.isOp(index, '-') || this.isOp(index, '+')) {
      const operand = this.unary(index + 1);
      const expr: PyExpr = this.isOp(index, '-') ? { kind: 'negate', operand: operand.expr, span: this.span(index, operand.next) } : operand.expr;
      return { expr, next: operand.next };
    }
    const base = this.primary(index);
    if (this.isOp(base.next, '**')) {
      const exponent = this.unary(base.next + 1);
      return { expr: { kind: 'binary', op: '**', left: base.expr, right: exponent.expr, span: this.span(index, exponent.next) }, next: exponent.next };
    }
    return base;
  }

  private primary(index: number): { expr: PyExpr; next: number } {
    const atom = this.atom(index);
    let { expr, next } = atom;
    if (expr.kind === 'name' && this.isOp(next, '(')) {
      const call = this.call(expr.path, index, next);
      expr = call.expr;
      next = call.next;
    }
    if (this.isOp(next, '(') || this.isOp(next, '[') || this.isOp(next, '.')) {
      throw new Unsupported(this.isOp(next, '[') ? 'a subscript `[...]`' : 'a call or attribute on the result of an expression');
    }
    return { expr, next };
  }

  private atom(index: number): { expr: PyExpr; next: number } {
    const token = this.token(index);
    if (token.kind === 'number') {
      if (Number.isNaN(token.value)) throw new Unsupported('a complex number');
      return { expr: { kind: 'literal', value: token.value as number, span: this.span(index, index + 1) }, next: index + 1 };
    }
    if (token.kind === 'string') return this.strings(index);
    if (token.kind === 'name') {
      if (token.text === 'True' || token.text === 'False') return { expr: { kind: 'literal', value: token.text === 'True', span: this.span(index, index + 1) }, next: index + 1 };
      if (token.text === 'None') return { expr: { kind: 'literal', value: null, span: this.span(index, index + 1) }, next: index + 1 };
      if (KEYWORDS.has(token.text)) throw new Unsupported(this.describe(index));
      const path = [token.text];
      let next = index + 1;
      while (this.isOp(next, '.') && this.token(next + 1).kind === 'name') {
        path.push(this.token(next + 1).text);
        next += 2;
      }
      return { expr: { kind: 'name', path, span: this.span(index, next) }, next };
    }
    if (this.isOp(index, '(')) return this.sequence(index, ')', 'tuple');
    if (this.isOp(index, '[')) return this.sequence(index, ']', 'list');
    if (this.isOp(index, '{')) return this.dict(index);
    throw new Unsupported(this.describe(index));
  }

  /** Adjacent string literals concatenate, as in Python. */
  private strings(index: number): { expr: PyExpr; next: number } {
    let value = '';
    let next = index;
    while (this.token(next).kind === 'string') {
      const token = this.token(next);
      if (typeof token.value !== 'string') throw new Unsupported('an f-string');
      value += token.value;
      next++;
    }
    return { expr: { kind: 'literal', value, span: this.span(index, next) }, next };
  }

  /** `(a, b)`, `[a, b]`; `(a)` is just `a`. */
  private sequence(index: number, close: string, kind: 'list' | 'tuple'): { expr: PyExpr; next: number } {
    const items: PyExpr[] = [];
    let next = index + 1;
    let trailingComma = false;
    while (!this.isOp(next, close)) {
      if (this.token(next).kind === 'end') throw new Unsupported(`an unclosed \`${kind === 'list' ? '[' : '('}\``);
      const item = this.expression(next);
      items.push(item.expr);
      next = item.next;
      trailingComma = this.isOp(next, ',');
      if (trailingComma) next++;
      else if (!this.isOp(next, close)) throw new Unsupported(this.describe(next));
    }
    if (kind === 'tuple' && items.length === 1 && !trailingComma) return { expr: items[0]!, next: next + 1 };
    return { expr: { kind, items, span: this.span(index, next + 1) }, next: next + 1 };
  }

  private dict(index: number): { expr: PyExpr; next: number } {
    const entries: [PyExpr, PyExpr][] = [];
    let next = index + 1;
    while (!this.isOp(next, '}')) {
      const key = this.sum(next);
      if (!this.isOp(key.next, ':')) throw new Unsupported('a set or a dict comprehension');
      const value = this.expression(key.next + 1);
      entries.push([key.expr, value.expr]);
      next = value.next;
      if (this.isOp(next, ',')) next++;
      else if (!this.isOp(next, '}')) throw new Unsupported(this.describe(next));
    }
    return { expr: { kind: 'dict', entries, span: this.span(index, next + 1) }, next: next + 1 };
  }

  /** `callee(args...)`: `open` is the index of `(`. `*args` and `**kwargs` become unsupported arguments. */
  private call(callee: string[], start: number, open: number): { expr: PyExpr; next: number } {
    const args: PyExpr[] = [];
    const kwargs: KeywordArgument[] = [];
    let next = open + 1;
    while (!this.isOp(next, ')')) {
      if (this.token(next).kind === 'end') throw new Unsupported('an unclosed call');
      const keyword = this.token(next).kind === 'name' && this.isOp(next + 1, '=');
      if (keyword) {
        const value = this.expression(next + 2);
        kwargs.push({ name: this.token(next).text, value: value.expr, span: this.span(next, value.next) });
        next = value.next;
      } else if (this.isOp(next, '*') || this.isOp(next, '**')) {
        const skipped = this.skip(next + 1);
        args.push({ kind: 'unsupported', reason: 'unpacked arguments `*args`, `**kwargs`', span: this.span(next, skipped) });
        next = skipped;
      } else {
        const value = this.expression(next);
        args.push(value.expr);
        next = value.next;
      }
      if (this.isOp(next, ',')) next++;
      else if (!this.isOp(next, ')')) throw new Unsupported(this.describe(next));
    }
    return { expr: { kind: 'call', callee, args, kwargs, span: this.span(start, next + 1) }, next: next + 1 };
  }
}
