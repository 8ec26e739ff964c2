/**
 * Checks that need meaning rather than structure: does the layer stack build for this data, does
 * the output layer fit the loss and the task, do metrics and probes make sense for the source.
 * Runs on the leniently resolved spec, so it reports alongside schema errors.
 */
import { BUILTIN_GENERATORS, findBuiltin } from '../data/builtinCatalog';
import { DEFAULT_LOSS, type ResolvedSpec } from './resolve';
import { closest } from './suggest';
import { formatShape, inferShapes, type Inference, type ModelInput, type ShapeIssue } from './summary';
import type { DenseLayerSpec, LayerSpec, LossName, MetricName, QuickFix, Severity, SpecDiagnostic, Task, TextEdit } from './types';
import { removeListItem, type KeyPath, type SpecSource } from './yamlSource';

const ALLOWED_LOSSES: Record<Task, readonly LossName[]> = {
  binary: ['binary_crossentropy', 'sparse_categorical_crossentropy'],
  multiclass: ['sparse_categorical_crossentropy', 'categorical_crossentropy'],
  'next-token': ['sparse_categorical_crossentropy'],
  regression: ['mse', 'mae'],
  forecast: ['mse', 'mae'],
};

const CLASSIFICATION: readonly Task[] = ['binary', 'multiclass', 'next-token'];

interface Context {
  source: SpecSource;
  /** The raw YAML data: tells what the user wrote, as opposed to what defaults filled in. */
  raw: RawSpec;
  spec: ResolvedSpec;
  input: ModelInput;
}

interface RawSpec {
  data?: Record<string, unknown>;
  train?: Record<string, unknown>;
  inspect?: { probes?: unknown[] };
}

export function semanticDiagnostics(source: SpecSource, raw: unknown, spec: ResolvedSpec, input: ModelInput): SpecDiagnostic[] {
  const context: Context = { source, raw: (raw ?? {}) as RawSpec, spec, input };
  const diagnostics = [...checkSource(context), ...checkTrainingChoices(context), ...checkProbes(context)];
  const layers = spec.model.filter((layer): layer is LayerSpec => layer !== undefined);
  if (layers.length === 0 || layers.length !== spec.model.length) return diagnostics;
  diagnostics.push(...checkEmbeddingVocabulary(context, layers));
  const inference = inferShapes(layers, input);
  // Without a known source there is no telling whether the input is text or numbers.
  const sourceKnown = spec.data.source !== '' && !(spec.data.source.startsWith('builtin:') && !findBuiltin(spec.data.source));
  const issues = inference.issues.filter((issue) => sourceKnown || (issue.kind !== 'needs-embedding' && issue.kind !== 'embedding-on-values'));
  diagnostics.push(...issues.map((issue) => shapeDiagnostic(context, layers, inference, issue)));
  if (inference.issues.length === 0) diagnostics.push(...checkOutput(context, layers, inference));
  return diagnostics;
}

function diagnostic(severity: Severity, code: string, context: Context, path: KeyPath, message: string, fixes?: QuickFix[]): SpecDiagnostic {
  return { severity, code, message, range: context.source.rangeOf(path), ...(fixes && fixes.length > 0 ? { fixes } : {}) };
}

/** Where the recurrent settings of layer `index` live: the layer, or the layer a `bidirectional` wraps. */
function recurrentMapPath(layers: readonly LayerSpec[], index: number): KeyPath {
  return layers[index]!.type === 'bidirectional' ? ['model', index, 'layer'] : ['model', index];
}

/** The key when the user wrote it, else the mapping's `type` (a default has no text to point at). */
function writtenOrType(context: Context, mapPath: KeyPath, key: string): KeyPath {
  return context.source.locate([...mapPath, key]) ? [...mapPath, key] : [...mapPath, 'type'];
}

function layerLabel(layers: readonly LayerSpec[], index: number): string {
  return `layer ${index + 1} (\`${layers[index]!.type}\`)`;
}

function replaceValue(context: Context, path: KeyPath, title: string, newText: string): QuickFix {
  return { title, edits: [{ range: context.source.rangeOf(path), newText }] };
}

function setKeys(context: Context, title: string, mapPath: KeyPath, values: Record<string, string>): QuickFix[] {
  const edits = Object.entries(values).flatMap(([key, value]) => context.source.setKey(mapPath, key, value) ?? []);
  return edits.length === 0 ? [] : [{ title, edits: mergeInsertions(edits) }];
}

