/**
 * The training side of an import: `compile(...)` (or Keras 3's `compile_config`), `fit(...)` and
 * the data preparation calls beside a Python model (`Tokenizer`, `pad_sequences`,
 * `imdb.load_data`) -> the spec's `train` and `data` settings. Keras defaults per the signatures
 * of `keras.optimizers.*`, `Model.fit`, `callbacks.EarlyStopping` and the legacy
 * `keras.preprocessing.text.Tokenizer`.
 */
import { describeValue, isKerasObject, type ImportIssue, type KerasObject, type KerasValue } from './kerasModel';
import { KerasSettings } from './kerasSettings';
import type { SectionEntries } from './specWriter';
import { dataHasField, trainChoices, trainFieldKeys, trainHasField } from './specVocabulary';

export interface TrainingContext {
  issues: ImportIssue[];
  data: SectionEntries;
  train: SectionEntries;
}

/** Names people pass to `compile` -> the spec's loss names. */
const LOSS_ALIASES: Record<string, string> = {
  mean_squared_error: 'mse',
  mean_absolute_error: 'mae',
  meansquarederror: 'mse',
  meanabsoluteerror: 'mae',
  binarycrossentropy: 'binary_crossentropy',
  categoricalcrossentropy: 'categorical_crossentropy',
  sparsecategoricalcrossentropy: 'sparse_categorical_crossentropy',
};

const METRIC_ALIASES: Record<string, string> = {
  acc: 'accuracy',
  binary_accuracy: 'accuracy',
  binaryaccuracy: 'accuracy',
  categorical_accuracy: 'accuracy',
  categoricalaccuracy: 'accuracy',
  sparse_categorical_accuracy: 'accuracy',
  sparsecategoricalaccuracy: 'accuracy',
  mean_absolute_error: 'mae',
  meanabsoluteerror: 'mae',
  mean_squared_error: 'mse',
  meansquarederror: 'mse',
};

/** `compile(optimizer=..., loss=..., metrics=[...])`. */
export function mapCompile(compile: KerasObject, context: TrainingContext): void {
  const settings = new KerasSettings(compile, context.issues, 'compile()');
  const optimizer = settings.value('optimizer');
  if (optimizer !== undefined && optimizer !== null) mapOptimizer(optimizer, settings, context);
  const loss = settings.value('loss');
  if (loss !== undefined && loss !== null) mapLoss(loss, settings, context);
  const metrics = settings.value('metrics');
  if (Array.isArray(metrics)) mapMetrics(metrics.flat(), settings, context);
  settings.requireDefault('loss_weights', () => false, 'warning', 'the spec has one output and one loss.');
  settings.requireDefault('weighted_metrics', () => false, 'warning', 'the spec weighs every example alike in its metrics.');
  settings.ignore('run_eagerly', 'steps_per_execution', 'jit_compile', 'auto_scale_loss', 'sample_weight_mode', 'target_tensors');
  settings.finish();
}

