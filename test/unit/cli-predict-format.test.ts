/** `seqlab predict` prints every kind of prediction in the CLI's one number format. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPrediction } from '../../src/cli/commands/predict';

describe('formatPrediction', () => {
  it('names the class with its probability, then ranks at most five classes', () => {
    const classes = ['ham', 'spam', 'a', 'b', 'c', 'd'].map((name, id) => ({ id, name, probability: [0.05, 0.9, 0.02, 0.01, 0.01, 0.01][id] }));
    const lines = formatPrediction({ kind: 'class', id: 1, name: 'spam', probability: 0.9, classes: [...classes].sort((x, y) => y.probability - x.probability) });
    assert.equal(lines[0], 'Prediction: spam (probability 0.9000)');
    const table = lines[2].split('\n');
    assert.deepEqual(table.slice(0, 4), ['class  id  probability', '-----  --  -----------', 'spam   1   0.9000', 'ham    0   0.0500']);
    assert.equal(table.length, 2 + 5);
  });

  it('quotes next tokens, so a space or a newline stays visible', () => {
    const lines = formatPrediction({ kind: 'next-token', id: 4, token: ' ', probability: 0.4, candidates: [{ id: 4, name: ' ', probability: 0.4 }, { id: 7, name: '\n', probability: 0.3 }] });
    assert.equal(lines[0], 'Next token: " " (probability 0.4000)');
    assert.match(lines[2], /^"\\n" +7 +0\.3000$/m);
  });

  it("gives forecasts and regression values in the data's units", () => {
    assert.deepEqual(formatPrediction({ kind: 'values', values: [432.5, 0.00001234] }), ["Prediction (in the data's units): 432.5000, 1.234e-5"]);
  });
});
