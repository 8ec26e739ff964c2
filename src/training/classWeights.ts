/**
 * Keras `class_weight` for the training loss: each example's loss is multiplied by its class's
 * weight and the batch loss stays the mean over examples (Keras's `sum_over_batch_size`), so
 * weights of 1 change nothing. Validation loss and metrics are never weighted (as in Keras).
 */
import type { PreparedData } from '../data/types';
import type { ClassWeightSpec, Task } from '../language/types';
import { SettingsError } from './errors';

/**
 * Weight per class id (`[classes]`), or undefined when the spec sets none. Labels in the spec are
 * the data's labels as written (class names) or class ids; `balanced` is scikit-learn's
 * n / (classes x n_c) over the training split. Throws a SettingsError for a label the data lacks.
 */
export function classWeights(spec: ClassWeightSpec | undefined, task: Task, data: PreparedData): Float32Array | undefined {
  if (spec === undefined) return undefined;
  if (task !== 'binary' && task !== 'multiclass') {
    throw new SettingsError(`\`train.class_weight\` applies to binary and multiclass classification, not \`${task}\`: remove it.`);
  }
  const classes = task === 'binary' ? 2 : (data.classes ?? 0);
  const weights = new Float32Array(classes).fill(1);
  if (spec === 'balanced') {
    const counts = new Float64Array(classes);
    for (const id of data.train.y) counts[id]++;
    counts.forEach((count, id) => {
      if (count > 0) weights[id] = data.train.count / (classes * count);
    });
    return weights;
  }
  const labels = Array.from({ length: classes }, (_, id) => data.classNames?.[id] ?? String(id));
  for (const [label, weight] of Object.entries(spec)) {
    const id = labels.indexOf(label) !== -1 ? labels.indexOf(label) : /^\d+$/.test(label) && Number(label) < classes ? Number(label) : -1;
    if (id === -1) {
      const known = labels.map((name) => `"${name}"`).join(', ');
      throw new SettingsError(`\`train.class_weight\` gives a weight to the label "${label}", which the data does not have (its labels: ${known}). Use those labels as keys.`);
    }
    weights[id] = weight;
  }
  return weights;
}
