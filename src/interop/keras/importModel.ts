/**
 * Import of a Keras model into a spec: `model.to_json()` output (Keras 2 or 3, or a TensorFlow.js
 * `model.json`) or a Python file with a `Sequential([...])` literal. Returns the spec's text, what
 * could not be carried over (with its place in the Keras file), and the spec's summary with Keras'
 * own parameter count beside each layer. Pure: no file system, no editor, no TensorFlow.js.
 */
import { checkSpec } from '../../language/check';
import { parse } from 'yaml';
import { resolveSpec } from '../../language/resolve';
import { summarize, type ModelInput } from '../../language/summary';
import type { LayerSpec, LayerSummary, ModelSummary, SpecDiagnostic } from '../../language/types';
import { KerasImportError, readKerasJson } from './fromJson';
import { readKerasPython } from './fromPython';
import type { ImportIssue, KerasSourceFormat } from './kerasModel';
import { toSpec } from './toSpec';
import { writeSpec } from './specWriter';

export { KerasImportError } from './fromJson';

export interface ImportedLayerSummary extends LayerSummary {
  /**
   * What Keras' `model.summary()` counts for the same layer (differs for a GRU with
   * `reset_after=True`); absent after a left-out layer, whose output shape the import does not know.
   */
  kerasParams?: number;
  /** The left-out Keras layer that makes Keras' count unknown here (`Conv1D`, line 12). */
  unknownAfter?: { label: string; line: number };
}

/** The checker's summary of the imported spec, with Keras' counts beside the spec's. */
export interface ImportedSummary extends Omit<ModelSummary, 'layers'> {
  layers: ImportedLayerSummary[];
  /** Absent when some layer's Keras count is unknown. */
  kerasTotalParams?: number;
}

export interface KerasImportResult {
  format: KerasSourceFormat;
  specText: string;
  issues: ImportIssue[];
  /** Present when the imported spec's layer stack builds. */
  summary?: ImportedSummary;
  /** What the checker says about the written spec (e.g. that `data.source` is still to be set). */
  diagnostics: SpecDiagnostic[];
}

/**
 * `fileName` picks the reader (`.py`: Python, anything else: JSON) and names the spec.
 * Throws KerasImportError when the file is not a Keras model at all.
 */
export function importKerasModel(text: string, fileName: string): KerasImportResult {
  const model = /\.py$/i.test(fileName) ? readKerasPython(text) : readKerasJson(text);
  const imported = toSpec(model, fileName);
  if (imported.layers.length === 0) {
    // A spec with an empty model helps no one: say why each layer was left out instead.
    const reasons = imported.issues.filter((issue) => issue.severity === 'error' && !issue.message.startsWith('No layer'));
    const why = reasons.map((issue) => `Line ${issue.origin.line}:${issue.origin.column}: ${issue.message}`);
    throw new KerasImportError(`No layer of this model could be imported, so no spec was written.${why.length > 0 ? ` ${why.join(' ')}` : ''}`, model.layers[0]?.origin ?? { where: 'the file', line: 1, column: 1 });
  }
  const specText = writeSpec(imported.document);
  const checked = checkSpec(specText, { specPath: specFileName(fileName) });
  const issues = [...imported.issues].sort((a, b) => a.origin.line - b.origin.line || a.origin.column - b.origin.column);
  const result: KerasImportResult = { format: model.format, specText, issues, diagnostics: checked.diagnostics };
  const summary = kerasShapedSummary(specText, model.inputShape?.shape);
  if (summary && summary.layers.length === imported.layers.length) {
    const layers = summary.layers.map((layer, index): ImportedLayerSummary => {
      const omitted = imported.omittedBefore[index];
      // A dropout has no parameters whatever its input; any other layer's count depends on the shape the left-out layer gave it.
      if (omitted && layer.type !== 'dropout') return { ...layer, unknownAfter: { label: omitted.label, line: omitted.origin.line } };
      return { ...layer, kerasParams: layer.params + imported.layers[index]!.extraKerasParams };
    });
    const known = layers.every((layer) => layer.kerasParams !== undefined);
    result.summary = { ...summary, layers, ...(known ? { kerasTotalParams: layers.reduce((sum, layer) => sum + layer.kerasParams!, 0) } : {}) };
  }
  return result;
}

/**
 * The imported layers' summary for the Keras model's own input (`[null, 200]` token ids or
 * `[null, 50, 2]` values), whatever data the spec will be pointed at: a spec reads numbers only as
 * forecast windows or from a built-in generator, while a Keras model may read any.
 */
function kerasShapedSummary(specText: string, inputShape: (number | null)[] | undefined): ModelSummary | undefined {
  const spec = resolveSpec(parse(specText));
  const layers = spec.model;
  if (layers.length === 0 || layers.some((layer) => layer === undefined)) return undefined;
  // Without an input shape in the model, Keras builds it on the data: `pad_sequences(maxlen=...)`.
  const timesteps = inputShape?.[1] ?? spec.data.max_len ?? null;
  const input: ModelInput =
    layers[0]!.type === 'embedding' ? { kind: 'tokens', shape: [null, timesteps] } : { kind: 'values', shape: [null, timesteps, inputShape?.[2] ?? 1] };
  return summarize(layers as LayerSpec[], input);
}

/** `model.json` -> `model.seqlab.yaml`, beside it. */
export function specFileName(kerasFile: string): string {
  return kerasFile.replace(/\.(json|py)$/i, '') + '.seqlab.yaml';
}
