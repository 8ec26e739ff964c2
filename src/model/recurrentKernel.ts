/**
 * Runs the WebAssembly recurrent kernel (kernels/recurrent.ts, AssemblyScript, 128-bit SIMD): one
 * call computes a layer's whole forward pass, one its whole backward pass, for a batch. The batch
 * is split across threads (this one plus `threads - 1` worker threads) that share the kernel's
 * memory; each thread sums its rows' weight gradients into its own buffer, and the buffers are
 * added up at the end.
 *
 * Memory is the kernel's own (a shared WebAssembly.Memory), managed from here: a call's buffers are
 * allocated, filled from the tfjs tensors, and freed when the call (or, in training, the backward
 * pass that needs them) is done.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RECURRENT_WASM_BASE64 } from './recurrentWasmBinary';

/** Field indices of the i32 call descriptor; keep in step with kernels/recurrent.ts. */
const DESC = {
  CELL: 0,
  ACT: 1,
  REC_ACT: 2,
  BATCH: 3,
  STEPS: 4,
  FEATURES: 5,
  UNITS: 6,
  GO_BACKWARDS: 7,
  SAVE_ALL: 8,
  X: 9,
  W: 10,
  U: 11,
  BIAS: 12,
  SEQ_MASK: 13,
  IN_MASKS: 14,
  N_IN: 15,
  REC_MASKS: 16,
  N_REC: 17,
  HS: 18,
  GATES: 19,
  CELLS: 20,
  CELL_ACT: 21,
  SCRATCH: 22,
  SCRATCH_STRIDE: 23,
  DY: 24,
  DY_LAST_ONLY: 25,
  DX: 26,
  GRADS: 27,
  GRADS_STRIDE: 28,
  WT: 29,
  UT: 30,
  THREADS: 31,
  PROJ: 32,
  IDS: 33,
} as const;
const DESC_FIELDS = 34;

export const KERNEL_CELLS = { simple_rnn: 0, lstm: 1, gru: 2 } as const;
/** Activations the kernel computes (tfjs spelling), by the kernel's code. */
export const KERNEL_ACTIVATIONS = { tanh: 0, sigmoid: 1, relu: 2, linear: 3, hardSigmoid: 4 } as const;
export type KernelActivation = keyof typeof KERNEL_ACTIVATIONS;

interface KernelExports {
  forward(desc: number, tid: number): void;
  backward(desc: number, tid: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  gemm(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, accumulate: number): void;
  sumPartials(src: number, strideFloats: number, count: number, dst: number, n: number): void;
  scratchFloats(batch: number, features: number, units: number, cell: number, threads: number): number;
}

/** One layer call's problem: shapes, settings, and its inputs as flat float arrays. */
export interface KernelProblem {
  cell: keyof typeof KERNEL_CELLS;
  activation: KernelActivation;
  recurrentActivation: KernelActivation;
  batch: number;
  steps: number;
  features: number;
  units: number;
  goBackwards: boolean;
  /** [batch, steps, features] */
  x: Float32Array;
  /** [features, G*units], [units, G*units], [G*units] (Keras layout and gate order). */
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
  /** [batch, steps] of 1 / 0, or undefined. */
  sequenceMask?: Float32Array;
  /** 0, 1 or G masks of [batch, features] / [batch, units]. */
  inputMasks: Float32Array[];
  recurrentMasks: Float32Array[];
  /**
   * Inference on rows of a table (an embedding): x[b, t] is row `ids[b * steps + t]` of the table
   * `projection` was made from, and `x` is not read. Only without input masks.
   */
  projectedRows?: { projection: InputProjection; ids: Int32Array };
}

/** The weight and input gradients of one backward pass. */
export interface KernelGradients {
  dx: Float32Array;
  dKernel: Float32Array;
  dRecurrentKernel: Float32Array;
  dBias: Float32Array;
}

/** The parts of the WebAssembly JS API used here (the project's `lib` has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const ALIGN = 64;
/** Nothing is allocated below this offset: 0 means "no buffer" to the kernel. */
const HEAP_START = 1024;

/** First-fit allocator over the kernel's memory; grows the memory when nothing fits. */
class Heap {
  private readonly free: { offset: number; size: number }[] = [];
  private readonly sizes = new Map<number, number>();
  private top = HEAP_START;

