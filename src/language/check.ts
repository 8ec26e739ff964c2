/**
 * The spec checker: YAML syntax, schema and semantic problems, all reported in one pass with exact
 * ranges, plus the resolved spec (when there is no error) and the model summary (when the layer
 * stack builds). Pure: no file system, no editor, no TensorFlow.js.
 */
import type { YAMLError } from 'yaml';
import { resolveSpec } from './resolve';
import { schemaDiagnostics } from './schemaCheck';
import { semanticDiagnostics } from './semantic';
import { modelInput, summarize } from './summary';
import type { CheckResult, LayerSpec, ModelSpec, SpecDiagnostic } from './types';
import { SpecSource } from './yamlSource';

export function checkSpec(text: string, options: { specPath?: string } = {}): CheckResult {
  const source = new SpecSource(text);
  const raw = source.data;
  const spec = resolveSpec(raw, options.specPath);
  const input = modelInput(spec.data);
  const syntax = firstPerLine([...source.doc.errors, ...source.doc.warnings].map((error) => yamlDiagnostic(source, error)));
  if (source.conversionError) {
    const { message, range } = source.conversionError;
    const conversion: SpecDiagnostic = { severity: 'error', code: 'yaml-syntax', message: `YAML: ${message}. Define each \`&anchor\` before its \`*alias\`.`, range };
    return { diagnostics: [...syntax, conversion].sort(byPosition) };
  }
  const structural = schemaDiagnostics(source, raw);
  const semantic = semanticDiagnostics(source, raw, spec, input).filter((diagnostic) => !structural.some((other) => sameRange(other, diagnostic)));
  // A line YAML could not parse yields schema noise about whatever the parser made of it.
  const brokenLines = new Set(syntax.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.range.start.line));
  const diagnostics = [...syntax, ...[...structural, ...semantic].filter((diagnostic) => !brokenLines.has(diagnostic.range.start.line))].sort(byPosition);

  const layers = spec.model.filter((layer): layer is LayerSpec => layer !== undefined);
  const summary =
    layers.length > 0 && layers.length === spec.model.length
      ? summarize(layers, input, layers.map((_, index) => source.itemRange(['model', index])))
      : undefined;
  const valid = !diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  const complete: ModelSpec | undefined = valid ? { ...spec, model: layers } : undefined;
  return { ...(complete ? { spec: complete } : {}), diagnostics, ...(summary ? { summary } : {}) };
}

/** What to do about the YAML mistakes people make most in spec files. */
const YAML_ADVICE: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'Indent with spaces, not tabs.',
  DUPLICATE_KEY: 'Remove or rename one of the two keys.',
  MISSING_CHAR: 'Close the quote or bracket.',
  MULTILINE_IMPLICIT_KEY: 'Put the key and its value on one line, or check the indentation of the line above.',
};

function yamlDiagnostic(source: SpecSource, error: YAMLError): SpecDiagnostic {
  const [start, end] = error.pos;
  const sentence = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.?$/, '.');
  const advice = YAML_ADVICE[error.code];
  return {
    severity: error.name === 'YAMLWarning' ? 'warning' : 'error',
    code: 'yaml-syntax',
    message: `YAML: ${sentence}${advice ? ` ${advice}` : ''}`,
    range: source.range(start, Math.max(end, start)),
  };
}

/** One syntax error explains a line; the parser's follow-up complaints about it add nothing. */
function firstPerLine(diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  const seen = new Set<number>();
  return diagnostics.filter((diagnostic) => !seen.has(diagnostic.range.start.line) && seen.add(diagnostic.range.start.line));
}

function sameRange(a: SpecDiagnostic, b: SpecDiagnostic): boolean {
  return JSON.stringify(a.range) === JSON.stringify(b.range);
}

function byPosition(a: SpecDiagnostic, b: SpecDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