function mapOptimizer(value: KerasValue, compileSettings: KerasSettings, context: TrainingContext): void {
  const choices = trainChoices('optimizer');
  const className = typeof value === 'string' ? value : isKerasObject(value) ? value.className : undefined;
  const name = className?.toLowerCase().replace(/^custom>/, '');
  if (!name || !choices.includes(name)) {
    compileSettings.report('warning', 'optimizer', `is ${describeValue(value)}; the spec's optimizers are ${choices.join(', ')}, so it uses adam.`);
    return;
  }
  if (!isKerasObject(value)) {
    context.train.set('optimizer', name, 'from compile()');
    return;
  }
  const settings = new KerasSettings(value, context.issues, `${value.className} optimizer`);
  const optimizerKeys = trainFieldKeys('optimizer');
  const parameters = (OPTIMIZER_PARAMETERS[name] ?? []).flatMap((key): [string, number][] => {
    const parameter = settings.value(key);
    if (typeof parameter !== 'number' || !optimizerKeys.includes(key)) return [];
    const written = float32Decimal(parameter);
    return written !== KERAS_OPTIMIZER_DEFAULTS[name]?.[key] ? [[key, written]] : [];
  });
  if (parameters.length === 0) context.train.set('optimizer', name, 'from compile()');
  else {
    context.train.set('optimizer.name', name, 'from compile()');
    for (const [key, parameter] of parameters) context.train.set(`optimizer.${key}`, parameter);
  }
  const rate = settings.value('learning_rate') ?? settings.value('lr');
  if (typeof rate === 'number') {
    if (float32Decimal(rate) !== KERAS_OPTIMIZER_DEFAULTS[name]?.learning_rate) context.train.set('learning_rate', float32Decimal(rate));
  } else if (rate !== undefined && rate !== null) {
    settings.report('warning', 'learning_rate', `is ${describeValue(rate)}; the spec has a constant learning rate (the optimizer's default is used).`);
  }
  const clipnorm = settings.value('clipnorm');
  if (typeof clipnorm === 'number' && trainHasField('clipnorm')) context.train.set('clipnorm', float32Decimal(clipnorm));
  settings.requireDefault('global_clipnorm', () => false, 'warning', 'the spec clips each gradient on its own (`train.clipnorm`).');
  settings.requireDefault('clipvalue', () => false, 'warning', 'the spec clips by norm only (`train.clipnorm`).');
  settings.requireDefault('amsgrad', (v) => v === false, 'warning', 'the spec uses plain Adam.');
  settings.requireDefault('nesterov', (v) => v === false, 'warning', 'the spec uses plain momentum.');
  settings.requireDefault('centered', (v) => v === false, 'warning', 'the spec uses plain RMSprop.');
  settings.requireDefault('weight_decay', (v) => v === 0, 'warning', 'the spec has no weight decay.');
  settings.requireDefault('decay', (v) => v === 0, 'warning', 'the spec has a constant learning rate.');
  settings.requireDefault('use_ema', (v) => v === false, 'warning', 'the spec trains without a moving average of the weights.');
  settings.ignore('ema_momentum', 'ema_overwrite_frequency', 'loss_scale_factor', 'gradient_accumulation_steps', 'jit_compile', 'is_legacy_optimizer');
  settings.finish();
}

/** The parameters each optimizer of the spec takes. */
const OPTIMIZER_PARAMETERS: Record<string, string[]> = { adam: ['beta_1', 'beta_2', 'epsilon'], rmsprop: ['rho', 'momentum', 'epsilon'], sgd: ['momentum'] };

/** Keras' optimizer defaults: a parameter equal to one is left out of the spec. */
const KERAS_OPTIMIZER_DEFAULTS: Record<string, Record<string, number>> = {
  adam: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
  rmsprop: { learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7 },
  sgd: { learning_rate: 0.01, momentum: 0 },
};

function mapLoss(value: KerasValue, settings: KerasSettings, context: TrainingContext): void {
  const choices = trainChoices('loss');
  const raw = typeof value === 'string' ? value : isKerasObject(value) ? value.className : undefined;
  const key = raw?.toLowerCase();
  const name = key === undefined ? undefined : (LOSS_ALIASES[key] ?? LOSS_ALIASES[key.replace(/_/g, '')] ?? key);
  if (!name || !choices.includes(name)) {
    settings.report('error', 'loss', `is ${describeValue(value)}; the spec's losses are ${choices.join(', ')}. The spec keeps the task's default loss.`);
    return;
  }
  context.train.set('loss', name, 'from compile()');
  if (!isKerasObject(value)) return;
  const loss = new KerasSettings(value, context.issues, `${value.className} loss`);
  loss.requireDefault('from_logits', (v) => v === false, 'error', 'the spec\'s losses take probabilities: end the model with a sigmoid or softmax layer.');
  loss.requireDefault('label_smoothing', (v) => v === 0, 'warning', 'the spec trains on the labels as they are.');
  loss.ignore('reduction', 'axis', 'ignore_class', 'fn');
  loss.finish();
}

function mapMetrics(values: KerasValue[], settings: KerasSettings, context: TrainingContext): void {
  const choices = trainChoices('metrics');
  const names: string[] = [];
  for (const value of values) {
    const raw = typeof value === 'string' ? value : isKerasObject(value) ? value.className : undefined;
    const key = raw?.toLowerCase();
    const name = key === undefined ? undefined : (METRIC_ALIASES[key] ?? (choices.includes(key) ? key : choices.find((choice) => choice.replace(/_/g, '') === key.replace(/_/g, ''))));
    if (name && choices.includes(name)) {
      if (!names.includes(name)) names.push(name);
    } else {
      settings.report('warning', 'metrics', `include ${describeValue(value)}, which the spec does not have (it has ${choices.join(', ')}); left out.`);
    }
  }
  if (names.length > 0) context.train.set('metrics', names, 'from compile()');
}

