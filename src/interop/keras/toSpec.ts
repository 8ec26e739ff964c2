/**
 * A KerasModelDescription -> the spec document: the layers mapped one by one, the data settings
 * the model implies (vocabulary, sequence length, task from the output layer), training settings
 * from `compile`/`fit` when the file has them, and commented-out placeholders for the rest.
 */
import { DEFAULT_LOSS } from '../../language/resolve';
import type { Task } from '../../language/types';
import type { ImportIssue, KerasModelDescription, Origin } from './kerasModel';
import { mapLayer, type MappedLayer, type OmittedLayer, type SpecLayerYaml } from './layerMapping';
import { SectionEntries, type SpecDocument, type WrittenLayer } from './specWriter';
import { mapCompile, mapFit, mapPreprocessing } from './trainingMapping';

export interface ImportedSpec {
  document: SpecDocument;
  issues: ImportIssue[];
  /** The spec's layers (those that were imported), in order. */
  layers: MappedLayer[];
  /**
   * Per imported layer, the first Keras layer left out before it, if any: from there on the
   * spec's shapes (and so parameter counts) may differ from the ones Keras builds.
   */
  omittedBefore: (OmittedLayer | undefined)[];
}

const DEFAULT_METRICS: Record<Task, string[]> = {
  binary: ['accuracy'],
  multiclass: ['accuracy'],
  'next-token': ['accuracy'],
  regression: ['mae'],
  forecast: ['mae'],
};

/** `fileName`: the imported file's name, for the spec's name and header. */
export function toSpec(model: KerasModelDescription, fileName: string): ImportedSpec {
  const issues = [...model.issues];
  const mapped = model.layers.map((layer) => mapLayer(layer, { format: model.format, issues }));
  const layers = mapped.filter((entry): entry is MappedLayer => entry.kind === 'layer');
  const firstOmitted = mapped.findIndex((entry) => entry.kind === 'omitted');
  const omittedBefore = mapped.flatMap((entry, index) => (entry.kind === 'layer' ? [firstOmitted !== -1 && firstOmitted < index ? (mapped[firstOmitted] as OmittedLayer) : undefined] : []));
  const data = new SectionEntries();
  const train = new SectionEntries();
  const modelOrigin: Origin = model.layers[0]?.origin ?? { where: 'the model', line: 1, column: 1 };
  if (layers.length === 0) {
    issues.push({ severity: 'error', message: 'No layer of this model could be imported, so the spec has an empty model.', origin: modelOrigin });
  }

  data.suggest('source', 'data.csv', 'TODO: a .csv/.tsv/.jsonl/.txt file beside this spec, imdb, or builtin:<name>');
  const specLayers = layers.map((entry) => entry.layer);
  const tokens = specLayers[0]?.type === 'embedding';
  const output = outputOf(specLayers, tokens);
  if (output) data.set('task', output.task, `from the last layer, ${output.why}`);
  const first = specLayers[0];
  if (first?.type === 'embedding') data.set('tokenizer.vocab_size', first.input_dim as number, "the Embedding's input_dim (Keras Tokenizer num_words)");
  const timesteps = model.inputShape?.shape[1];
  if (tokens && typeof timesteps === 'number') data.set('max_len', timesteps, 'the model\'s input length');
  if (output?.task === 'multiclass') data.set('num_classes', output.units, 'the output layer\'s units');
  if (!tokens && specLayers.length > 0) describeValuesInput(model, output, data, issues, modelOrigin);
  data.suggest('validation', 0.2, 'the fraction that validates');

  const context = { issues, data, train };
  if (model.compile) mapCompile(model.compile, context);
  if (model.fit) mapFit(model.fit, context);
  mapPreprocessing(model.preprocessing, context);
  const task = (data.value('task') as Task | undefined) ?? 'binary';
  train.suggest('optimizer', 'adam');
  train.suggest('loss', DEFAULT_LOSS[task]);
  train.suggest('metrics', DEFAULT_METRICS[task]);
  train.suggest('batch_size', 32);
  train.suggest('epochs', 10);

  const document: SpecDocument = {
    header: header(model, fileName, issues, data.value('source') !== undefined),
    name: specName(model.name, fileName),
    data,
    model: mapped.map((entry): WrittenLayer =>
      entry.kind === 'layer'
        ? { layer: entry.layer, comment: `${entry.label}, ${place(entry.origin, model.format)}`, notes: entry.notes }
        : { omitted: `${entry.label}: left out, ${entry.reason}`, comment: place(entry.origin, model.format), notes: [] },
    ),
    train,
  };
  return { document, issues, layers, omittedBefore };
}

