/**
 * Every example reaches the result it states. An example's `# Result: <metric> <op> <value>` line
 * (`# Result with --quick: …` for a slice of a large data set) is what a learner is promised; this
 * trains the example as shipped with the CLI, as a learner would, and holds it to that promise.
 * An example that reads a data file (`${env:SEQLAB_SMS_SPAM}`, IMDB's SEQLAB_IMDB) gets it from the
 * variable when set, else from `../shared/data` beside the checkout; when neither has it, that case
 * only is skipped, saying so (examples-made-data.test.ts trains the same example on data it makes).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listRuns } from '../../src/training/runStore';
import { sharedDataPaths } from '../fixtures/exampleData';
import { dataVariables, statedResult } from './exampleResults';
import { assertBuilt, cliPath, repoRoot, tempDir } from './worker-fixtures';

const examplesDir = join(repoRoot, 'examples');
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.seqlab.yaml')).sort();
const out = tempDir('examples');
before(assertBuilt);
// Only the runs this test wrote; the examples folder is never touched (runs go to --out).
after(() => rmSync(out, { recursive: true, force: true }));

const shared: Partial<Record<string, string>> = sharedDataPaths();

/** Where the variable points: its own value when set to a path that exists, else the shared copy. */
function dataPath(variable: string): string | undefined {
  const own = process.env[variable];
  return own && existsSync(own) ? own : shared[variable];
}

describe('every example reaches its stated result', () => {
  it('every example states one', () => {
    assert.deepEqual(examples.filter((file) => !statedResult(readFileSync(join(examplesDir, file), 'utf8'))), []);
  });

  for (const file of examples) {
    const text = readFileSync(join(examplesDir, file), 'utf8');
    const result = statedResult(text);
    if (!result) continue;
    const { metric, op, value, quick } = result;
    const variables = dataVariables(text);
    const paths = variables.map((variable) => [variable, dataPath(variable)] as const);
    const env = Object.fromEntries(paths.filter(([, path]) => path !== undefined));
    const missing = paths.filter(([, path]) => path === undefined).map(([variable]) => variable);
    const skip = missing.length > 0 ? `its data is not here (${missing.join(', ')} unset, and not in ../shared/data); examples-made-data.test.ts trains it on data of the same format` : false;
    it(`${file}: ${metric} ${op} ${value}${quick ? ' (--quick)' : ''}`, { skip, timeout: 30 * 60_000 }, () => {
      const runs = join(out, file);
      const args = [cliPath, 'train', join(examplesDir, file), '--out', runs, ...(quick ? ['--quick'] : [])];
      const trained = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
      assert.equal(trained.status, 0, `${trained.stdout}\n${trained.stderr}`);
      const [run] = listRuns(runs);
      const reached = run?.finalMetrics?.[metric];
      assert.ok(reached !== undefined, `no final ${metric} in ${JSON.stringify(run?.finalMetrics)}`);
      assert.ok(result.holds(reached), `${file} reached ${metric} ${reached}, not ${op} ${value}`);
      console.log(`      (${file}: ${metric} ${reached.toFixed(4)})`);
    });
  }
});
