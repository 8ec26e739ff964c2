/**
 * The spec checker: YAML syntax, schema and semantic problems, all reported in one pass with exact
 * ranges, plus the resolved spec (when there is no error) and the model summary (when the layer
 * stack builds). Pure: no file system, no editor, no TensorFlow.js.
 */
import { printable } from './printable';
import { resolveSpec } from './resolve';
import { schemaDiagnostics } from './schemaCheck';
import { semanticDiagnostics } from './semantic';
import { modelInput, summarize } from './summary';
import type { DataFacts } from './dataFacts';
import type { CheckResult, DataSpec, LayerSpec, ModelSpec, SpecDiagnostic } from './types';
import { conversionDiagnostic, yamlDiagnostic } from './yamlErrors';
import { SpecSource } from './yamlSource';

/** The documented layer limit (seqlab.schema.json `model.maxItems`): a longer stack is refused before any per-layer work. */
export const MAX_LAYERS = 100;

/**
 * The documented spec size limit, checked before parsing (parsing half a megabyte of YAML takes
 * about a CPU-second): a 100-layer model fits in a few KB, the examples in 1-2 KB.
 */
export const MAX_SPEC_CHARACTERS = 256 * 1024;

/**
 * Every message is made safe to print (control characters from the spec escaped), wherever it
 * echoes the user's text.
 */
export interface CheckOptions {
  specPath?: string;
  /**
   * What reading the data taught, asked for with the resolved data section so that the caller can
   * answer only with facts read for exactly that section (see DataFacts, data/facts.ts).
   */
  dataFacts?: (data: DataSpec) => DataFacts | undefined;
}

export function checkSpec(text: string, options: CheckOptions = {}): CheckResult {
  const result = checkSafely(text, options);
  return { ...result, diagnostics: result.diagnostics.map((diagnostic) => ({ ...diagnostic, message: printable(diagnostic.message) })) };
}

function checkSafely(text: string, options: CheckOptions): CheckResult {
  if (text.length > MAX_SPEC_CHARACTERS) {
    const size = `${Math.round(text.length / 1024).toLocaleString('en-US')} KB`;
    const message = `This spec is ${size}; a spec may be at most ${MAX_SPEC_CHARACTERS / 1024} KB (a documented limit: a model of ${MAX_LAYERS} layers, the most Sequence Lab builds, fits in a few KB). If it was generated, generate fewer layers.`;
    const firstLine = /^[^\r\n]*/.exec(text)![0].length;
    return { diagnostics: [{ severity: 'error', code: 'schema', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: Math.min(firstLine, 1000) } } }] };
  }
  const source = new SpecSource(text);
  const raw = source.data;
  const layerCount = Array.isArray((raw as { model?: unknown } | undefined)?.model) ? (raw as { model: unknown[] }).model.length : 0;
  if (layerCount > MAX_LAYERS) {
    const message = `\`model\` has ${layerCount.toLocaleString('en-US')} layers; Sequence Lab builds at most ${MAX_LAYERS} (a documented limit: stacks this deep do not train in reasonable time). Remove layers.`;
    return { diagnostics: [{ severity: 'error', code: 'schema', message, range: source.rangeOf(['model'], 'key') }] };
  }
  const spec = resolveSpec(raw, options.specPath);
  const input = modelInput(spec.data);
  const syntax = firstPerLine([...source.doc.errors, ...source.doc.warnings].map((error) => yamlDiagnostic(source, error)));
  if (source.conversionError) {
    const { message, range } = source.conversionError;
    return { diagnostics: [...syntax, conversionDiagnostic(message, range)].sort(byPosition) };
  }
  const structural = schemaDiagnostics(source, raw);
  const semantic = semanticDiagnostics(source, raw, spec, input, options.dataFacts?.(spec.data)).filter((diagnostic) => !structural.some((other) => sameRange(other, diagnostic)));
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