interface ModelOutput {
  task: Task;
  units: number;
  /** `Dense(1, sigmoid)`, for the comment on `task`. */
  why: string;
}

/** The task a stack's output layer implies (a Keras model does not say what data it was fitted on). */
function outputOf(layers: readonly SpecLayerYaml[], tokens: boolean): ModelOutput | undefined {
  let sequence = true;
  let last: SpecLayerYaml | undefined;
  for (const layer of layers) {
    if (layer.type === 'dropout') continue;
    const recurrent = layer.type === 'bidirectional' ? (layer.layer as SpecLayerYaml) : layer;
    if (['simple_rnn', 'lstm', 'gru'].includes(recurrent.type) && recurrent.return_sequences === false) sequence = false;
    last = layer;
  }
  if (!last || (last.type !== 'dense' && last.type !== 'time_distributed')) return undefined;
  const dense = last.type === 'dense' ? last : (last.layer as SpecLayerYaml);
  const units = dense.units as number;
  const activation = dense.activation as string;
  const why = `${last.type === 'time_distributed' ? 'TimeDistributed(' : ''}Dense(${units}, ${activation})${last.type === 'time_distributed' ? ')' : ''}`;
  if (sequence && tokens && activation === 'softmax') return { task: 'next-token', units, why: `${why} at every step` };
  if (units === 1 && activation === 'sigmoid') return { task: 'binary', units, why };
  if (activation === 'softmax') return { task: 'multiclass', units, why };
  return { task: tokens ? 'regression' : 'forecast', units, why };
}

/** A model without an Embedding reads numbers: in a spec those are forecast windows over a series. */
function describeValuesInput(model: KerasModelDescription, output: ModelOutput | undefined, data: SectionEntries, issues: ImportIssue[], origin: Origin): void {
  const [, timesteps, features] = model.inputShape?.shape ?? [];
  if (output?.task === 'forecast') {
    if (typeof timesteps === 'number') data.set('window.lookback', timesteps, "the model's input length");
    data.set('window.horizon', output.units, "the output layer's units");
  }
  if (typeof features === 'number' && features > 1) {
    issues.push({
      severity: 'warning',
      message: `The model reads ${features} numbers per step; a spec's series gives 1 per step (only the built-in generators give more), so the spec's input width differs.`,
      origin: model.inputShape?.origin ?? origin,
    });
  }
  if (output?.task !== 'forecast') {
    issues.push({
      severity: 'info',
      message: 'The model starts without an Embedding, so it reads numbers, not text: in a spec that is a forecast over a numeric series (`task: forecast`) or a built-in generator (builtin:adding, builtin:parity).',
      origin,
    });
  }
}

/** Keras' automatic model names say nothing; the file's name does. */
function specName(modelName: string | undefined, fileName: string): string {
  if (modelName && !/^(sequential|model|functional)(_\d+)?$/.test(modelName)) return modelName;
  const base = fileName.split(/[\\/]/).pop()!.replace(/\.(json|py)$/i, '');
  return base.replace(/[^\w-]+/g, '-') || 'imported';
}

function header(model: KerasModelDescription, fileName: string, issues: readonly ImportIssue[], hasSource: boolean): string[] {
  const base = fileName.split(/[\\/]/).pop()!;
  const lines = [
    `Imported from ${base} (${model.format}${model.kerasVersion ? `, Keras ${model.kerasVersion}` : ''}) by Sequence Lab.`,
    `Before training: ${hasSource ? '' : 'set data.source, then '}review the commented-out suggestions (remove the #).`,
  ];
  const notable = issues.filter((issue) => issue.severity !== 'info');
  if (notable.length > 0) {
    lines.push('', 'Not carried over as it is in Keras:');
    for (const issue of notable) lines.push(...wrap(`- ${place(issue.origin, model.format)}: ${issue.message}`, 96, '  '));
  }
  return lines;
}

/** A JSON path says more than the line of a one-line `to_json()` file; Python code is found by line. */
export function place(origin: Origin, format: KerasModelDescription['format']): string {
  return format === 'Python' ? `line ${origin.line}` : origin.where;
}

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