  constructor(private readonly memory: WasmMemory) {}

  alloc(bytes: number): number {
    const size = Math.ceil(Math.max(bytes, 4) / ALIGN) * ALIGN;
    const index = this.free.findIndex((block) => block.size >= size);
    let offset: number;
    if (index >= 0) {
      const block = this.free[index];
      offset = block.offset;
      if (block.size === size) this.free.splice(index, 1);
      else Object.assign(block, { offset: block.offset + size, size: block.size - size });
    } else {
      offset = this.top;
      this.top += size;
      const missing = this.top - this.memory.buffer.byteLength;
      if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
    }
    this.sizes.set(offset, size);
    return offset;
  }

  release(offset: number): void {
    const size = this.sizes.get(offset);
    if (size === undefined) return;
    this.sizes.delete(offset);
    this.free.push({ offset, size });
    this.free.sort((a, b) => a.offset - b.offset);
    // Merge neighbours so large buffers can be reused.
    for (let i = this.free.length - 1; i > 0; i--) {
      const [left, right] = [this.free[i - 1], this.free[i]];
      if (left.offset + left.size === right.offset) {
        left.size += right.size;
        this.free.splice(i, 1);
      }
    }
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.size === this.top) {
      this.top = last.offset;
      this.free.pop();
    }
  }
}

/** Control words shared with the worker threads. */
const CONTROL = { GENERATION: 0, FUNCTION: 1, DESC: 2, PENDING: 3, FAILED: 4, READY: 5 } as const;
const FUNCTIONS = ['forward', 'backward'] as const;

/** The worker threads' program: instantiate the kernel on the shared memory, then run jobs. */
const THREAD_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, tid } = workerData;
const kernel = new WebAssembly.Instance(module, { env: { memory } }).exports;
const FUNCTIONS = ${JSON.stringify(FUNCTIONS)};
Atomics.add(control, ${CONTROL.READY}, 1);
Atomics.notify(control, ${CONTROL.READY});
let seen = 0;
for (;;) {
  Atomics.wait(control, ${CONTROL.GENERATION}, seen);
  seen = Atomics.load(control, ${CONTROL.GENERATION});
  const fn = Atomics.load(control, ${CONTROL.FUNCTION});
  if (fn < 0) break;
  try {
    kernel[FUNCTIONS[fn]](Atomics.load(control, ${CONTROL.DESC}), tid);
  } catch (error) {
    Atomics.store(control, ${CONTROL.FAILED}, 1);
  }
  if (Atomics.sub(control, ${CONTROL.PENDING}, 1) === 1) Atomics.notify(control, ${CONTROL.PENDING});
}
`;

/** How long the calling thread waits for the kernel's threads before giving up on them. */
const THREAD_TIMEOUT_MS = 60_000;

class ThreadPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 8));
  private readonly workers: Worker[];

  constructor(
    module: WasmModule,
    memory: WasmMemory,
    readonly threads: number,
  ) {
    this.workers = Array.from({ length: threads - 1 }, (_, k) => {
      const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { module, memory, control: this.control, tid: k + 1 } });
      worker.unref(); // idle kernel threads never keep the process alive
      return worker;
    });
  }

  /** Runs `fn(desc, tid)` on every thread, this one as thread 0; returns once all are done. */
  run(fn: (typeof FUNCTIONS)[number], desc: number, own: () => void): void {
    const control = this.control;
    this.waitFor(CONTROL.READY, (ready) => ready < this.workers.length, 'start');
    Atomics.store(control, CONTROL.FUNCTION, FUNCTIONS.indexOf(fn));
    Atomics.store(control, CONTROL.DESC, desc);
    Atomics.store(control, CONTROL.PENDING, this.workers.length);
    Atomics.add(control, CONTROL.GENERATION, 1);
    Atomics.notify(control, CONTROL.GENERATION);
    own();
    this.waitFor(CONTROL.PENDING, (pending) => pending > 0, 'finish');
    if (Atomics.exchange(control, CONTROL.FAILED, 0) !== 0) throw new Error('A recurrent kernel thread failed (out of memory?).');
  }

  private waitFor(slot: number, busy: (value: number) => boolean, what: string): void {
    const deadline = performance.now() + THREAD_TIMEOUT_MS;
    for (let value = Atomics.load(this.control, slot); busy(value); value = Atomics.load(this.control, slot)) {
      if (performance.now() > deadline) throw new Error(`The recurrent kernel's worker threads did not ${what} within ${THREAD_TIMEOUT_MS / 1000} s.`);
      Atomics.wait(this.control, slot, value, 1000);
    }
  }

  dispose(): void {
    Atomics.store(this.control, CONTROL.FUNCTION, -1);
    Atomics.add(this.control, CONTROL.GENERATION, 1);
    Atomics.notify(this.control, CONTROL.GENERATION);
    for (const worker of this.workers) void worker.terminate();
  }
}

