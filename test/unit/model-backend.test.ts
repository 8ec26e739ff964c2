import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend';
import { unsortedSegmentSum } from '../../src/model/segmentSum';

const WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';

function nativeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it("'auto' picks tfjs-node when installed, else wasm, and says why", async () => {
    const info = await initBackend('auto', WASM_DIR);
    assert.equal(info.tfjsVersion, tf.version.tfjs);
    if (nativeInstalled()) {
      assert.equal(info.backend, 'tensorflow');
    } else {
      assert.equal(info.backend, 'wasm');
      assert.equal(tf.getBackend(), 'wasm');
      assert.match(info.note ?? '', /tfjs-node is not installed/);
    }
  });

  it('honours an explicit preference without a note', async () => {
    const info = await initBackend('cpu', WASM_DIR, { threads: 1 });
    assert.deepEqual(info, { backend: 'cpu', tfjsVersion: tf.version.tfjs, threads: 1, recurrent: 'wasm-kernel' });
    assert.equal(tf.getBackend(), 'cpu');
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`trains an embedding on ${backend}: the gather gradient sums rows per token id`, async () => {
      await initBackend(backend, WASM_DIR);
      const table = tf.variable(tf.zeros([6, 2]));
      const ids = tf.tensor2d([[1, 4, 1], [5, 1, 0]], [2, 3], 'int32');
      const upstream = tf.tensor3d([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, ids), upstream)), [table]);
      assert.deepEqual(grads[table.name].arraySync(), [
        [11, 12],
        [1 + 5 + 9, 2 + 6 + 10],
        [0, 0],
        [0, 0],
        [3, 4],
        [7, 8],
      ]);
      tf.dispose([table, ids, upstream, grads[table.name]]);
    });
  }
});

describe('wasm Slice and Unpack kernels', () => {
  it('give the same results as the cpu backend for contiguous and strided slices', async () => {
    const cases = (): tf.Tensor[] => {
      const floats = tf.reshape(tf.range(0, 2 * 5 * 3), [2, 5, 3]);
      const ints = tf.cast(floats, 'int32');
      return [
        tf.slice(floats, [1, 0, 0], [1, 5, 3]), // contiguous: one batch row
        tf.slice(floats, [0, 2, 0], [2, 2, 3]), // strided
        tf.slice(ints, [1, 3, 1], [1, 1, 2]),
        ...tf.unstack(tf.transpose(floats, [1, 0, 2])), // time-major timesteps: contiguous
        ...tf.unstack(floats, 1), // strided
        ...tf.unstack(ints),
      ];
    };
    await initBackend('cpu', WASM_DIR);
    const expected = cases().map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.arraySync() }));
    await initBackend('wasm', WASM_DIR);
    const actual = cases().map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.arraySync() }));
    assert.deepEqual(actual, expected);
  });
});

describe('wasm GatherV2 kernel', () => {
  const cases = (): tf.Tensor[] => {
    const floats = tf.reshape(tf.range(0, 6 * 4), [6, 4]).add(0.25);
    const cube = tf.reshape(floats, [6, 2, 2]);
    const ints = tf.cast(floats, 'int32');
    const ids = tf.tensor2d([[5, 0, 5], [2, 2, 1]], [2, 3], 'int32');
    return [
      tf.gather(floats, ids), // an embedding lookup: [2, 3, 4]
      tf.gather(cube, tf.tensor1d([3, 3, 0], 'int32')), // rows of a rank-3 tensor
      tf.gather(ints, ids),
      tf.gather(floats, tf.tensor1d([], 'int32')),
      tf.gather(floats, tf.tensor1d([3, 1], 'int32'), 1), // another axis: the stock kernel
      tf.gather(tf.reshape(floats, [2, 3, 4]), tf.tensor2d([[2, 0], [1, 1]], [2, 2], 'int32'), 1, 1), // batch dims: stock
    ];
  };

  it('gives the same shapes and values as the cpu backend, taking whole rows or not', async () => {
    await initBackend('cpu', WASM_DIR);
    const expected = cases().map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.arraySync() }));
    await initBackend('wasm', WASM_DIR);
    const actual = cases().map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.arraySync() }));
    assert.deepEqual(actual, expected);
  });

  it('refuses an index outside the table with tfjs’s message', async () => {
    await initBackend('wasm', WASM_DIR);
    const table = tf.zeros([3, 2]);
    for (const id of [3, -1]) assert.throws(() => tf.gather(table, tf.tensor1d([0, id], 'int32')), new RegExp(`index value ${id} is not in \\[0, 2\\]`));
  });
});

describe('unsortedSegmentSum', () => {
  it('adds each row into its segment and drops out-of-range ids, as TensorFlow does', () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(Array.from(unsortedSegmentSum(x, new Int32Array([2, 0, 2, 9]), 3, 2)), [3, 4, 0, 0, 1 + 5, 2 + 6]);
  });

  it('keeps integer dtype for integer input', () => {
    assert.ok(unsortedSegmentSum(new Int32Array([1, 2]), new Int32Array([0, 0]), 1, 1) instanceof Int32Array);
  });

  for (const rowSize of [5, 128]) {
    it(`gives the same bits on the wasm heap (SIMD) as one value at a time, rows of ${rowSize}`, async () => {
      await initBackend('wasm', WASM_DIR);
      const rows = 300;
      const x = Float32Array.from({ length: rows * rowSize }, (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 7) - 3));
      const ids = Int32Array.from({ length: rows }, (_, i) => (i % 50 === 0 ? [-1, 99][i % 2] : (i * 7) % 23)); // repeats and out-of-range ids
      const expected = unsortedSegmentSum(x, ids, 23, rowSize);
      const actual = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x, [rows, rowSize]), tf.tensor1d(ids, 'int32'), 23).dataSync());
      assert.deepEqual(new Uint32Array(Float32Array.from(actual).buffer), new Uint32Array(expected.buffer));
    });
  }
});

describe('UnsortedSegmentSum kernels', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`refuse segment ids that do not match the values' leading dimensions (${backend}), as TensorFlow does`, async () => {
      await initBackend(backend, WASM_DIR);
      assert.throws(() => tf.unsortedSegmentSum(tf.ones([2, 3]), tf.tensor1d([0, 1, 0, 1, 0], 'int32'), 2), /does not start with segment_ids.shape = \[5\]/);
    });
  }
});

describe('wasm Identity and Transpose kernels', () => {
  it('share the data of a clone or an identity transpose instead of copying it, and still transpose', async () => {
    await initBackend('wasm', WASM_DIR);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const [copy, same] = [tf.clone(x), tf.transpose(x, [0, 1])];
    assert.ok(copy.dataId === x.dataId && same.dataId === x.dataId, 'the same data, not a copy');
    const swapped = tf.transpose(x, [1, 0]);
    x.dispose();
    assert.deepEqual([copy.arraySync(), same.arraySync(), swapped.arraySync()], [
      [[1, 2, 3], [4, 5, 6]],
      [[1, 2, 3], [4, 5, 6]],
      [[1, 4], [2, 5], [3, 6]],
    ]);
    tf.dispose([copy, same, swapped]);
  });
});
