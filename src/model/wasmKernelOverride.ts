/**
 * How our faster kernels for the wasm backend (wasmSlice, wasmGather, wasmSharedData) take the
 * place of its stock ones: each wraps the stock kernel and calls it for the cases it does not handle.
 */
import * as tf from '@tensorflow/tfjs';

const overridden = new Set<string>();

/**
 * Registers `make(stock)` as the wasm backend's `kernelName` in place of the stock kernel (which it
 * may call). Idempotent per kernel; does nothing when the wasm backend has no such kernel. Call it
 * after the backend's kernels are registered (importing @tensorflow/tfjs-backend-wasm does that).
 */
export function overrideWasmKernel(kernelName: string, make: (stock: tf.KernelFunc) => tf.KernelFunc): void {
  if (overridden.has(kernelName)) return;
  const stock = tf.getKernel(kernelName, 'wasm');
  if (!stock) return;
  overridden.add(kernelName);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: make(stock.kernelFunc) });
}
