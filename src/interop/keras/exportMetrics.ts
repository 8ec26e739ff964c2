/**
 * The spec's metrics, early-stopping monitor and class weights as a Keras script writes them, so
 * that every quantity `fit` is told to watch is one Keras logs: Keras' string names cover only
 * `accuracy`, `mae`, `mse`; precision, recall, AUC and F1 are metric objects named after the spec's
 * metric; metrics in the data's units (`data_mae`, `data_rmse`) are Keras' scaled ones times the
 * target scale, so early stopping watches the scaled metric with `min_delta` divided by the scale.
 */
import type { MetricName, Task, TrainSpec } from '../../language/types';
import { call, code, comment, py } from './pythonSource';

export interface KerasMetrics {
  /** Python expressions for `compile(metrics=[...])`. */
  metrics: string[];
  /** Comments on metrics Keras cannot compute like Sequence Lab. */
  notes: string[];
}

/** `targetScale`: Python expression of the targets' scale (see DataSection), absent when unscaled. */
export interface MonitorContext {
  task: Task;
  targetScale?: string;
}

/** Keras metric objects for a spec's metrics; `extra` adds the ones early stopping needs. */
export function kerasMetrics(names: readonly MetricName[], task: Task, extra: readonly string[] = []): KerasMetrics {
  const metrics: string[] = [];
  const notes: string[] = [];
  for (const name of names) {
    const metric = kerasMetric(name, task);
    if (metric) metrics.push(metric);
    else notes.push(`train.metrics: ${name} is left out here: Keras' F1Score needs one-hot labels, and these are class ids.`);
  }
  for (const name of extra) if (!metrics.includes(name)) metrics.push(name);
  return { metrics, notes };
}

/** A Keras metric that logs under the spec's name, or undefined when Keras cannot compute it on these targets. */
function kerasMetric(name: MetricName, task: Task): string | undefined {
  switch (name) {
    case 'accuracy':
    case 'mae':
    case 'mse':
      return py(name);
    case 'precision':
      return call('keras.metrics.Precision', [], { name });
    case 'recall':
      return call('keras.metrics.Recall', [], { name });
    case 'auc':
      return call('keras.metrics.AUC', [], { name });
    case 'f1_score':
      // Binary: one sigmoid column, so the micro average is the positive class's F1 (Sequence Lab's).
      return task === 'binary' ? call('keras.metrics.F1Score', [], { average: 'micro', threshold: 0.5, name }) : undefined;
  }
}

export interface KerasMonitor {
  /** What EarlyStopping watches: a name Keras logs. */
  monitor: string;
  /** Python expression for `min_delta`, or undefined for Keras' default 0. */
  minDelta?: string;
  /** Metrics `compile` must add so that Keras logs `monitor`. */
  needs: string[];
  /** Comment lines explaining a mapping. */
  notes: string[];
}

/** The early-stopping monitor of `train` mapped to a quantity the script's Keras model logs. */
export function kerasMonitor(train: TrainSpec, context: MonitorContext): KerasMonitor | undefined {
  if (!train.early_stopping) return undefined;
  const { monitor, min_delta: minDelta } = train.early_stopping;
  const prefix = monitor.startsWith('val_') ? 'val_' : '';
  const watched = monitor.slice(prefix.length);
  const delta = minDelta ? String(minDelta) : undefined;
  if (watched === 'data_mae' || watched === 'data_rmse') {
    const kerasName = watched === 'data_mae' ? 'mae' : 'rmse';
    const metric = watched === 'data_mae' ? py('mae') : call('keras.metrics.RootMeanSquaredError', [], { name: 'rmse' });
    const scale = context.targetScale;
    return {
      monitor: `${prefix}${kerasName}`,
      ...(delta ? { minDelta: scale ? `${delta} / ${scale}` : delta } : {}),
      needs: [metric],
      notes: [
        `early_stopping.monitor: ${monitor} is Sequence Lab's ${kerasName.toUpperCase()} in the data's units; Keras logs ${prefix}${kerasName} on the ${scale ? 'scaled targets (the same value divided by the scale), so min_delta is divided by it too' : 'same targets'}.`,
      ],
    };
  }
  if (watched === 'f1_score' && context.task !== 'binary') {
    return { monitor: `${prefix}loss`, ...(delta ? { minDelta: delta } : {}), needs: [], notes: [`early_stopping.monitor: ${monitor} is not computed here (see the metrics above), so Keras watches ${prefix}loss instead.`] };
  }
  return { monitor, ...(delta ? { minDelta: delta } : {}), needs: [], notes: [] };
}

/** `EarlyStopping(...)` with every field of `train.early_stopping` (Keras names, Keras defaults left out). */
export function earlyStoppingCall(train: TrainSpec, monitor: KerasMonitor, indent: string): string {
  const { patience, restore_best_weights: restore } = train.early_stopping!;
  return call('keras.callbacks.EarlyStopping', [], { monitor: monitor.monitor, patience, min_delta: monitor.minDelta ? code(monitor.minDelta) : undefined, restore_best_weights: restore || undefined }, indent);
}

/**
 * Lines defining `class_weight` for `fit` from `train.class_weight`: `balanced` computed from the
 * training targets as src/training/classWeights.ts does (n / (classes x n_c), scikit-learn's
 * formula), a mapping of labels converted to the class ids the targets use. Empty without one.
 * `trainLabels`: Python expression of the training labels as written, where the data has names.
 */
export function classWeightLines(train: TrainSpec, task: Task, trainLabels: string | undefined): string[] {
  const spec = train.class_weight;
  if (spec === undefined) return [];
  const ids = 'train_ids = np.asarray(y_train).reshape(-1).astype("int64")';
  const classes = task === 'binary' ? '2' : 'int(train_ids.max()) + 1';
  if (spec === 'balanced') {
    return [
      comment("train.class_weight: balanced. Each class weighs n / (classes x n_c) over the training targets (scikit-learn's formula, as Sequence Lab computes it), so rarer classes count more in the loss."),
      ids,
      `class_counts = np.bincount(train_ids, minlength=${classes})`,
      'class_weight = {index: len(train_ids) / (len(class_counts) * count) for index, count in enumerate(class_counts) if count > 0}',
      'print("Class weights:", class_weight)',
    ];
  }
  const byName = Object.keys(spec).some((label) => !/^\d+$/.test(label));
  return [
    comment('train.class_weight: a weight per label as written in the data; classes not listed weigh 1.'),
    `CLASS_WEIGHT = ${pyMapping(spec)}`,
    ...(byName && trainLabels
      ? [
          comment('The class id of each label, as encode_labels assigns them.'),
          `distinct_labels = list(dict.fromkeys(label.strip() for label in ${trainLabels}))`,
          `label_ids = dict(zip(distinct_labels, encode_labels(distinct_labels, distinct_labels, ${py(task)})[0].reshape(-1).astype("int64").tolist()))`,
          'class_weight = {label_ids[label] if label in label_ids else int(label): weight for label, weight in CLASS_WEIGHT.items()}',
        ]
      : ['class_weight = {int(label): weight for label, weight in CLASS_WEIGHT.items()}']),
  ];
}

function pyMapping(mapping: Record<string, number>): string {
  return `{${Object.entries(mapping).map(([label, weight]) => `${py(label)}: ${py(weight)}`).join(', ')}}`;
}