/** Two insertions at the same point must become one edit, or editors apply them in either order. */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    const same = merged.find((other) => JSON.stringify(other.range) === JSON.stringify(edit.range));
    if (same) same.newText += edit.newText;
    else merged.push({ ...edit });
  }
  return merged;
}

function checkSource(context: Context): SpecDiagnostic[] {
  const { data } = context.spec;
  const wrote = context.raw.data ?? {};
  const diagnostics: SpecDiagnostic[] = [];
  const builtin = findBuiltin(data.source);
  if (data.source.startsWith('builtin:') && !builtin) {
    const names = BUILTIN_GENERATORS.map((info) => `builtin:${info.name}`);
    const suggestion = closest(data.source, names);
    const hint = suggestion ? `Did you mean \`${suggestion}\`?` : `Available: ${names.map((name) => `\`${name}\``).join(', ')}.`;
    diagnostics.push(
      diagnostic('error', 'source', context, ['data', 'source'], `There is no built-in generator \`${data.source}\`. ${hint}`, suggestion ? [replaceValue(context, ['data', 'source'], `Change to \`${suggestion}\``, suggestion)] : undefined),
    );
  }
  const sourceTasks: readonly Task[] | undefined = builtin?.tasks ?? (data.source === 'imdb' ? ['binary'] : undefined);
  if (sourceTasks && typeof wrote.task === 'string' && !sourceTasks.includes(data.task)) {
    const expected = sourceTasks[0]!;
    diagnostics.push(
      diagnostic('error', 'task', context, ['data', 'task'], `\`${data.source}\` provides data for \`${sourceTasks.join('`, `')}\`, not \`${data.task}\`: set \`task: ${expected}\` or choose another source.`, [
        replaceValue(context, ['data', 'task'], `Change task to \`${expected}\``, expected),
      ]),
    );
  }
  if (builtin && 'source' in data.validation) {
    diagnostics.push(diagnostic('error', 'validation', context, ['data', 'validation'], `\`${data.source}\` generates its own validation data: use a fraction such as \`validation: 0.2\`.`, [
      replaceValue(context, ['data', 'validation'], 'Use `validation: 0.2`', '0.2'),
    ]));
  }
  if (data.source === 'imdb' && 'source' in data.validation && data.validation.source !== 'test') {
    diagnostics.push(diagnostic('error', 'validation', context, ['data', 'validation', 'source'], `For \`imdb\`, \`validation.source\` can only be \`test\` (the official test split); use a fraction such as \`0.2\` to hold out training reviews instead.`, [
      replaceValue(context, ['data', 'validation', 'source'], 'Use the official test split', 'test'),
    ]));
  }
  if (data.source !== 'imdb' && wrote.imdb_path !== undefined) {
    diagnostics.push(diagnostic('warning', 'ignored', context, ['data', 'imdb_path'], `\`imdb_path\` only applies to \`source: imdb\`; it is ignored for \`${data.source}\`.`));
  }
  // Files and imdb hold real texts of any length; the built-in generators' sentences are short.
  const recorded = data.source !== '' && !data.source.startsWith('builtin:');
  if (recorded && context.input.kind === 'tokens' && data.task !== 'next-token' && wrote.max_len === undefined) {
    diagnostics.push(diagnostic('warning', 'performance', context, ['data', 'source'], `Without \`max_len\`, every text is padded to the longest one (IMDB reviews reach thousands of tokens), which makes recurrent training very slow: set \`max_len\`, e.g. \`max_len: 200\`.`));
  }
  if (data.task !== 'forecast' && wrote.window !== undefined) {
    diagnostics.push(diagnostic('warning', 'ignored', context, ['data', 'window'], `\`window\` only applies to \`task: forecast\`; it is ignored for \`${data.task}\`.`));
  }
  if (data.task !== 'multiclass' && wrote.num_classes !== undefined) {
    diagnostics.push(diagnostic('warning', 'ignored', context, ['data', 'num_classes'], `\`num_classes\` only applies to \`task: multiclass\`; it is ignored for \`${data.task}\`.`));
  }
  if (context.input.kind === 'values' && wrote.tokenizer !== undefined) {
    diagnostics.push(diagnostic('warning', 'ignored', context, ['data', 'tokenizer'], `\`${data.source}\` gives numeric values, not text, so \`tokenizer\` is ignored.`));
  }
  return diagnostics;
}

