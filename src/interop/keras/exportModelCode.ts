/**
 * The model and training part of an exported Keras script: `keras.Sequential([...])` with the
 * spec's layers under the names Sequence Lab's summary gives them, `compile` with the optimizer,
 * loss and metrics, and `fit` with the training settings. Where Keras differs from what Sequence
 * Lab (TensorFlow.js) does, a comment says how.
 */
import type { LayerSpec, ModelSpec, ModelSummary, RecurrentLayerSpec, TrainSpec } from '../../language/types';
import { KERAS_CLASS, type ModelInput } from '../../language/summary';
import { kerasLayerNames } from '../../model/layerNames';
import { classWeightLines, earlyStoppingCall, kerasMetrics, kerasMonitor, type MonitorContext } from './exportMetrics';
import { call, code, comment, py, type PyLiteral } from './pythonSource';

/** `model = keras.Sequential([...])`, its summary, and a check of every layer's parameter count. */
export function modelSection(spec: ModelSpec, summary: ModelSummary, input: ModelInput): string {
  const names = kerasLayerNames(spec.model);
  const lines: string[] = ['model = keras.Sequential(', '    ['];
  lines.push(`        ${inputCall(input)},`);
  spec.model.forEach((layer, index) => {
    for (const note of layerNotes(layer)) lines.push(comment(note, '        '));
    lines.push(`        ${layerCall(layer, names[index]!.name, names[index]!.inner, '        ')},`);
  });
  lines.push('    ],', `    name=${py(pythonName(spec.name))},`, ')');
  const expected = `{${summary.layers.map((layer, index) => `${py(layer.name)}: ${expectedParams(spec.model[index]!, layer.params)}`).join(', ')}}`;
  const total = spec.model.some(sizedByData) ? 'plus the embedding' : `${summary.totalParams.toLocaleString('en-US')} in total`;
  lines.push(
    '',
    comment("Sequence Lab's summary of this spec: Keras' model.summary() below must show the same layers and parameter counts."),
    `EXPECTED_PARAMS = ${expected}  # ${total}`,
    'model.summary()',
    'for layer in model.layers:',
    '    if layer.count_params() != EXPECTED_PARAMS.get(layer.name):',
    '        print(f"Note: {layer.name} has {layer.count_params():,} parameters here, {EXPECTED_PARAMS.get(layer.name)} in Sequence Lab.")',
  );
  return lines.join('\n');
}

/** An embedding sized by the data has `VOCAB_SIZE * output_dim` parameters, known once the data is read. */
function sizedByData(layer: LayerSpec): boolean {
  return layer.type === 'embedding' && layer.input_dim === undefined;
}

function expectedParams(layer: LayerSpec, params: number): string {
  return layer.type === 'embedding' && sizedByData(layer) ? `VOCAB_SIZE * ${layer.output_dim}` : String(params);
}

function inputCall(input: ModelInput): string {
  const [, timesteps, features] = input.shape;
  const shape: PyLiteral[] = input.kind === 'tokens' ? [timesteps ?? null] : [timesteps ?? null, features ?? 1];
  return call('keras.Input', [], { shape: code(py(shape, true)), ...(input.kind === 'tokens' ? { dtype: 'int32' } : {}) });
}

/** Keras names Sequence Lab uses: `imdb-sentiment` is not a valid Keras model name. */
function pythonName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]+/g, '_').replace(/^[^A-Za-z]+/, '') || 'model';
}

function layerCall(layer: LayerSpec, name: string, inner: string | undefined, indent: string): string {
  switch (layer.type) {
    case 'embedding':
      // Without `input_dim` the embedding takes every token id the data gives (VOCAB_SIZE, set with the data).
      return call('layers.Embedding', [layer.input_dim ?? code('VOCAB_SIZE'), layer.output_dim], { mask_zero: layer.mask_zero || undefined, name }, indent);
    case 'simple_rnn':
    case 'lstm':
    case 'gru':
      return recurrentCall(layer, name, indent);
    case 'bidirectional':
      return call('layers.Bidirectional', [code(recurrentCall(layer.layer, inner ?? layer.layer.type, `${indent}    `))], { merge_mode: layer.merge_mode === 'concat' ? undefined : layer.merge_mode, name }, indent);
    case 'dense':
      return call('layers.Dense', [layer.units], { activation: layer.activation === 'linear' ? undefined : layer.activation, name }, indent);
    case 'dropout':
      return call('layers.Dropout', [layer.rate], { name }, indent);
    case 'time_distributed':
      return call(
        'layers.TimeDistributed',
        [code(call('layers.Dense', [layer.layer.units], { activation: layer.layer.activation === 'linear' ? undefined : layer.layer.activation, name: inner }, `${indent}    `))],
        { name },
        indent,
      );
  }
}

/** Only the settings that differ from Keras' defaults, as a person writes them. */
function recurrentCall(layer: RecurrentLayerSpec, name: string, indent: string): string {
  const gated = layer.type !== 'simple_rnn';
  return call(`layers.${KERAS_CLASS[layer.type]}`, [layer.units], {
    activation: layer.activation === 'tanh' ? undefined : layer.activation,
    recurrent_activation: gated && layer.recurrent_activation !== 'sigmoid' ? layer.recurrent_activation : undefined,
    return_sequences: layer.return_sequences || undefined,
    dropout: layer.dropout || undefined,
    recurrent_dropout: layer.recurrent_dropout || undefined,
    go_backwards: layer.go_backwards || undefined,
    unit_forget_bias: layer.type === 'lstm' && !layer.unit_forget_bias ? false : undefined,
    reset_after: layer.type === 'gru' ? resetAfter(layer) : undefined,
    name,
  }, indent);
}