/** `fit(x, y, epochs=..., batch_size=..., validation_split=..., callbacks=[EarlyStopping(...)])`. */
export function mapFit(fit: KerasObject, context: TrainingContext): void {
  const settings = new KerasSettings(fit, context.issues, 'fit()');
  const epochs = settings.value('epochs');
  if (typeof epochs === 'number') context.train.set('epochs', epochs, 'from fit()');
  const batchSize = settings.value('batch_size');
  if (typeof batchSize === 'number') context.train.set('batch_size', batchSize, 'from fit()');
  const split = settings.value('validation_split');
  if (typeof split === 'number' && split > 0) context.data.set('validation', split, 'from fit(validation_split=...)');
  if (settings.has('validation_data')) {
    settings.ignore('validation_data');
    context.data.suggest('validation.source', 'test.csv', 'fit() validates on validation_data: point this at that data');
  }
  const shuffle = settings.value('shuffle');
  if (shuffle === false) context.train.set('shuffle', false, 'from fit()');
  const classWeight = settings.value('class_weight');
  if (classWeight !== undefined && classWeight !== null) {
    settings.report('warning', 'class_weight', trainHasField('class_weight') ? 'was not carried over: set `train.class_weight` by hand.' : 'is not supported by the spec; the classes weigh alike.');
  }
  const callbacks = settings.value('callbacks');
  if (Array.isArray(callbacks)) for (const callback of callbacks) mapCallback(callback, settings, context);
  settings.requireDefault('steps_per_epoch', () => false, 'warning', 'every epoch goes through all the training data.');
  settings.requireDefault('initial_epoch', (v) => v === 0, 'warning', 'training starts at epoch 1.');
  settings.requireDefault('sample_weight', () => false, 'warning', 'the spec weighs every example alike.');
  settings.ignore('x', 'y', 'verbose', 'validation_steps', 'validation_batch_size', 'validation_freq', 'max_queue_size', 'workers', 'use_multiprocessing');
  settings.finish();
}

function mapCallback(callback: KerasValue, fitSettings: KerasSettings, context: TrainingContext): void {
  if (!isKerasObject(callback) || callback.className !== 'EarlyStopping') {
    fitSettings.report('warning', 'callbacks', `include ${describeValue(callback)}; only EarlyStopping has a spec equivalent, the others were left out.`);
    return;
  }
  const settings = new KerasSettings(callback, context.issues, 'EarlyStopping');
  const fields = trainFieldKeys('early_stopping');
  const monitor = settings.text('monitor') ?? 'val_loss';
  context.train.set('early_stopping.monitor', monitor, 'from the EarlyStopping callback');
  context.train.set('early_stopping.patience', settings.number('patience', 0));
  const minDelta = settings.number('min_delta', 0);
  if (minDelta !== 0) context.train.set('early_stopping.min_delta', minDelta);
  const restore = settings.boolean('restore_best_weights', false);
  if (restore) {
    if (fields.includes('restore_best_weights')) context.train.set('early_stopping.restore_best_weights', true);
    else settings.report('warning', 'restore_best_weights', 'is not supported by the spec; it keeps the last epoch\'s weights.');
  }
  settings.requireDefault('baseline', () => false, 'warning', 'the spec stops on patience alone.');
  settings.requireDefault('start_from_epoch', (v) => v === 0, 'warning', 'the spec watches from the first epoch.');
  settings.ignore('verbose', 'mode');
  settings.finish();
}

/** `Tokenizer(...)`, `pad_sequences(...)` and `imdb.load_data(...)` calls beside a Python model. */
export function mapPreprocessing(calls: readonly KerasObject[], context: TrainingContext): void {
  for (const call of calls) {
    if (call.className === 'Tokenizer') mapTokenizer(call, context);
    else if (call.className === 'pad_sequences') mapPadSequences(call, context);
    else if (call.className === 'imdb.load_data') mapImdbLoad(call, context);
  }
}

