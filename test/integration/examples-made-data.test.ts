/**
 * Every example that reads a data file trains on a small slice of data this test makes in that
 * dataset's own format (IMDB's CSV, UCI's `label<TAB>text`, a play in tiny Shakespeare's layout, the
 * airline file's monthly CSV), pointed at through the environment variable the example names, the
 * way `seqlab train` and the palette's Train read it (the checker resolves the spec, the data
 * pipeline reads the file, the trainer fits it): its training loss falls and the run reports the
 * metric the example's `# Result:` line promises. examples-results.test.ts holds the same examples
 * to that promise on the real datasets, where they are present.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prepareData } from '../../src/data/prepare';
import { checkSpec } from '../../src/language/check';
import { initBackend } from '../../src/model/backend';
import { train } from '../../src/training/trainer';
import { madeDataEnv } from '../fixtures/exampleData';
import { dataVariables, statedResult } from './exampleResults';

const EXAMPLES = resolve(__dirname, '../../examples');
/** Training examples of a slice (validation gets a quarter as many), and its epochs at most. */
const SLICE_EXAMPLES = 96;
const SLICE_EPOCHS = 3;

const dir = mkdtempSync(join(tmpdir(), 'seqlab-examples-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const fileExamples = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith('.seqlab.yaml'))
  .sort()
  .map((file) => ({ file, text: readFileSync(join(EXAMPLES, file), 'utf8') }))
  .filter(({ text }) => dataVariables(text).length > 0);

describe('examples that read a data file, on data the test makes', () => {
  before(async () => {
    await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist', { threads: 1 });
  });

  it('the examples name their data by the variables the made data answers', () => {
    const made = Object.keys(madeDataEnv(join(dir, 'names')));
    for (const { file, text } of fileExamples) {
      for (const variable of dataVariables(text)) assert.ok(made.includes(variable), `${file} reads ${variable}, which the test makes no data for`);
    }
    assert.ok(fileExamples.length > 0, 'no example reads a data file');
  });

  for (const { file, text } of fileExamples) {
    it(`${file} trains on a slice of made data in its dataset's format; its training loss falls`, async () => {
      const env = madeDataEnv(join(dir, file));
      const { spec, diagnostics } = checkSpec(text, { specPath: join(EXAMPLES, file) });
      assert.ok(spec, `${file}: ${diagnostics.map((diagnostic) => diagnostic.message).join('; ')}`);
      const data = await prepareData(spec, { specDir: EXAMPLES, quick: true, previewExamples: SLICE_EXAMPLES, env: { ...process.env, ...env } });
      let firstBatchLoss = NaN;
      const epochLosses: number[] = [];
      const { model, finalMetrics } = await train({
        spec,
        data,
        epochs: Math.min(spec.train.epochs, SLICE_EPOCHS),
        emit: (event) => {
          if (event.type === 'batch' && event.step === 0) firstBatchLoss = event.loss;
          if (event.type === 'epoch') epochLosses.push(event.train.loss);
        },
        shouldStop: () => false,
        views: { enabled: false },
      });
      model.dispose();
      const last = epochLosses.at(-1)!;
      assert.ok(Number.isFinite(firstBatchLoss) && Number.isFinite(last), `${file}: finite losses`);
      assert.ok(last < firstBatchLoss, `${file}: training loss ${firstBatchLoss.toFixed(4)} at the first batch, ${last.toFixed(4)} in the last epoch (${epochLosses.map((loss) => loss.toFixed(4)).join(', ')})`);
      const metric = statedResult(text)?.metric;
      assert.ok(metric && metric in finalMetrics, `${file}: the run reports no ${metric} (it reports ${Object.keys(finalMetrics).join(', ')})`);
    });
  }
});
