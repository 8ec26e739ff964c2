/**
 * YAML parse and conversion errors as diagnostics people can act on: the parser's sentence plus
 * what to do, placed where the mistake is (an unclosed `{` or `[` is underlined where it opens,
 * not at the key the parser stumbled on next).
 */
import type { YAMLError } from 'yaml';
import type { SourceRange, SpecDiagnostic } from './types';
import type { SpecSource } from './yamlSource';

/** What to do about the YAML mistakes people make most in spec files. */
const YAML_ADVICE: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'Indent with spaces, not tabs.',
  DUPLICATE_KEY: 'Remove or rename one of the two keys.',
  MISSING_CHAR: 'Close the quote or bracket.',
  MULTILINE_IMPLICIT_KEY: 'Put the key and its value on one line, or check the indentation of the line above.',
};

export function yamlDiagnostic(source: SpecSource, error: YAMLError): SpecDiagnostic {
  const [start, end] = error.pos;
  const unclosed = /^Flow (map|sequence) in block collection/.exec(error.message);
  const opener = unclosed ? unclosedOpener(source.text, start, unclosed[1] === 'map' ? '{' : '[') : undefined;
  if (opener !== undefined) {
    const [open, close, kind] = source.text[opener] === '{' ? ['{', '}', 'mapping'] : ['[', ']', 'list'];
    return {
      severity: 'error',
      code: 'yaml-syntax',
      message: `YAML: This \`${open}\` is never closed. End the ${kind} with \`${close}\`, or write it as indented lines without brackets.`,
      range: source.range(opener, opener + 1),
    };
  }
  const sentence = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.?$/, '.');
  const advice = YAML_ADVICE[error.code];
  return {
    severity: error.name === 'YAMLWarning' ? 'warning' : 'error',
    code: 'yaml-syntax',
    message: `YAML: ${sentence}${advice ? ` ${advice}` : ''}`,
    range: source.range(start, Math.max(end, start)),
  };
}

/** The document parses but cannot become data: an alias used before its anchor, or an alias bomb. */
export function conversionDiagnostic(message: string, range: SourceRange): SpecDiagnostic {
  const advice = /alias count/i.test(message)
    ? 'The aliases expand to too many copies (more than 100, as in an alias bomb): write the repeated settings out, or use far fewer `*alias` references.'
    : 'Define each `&anchor` before its `*alias`.';
  const sentence = /alias count/i.test(message) ? 'Too many alias expansions.' : `${message.replace(/\.?$/, '.')}`;
  return { severity: 'error', code: 'yaml-syntax', message: `YAML: ${sentence} ${advice}`, range };
}

/**
 * Offset of the innermost `bracket` still open at `offset` (quotes and comments skipped), or
 * undefined when every one was closed.
 */
function unclosedOpener(text: string, offset: number, bracket: '{' | '['): number | undefined {
  const open: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    const character = text[i]!;
    if (quote) {
      if (character === quote && !(quote === '"' && text[i - 1] === '\\')) quote = undefined;
    } else if ((character === '"' || character === "'") && startsScalar(text, i)) {
      quote = character;
    } else if (character === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? text.length : newline;
    } else if (character === '{' || character === '[') {
      open.push(i);
    } else if ((character === '}' || character === ']') && open.length > 0) {
      open.pop();
    }
  }
  return open.reverse().find((position) => text[position] === bracket);
}

/** A quote opens a quoted scalar only where a value starts (`it's` inside a plain value does not). */
function startsScalar(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const character = text[i]!;
    if (character === '\n') return true;
    if (character !== ' ' && character !== '\t') return ':-[{,'.includes(character);
  }
  return true;
}