/** Default thread count of the kernel when nothing sets one: every core. */
export function defaultKernelThreads(): number {
  return Math.max(1, availableParallelism());
}

let requestedThreads: number | undefined;

/** Caps the kernel's threads (`TrainOptions.threads`); applies from the next call. */
export function setKernelThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`Thread count must be a positive integer, got ${threads}.`);
  requestedThreads = threads;
}

/** Threads the kernel uses now. */
export function kernelThreads(): number {
  return requestedThreads ?? defaultKernelThreads();
}

class Kernel {
  readonly memory = new wasm.Memory({ initial: 32, maximum: 65536, shared: true });
  readonly heap = new Heap(this.memory);
  private readonly module = new wasm.Module(Buffer.from(RECURRENT_WASM_BASE64, 'base64'));
  readonly exports = new wasm.Instance(this.module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
  private pool: ThreadPool | undefined;

  floats(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  ints(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }

  /** Copies `values` into a new buffer; returns its offset. */
  upload(values: Float32Array | Int32Array): number {
    const offset = this.heap.alloc(values.length * 4);
    (values instanceof Int32Array ? this.ints(offset, values.length) : this.floats(offset, values.length)).set(values);
    return offset;
  }

  /** Copies several equal-sized arrays into one buffer (0 when there are none). */
  uploadAll(arrays: Float32Array[]): number {
    if (arrays.length === 0) return 0;
    const size = arrays[0].length;
    const offset = this.heap.alloc(arrays.length * size * 4);
    arrays.forEach((values, k) => this.floats(offset + k * size * 4, size).set(values));
    return offset;
  }

  run(fn: (typeof FUNCTIONS)[number], desc: number, threads: number): void {
    if (threads === 1) {
      this.exports[fn](desc, 0);
      return;
    }
    if (this.pool?.threads !== threads) {
      this.pool?.dispose();
      this.pool = new ThreadPool(this.module, this.memory, threads);
    }
    this.pool.run(fn, desc, () => this.exports[fn](desc, 0));
  }
}

let kernel: Kernel | undefined;

function theKernel(): Kernel {
  kernel ??= new Kernel();
  return kernel;
}

const GATE_COUNT = { simple_rnn: 1, lstm: 4, gru: 3 } as const;

/**
 * A table's rows multiplied by a layer's input kernel, `[rows, G*units]`, held in kernel memory:
 * for inference on embedded tokens, step t's input projection x_t W is then row ids[t] of it
 * instead of a product (for an LSTM of 64 units on 128-wide embeddings, two thirds of a forward
 * pass's multiplications). The kernel's products sum in the same order either way, so the outputs
 * are the same bits. `release()` frees it.
 */
export class InputProjection {
  private constructor(
    private offset: number,
    readonly rows: number,
    readonly gates: number,
  ) {}

  /** `table` `[rows, features]` times `kernel` `[features, gates]`. */
  static compute(table: Float32Array, rows: number, features: number, kernel: Float32Array, gates: number): InputProjection {
    const k = theKernel();
    const tableAt = k.upload(table);
    const kernelAt = k.upload(kernel);
    const offset = k.heap.alloc(rows * gates * 4);
    k.exports.gemm(tableAt, features, kernelAt, gates, offset, gates, rows, features, gates, 0);
    k.heap.release(tableAt);
    k.heap.release(kernelAt);
    return new InputProjection(offset, rows, gates);
  }

  /** Its offset in kernel memory. Throws once released. */
  get at(): number {
    if (this.offset === 0) throw new Error('This input projection was already released.');
    return this.offset;
  }

  /** Frees its kernel memory. Idempotent. */
  release(): void {
    if (this.offset !== 0) theKernel().heap.release(this.offset);
    this.offset = 0;
  }
}

/**
 * A forward pass held in kernel memory: its inputs and the per-step activations the backward pass
 * reads. `release()` frees it (the backward pass does so when done).
 */
export class KernelForward {
  private buffers: number[];
  private released = false;

  private constructor(
    private readonly problem: KernelProblem,
    private readonly desc: number,
    buffers: number[],
    private readonly threads: number,
  ) {
    this.buffers = buffers;
  }

  /**
   * Runs the forward pass of `problem`. With `forBackward`, every step's activations are kept for
   * `backward()`; without, only the outputs are (inference), and the pass is released once read.
   */
  static run(problem: KernelProblem, forBackward: boolean): KernelForward {
    const k = theKernel();
    const { batch, steps, features, units, cell } = problem;
    const gates = GATE_COUNT[cell] * units;
    const threads = Math.max(1, Math.min(kernelThreads(), batch));
    const scratchBytes = k.exports.scratchFloats(batch, features, units, KERNEL_CELLS[cell], threads) * 4;
    const scratchStride = Math.ceil(scratchBytes / ALIGN) * ALIGN;
    const rowsKept = forBackward ? batch * steps : batch;
    const projected = problem.projectedRows;
    if (projected && (forBackward || problem.inputMasks.length > 0 || projected.projection.gates !== gates || projected.ids.length !== batch * steps)) {
      throw new Error('An input projection is for inference: one table row per step, no input masks, the layer’s gate width.');
    }
    const desc = k.heap.alloc(DESC_FIELDS * 4);
    const named = {
      x: projected ? 0 : k.upload(problem.x),
      ids: projected ? k.upload(projected.ids) : 0,
      w: k.upload(problem.kernel),
      u: k.upload(problem.recurrentKernel),
      bias: k.upload(problem.bias),
      seqMask: problem.sequenceMask ? k.upload(problem.sequenceMask) : 0,
      inMasks: k.uploadAll(problem.inputMasks),
      recMasks: k.uploadAll(problem.recurrentMasks),
      hs: k.heap.alloc(batch * steps * units * 4),
      gates: k.heap.alloc(rowsKept * gates * 4),
      cells: cell === 'lstm' ? k.heap.alloc(rowsKept * units * 4) : 0,
      cellAct: cell === 'lstm' ? k.heap.alloc(rowsKept * units * 4) : 0,
      scratch: k.heap.alloc(scratchStride * threads),
    };
    const fields = k.ints(desc, DESC_FIELDS);
    fields.fill(0);
    fields[DESC.CELL] = KERNEL_CELLS[cell];
    fields[DESC.ACT] = KERNEL_ACTIVATIONS[problem.activation];
    fields[DESC.REC_ACT] = KERNEL_ACTIVATIONS[problem.recurrentActivation];
    fields[DESC.BATCH] = batch;
    fields[DESC.STEPS] = steps;
    fields[DESC.FEATURES] = features;
    fields[DESC.UNITS] = units;
    fields[DESC.GO_BACKWARDS] = problem.goBackwards ? 1 : 0;
    fields[DESC.SAVE_ALL] = forBackward ? 1 : 0;
    fields[DESC.X] = named.x;
    fields[DESC.W] = named.w;
    fields[DESC.U] = named.u;
    fields[DESC.BIAS] = named.bias;
    fields[DESC.SEQ_MASK] = named.seqMask;
    fields[DESC.IN_MASKS] = named.inMasks;
    fields[DESC.N_IN] = problem.inputMasks.length;
    fields[DESC.REC_MASKS] = named.recMasks;
    fields[DESC.N_REC] = problem.recurrentMasks.length;
    fields[DESC.HS] = named.hs;
    fields[DESC.GATES] = named.gates;
    fields[DESC.CELLS] = named.cells;
    fields[DESC.CELL_ACT] = named.cellAct;
    fields[DESC.SCRATCH] = named.scratch;
    fields[DESC.SCRATCH_STRIDE] = scratchStride;
    fields[DESC.THREADS] = threads;
    fields[DESC.PROJ] = projected ? projected.projection.at : 0;
    fields[DESC.IDS] = named.ids;
    k.run('forward', desc, threads);
    return new KernelForward(problem, desc, [desc, ...Object.values(named).filter((offset) => offset !== 0)], threads);
  }

  /**
   * The outputs h: `[batch, steps, units]` in processing order (a view of kernel memory, valid
   * until the pass is released), or the last step's `[batch, units]`.
   */
  outputs(returnSequences: boolean): Float32Array {
    this.checkLive();
    const { batch, steps, units } = this.problem;
    const k = theKernel();
    const hs = k.ints(this.desc, DESC_FIELDS)[DESC.HS];
    if (returnSequences) return k.floats(hs, batch * steps * units);
    const last = new Float32Array(batch * units);
    for (let b = 0; b < batch; b++) last.set(k.floats(hs + ((b * steps + steps - 1) * units) * 4, units), b * units);
    return last;
  }

  /**
   * Backpropagation through time for upstream gradient `dy` (`[batch, steps, units]` or, for the
   * last output only, `[batch, units]`); hands the gradients (views of kernel memory) to `take`,
   * returns what it returns, and releases the pass.
   */
  backward<T>(dy: Float32Array, take: (gradients: KernelGradients) => T): T {
    this.checkLive();
    const k = theKernel();
    const { batch, steps, features, units, cell } = this.problem;
    const gates = GATE_COUNT[cell] * units;
    const gradFloats = (features + units + 1) * gates;
    const gradStride = Math.ceil((gradFloats * 4) / ALIGN) * ALIGN;
    const named = {
      dy: k.upload(dy),
      dx: k.heap.alloc(batch * steps * features * 4),
      grads: k.heap.alloc(gradStride * this.threads),
      wt: k.heap.alloc(features * gates * 4),
      ut: k.heap.alloc(units * gates * 4),
      summed: k.heap.alloc(gradFloats * 4),
    };
    // Views are taken after every allocation: growing the memory replaces its buffer.
    const desc = k.ints(this.desc, DESC_FIELDS);
    desc[DESC.DY] = named.dy;
    desc[DESC.DY_LAST_ONLY] = dy.length === batch * units && steps > 1 ? 1 : 0;
    desc[DESC.DX] = named.dx;
    desc[DESC.GRADS] = named.grads;
    desc[DESC.GRADS_STRIDE] = gradStride;
    desc[DESC.WT] = named.wt;
    desc[DESC.UT] = named.ut;
    k.exports.transpose(desc[DESC.W], named.wt, features, gates);
    k.exports.transpose(desc[DESC.U], named.ut, units, gates);
    k.run('backward', this.desc, this.threads);
    k.exports.sumPartials(named.grads, gradStride / 4, this.threads, named.summed, gradFloats);
    const summed = k.floats(named.summed, gradFloats);
    try {
      return take({
        dx: k.floats(named.dx, batch * steps * features),
        dKernel: summed.subarray(0, features * gates),
        dRecurrentKernel: summed.subarray(features * gates, (features + units) * gates),
        dBias: summed.subarray((features + units) * gates),
      });
    } finally {
      for (const offset of Object.values(named)) k.heap.release(offset);
      this.release();
    }
  }

  /** Frees the pass's kernel memory. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const offset of this.buffers) theKernel().heap.release(offset);
    this.buffers = [];
  }

  get live(): boolean {
    return !this.released;
  }

  private checkLive(): void {
    if (this.released) throw new Error('This recurrent forward pass was already released.');
  }
}
