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
import { readKerasJson } from './fromJson';
import { readKerasPython } from './fromPython';
import type { ImportIssue, KerasSourceFormat } from './kerasModel';
import { toSpec } from './toSpec';
import { writeSpec } from './specWriter';

export { KerasImportError } from './fromJson';

export interface ImportedLayerSummary extends LayerSummary {
  /** What Keras' `model.summary()` counts for the same layer (differs for a GRU with `reset_after=True`). */
  kerasParams: number;
}

/** The checker's summary of the imported spec, with Keras' counts beside the spec's. */
export interface ImportedSummary extends Omit<ModelSummary, 'layers'> {
  layers: ImportedLayerSummary[];
  kerasTotalParams: number;
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
  const specText = writeSpec(imported.document);
  const checked = checkSpec(specText, { specPath: specFileName(fileName) });
  const issues = [...imported.issues].sort((a, b) => a.origin.line - b.origin.line || a.origin.column - b.origin.column);
  const result: KerasImportResult = { format: model.format, specText, issues, diagnostics: checked.diagnostics };
  const summary = kerasShapedSummary(specText, model.inputShape?.shape);
  if (summary && summary.layers.length === imported.layers.length) {
    const layers = summary.layers.map((layer, index) => ({ ...layer, kerasParams: layer.params + imported.layers[index]!.extraKerasParams }));
    result.summary = { ...summary, layers, kerasTotalParams: layers.reduce((sum, layer) => sum + layer.kerasParams, 0) };
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
