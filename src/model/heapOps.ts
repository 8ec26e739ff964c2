/**
 * The heap operations (kernels/heapOps.ts: segment sum, Keras's Adam step, row gather; 128-bit
 * SIMD) instantiated on the memory of tfjs's wasm backend, so they read and write tensors where
 * tfjs keeps them: no copy in, none out. Pointers are byte offsets of tensor data in that memory.
 */
import type * as tf from '@tensorflow/tfjs';
import { HEAP_OPS_WASM_BASE64 } from './heapOpsWasmBinary';

export interface HeapOps {
  /** out[ids[i]] += x[i] over `count` rows of `rowSize` floats; out (numSegments rows) zeroed first; ids out of range dropped. */
  segmentSum(x: number, ids: number, count: number, numSegments: number, rowSize: number, out: number): void;
  /** One Adam step of n floats (see kerasAdam.ts), into new buffers. c1 = 1 − β₁, c2 = 1 − β₂, alpha the step size. */
  kerasAdam(theta: number, m: number, v: number, g: number, n: number, b1: number, c1: number, b2: number, c2: number, eps: number, alpha: number, outTheta: number, outM: number, outV: number): void;
  /** Rows ids[i] (checked by the caller) of a table of `rowBytes`-byte rows, into out, one after another. */
  gatherRows(table: number, ids: number, count: number, rowBytes: number, out: number): void;
}

/** The wasm backend as these operations use it: its Emscripten module's memory, and tensors' places in it. */
export interface WasmHeapBackend {
  wasm: { asm: { memory: object } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view (not a copy) of a tensor's memory; invalidated when the heap grows. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The parts of the WebAssembly JS API used here (the project's `lib` has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let module: object | undefined;
let instance: { memory: object; ops: HeapOps } | undefined;

/** The operations on `backend`'s memory (instantiated once per memory). */
export function heapOps(backend: WasmHeapBackend): HeapOps {
  const memory = backend.wasm.asm.memory;
  if (instance?.memory !== memory) {
    module ??= new wasm.Module(Buffer.from(HEAP_OPS_WASM_BASE64, 'base64'));
    instance = { memory, ops: new wasm.Instance(module, { env: { memory } }).exports as HeapOps };
  }
  return instance.ops;
}

/** Byte offset of a tensor's data in the wasm backend's memory (stable while the tensor lives, even when the heap grows). */
export function heapOffset(backend: WasmHeapBackend, info: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}