function checkTrainingChoices(context: Context): SpecDiagnostic[] {
  const { task } = context.spec.data;
  const { loss, metrics } = context.spec.train;
  const wrote = context.raw.train ?? {};
  const diagnostics: SpecDiagnostic[] = [];
  if (typeof wrote.loss === 'string' && !ALLOWED_LOSSES[task].includes(loss)) {
    const expected = DEFAULT_LOSS[task];
    diagnostics.push(
      diagnostic('error', 'loss-task', context, ['train', 'loss'], `\`${loss}\` does not fit \`task: ${task}\`: use ${ALLOWED_LOSSES[task].map((name) => `\`${name}\``).join(' or ')}.`, [
        replaceValue(context, ['train', 'loss'], `Change loss to \`${expected}\``, expected),
      ]),
    );
  }
  const fitting: readonly MetricName[] = CLASSIFICATION.includes(task) ? ['accuracy'] : ['mae', 'mse'];
  metrics.forEach((metric, index) => {
    if (fitting.includes(metric)) return;
    const why = metric === 'accuracy' ? `\`accuracy\` counts correct classes, but \`${task}\` predicts numbers` : `\`${metric}\` measures numeric error, but \`${task}\` predicts classes`;
    // Another fitting metric already listed: the stray one should go, not become a duplicate.
    const replacement = fitting.some((candidate) => metrics.includes(candidate)) ? undefined : fitting[0];
    const path: KeyPath = ['train', 'metrics', index];
    const removal = removeListItem(context.source, ['train', 'metrics'], index);
    const fix = replacement ? replaceValue(context, path, `Change metric to \`${replacement}\``, replacement) : removal && { title: `Remove \`${metric}\``, edits: [removal] };
    const advice = replacement ? `use \`${replacement}\`` : 'remove it';
    diagnostics.push(diagnostic('error', 'metric-task', context, path, `${why}: ${advice}.`, fix ? [fix] : undefined));
  });
  diagnostics.push(...checkEarlyStopping(context));
  return diagnostics;
}

/** Early stopping can only watch the loss or a metric the model computes. */
function checkEarlyStopping(context: Context): SpecDiagnostic[] {
  const { early_stopping: earlyStopping, metrics } = context.spec.train;
  if (!earlyStopping) return [];
  const watched = earlyStopping.monitor.replace(/^val_/, '');
  if (watched === 'loss' || metrics.includes(watched as MetricName)) return [];
  return [
    diagnostic('error', 'early-stopping', context, ['train', 'early_stopping', 'monitor'], `\`${earlyStopping.monitor}\` is never computed because \`${watched}\` is not in \`train.metrics\`: add it there, or monitor \`val_loss\`.`, [
      replaceValue(context, ['train', 'early_stopping', 'monitor'], 'Monitor `val_loss`', 'val_loss'),
    ]),
  ];
}

function checkProbes(context: Context): SpecDiagnostic[] {
  if (context.input.kind !== 'values') return [];
  const probes = context.raw.inspect?.probes ?? [];
  return probes.flatMap((probe, index) =>
    probe !== null && typeof probe === 'object' && 'text' in probe
      ? [diagnostic('error', 'probe', context, ['inspect', 'probes', index, 'text'], `\`${context.spec.data.source}\` gives numeric sequences, so a text probe cannot be tokenized: probe a validation example with \`{index: n}\` instead.`)]
      : [],
  );
}

function checkEmbeddingVocabulary(context: Context, layers: readonly LayerSpec[]): SpecDiagnostic[] {
  const first = layers[0];
  if (first?.type !== 'embedding' || context.input.kind !== 'tokens') return [];
  const vocabulary = vocabularySize(context);
  if ((first.input_dim ?? vocabulary) >= vocabulary) return [];
  return [
    diagnostic('error', 'vocabulary', context, ['model', 0, 'input_dim'], `\`input_dim\` ${first.input_dim} is smaller than the vocabulary (${vocabulary} token ids): remove \`input_dim\` to infer it, or lower \`data.tokenizer.vocab_size\`.`),
  ];
}

function vocabularySize(context: Context): number {
  return findBuiltin(context.spec.data.source)?.vocabularySize ?? context.spec.data.tokenizer.vocab_size;
}

