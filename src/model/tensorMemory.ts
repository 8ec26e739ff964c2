/**
 * Reading and making float32 tensors with as few copies as the backend allows. The wasm backend
 * keeps tensors in its own heap: a view of that heap reads a tensor without copying it (valid
 * until the next tfjs op, which may grow and move the heap), and its `write` copies new values in
 * at once, so a view of someone else's memory can be handed to it. Other backends (cpu, tfjs-node)
 * may keep a reference to the array they are given, so they get a copy.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from './heapOps';

function wasmBackend(): WasmHeapBackend | undefined {
  return tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmHeapBackend) : undefined;
}

/**
 * The tensor's values: a view of the backend's memory where it can (read it before the next tfjs
 * op), else `dataSync()`'s array. Never write to it.
 */
export function floatsOf(tensor: tf.Tensor): Float32Array {
  const wasm = wasmBackend();
  if (wasm && tensor.dtype === 'float32') return wasm.typedArrayFromHeap(tensor) as Float32Array;
  return tensor.dataSync() as Float32Array;
}

/** A float32 tensor holding a copy of `values` (which may be a view of any memory, shared too). */
export function tensorFromFloats(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(wasmBackend() ? values : values.slice(), shape, 'float32');
}
