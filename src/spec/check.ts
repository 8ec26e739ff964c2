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
  const raw = source.toData();
  const spec = resolveSpec(raw, options.specPath);
  const input = modelInput(spec.data);
  const diagnostics = [
    ...source.doc.errors.map((error) => yamlDiagnostic(source, error, 'error')),
    ...source.doc.warnings.map((warning) => yamlDiagnostic(source, warning, 'warning')),
    ...schemaDiagnostics(source, raw),
    ...semanticDiagnostics(source, raw, spec, input),
  ].sort(byPosition);

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
  BAD_INDENT: 'Align the key with its siblings.',
  MISSING_CHAR: 'Close the quote or bracket.',
  MULTILINE_IMPLICIT_KEY: 'Put the key and its value on one line, or check the indentation of the line above.',
};

function yamlDiagnostic(source: SpecSource, error: YAMLError, severity: 'error' | 'warning'): SpecDiagnostic {
  const [start, end] = error.pos;
  const sentence = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.?$/, '.');
  const advice = YAML_ADVICE[error.code];
  return {
    severity,
    code: 'yaml-syntax',
    message: `YAML: ${sentence}${advice ? ` ${advice}` : ''}`,
    range: source.range(start, Math.max(end, start)),
  };
}

function byPosition(a: SpecDiagnostic, b: SpecDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
