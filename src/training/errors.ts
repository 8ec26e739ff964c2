/** Failures of a training run that the user can act on. */
import type { ModelSpec } from '../language/types';

/** The loss became NaN or infinite: training diverged. The message names the likely causes. */
export class NumericError extends Error {
  constructor(
    readonly where: { epoch: number; batch: number; loss: number },
    spec: ModelSpec,
  ) {
    super(numericMessage(where, spec));
    this.name = 'NumericError';
  }
}

function numericMessage(where: { epoch: number; batch: number; loss: number }, spec: ModelSpec): string {
  const { train, data } = spec;
  const hints = [`lower \`train.learning_rate\` (now ${train.learning_rate}, try ${train.learning_rate / 10})`];
  if (train.clipnorm === undefined) hints.push('add `train.clipnorm: 1.0` to clip exploding gradients');
  if ((data.task === 'regression' || data.task === 'forecast') && data.window.normalize === 'none') {
    hints.push('normalise the targets (`data.window.normalize: zscore`)');
  }
  return (
    `Training diverged: the loss became ${where.loss} at epoch ${where.epoch + 1}, batch ${where.batch + 1}. ` +
    `Likely fixes: ${hints.join('; ')}.`
  );
}