function mapTokenizer(call: KerasObject, context: TrainingContext): void {
  const settings = new KerasSettings(call, context.issues, 'Tokenizer');
  const numWords = settings.value('num_words');
  if (typeof numWords === 'number') context.data.set('tokenizer.vocab_size', numWords, 'from Tokenizer(num_words=...)');
  const oov = settings.value('oov_token');
  if (typeof oov === 'string') context.data.set('tokenizer.oov_token', oov, 'from Tokenizer(oov_token=...)');
  else {
    settings.report(
      'info',
      undefined,
      'has no oov_token, so Keras drops unknown words; Sequence Lab maps them to id 1 (the OOV token), which keeps one word fewer in a vocabulary of the same size.',
    );
  }
  if (settings.boolean('lower', true) === false) context.data.set('tokenizer.lowercase', false, 'from Tokenizer(lower=False)');
  if (settings.boolean('char_level', false)) context.data.set('tokenizer.level', 'char', 'from Tokenizer(char_level=True)');
  if (dataHasField('tokenizer', 'strip_html')) {
    context.data.set('tokenizer.strip_html', false, "Keras' Tokenizer keeps the words inside HTML tags (e.g. 'br')");
  }
  settings.requireDefault('filters', (v) => v === '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n', 'warning', "the spec splits on Keras' default filters.");
  settings.requireDefault('split', (v) => v === ' ', 'warning', 'the spec splits words on spaces.');
  settings.ignore('document_count', 'analyzer');
  settings.finish();
}

function mapPadSequences(call: KerasObject, context: TrainingContext): void {
  const settings = new KerasSettings(call, context.issues, 'pad_sequences');
  const maxlen = settings.value('maxlen');
  const entries: [string, KerasValue | undefined][] = [
    ['max_len', maxlen],
    ['padding', settings.value('padding')],
    ['truncating', settings.value('truncating')],
  ];
  for (const [key, value] of entries) {
    if (value === undefined || value === null) continue;
    const previous = context.data.value(key);
    if (previous !== undefined && previous !== value) {
      settings.report('warning', key === 'max_len' ? 'maxlen' : key, `is ${describeValue(value)} here but ${describeValue(previous as KerasValue)} in an earlier pad_sequences call; the spec uses the first.`);
      continue;
    }
    if (typeof value === 'number' || typeof value === 'string') context.data.set(key, value, `from pad_sequences(${key === 'max_len' ? 'maxlen' : key}=...)`);
  }
  settings.requireDefault('value', (v) => v === 0, 'warning', 'the spec pads with id 0.');
  settings.ignore('sequences', 'dtype');
  settings.finish();
}

function mapImdbLoad(call: KerasObject, context: TrainingContext): void {
  const settings = new KerasSettings(call, context.issues, 'imdb.load_data');
  context.data.set('source', 'imdb', 'from keras.datasets.imdb.load_data()');
  context.data.set('imdb_preprocessing', 'keras', "the very arrays of imdb.load_data, rebuilt from the reviews");
  context.data.set('validation.source', 'test', 'the official test split, as load_data() returns it');
  const numWords = settings.value('num_words');
  if (typeof numWords === 'number') context.data.set('tokenizer.vocab_size', numWords, 'from imdb.load_data(num_words=...)');
  settings.requireDefault('maxlen', () => false, 'warning', 'the spec keeps every review and truncates them to `data.max_len`.');
  settings.requireDefault('skip_top', (v) => v === 0, 'warning', 'the spec keeps the most frequent words.');
  settings.requireDefault('start_char', (v) => v === 1, 'warning', "the spec uses Keras' default ids (start 1, OOV 2, words from 4).");
  settings.requireDefault('oov_char', (v) => v === 2, 'warning', "the spec uses Keras' default ids (start 1, OOV 2, words from 4).");
  settings.requireDefault('index_from', (v) => v === 3, 'warning', "the spec uses Keras' default ids (start 1, OOV 2, words from 4).");
  settings.ignore('path', 'seed');
  settings.finish();
}

/**
 * Keras 3 stores float32 hyperparameters as their float64 expansion (0.0010000000474974513):
 * the shortest decimal that rounds to the same float32 is what the person wrote (0.001).
 */
export function float32Decimal(value: number): number {
  if (Math.fround(value) !== value) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
