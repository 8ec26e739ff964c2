/**
 * Shape inference and parameter counts through the layer stack, as Keras' `model.summary()` prints
 * them (and as the TensorFlow.js model built from the spec reports them).
 *
 * Parameter formulas, with `i` the input width and `u` the units:
 *   Embedding  input_dim * output_dim
 *   SimpleRNN  u(i + u) + u
 *   LSTM       4(u(i + u) + u)
 *   GRU        3(u(i + u) + u): TensorFlow.js implements only `reset_after=False`, so this equals
 *              Keras' GRU(reset_after=False); Keras' default reset_after=True has 3(u(i + u) + 2u).
 *   Bidirectional  twice the wrapped layer; `concat` doubles the output width
 *   Dense, TimeDistributed(Dense)  i * u + u
 */
import { findBuiltin } from '../data/builtinCatalog';
import { kerasLayerNames } from '../model/layerNames';
import { valueColumnNames } from './resolve';
import type { DataSpec, LayerSpec, LayerSummary, LayerType, ModelSummary, RecurrentLayerSpec, Shape, SourceRange } from './types';

/** What the first layer receives: token ids `(batch, timesteps)` or values `(batch, timesteps, features)`. */
export interface ModelInput {
  kind: 'tokens' | 'values';
  shape: Shape;
}

export function modelInput(data: DataSpec): ModelInput {
  const builtin = findBuiltin(data.source);
  if (data.task === 'forecast') return { kind: 'values', shape: [null, data.window.lookback, builtin?.features ?? valueColumnNames(data.columns).length] };
  if (builtin?.input === 'values') return { kind: 'values', shape: [null, data.generator.length, builtin.features] };
  return { kind: 'tokens', shape: [null, data.max_len ?? null] };
}

/** A reason the stack cannot be built; `layer` is the index of the layer that cannot take its input. */
export type ShapeIssue =
  | { kind: 'embedding-not-first'; layer: number }
  | { kind: 'embedding-on-values'; layer: number }
  | { kind: 'needs-embedding'; layer: number }
  /** `collapsedBy`: the recurrent layer that returned only its last state, when there is one. */
  | { kind: 'needs-sequence'; layer: number; collapsedBy?: number };

export interface InferredLayer {
  outputShape: Shape;
  params: number;
}

export interface Inference {
  layers: InferredLayer[];
  issues: ShapeIssue[];
}

/**
 * Walks the stack like Keras builds it. After an issue it carries on with the most plausible shape,
 * so every broken layer is reported at once rather than only the first.
 */
export function inferShapes(layers: readonly LayerSpec[], input: ModelInput): Inference {
  const inferred: InferredLayer[] = [];
  const issues: ShapeIssue[] = [];
  let shape: Shape = input.shape;
  let collapsedBy: number | undefined;
  const timesteps = input.shape[1] ?? null;
  const width = () => shape[shape.length - 1] ?? 1;
  const requireSequence = (layer: number) => {
    if (shape.length === 3) return;
    issues.push(collapsedBy === undefined ? { kind: 'needs-sequence', layer } : { kind: 'needs-sequence', layer, collapsedBy });
    shape = [null, timesteps, width()];
  };

  layers.forEach((layer, index) => {
    if (index === 0 && input.kind === 'tokens' && layer.type !== 'embedding') {
      issues.push({ kind: 'needs-embedding', layer: index });
      shape = [null, timesteps, 1];
    }
    let params = 0;
    switch (layer.type) {
      case 'embedding':
        if (index > 0) issues.push({ kind: 'embedding-not-first', layer: index });
        else if (input.kind === 'values') issues.push({ kind: 'embedding-on-values', layer: index });
        params = (layer.input_dim ?? 0) * layer.output_dim;
        shape = [null, timesteps, layer.output_dim];
        break;
      case 'simple_rnn':
      case 'lstm':
      case 'gru':
      case 'bidirectional': {
        requireSequence(index);
        const recurrent = layer.type === 'bidirectional' ? layer.layer : layer;
        const directions = layer.type === 'bidirectional' ? 2 : 1;
        const outputWidth = layer.type === 'bidirectional' && layer.merge_mode === 'concat' ? 2 * recurrent.units : recurrent.units;
        params = directions * recurrentParams(recurrent, width());
        if (recurrent.return_sequences) {
          shape = [null, shape[1] ?? null, outputWidth];
        } else {
          shape = [null, outputWidth];
          collapsedBy = index;
        }
        break;
      }
      case 'time_distributed':
        requireSequence(index);
        params = width() * layer.layer.units + layer.layer.units;
        shape = [...shape.slice(0, -1), layer.layer.units];
        break;
      case 'dense':
        params = width() * layer.units + layer.units;
        shape = [...shape.slice(0, -1), layer.units];
        break;
      case 'dropout':
        break;
    }
    inferred.push({ outputShape: shape, params });
  });
  return { layers: inferred, issues };
}

function recurrentParams(layer: RecurrentLayerSpec, inputWidth: number): number {
  const u = layer.units;
  const perGate = u * (inputWidth + u) + u;
  const gates = { simple_rnn: 1, lstm: 4, gru: 3 }[layer.type];
  return gates * perGate;
}

/** The summary of a stack that builds; `ranges[i]` is where layer i is declared. */
export function summarize(layers: readonly LayerSpec[], input: ModelInput, ranges: readonly (SourceRange | undefined)[] = []): ModelSummary | undefined {
  const inference = inferShapes(layers, input);
  if (inference.issues.length > 0) return undefined;
  const names = kerasLayerNames(layers);
  const summaries: LayerSummary[] = layers.map((layer, index) => {
    const range = ranges[index];
    return {
      name: names[index]!.name,
      type: layer.type,
      outputShape: inference.layers[index]!.outputShape,
      params: inference.layers[index]!.params,
      ...(range ? { range } : {}),
    };
  });
  return { inputShape: input.shape, layers: summaries, totalParams: summaries.reduce((sum, layer) => sum + layer.params, 0) };
}

/** The Keras class of each layer kind, as `model.summary()` names it. */
export const KERAS_CLASS: Record<LayerType, string> = {
  embedding: 'Embedding',
  simple_rnn: 'SimpleRNN',
  lstm: 'LSTM',
  gru: 'GRU',
  bidirectional: 'Bidirectional',
  dense: 'Dense',
  dropout: 'Dropout',
  time_distributed: 'TimeDistributed',
};

export function formatShape(shape: Shape): string {
  const parts = shape.map((dimension) => (dimension === null ? 'None' : String(dimension)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

/** A table in the layout of Keras' `model.summary()`. */
export function formatSummaryTable(summary: ModelSummary): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const rows = summary.layers.map((layer) => [`${layer.name} (${KERAS_CLASS[layer.type]})`, formatShape(layer.outputShape), layer.params.toLocaleString('en-US')]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)) + 4);
  const line = (cells: string[]) => ` ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join('')}`.trimEnd();
  const total = widths.reduce((sum, width) => sum + width, 1);
  const params = summary.totalParams.toLocaleString('en-US');
  return [
    `Input shape: ${formatShape(summary.inputShape)}`,
    '_'.repeat(total),
    line(header),
    '='.repeat(total),
    ...rows.map(line),
    '='.repeat(total),
    `Total params: ${params}`,
    `Trainable params: ${params}`,
    'Non-trainable params: 0',
    '_'.repeat(total),
  ].join('\n');
}
