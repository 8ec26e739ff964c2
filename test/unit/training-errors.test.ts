import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NumericError } from '../../src/training/errors';
import { specWith } from '../fixtures/data/specs';

describe('NumericError', () => {
  const where = { epoch: 0, batch: 2, loss: NaN };

  it('names the target scale first when regression targets are large, with one title', () => {
    const spec = specWith({ source: 'prices.csv', task: 'regression' });
    spec.train.loss = 'mse';
    const message = new NumericError({ ...where, targetMagnitude: 750_000 }, spec).message;
    assert.equal(
      message,
      'Training diverged: the loss became NaN at epoch 1, batch 3. Likely causes: the targets reach 7.5e+5, so squared errors and their gradients are huge: ' +
        'normalise them (`data.normalize_target: zscore`); lower `train.learning_rate` (now 0.001, try 0.0001); add `train.clipnorm: 1.0` to clip exploding gradients.',
    );
  });

  it('for a forecast on raw values, says which setting normalises them', () => {
    const spec = specWith({ source: 'nile.csv', task: 'forecast', window: { lookback: 10, horizon: 1, normalize: 'none' } });
    spec.train.clipnorm = 5;
    const message = new NumericError({ ...where, targetMagnitude: 1370 }, spec).message;
    assert.match(message, /targets reach 1370, .*`data\.window\.normalize: zscore`/);
    assert.match(message, /lower `train\.clipnorm` \(now 5\)/);
  });

  it('does not blame small targets', () => {
    const spec = specWith({ source: 'x.csv', task: 'regression' });
    const message = new NumericError({ ...where, targetMagnitude: 3 }, spec).message;
    assert.doesNotMatch(message, /targets/);
    assert.match(message, /learning_rate/);
  });
});
