/**
 * Chooses and initialises the TensorFlow.js backend. The only module that does: everything else
 * just uses `tf` once `initBackend` has resolved.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName, BackendPreference, RecurrentEngine } from '../protocol';
import { stockRecurrentRequested } from './recurrent';
import { kernelThreads, setKernelThreads } from './recurrentKernel';
import { registerKerasAdamKernel } from './kerasAdamKernel';
import { registerSegmentSumKernels } from './segmentSum';
import { registerWasmGatherKernel } from './wasmGather';
import { registerWasmSharedDataKernels } from './wasmSharedData';
import { registerWasmSliceKernels } from './wasmSlice';

export interface BackendInfo {
  backend: BackendName;
  tfjsVersion: string;
  /** Why a preferred backend was not used, if it was not. */
  note?: string;
  /** Threads of the recurrent kernel. */
  threads: number;
  recurrent: RecurrentEngine;
}

export interface BackendOptions {
  /** Cap on the recurrent kernel's threads; default every core. */
  threads?: number;
}

/** Order of preference under 'auto': native TensorFlow, then wasm, then cpu (slowest, for debugging). */
const FALLBACK_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * Initialises the backend named by `preference` ('auto' = the fastest one that works) and returns
 * the one actually in use. `wasmDir` is the folder holding the tfjs `.wasm` binaries. The recurrent
 * layers run our own kernel on every backend (see recurrentKernel.ts), with `options.threads`.
 */
export async function initBackend(preference: BackendPreference, wasmDir: string, options: BackendOptions = {}): Promise<BackendInfo> {
  tf.env().set('PROD', true);
  if (options.threads !== undefined) setKernelThreads(options.threads);
  const recurrent: RecurrentEngine = stockRecurrentRequested() ? 'tfjs-stock' : 'wasm-kernel';
  registerSegmentSumKernels();
  registerKerasAdamKernel();
  registerWasmSliceKernels();
  registerWasmGatherKernel();
  registerWasmSharedDataKernels();
  const candidates = preference === 'auto' ? FALLBACK_ORDER : [preference, ...FALLBACK_ORDER.filter((b) => b !== preference)];
  const failures: string[] = [];
  for (const candidate of candidates) {
    const failure = await tryBackend(candidate, wasmDir);
    if (failure === undefined) {
      const explicitMiss = preference !== 'auto' && candidate !== preference;
      const note = explicitMiss || (preference === 'auto' && failures.length > 0) ? failures.join(' ') : undefined;
      return { backend: candidate, tfjsVersion: tf.version.tfjs, ...(note ? { note } : {}), threads: kernelThreads(), recurrent };
    }
    failures.push(failure);
  }
  throw new Error(`No TensorFlow.js backend could be initialised. ${failures.join(' ')}`);
}

/** Returns undefined when `name` is now the active backend, else a sentence saying why not. */
async function tryBackend(name: BackendName, wasmDir: string): Promise<string | undefined> {
  switch (name) {
    case 'tensorflow':
      return loadNativeBackend();
    case 'wasm':
      setWasmPaths(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`);
      return (await setBackendChecked('wasm'))
        ? undefined
        : `The wasm backend did not start (are the .wasm files in ${wasmDir}?).`;
    case 'cpu':
      return (await setBackendChecked('cpu')) ? undefined : 'The cpu backend did not start.';
  }
}

/**
 * `@tensorflow/tfjs-node` is an optional dependency: it registers the 'tensorflow' backend when
 * its native library installed. Loaded with a run-time require so bundles do not include it.
 */
async function loadNativeBackend(): Promise<string | undefined> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional native package, absent at build time
    require('@tensorflow/tfjs-node');
  } catch {
    return '@tensorflow/tfjs-node is not installed (it needs internet at install time); using a slower backend.';
  }
  return (await setBackendChecked('tensorflow')) ? undefined : '@tensorflow/tfjs-node loaded but its backend did not start.';
}

/** `tf.setBackend` resolves false on failure while `tf.getBackend()` may still name it: check both. */
async function setBackendChecked(name: BackendName): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}