/** Sequence Lab's GRU is reset_after=False unless the spec says otherwise (a field not every version has). */
function resetAfter(layer: RecurrentLayerSpec): boolean {
  return (layer as RecurrentLayerSpec & { reset_after?: boolean }).reset_after ?? false;
}

function layerNotes(layer: LayerSpec): string[] {
  const recurrent = layer.type === 'bidirectional' ? layer.layer : layer.type === 'simple_rnn' || layer.type === 'lstm' || layer.type === 'gru' ? layer : undefined;
  const notes: string[] = [];
  if (recurrent?.type === 'gru' && !resetAfter(recurrent)) {
    notes.push("reset_after=False: Sequence Lab's GRU (TensorFlow.js) applies the reset gate before the recurrent matmul; Keras' default (True) adds a second bias, 3 x units more parameters.");
  }
  const activations = [layer.type === 'dense' ? layer.activation : undefined, layer.type === 'time_distributed' ? layer.layer.activation : undefined, recurrent?.activation, recurrent && recurrent.type !== 'simple_rnn' ? recurrent.recurrent_activation : undefined];
  if (activations.includes('hard_sigmoid')) {
    notes.push("Differs: 'hard_sigmoid' is clip(0.2x + 0.5, 0, 1) in Sequence Lab and Keras 2, relu6(x + 3) / 6 in Keras 3.");
  }
  return notes;
}

/**
 * `model.compile(...)` with the spec's optimizer (and its parameters), loss and metrics, plus the
 * metric early stopping watches when the spec's monitor is one Keras only logs that way.
 */
export function compileSection(train: TrainSpec, context: MonitorContext): string {
  const { optimizer } = train;
  const clipnorm = train.clipnorm;
  const lines: string[] = [];
  let optimizerCall: string;
  switch (optimizer.name) {
    case 'adam':
      optimizerCall = call('keras.optimizers.Adam', [], {
        learning_rate: train.learning_rate,
        beta_1: unlessDefault(optimizer.beta_1, 0.9),
        beta_2: unlessDefault(optimizer.beta_2, 0.999),
        epsilon: unlessDefault(optimizer.epsilon, 1e-7),
        clipnorm,
      }, '    ');
      break;
    case 'rmsprop':
      lines.push(comment("Keras' RMSprop divides by sqrt(mean square) + epsilon, TensorFlow.js by sqrt(mean square + epsilon): nearly the same."));
      optimizerCall = call('keras.optimizers.RMSprop', [], {
        learning_rate: train.learning_rate,
        rho: unlessDefault(optimizer.rho, 0.9),
        momentum: unlessDefault(optimizer.momentum, 0),
        epsilon: unlessDefault(optimizer.epsilon, 1e-7),
        clipnorm,
      }, '    ');
      break;
    case 'sgd':
      optimizerCall = call('keras.optimizers.SGD', [], { learning_rate: train.learning_rate, momentum: unlessDefault(optimizer.momentum, 0), clipnorm }, '    ');
      break;
  }
  const metrics = kerasMetrics(train.metrics, context.task, kerasMonitor(train, context)?.needs);
  for (const note of metrics.notes) lines.push(comment(note));
  lines.push(
    'model.compile(',
    `    optimizer=${optimizerCall},`,
    `    loss=${py(train.loss)},`,
    `    metrics=[${metrics.metrics.join(', ')}],`,
    ')',
  );
  return lines.join('\n');
}

/** Keras' optimizer defaults are left out of the call, as a person writes it. */
function unlessDefault(value: number, kerasDefault: number): number | undefined {
  return value === kerasDefault ? undefined : value;
}

export interface FitContext extends MonitorContext {
  hasValidation: boolean;
  /** Python expression of the training labels as written (for class weights given by label name). */
  trainLabels?: string;
}

/** `model.fit(...)` on the prepared arrays with the spec's batch size, epochs, class weights and early stopping. */
export function fitSection(train: TrainSpec, context: FitContext): string {
  const lines = classWeightLines(train, context.task, context.trainLabels);
  const callbacks: string[] = [];
  const monitor = kerasMonitor(train, context);
  if (monitor) {
    for (const note of monitor.notes) lines.push(comment(note));
    callbacks.push(earlyStoppingCall(train, monitor, '        '));
  }
  if (train.shuffle) lines.push(comment("Keras draws its own batch order each epoch (seeded by SEED above), not Sequence Lab's."));
  lines.push(
    'history = model.fit(',
    '    x_train,',
    '    y_train,',
    `    batch_size=${train.batch_size},`,
    `    epochs=${train.epochs},`,
    ...(context.hasValidation ? ['    validation_data=(x_val, y_val),'] : []),
    `    shuffle=${py(train.shuffle)},`,
    ...(train.class_weight !== undefined ? ['    class_weight=class_weight,'] : []),
    ...(callbacks.length > 0 ? ['    callbacks=[', ...callbacks.map((callback) => `        ${callback},`), '    ],'] : []),
    ')',
  );
  return lines.join('\n');
}
