/** Does the spec make sense for its data: source and task, loss and metrics, probes, early stopping. */
import { BUILTIN_GENERATORS, findBuiltin } from '../data/builtinCatalog';
import { DEFAULT_LOSS } from './resolve';
import { ALLOWED_LOSSES, diagnostic, replaceValue, type Context } from './semanticContext';
import { closest } from './suggest';
import type { MetricName, SpecDiagnostic, Task } from './types';
import { removeListItem, type KeyPath } from './yamlSource';

/** The metrics each task computes; the first is offered when a listed one does not fit. */
const TASK_METRICS: Record<Task, readonly MetricName[]> = {
  binary: ['accuracy', 'precision', 'recall', 'f1_score', 'auc'],
  multiclass: ['accuracy', 'f1_score'],
  'next-token': ['accuracy'],
  regression: ['mae', 'mse'],
  forecast: ['mae', 'mse'],
};

/** Metrics every regression and forecast run reports besides `train.metrics`, in the data's units. */
const DATA_UNIT_METRICS = ['data_mae', 'data_rmse'];

function metricMismatch(metric: MetricName, task: Task): string {
  if (metric === 'mae' || metric === 'mse') return `\`${metric}\` measures numeric error, but \`${task}\` predicts classes`;
  if (task === 'regression' || task === 'forecast') return `\`${metric}\` counts correct classes, but \`${task}\` predicts numbers`;
  return `\`${metric}\` is defined for ${metric === 'f1_score' ? 'binary and multiclass classification' : 'binary classification'}, not \`${task}\``;
}

export function checkSource(context: Context): SpecDiagnostic[] {
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
  for (const key of ['imdb_path', 'imdb_preprocessing'] as const) {
    if (data.source !== 'imdb' && wrote[key] !== undefined) {
      diagnostics.push(diagnostic('warning', 'ignored', context, ['data', key], `\`${key}\` only applies to \`source: imdb\`; it is ignored for \`${data.source}\`.`));
    }
  }
  if (data.source === 'imdb' && data.imdb_preprocessing === 'keras') {
    const tokenizer = typeof wrote.tokenizer === 'object' && wrote.tokenizer !== null ? (wrote.tokenizer as Record<string, unknown>) : {};
    for (const key of Object.keys(tokenizer).filter((name) => name !== 'vocab_size')) {
      diagnostics.push(diagnostic('warning', 'ignored', context, ['data', 'tokenizer', key], `With \`imdb_preprocessing: keras\` reviews are split as Keras' IMDB arrays were (lowercase, \`<br />\` kept as "br"); only \`tokenizer.vocab_size\` (Keras' \`num_words\`) applies, so \`${key}\` is ignored.`));
    }
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

export function checkTrainingChoices(context: Context): SpecDiagnostic[] {
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
  const fitting = TASK_METRICS[task];
  metrics.forEach((metric, index) => {
    if (fitting.includes(metric)) return;
    const why = metricMismatch(metric, task);
    // Another fitting metric already listed: the stray one should go, not become a duplicate.
    const replacement = fitting.some((candidate) => metrics.includes(candidate)) ? undefined : fitting[0];
    const path: KeyPath = ['train', 'metrics', index];
    const removal = removeListItem(context.source, ['train', 'metrics'], index);
    const fix = replacement ? replaceValue(context, path, `Change metric to \`${replacement}\``, replacement) : removal && { title: `Remove \`${metric}\``, edits: [removal] };
    const advice = replacement ? `use \`${replacement}\`` : 'remove it';
    diagnostics.push(diagnostic('error', 'metric-task', context, path, `${why}: ${advice}.`, fix ? [fix] : undefined));
  });
  diagnostics.push(...checkEarlyStopping(context), ...checkClassWeight(context));
  return diagnostics;
}

/**
 * Early stopping can only watch the loss or a metric the run computes. (A `val_` quantity also
 * needs validation examples: the trainer refuses a split that rounds to none, once it is known.)
 */
function checkEarlyStopping(context: Context): SpecDiagnostic[] {
  const { early_stopping: earlyStopping, metrics } = context.spec.train;
  const { task } = context.spec.data;
  if (!earlyStopping) return [];
  const path: KeyPath = ['train', 'early_stopping', 'monitor'];
  const watched = earlyStopping.monitor.replace(/^val_/, '');
  const dataUnits = (task === 'regression' || task === 'forecast') && DATA_UNIT_METRICS.includes(watched);
  if (watched === 'loss' || metrics.includes(watched as MetricName) || dataUnits) return [];
  const why = DATA_UNIT_METRICS.includes(watched) ? `\`${watched}\` is reported for regression and forecast only` : `\`${watched}\` is not in \`train.metrics\`: add it there, or monitor \`val_loss\``;
  return [
    diagnostic('error', 'early-stopping', context, path, `\`${earlyStopping.monitor}\` is never computed because ${why}.`, [
      replaceValue(context, path, 'Monitor `val_loss`', 'val_loss'),
    ]),
  ];
}

/** Keras `class_weight` weighs classes: only classification with one label per example has them. */
function checkClassWeight(context: Context): SpecDiagnostic[] {
  const { task } = context.spec.data;
  if (context.raw.train?.class_weight === undefined || task === 'binary' || task === 'multiclass') return [];
  return [diagnostic('error', 'class-weight', context, ['train', 'class_weight'], `\`class_weight\` weighs the classes of binary and multiclass labels; \`${task}\` has none: remove it.`)];
}

export function checkProbes(context: Context): SpecDiagnostic[] {
  if (context.input.kind !== 'values') return [];
  const probes = context.raw.inspect?.probes;
  // Half-typed text may hold anything here; the schema reports a `probes:` that is not a list.
  if (!Array.isArray(probes)) return [];
  return probes.flatMap((probe, index) =>
    probe !== null && typeof probe === 'object' && 'text' in probe
      ? [diagnostic('error', 'probe', context, ['inspect', 'probes', index, 'text'], `\`${context.spec.data.source}\` gives numeric sequences, so a text probe cannot be tokenized: probe a validation example with \`{index: n}\` instead.`)]
      : [],
  );
}
