/** Failures of a training run that the user can act on. */
import type { ModelSpec } from '../language/types';

/**
 * The spec cannot train on this data, found once the data is read (before the first batch): a
 * class weight for a label the data lacks, early stopping on a metric that will never appear.
 * The message says what to change in the spec.
 */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Where the loss stopped being finite, and what the targets looked like. */
export interface Divergence {
  epoch: number;
  batch: number;
  loss: number;
  /** Largest |target| of the training split as the model sees it (after any normalisation). */
  targetMagnitude?: number;
}

/** Targets this large make squared errors and their gradients huge at the first step. */
const LARGE_TARGET = 100;

/**
 * The loss became NaN or infinite: training diverged. The message is one sentence of what
 * happened and the likely fixes for this spec; it does not repeat a title (callers add none).
 */
export class NumericError extends Error {
  constructor(
    readonly where: Divergence,
    spec: ModelSpec,
  ) {
    super(numericMessage(where, spec));
    this.name = 'NumericError';
  }
}

function numericMessage(where: Divergence, spec: ModelSpec): string {
  const { train, data } = spec;
  const hints: string[] = [];
  const magnitude = where.targetMagnitude;
  if (magnitude !== undefined && magnitude >= LARGE_TARGET) {
    const fix = data.task === 'forecast' ? 'normalise them (`data.window.normalize: zscore`)' : 'normalise them (`data.normalize_target: zscore`)';
    hints.push(`the targets reach ${formatMagnitude(magnitude)}, so squared errors and their gradients are huge: ${fix}`);
  }
  hints.push(`lower \`train.learning_rate\` (now ${train.learning_rate}, try ${train.learning_rate / 10})`);
  hints.push(train.clipnorm === undefined ? 'add `train.clipnorm: 1.0` to clip exploding gradients' : `lower \`train.clipnorm\` (now ${train.clipnorm})`);
  if (data.task === 'forecast' && data.window.normalize === 'none' && !hints[0].startsWith('the targets')) {
    hints.push('normalise the series (`data.window.normalize: zscore`)');
  }
  return (
    `Training diverged: the loss became ${where.loss} at epoch ${where.epoch + 1}, batch ${where.batch + 1}. ` +
    `Likely causes: ${hints.join('; ')}.`
  );
}

function formatMagnitude(value: number): string {
  return value >= 1e5 ? value.toExponential(1) : String(Math.round(value));
}
