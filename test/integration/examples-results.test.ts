/**
 * Every example reaches the result it states. An example's `# Result: <metric> <op> <value>` line
 * (`# Result with --quick: …` for a slice of a large data set) is what a learner is promised; this
 * trains the example as shipped with the CLI, as a learner would, and holds it to that promise.
 * Examples whose data is not on this machine are skipped (that case only), saying where it is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listRuns } from '../../src/training/runStore';
import { assertBuilt, cliPath, repoRoot, tempDir } from './worker-fixtures';

const RESULT = /^# Result( with --quick)?: (\w+) (>=|<=) ([\d.]+)$/m;
const examplesDir = join(repoRoot, 'examples');
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.seqlab.yaml')).sort();
const out = tempDir('examples');
before(assertBuilt);
// Only the runs this test wrote; the examples folder is never touched (runs go to --out).
after(() => rmSync(out, { recursive: true, force: true }));

/** Where the IMDB copy is, for the IMDB example: SEQLAB_IMDB, else the shared data beside the checkout. */
function imdbCopy(): string | undefined {
  const candidates = [process.env.SEQLAB_IMDB, resolve(repoRoot, '..', 'shared', 'data', 'imdb'), resolve(repoRoot, '..', '..', 'shared', 'data', 'imdb')];
  return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate));
}

describe('every example reaches its stated result', () => {
  it('every example states one', () => {
    assert.deepEqual(examples.filter((file) => !RESULT.test(readFileSync(join(examplesDir, file), 'utf8'))), []);
  });

  for (const file of examples) {
    const text = readFileSync(join(examplesDir, file), 'utf8');
    const [, quick, metric, op, value] = RESULT.exec(text) ?? [];
    if (!metric) continue;
    const needsImdb = /^\s+source: imdb$/m.test(text);
    const imdb = needsImdb ? imdbCopy() : undefined;
    const skip = needsImdb && !imdb ? 'no IMDB copy here (SEQLAB_IMDB or ../shared/data/imdb); sentiment-quick checks the same kind of model on generated data' : false;
    it(`${file}: ${metric} ${op} ${value}${quick ? ' (--quick)' : ''}`, { skip, timeout: 30 * 60_000 }, () => {
      const runs = join(out, file);
      const args = [cliPath, 'train', join(examplesDir, file), '--out', runs, ...(quick ? ['--quick'] : [])];
      const env = { ...process.env, ...(imdb ? { SEQLAB_IMDB: imdb } : {}) };
      const result = spawnSync(process.execPath, args, { encoding: 'utf8', env });
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
      const [run] = listRuns(runs);
      const reached = run?.finalMetrics?.[metric];
      assert.ok(reached !== undefined, `no final ${metric} in ${JSON.stringify(run?.finalMetrics)}`);
      const holds = op === '>=' ? reached >= Number(value) : reached <= Number(value);
      assert.ok(holds, `${file} reached ${metric} ${reached}, not ${op} ${value}`);
      console.log(`      (${file}: ${metric} ${reached.toFixed(4)})`);
    });
  }
});