function shapeDiagnostic(context: Context, layers: readonly LayerSpec[], inference: Inference, issue: ShapeIssue): SpecDiagnostic {
  const at: KeyPath = ['model', issue.layer, 'type'];
  const label = layerLabel(layers, issue.layer);
  const { source } = context.spec.data;
  switch (issue.kind) {
    case 'embedding-not-first':
      return diagnostic('error', 'shape', context, at, `\`embedding\` must be the first layer (it turns token ids into vectors), but it is ${label}: move it to the top of \`model\`.`);
    case 'embedding-on-values':
      return diagnostic('error', 'shape', context, at, `\`${source}\` gives numeric values at each step, not token ids: remove this \`embedding\` layer; recurrent layers read the values directly.`);
    case 'needs-embedding':
      return diagnostic('error', 'shape', context, at, `\`${source}\` gives token ids: start \`model\` with an \`embedding\` layer (e.g. \`type: embedding\` with \`output_dim: 64\`) before ${label}.`, insertEmbedding(context));
    case 'needs-sequence': {
      const wants = layers[issue.layer]!.type === 'time_distributed' ? 'a sequence to apply its dense layer at every step' : 'a sequence (batch, timesteps, features)';
      if (issue.collapsedBy !== undefined) {
        const mapPath = recurrentMapPath(layers, issue.collapsedBy);
        return diagnostic(
          'error',
          'shape',
          context,
          at,
          `${capitalize(label)} needs ${wants}, but ${layerLabel(layers, issue.collapsedBy)} returns only its last state: set \`return_sequences: true\` on ${layerLabel(layers, issue.collapsedBy)}.`,
          setKeys(context, `Add \`return_sequences: true\` to layer ${issue.collapsedBy + 1}`, mapPath, { return_sequences: 'true' }),
        );
      }
      const received = issue.layer === 0 ? context.input.shape : inference.layers[issue.layer - 1]!.outputShape;
      return diagnostic('error', 'shape', context, at, `${capitalize(label)} needs ${wants}, but its input has shape ${formatShape(received)}: put recurrent layers before \`dense\` layers.`);
    }
  }
}

/** Inserts an embedding layer above the first layer of a block-style `model` list. */
function insertEmbedding(context: Context): QuickFix[] {
  const first = context.source.locate(['model', 0])?.value;
  const start = first?.range?.[0];
  const column = start === undefined ? 0 : context.source.position(start).character;
  if (start === undefined || column < 2 || context.source.text.slice(start - 2, start) !== '- ') return [];
  const indent = ' '.repeat(column);
  const position = context.source.position(start);
  return [{ title: 'Add an embedding layer', edits: [{ range: { start: position, end: position }, newText: `type: embedding\n${indent}output_dim: 64\n${indent.slice(2)}- ` }] }];
}

function checkOutput(context: Context, layers: readonly LayerSpec[], inference: Inference): SpecDiagnostic[] {
  const { task } = context.spec.data;
  const lastIndex = layers.length - 1;
  const last = layers[lastIndex]!;
  const outputShape = inference.layers[lastIndex]!.outputShape;
  if (task === 'next-token' && last.type !== 'time_distributed') {
    return [
      diagnostic('error', 'output', context, ['model', lastIndex, 'type'], `\`next-token\` predicts a token at every step: end \`model\` with a \`time_distributed\` \`dense\` layer (softmax, units = vocabulary size ${vocabularySize(context)}) after a recurrent layer with \`return_sequences: true\`.`),
    ];
  }
  if (task !== 'next-token' && outputShape.length === 3) {
    const sequenceLayer = lastSequenceLayer(layers);
    const path: KeyPath = sequenceLayer === undefined ? ['model', lastIndex, 'type'] : writtenOrType(context, recurrentMapPath(layers, sequenceLayer), 'return_sequences');
    const advice = sequenceLayer === undefined ? '' : `: remove \`return_sequences: true\` from ${layerLabel(layers, sequenceLayer)}`;
    const fixes = sequenceLayer === undefined ? [] : setKeys(context, `Set \`return_sequences: false\` on layer ${sequenceLayer + 1}`, recurrentMapPath(layers, sequenceLayer), { return_sequences: 'false' });
    return [diagnostic('error', 'output', context, path, `\`${task}\` needs one prediction per sequence, but the model outputs ${formatShape(outputShape)} (one per timestep)${advice}.`, fixes)];
  }
  const outputPath: KeyPath = last.type === 'time_distributed' ? ['model', lastIndex, 'layer'] : ['model', lastIndex];
  const dense: DenseLayerSpec | undefined = last.type === 'time_distributed' ? last.layer : last.type === 'dense' ? last : undefined;
  if (!dense) {
    return [diagnostic('error', 'output', context, ['model', lastIndex, 'type'], `The model must end with a \`dense\` output layer, not ${layerLabel(layers, lastIndex)}: add one (for \`${task}\`, ${outputAdvice(context)}).`)];
  }
  return checkLossOutput(context, dense, outputPath);
}

