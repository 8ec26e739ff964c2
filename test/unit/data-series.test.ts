/**
 * Series: nothing dropped or shifted in silence. A blank line or NA is a missing value at its own
 * step; all gaps are reported at once or filled as `data.missing` says; values beyond float32 and
 * overflowing statistics are refused with their line; several value columns make a multivariate
 * forecast of the first one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { prepareData } from '../../src/data/prepare';
import { createEncoder } from '../../src/data/preprocessing';
import { DataError } from '../../src/data/types';
import type { DataSpec } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-series-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const raw = { lookback: 2, horizon: 1, normalize: 'none' as const };

function prepare(name: string, text: string, data: Partial<DataSpec> = {}) {
  writeFileSync(join(dir, name), text);
  return prepareData(specWith({ source: name, task: 'forecast', validation: { split: 0 }, window: raw, ...data }), { specDir: dir });
}

async function rejects(promise: Promise<unknown>, pattern: RegExp, line: number | undefined): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DataError, String(error));
    assert.match(error.message, pattern);
    assert.equal(error.line, line);
    return true;
  });
}

/** Each window's inputs and target, in the data's units (normalize: none). */
function windows(prepared: Awaited<ReturnType<typeof prepare>>): number[][] {
  const { x, y, count } = prepared.train;
  return Array.from({ length: count }, (_, i) => [...x.subarray(i * 2, i * 2 + 2), y[i]!]);
}

describe('missing values in a series', () => {
  it('a blank line in a .txt or a one-column CSV is a gap at its own step, refused by default with the fix', async () => {
    for (const [name, text, line] of [
      ['gap.txt', '1\n2\n\n4\n5\n', 3],
      ['gap.csv', 'value\n1\n2\n\n4\n5\n', 4],
    ] as const) {
      await rejects(
        prepare(name, text),
        /the series has 1 missing value \(blank or NA\), at line \d+\. Set `data.missing: interpolate` \(a straight line between the neighbours\) or `data.missing: ffill` \(repeat the last value\) to fill them; deleting those rows instead would shift every later value one step earlier\./,
        line,
      );
    }
  });

  it('reports every gap at once: the count and the first lines', async () => {
    const values = Array.from({ length: 201 }, (_, i) => (i % 3 === 1 ? '' : String(i)));
    const lines = values.flatMap((value, i) => (value === '' ? [i + 1] : []));
    await rejects(prepare('many-gaps.txt', values.join('\n')), new RegExp(`has ${lines.length} missing values \\(blank or NA\\), at lines ${lines.slice(0, 10).join(', ')}, \\.\\.\\. \\(${lines.length - 10} more\\)`), 2);
  });

  it('interpolate and ffill fill each gap at its own step: no value moves', async () => {
    const text = 'value\n1\n2\nNA\n\n5\n6\n';
    const interpolated = await prepare('fill.csv', text, { missing: 'interpolate' });
    assert.deepEqual(windows(interpolated), [[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]);
    assert.deepEqual(interpolated.stats.missing, { count: 2, method: 'interpolate', lines: [4, 5] });
    const forward = await prepare('fill.csv', text, { missing: 'ffill' });
    assert.deepEqual(windows(forward), [[1, 2, 2], [2, 2, 2], [2, 2, 5], [2, 5, 6]]);
  });

  it('gaps before the first value take that value; blank lines at the end of the file are not gaps', async () => {
    const prepared = await prepare('edges.txt', '\nnan\n3\n4\n5\n\n\n', { missing: 'interpolate' });
    assert.deepEqual(windows(prepared), [[3, 3, 3], [3, 3, 4], [3, 4, 5]]);
    assert.equal(prepared.stats.missing?.count, 2);
  });

  it('lists every value that is not a number at once', async () => {
    await rejects(prepare('words.txt', '1\nabc\n3\nx\u001b[2J\n5\n'), /2 values are not numbers: "abc" \(line 2\), "x\\x1b\[2J" \(line 4\)\./, 2);
  });
});

describe('values that overflow', () => {
  it('refuses 1e308 with its line, whatever the normalisation', async () => {
    for (const normalize of ['zscore', 'minmax', 'none'] as const) {
      await rejects(
        prepare('huge.txt', ['1', '2', '1e308', '4', '5', '6'].join('\n'), { window: { lookback: 2, horizon: 1, normalize } }),
        /the value 1e\+308 is beyond the range of the 32-bit floats training uses \(±3\.4e38\)/,
        3,
      );
    }
    await rejects(prepare('huge.csv', 'a,value\nx,1\ny,-2e39\nz,3\n'), /the value -2e\+39 is beyond the range/, 3);
  });

  it('keeps large but representable values, normalised without loss', async () => {
    const prepared = await prepare('big.txt', ['1e30', '2e30', '3e30', '4e30', '5e30'].join('\n'), { window: { lookback: 2, horizon: 1, normalize: 'zscore' } });
    assert.ok([...prepared.train.x].every(Number.isFinite));
    assert.ok(Math.abs(prepared.train.x[0]! + 1.414) < 1e-3);
  });
});

describe('several value columns: a multivariate forecast of the first', () => {
  const table = ['day,temp,pressure,humidity', ...Array.from({ length: 12 }, (_, i) => `${i},${10 + i},${1000 - i},${50 + (i % 3)}`)].join('\n');
  const columns = { text: 'text', label: 'label', value: ['temp', 'pressure', 'humidity'] };

  it('windows of every column, the target from the first, statistics per column', async () => {
    const prepared = await prepare('weather.csv', table, { columns, window: { lookback: 3, horizon: 2, normalize: 'none' } });
    assert.deepEqual(prepared.train.xShape, [8, 3, 3]);
    assert.deepEqual([...prepared.train.x.subarray(0, 9)], [10, 1000, 50, 11, 999, 51, 12, 998, 52]);
    assert.deepEqual([...prepared.train.y.subarray(0, 2)], [13, 14]);
    assert.equal(prepared.stats.features, 3);

    const scaled = await prepare('weather.csv', table, { columns, window: { lookback: 3, horizon: 1, normalize: 'minmax' } });
    const state = scaled.preprocessing;
    assert.deepEqual(state.normalization?.inputs?.map((stats) => [stats.column, stats.offset, stats.scale]), [['temp', 10, 11], ['pressure', 989, 11], ['humidity', 50, 2]]);
    assert.equal(state.normalization?.target?.column, 'temp');
    const encoder = createEncoder(JSON.parse(JSON.stringify(state)));
    const encoded = encoder.encode('10 1000 50; 11 999 51; 12 998 52');
    assert.deepEqual([...encoded.x], [...scaled.train.x.subarray(0, 9)]);
    assert.deepEqual(encoder.toDataUnits([0.5]), [15.5]);
  });

  it('a gap in one column is filled in that column only', async () => {
    const gappy = table.replace('\n4,14,996,51', '\n4,,996,51');
    const prepared = await prepare('weather-gap.csv', gappy, { columns, missing: 'interpolate', window: { lookback: 3, horizon: 1, normalize: 'none' } });
    assert.deepEqual([...prepared.train.x.subarray(4 * 9, 4 * 9 + 3)], [14, 996, 51]); // step 4 opens window 4
    assert.deepEqual(prepared.stats.missing, { count: 1, method: 'interpolate', lines: [6] });
  });

  it('a .txt file cannot hold several columns', async () => {
    await rejects(prepare('one-column.txt', '1\n2\n3\n', { columns }), /a \.txt series holds one value per line, but `data.columns.value` lists 3 columns/, undefined);
  });
});