/** The last recurrent layer that returns sequences and is not followed by one that collapses them. */
function lastSequenceLayer(layers: readonly LayerSpec[]): number | undefined {
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index]!;
    const recurrent = layer.type === 'bidirectional' ? layer.layer : layer.type === 'simple_rnn' || layer.type === 'lstm' || layer.type === 'gru' ? layer : undefined;
    if (recurrent) return recurrent.return_sequences ? index : undefined;
  }
  return undefined;
}

interface OutputNeeds {
  units?: number;
  activation: DenseLayerSpec['activation'];
  why: string;
}

function outputNeeds(context: Context): OutputNeeds {
  const { loss } = context.spec.train;
  const { task, num_classes: numClasses, window } = context.spec.data;
  switch (loss) {
    case 'binary_crossentropy':
      return { units: 1, activation: 'sigmoid', why: '`binary_crossentropy` needs one `sigmoid` output unit' };
    case 'sparse_categorical_crossentropy':
    case 'categorical_crossentropy': {
      const classes = task === 'binary' ? 2 : task === 'next-token' ? vocabularySize(context) : numClasses;
      const count = classes === undefined ? 'one unit per class' : `${classes} units (${task === 'next-token' ? 'the vocabulary size' : 'one per class'})`;
      return { ...(classes !== undefined ? { units: classes } : {}), activation: 'softmax', why: `\`${loss}\` needs a \`softmax\` output with ${count}` };
    }
    case 'mse':
    case 'mae': {
      const units = task === 'forecast' ? window.horizon : 1;
      const count = task === 'forecast' ? `${units} unit${units === 1 ? '' : 's'} (the \`horizon\`)` : '1 unit';
      return { units, activation: 'linear', why: `\`${loss}\` on \`${task}\` needs a \`linear\` output with ${count}` };
    }
  }
}

function outputAdvice(context: Context): string {
  const needs = outputNeeds(context);
  return `\`units: ${needs.units ?? 'number of classes'}\` and \`activation: ${needs.activation}\``;
}

function checkLossOutput(context: Context, dense: DenseLayerSpec, outputPath: KeyPath): SpecDiagnostic[] {
  const { loss } = context.spec.train;
  const { task } = context.spec.data;
  if (!ALLOWED_LOSSES[task].includes(loss)) return [];
  const needs = outputNeeds(context);
  const wrongUnits = needs.units !== undefined && dense.units !== needs.units;
  const wrongActivation = dense.activation !== needs.activation;
  if (!wrongUnits && !wrongActivation) return [];
  const changes: Record<string, string> = {};
  if (wrongUnits) changes.units = String(needs.units);
  if (wrongActivation) changes.activation = needs.activation;
  const settings = Object.entries(changes).map(([key, value]) => `\`${key}: ${value}\``).join(' and ');
  const fixes = setKeys(context, `Set ${settings.replace(/`/g, '')} on the output layer`, outputPath, changes);
  const compatibleLoss = lossForOutput(task, dense);
  if (compatibleLoss && compatibleLoss !== loss && typeof context.raw.train?.loss === 'string') {
    fixes.push(replaceValue(context, ['train', 'loss'], `Change loss to \`${compatibleLoss}\``, compatibleLoss));
  }
  const path = writtenOrType(context, outputPath, wrongActivation ? 'activation' : 'units');
  return [diagnostic('error', 'loss-output', context, path, `${needs.why}, but the output layer has ${describeOutput(dense)}: set ${settings}.`, fixes)];
}

function describeOutput(dense: DenseLayerSpec): string {
  return `\`units: ${dense.units}\` and \`activation: ${dense.activation}\``;
}

/** The loss that already fits an output layer, offered as the alternative fix. */
function lossForOutput(task: Task, dense: DenseLayerSpec): LossName | undefined {
  if (task === 'binary' && dense.activation === 'softmax' && dense.units === 2) return 'sparse_categorical_crossentropy';
  if (task === 'binary' && dense.activation === 'sigmoid' && dense.units === 1) return 'binary_crossentropy';
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
