// AssemblyScript (compiled by scripts/build-kernels.mjs to src/model/recurrentWasmBinary.ts).
//
// One call runs a recurrent layer's whole forward pass, or its whole backward pass (backpropagation
// through time), for the batch rows [b0, b1) of one thread; threads share the memory and split the
// batch (see src/model/recurrentKernel.ts). Cells and their formulas are Keras 2's
// (tensorflow/python/keras/layers/recurrent.py: SimpleRNNCell, LSTMCell, GRUCell with
// reset_after=False, implementation 1 when dropout masks differ per gate) and K.rnn's masking (a
// masked step carries the previous output and states over). Matrices are row-major f32 with
// explicit row strides (in floats); 128-bit SIMD throughout.
//
// A call is described by an i32 record at `desc` (field indices below, shared with the loader).

// ---- descriptor fields (keep in step with DESC in src/model/recurrentKernel.ts) ----
const CELL: i32 = 0; // 0 simple_rnn, 1 lstm, 2 gru
const ACT: i32 = 1; // activation code (see activate)
const REC_ACT: i32 = 2; // recurrent (gate) activation code
const BATCH: i32 = 3;
const STEPS: i32 = 4;
const FEATURES: i32 = 5;
const UNITS: i32 = 6;
const GO_BACKWARDS: i32 = 7;
const SAVE_ALL: i32 = 8; // 1: keep every step's gates / cells for the backward pass
const X: i32 = 9; // [B, T, I]
const W: i32 = 10; // [I, G*H]
const U: i32 = 11; // [H, G*H]
const BIAS: i32 = 12; // [G*H]
const SEQ_MASK: i32 = 13; // [B, T] 1/0, or 0 (no mask)
const IN_MASKS: i32 = 14; // [nIn][B, I]
const N_IN: i32 = 15; // 0, 1 (shared by the gates) or G (one per gate)
const REC_MASKS: i32 = 16; // [nRec][B, H]
const N_REC: i32 = 17;
const HS: i32 = 18; // outputs h [B, T, H] in processing order
const GATES_PTR: i32 = 19; // activated gates: [B, T, G*H] if SAVE_ALL else [B, G*H]
const CELLS: i32 = 20; // LSTM c: [B, T, H] if SAVE_ALL else [B, H]
const CELL_ACT: i32 = 21; // LSTM act(c), same layout as CELLS
const SCRATCH: i32 = 22; // per-thread scratch base
const SCRATCH_STRIDE: i32 = 23; // bytes per thread
const DY: i32 = 24; // upstream gradient: [B, T, H], or [B, H] if DY_LAST_ONLY
const DY_LAST_ONLY: i32 = 25;
const DX: i32 = 26; // [B, T, I]
const GRADS: i32 = 27; // per-thread partial dW [I, GH], dU [H, GH], db [GH]
const GRADS_STRIDE: i32 = 28; // bytes per thread
const WT: i32 = 29; // W transposed [GH, I]
const UT: i32 = 30; // U transposed [GH, H]
const THREADS: i32 = 31;
const PROJ: i32 = 32; // inputs projected in advance: rows of table W [R, G*H], or 0 (use X)
const IDS: i32 = 33; // with PROJ: each step's table row, i32 [B, T]

@inline function field(desc: usize, index: i32): i32 {
  return load<i32>(desc + (<usize>index << 2));
}

@inline function ptr(desc: usize, index: i32): usize {
  return <usize>load<i32>(desc + (<usize>index << 2));
}

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

// ---- activations (codes: 0 tanh, 1 sigmoid, 2 relu, 3 linear, 4 hard sigmoid) ----

// exp for 4 lanes: Cephes' expf polynomial after reducing x = n ln2 + r.
@inline function expV(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.mul(f32x4.mul(y, r), r), f32x4.add(r, f32x4.splat(1.0)));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

@inline function sigmoidV(x: v128): v128 {
  return f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), expV(f32x4.neg(x))));
}

// tanh(x) = sign(x) (1 - e) / (1 + e), e = exp(-2|x|): no overflow, absolute error ~1e-7.
@inline function tanhV(x: v128): v128 {
  const e = expV(f32x4.mul(f32x4.abs(x), f32x4.splat(-2.0)));
  const t = f32x4.div(f32x4.sub(f32x4.splat(1.0), e), f32x4.add(f32x4.splat(1.0), e));
  return v128.bitselect(f32x4.neg(t), t, f32x4.lt(x, f32x4.splat(0.0)));
}

@inline function activateV(code: i32, x: v128): v128 {
  if (code == 0) return tanhV(x);
  if (code == 1) return sigmoidV(x);
  if (code == 2) return f32x4.max(x, f32x4.splat(0.0));
  if (code == 3) return x;
  return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(x, f32x4.splat(0.2)), f32x4.splat(0.5)), f32x4.splat(0.0)), f32x4.splat(1.0));
}

// The activation's derivative, from its output y.
@inline function derivativeV(code: i32, y: v128): v128 {
  const one = f32x4.splat(1.0);
  if (code == 0) return f32x4.sub(one, f32x4.mul(y, y));
  if (code == 1) return f32x4.mul(y, f32x4.sub(one, y));
  if (code == 2) return v128.and(f32x4.gt(y, f32x4.splat(0.0)), one);
  if (code == 3) return one;
  return v128.and(v128.and(f32x4.gt(y, f32x4.splat(0.0)), f32x4.lt(y, one)), f32x4.splat(0.2));
}

@inline function activate(code: i32, x: f32): f32 {
  return f32x4.extract_lane(activateV(code, f32x4.splat(x)), 0);
}

// Four values at p + j, or (narrow: the row's last n % 4) one, in lane 0; the element-wise cell
// updates below run on either, so every unit gets the same operations in the same order.
@inline function ld(p: usize, j: i32, wide: bool): v128 {
  return wide ? v128.load(at(p, j)) : f32x4.splat(load<f32>(at(p, j)));
}

@inline function st(p: usize, j: i32, v: v128, wide: bool): void {
  if (wide) v128.store(at(p, j), v);
  else store<f32>(at(p, j), f32x4.extract_lane(v, 0));
}

// The same, reading zeros where there is no row (p == 0: the state before the first step).
@inline function ldOrZero(p: usize, j: i32, wide: bool): v128 {
  return p ? ld(p, j, wide) : f32x4.splat(0);
}

// Applies activation `code` in place to n values at p.
function activateRow(code: i32, p: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(at(p, j), activateV(code, v128.load(at(p, j))));
  for (; j < n; j++) store<f32>(at(p, j), activate(code, load<f32>(at(p, j))));
}

// ---- matrix products ----

// C[m x n] (+)= A[m x k] B[k x n]; lda, ldb, ldc are row strides in floats.
export function gemm(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32, accumulate: i32): void {
  const n8 = n & ~7;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = at(a, i * lda), a1 = at(a, (i + 1) * lda), a2 = at(a, (i + 2) * lda), a3 = at(a, (i + 3) * lda);
    const c0 = at(c, i * ldc), c1 = at(c, (i + 1) * ldc), c2 = at(c, (i + 2) * ldc), c3 = at(c, (i + 3) * ldc);
    for (let j = 0; j < n8; j += 8) {
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      let bp = at(b, j);
      const bStep = <usize>ldb << 2;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp), b1 = v128.load(bp, 16);
        const pOff = <usize>p << 2;
        const x0 = v128.load32_splat(a0 + pOff), x1 = v128.load32_splat(a1 + pOff);
        const x2 = v128.load32_splat(a2 + pOff), x3 = v128.load32_splat(a3 + pOff);
        s00 = f32x4.add(s00, f32x4.mul(x0, b0)); s01 = f32x4.add(s01, f32x4.mul(x0, b1));
        s10 = f32x4.add(s10, f32x4.mul(x1, b0)); s11 = f32x4.add(s11, f32x4.mul(x1, b1));
        s20 = f32x4.add(s20, f32x4.mul(x2, b0)); s21 = f32x4.add(s21, f32x4.mul(x2, b1));
        s30 = f32x4.add(s30, f32x4.mul(x3, b0)); s31 = f32x4.add(s31, f32x4.mul(x3, b1));
        bp += bStep;
      }
      const o = <usize>j << 2;
      if (accumulate) {
        s00 = f32x4.add(s00, v128.load(c0 + o)); s01 = f32x4.add(s01, v128.load(c0 + o, 16));
        s10 = f32x4.add(s10, v128.load(c1 + o)); s11 = f32x4.add(s11, v128.load(c1 + o, 16));
        s20 = f32x4.add(s20, v128.load(c2 + o)); s21 = f32x4.add(s21, v128.load(c2 + o, 16));
        s30 = f32x4.add(s30, v128.load(c3 + o)); s31 = f32x4.add(s31, v128.load(c3 + o, 16));
      }
      v128.store(c0 + o, s00); v128.store(c0 + o, s01, 16);
      v128.store(c1 + o, s10); v128.store(c1 + o, s11, 16);
      v128.store(c2 + o, s20); v128.store(c2 + o, s21, 16);
      v128.store(c3 + o, s30); v128.store(c3 + o, s31, 16);
    }
    for (let r = 0; r < 4; r++) gemmTail(at(a, (i + r) * lda), b, ldb, at(c, (i + r) * ldc), k, n8, n, accumulate);
  }
  for (; i < m; i++) {
    const ai = at(a, i * lda), ci = at(c, i * ldc);
    for (let j = 0; j < n8; j += 8) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
      let bp = at(b, j);
      for (let p = 0; p < k; p++) {
        const x = v128.load32_splat(at(ai, p));
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(bp)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(bp, 16)));
        bp += <usize>ldb << 2;
      }
      const o = <usize>j << 2;
      if (accumulate) {
        s0 = f32x4.add(s0, v128.load(ci + o));
        s1 = f32x4.add(s1, v128.load(ci + o, 16));
      }
      v128.store(ci + o, s0);
      v128.store(ci + o, s1, 16);
    }
    gemmTail(ai, b, ldb, ci, k, n8, n, accumulate);
  }
}

// Columns [from, n) of one row of C, one value at a time. Like the SIMD columns, the products are
// summed from zero and then added to C, so a product precomputed by gemm is the same bits.
function gemmTail(ai: usize, b: usize, ldb: i32, ci: usize, k: i32, from: i32, n: i32, accumulate: i32): void {
  for (let j = from; j < n; j++) {
    let s: f32 = 0;
    for (let p = 0; p < k; p++) s += load<f32>(at(ai, p)) * load<f32>(at(b, p * ldb + j));
    store<f32>(at(ci, j), accumulate ? load<f32>(at(ci, j)) + s : s);
  }
}

// C[k x n] += A[m x k]^T B[m x n]: the weight gradient of a product, summed over m rows.
export function gemmTN(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32): void {
  const n8 = n & ~7;
  let i = 0;
  for (; i + 4 <= k; i += 4) {
    const c0 = at(c, i * ldc), c1 = at(c, (i + 1) * ldc), c2 = at(c, (i + 2) * ldc), c3 = at(c, (i + 3) * ldc);
    for (let j = 0; j < n8; j += 8) {
      const o = <usize>j << 2;
      let s00 = v128.load(c0 + o), s01 = v128.load(c0 + o, 16), s10 = v128.load(c1 + o), s11 = v128.load(c1 + o, 16);
      let s20 = v128.load(c2 + o), s21 = v128.load(c2 + o, 16), s30 = v128.load(c3 + o), s31 = v128.load(c3 + o, 16);
      for (let r = 0; r < m; r++) {
        const br = at(b, r * ldb + j);
        const b0 = v128.load(br), b1 = v128.load(br, 16);
        const ar = at(a, r * lda + i);
        const x0 = v128.load32_splat(ar), x1 = v128.load32_splat(ar + 4), x2 = v128.load32_splat(ar + 8), x3 = v128.load32_splat(ar + 12);
        s00 = f32x4.add(s00, f32x4.mul(x0, b0)); s01 = f32x4.add(s01, f32x4.mul(x0, b1));
        s10 = f32x4.add(s10, f32x4.mul(x1, b0)); s11 = f32x4.add(s11, f32x4.mul(x1, b1));
        s20 = f32x4.add(s20, f32x4.mul(x2, b0)); s21 = f32x4.add(s21, f32x4.mul(x2, b1));
        s30 = f32x4.add(s30, f32x4.mul(x3, b0)); s31 = f32x4.add(s31, f32x4.mul(x3, b1));
      }
      v128.store(c0 + o, s00); v128.store(c0 + o, s01, 16);
      v128.store(c1 + o, s10); v128.store(c1 + o, s11, 16);
      v128.store(c2 + o, s20); v128.store(c2 + o, s21, 16);
      v128.store(c3 + o, s30); v128.store(c3 + o, s31, 16);
    }
  }
  // Leftover rows of C (k % 4) and columns (n % 8), one value at a time.
  for (let row = 0; row < k; row++) {
    const from = row < i ? n8 : 0;
    for (let j = from; j < n; j++) {
      let s: f32 = load<f32>(at(c, row * ldc + j));
      for (let r = 0; r < m; r++) s += load<f32>(at(a, r * lda + row)) * load<f32>(at(b, r * ldb + j));
      store<f32>(at(c, row * ldc + j), s);
    }
  }
}

// dst[cols x rows] = src[rows x cols]^T.
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<f32>(at(dst, c * rows + r), load<f32>(at(src, r * cols + c)));
  }
}

// dst[r] = src[r] * mask[r] for `rows` rows of n values (row strides lds, ldm, ldd).
function maskRows(src: usize, lds: i32, mask: usize, ldm: i32, dst: usize, ldd: i32, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = at(src, r * lds), m = at(mask, r * ldm), d = at(dst, r * ldd);
    let j = 0;
    for (; j + 4 <= n; j += 4) v128.store(at(d, j), f32x4.mul(v128.load(at(s, j)), v128.load(at(m, j))));
    for (; j < n; j++) store<f32>(at(d, j), load<f32>(at(s, j)) * load<f32>(at(m, j)));
  }
}

// dst[r] (+)= src[r] * mask[r] (mask == 0: no mask).
function addMaskedRows(src: usize, lds: i32, mask: usize, ldm: i32, dst: usize, ldd: i32, rows: i32, n: i32, accumulate: bool): void {
  for (let r = 0; r < rows; r++) {
    const s = at(src, r * lds), d = at(dst, r * ldd), m = mask ? at(mask, r * ldm) : 0;
    for (let j = 0; j < n; j++) {
      const v = mask ? load<f32>(at(s, j)) * load<f32>(at(m, j)) : load<f32>(at(s, j));
      store<f32>(at(d, j), accumulate ? load<f32>(at(d, j)) + v : v);
    }
  }
}

function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 2);
}

// ---- the layer ----

// Everything a thread's call needs, decoded once from the descriptor. It lives at the start of the
// thread's scratch (unmanaged: the kernel allocates nothing, every thread has its own copy).
@unmanaged class Layout {
  cell!: i32; act!: i32; recAct!: i32;
  B!: i32; T!: i32; I!: i32; H!: i32; G!: i32; GH!: i32;
  b0!: i32; nb!: i32;
  goBackwards!: bool; saveAll!: bool;
  x!: usize; w!: usize; u!: usize; bias!: usize; seqMask!: usize;
  inMasks!: usize; nIn!: i32; recMasks!: usize; nRec!: i32;
  hs!: usize; gates!: usize; cells!: usize; cellAct!: usize;
  proj!: usize; ids!: usize;
  // per-thread scratch buffers
  xm!: usize; hm!: usize; tmp!: usize; dz!: usize; dh!: usize; dc!: usize; dq!: usize;
}

const LAYOUT_BYTES: usize = 256;

function gateCount(cell: i32): i32 {
  return cell == 1 ? 4 : cell == 2 ? 3 : 1;
}

function layout(desc: usize, tid: i32): Layout {
  const threads = field(desc, THREADS);
  const base = ptr(desc, SCRATCH) + <usize>tid * <usize>field(desc, SCRATCH_STRIDE);
  const l = changetype<Layout>(base);
  l.cell = field(desc, CELL); l.act = field(desc, ACT); l.recAct = field(desc, REC_ACT);
  l.B = field(desc, BATCH); l.T = field(desc, STEPS); l.I = field(desc, FEATURES); l.H = field(desc, UNITS);
  l.G = gateCount(l.cell); l.GH = l.G * l.H;
  l.b0 = <i32>((<i64>l.B * tid) / threads);
  l.nb = <i32>((<i64>l.B * (tid + 1)) / threads) - l.b0;
  l.goBackwards = field(desc, GO_BACKWARDS) != 0; l.saveAll = field(desc, SAVE_ALL) != 0;
  l.x = ptr(desc, X); l.w = ptr(desc, W); l.u = ptr(desc, U); l.bias = ptr(desc, BIAS); l.seqMask = ptr(desc, SEQ_MASK);
  l.inMasks = ptr(desc, IN_MASKS); l.nIn = field(desc, N_IN); l.recMasks = ptr(desc, REC_MASKS); l.nRec = field(desc, N_REC);
  l.hs = ptr(desc, HS); l.gates = ptr(desc, GATES_PTR); l.cells = ptr(desc, CELLS); l.cellAct = ptr(desc, CELL_ACT);
  l.proj = ptr(desc, PROJ); l.ids = ptr(desc, IDS);
  const maxRows = (l.B + threads - 1) / threads;
  let s = base + LAYOUT_BYTES;
  const wide = l.I > l.H ? l.I : l.H;
  l.xm = s; s += <usize>(maxRows * l.I) << 2;
  l.hm = s; s += <usize>(maxRows * l.H) << 2;
  l.tmp = s; s += <usize>(maxRows * wide) << 2;
  l.dz = s; s += <usize>(maxRows * l.GH) << 2;
  l.dh = s; s += <usize>(maxRows * l.H) << 2;
  l.dc = s; s += <usize>(maxRows * l.H) << 2;
  l.dq = s;
  return l;
}

// Floats per thread of scratch: must cover layout()'s use.
export function scratchFloats(batch: i32, features: i32, units: i32, cell: i32, threads: i32): i32 {
  const maxRows = (batch + threads - 1) / threads;
  const wide = features > units ? features : units;
  return maxRows * (features + units + wide + gateCount(cell) * units + 3 * units) + 64;
}

// Row pointers of the sequence buffers at (batch row b, processing step s).
@inline function hsRow(l: Layout, b: i32, s: i32): usize {
  return at(l.hs, (b * l.T + s) * l.H);
}
@inline function gateRow(l: Layout, b: i32, s: i32): usize {
  return l.saveAll ? at(l.gates, (b * l.T + s) * l.GH) : at(l.gates, b * l.GH);
}
@inline function cellRow(base: usize, l: Layout, b: i32, s: i32): usize {
  return l.saveAll ? at(base, (b * l.T + s) * l.H) : at(base, b * l.H);
}
@inline function gateRowStride(l: Layout): i32 {
  return l.saveAll ? l.T * l.GH : l.GH;
}
@inline function timeOf(l: Layout, s: i32): i32 {
  return l.goBackwards ? l.T - 1 - s : s;
}
@inline function stepKept(l: Layout, b: i32, t: i32): bool {
  return l.seqMask == 0 || load<f32>(at(l.seqMask, b * l.T + t)) != 0;
}
@inline function inMask(l: Layout, g: i32): usize {
  return at(l.inMasks, ((l.nIn == 1 ? 0 : g) * l.B + l.b0) * l.I);
}
@inline function recMask(l: Layout, g: i32): usize {
  return at(l.recMasks, ((l.nRec == 1 ? 0 : g) * l.B + l.b0) * l.H);
}

// Gate pre-activations at step s for gates [g0, g0 + count): bias + x_t W (inputs masked per gate).
function inputProjection(l: Layout, s: i32): void {
  const t = timeOf(l, s);
  const xRows = at(l.x, (l.b0 * l.T + t) * l.I);
  const z = gateRow(l, l.b0, s);
  const ldz = gateRowStride(l);
  if (l.proj) {
    // x_t is row ids[b, t] of a table whose product with W is PROJ (same sums, same bits).
    for (let r = 0; r < l.nb; r++) {
      const row = at(l.proj, load<i32>(at(l.ids, (l.b0 + r) * l.T + t)) * l.GH);
      const zr = at(z, r * ldz);
      let j = 0;
      for (; j + 4 <= l.GH; j += 4) v128.store(at(zr, j), f32x4.add(v128.load(at(row, j)), v128.load(at(l.bias, j))));
      for (; j < l.GH; j++) store<f32>(at(zr, j), load<f32>(at(row, j)) + load<f32>(at(l.bias, j)));
    }
    return;
  }
  for (let r = 0; r < l.nb; r++) memory.copy(at(z, r * ldz), l.bias, <usize>l.GH << 2);
  if (l.nIn == 0) {
    gemm(xRows, l.T * l.I, l.w, l.GH, z, ldz, l.nb, l.I, l.GH, 1);
  } else if (l.nIn == 1) {
    maskRows(xRows, l.T * l.I, inMask(l, 0), l.I, l.xm, l.I, l.nb, l.I);
    gemm(l.xm, l.I, l.w, l.GH, z, ldz, l.nb, l.I, l.GH, 1);
  } else {
    for (let g = 0; g < l.G; g++) {
      maskRows(xRows, l.T * l.I, inMask(l, g), l.I, l.xm, l.I, l.nb, l.I);
      gemm(l.xm, l.I, at(l.w, g * l.H), l.GH, at(z, g * l.H), ldz, l.nb, l.I, l.H, 1);
    }
  }
}

// Adds h_{s-1} U (masked per gate) to the pre-activations of gates [0, count).
function recurrentProjection(l: Layout, s: i32, count: i32): void {
  if (s == 0) return; // h_{-1} = 0
  const hPrev = hsRow(l, l.b0, s - 1);
  const z = gateRow(l, l.b0, s);
  const ldz = gateRowStride(l);
  const ldh = l.T * l.H;
  if (l.nRec == 0) {
    gemm(hPrev, ldh, l.u, l.GH, z, ldz, l.nb, l.H, count * l.H, 1);
  } else if (l.nRec == 1) {
    maskRows(hPrev, ldh, recMask(l, 0), l.H, l.hm, l.H, l.nb, l.H);
    gemm(l.hm, l.H, l.u, l.GH, z, ldz, l.nb, l.H, count * l.H, 1);
  } else {
    for (let g = 0; g < count; g++) {
      maskRows(hPrev, ldh, recMask(l, g), l.H, l.hm, l.H, l.nb, l.H);
      gemm(l.hm, l.H, at(l.u, g * l.H), l.GH, at(z, g * l.H), ldz, l.nb, l.H, l.H, 1);
    }
  }
}

// hm = h_{s-1} rows masked for gate g (or unmasked): into l.hm, stride H.
function maskedPrevious(l: Layout, s: i32, g: i32): void {
  const hPrev = hsRow(l, l.b0, s - 1);
  if (l.nRec == 0) {
    for (let r = 0; r < l.nb; r++) memory.copy(at(l.hm, r * l.H), at(hPrev, r * l.T * l.H), <usize>l.H << 2);
  } else {
    maskRows(hPrev, l.T * l.H, recMask(l, g), l.H, l.hm, l.H, l.nb, l.H);
  }
}

export function forward(desc: usize, tid: i32): void {
  const l = layout(desc, tid);
  if (l.nb <= 0) return;
  const H = l.H;
  for (let s = 0; s < l.T; s++) {
    const t = timeOf(l, s);
    inputProjection(l, s);
    if (l.cell == 2) {
      recurrentProjection(l, s, 2);
      for (let r = 0; r < l.nb; r++) activateRow(l.recAct, gateRow(l, l.b0 + r, s), 2 * H);
      // candidate: act(x_h + (r * h_{s-1}) U_h)
      if (s > 0) {
        maskedPrevious(l, s, 2);
        for (let r = 0; r < l.nb; r++) {
          const rGate = at(gateRow(l, l.b0 + r, s), H);
          const q = at(l.hm, r * H);
          for (let j = 0; j < H; ) {
            const wide = j + 4 <= H;
            st(q, j, f32x4.mul(ld(q, j, wide), ld(rGate, j, wide)), wide);
            j += wide ? 4 : 1;
          }
        }
        gemm(l.hm, H, at(l.u, 2 * H), l.GH, at(gateRow(l, l.b0, s), 2 * H), gateRowStride(l), l.nb, H, H, 1);
      }
      for (let r = 0; r < l.nb; r++) activateRow(l.act, at(gateRow(l, l.b0 + r, s), 2 * H), H);
    } else {
      recurrentProjection(l, s, l.G);
    }
    for (let r = 0; r < l.nb; r++) {
      const b = l.b0 + r;
      const z = gateRow(l, b, s);
      const h = hsRow(l, b, s);
      const kept = stepKept(l, b, t);
      const hPrev: usize = s > 0 ? hsRow(l, b, s - 1) : 0;
      if (l.cell == 0) {
        activateRow(l.act, z, H);
        for (let j = 0; j < H; ) {
          const wide = j + 4 <= H;
          st(h, j, kept ? ld(z, j, wide) : ldOrZero(hPrev, j, wide), wide);
          j += wide ? 4 : 1;
        }
      } else if (l.cell == 1) {
        activateRow(l.recAct, z, 2 * H);
        activateRow(l.act, at(z, 2 * H), H);
        activateRow(l.recAct, at(z, 3 * H), H);
        const c = cellRow(l.cells, l, b, s);
        const ca = cellRow(l.cellAct, l, b, s);
        const cPrev: usize = s > 0 ? cellRow(l.cells, l, b, s - 1) : 0;
        for (let j = 0; j < H; ) {
          const wide = j + 4 <= H;
          const cp = ldOrZero(cPrev, j, wide);
          if (kept) {
            // c = f c_prev + i g, h = o act(c)
            const cv = f32x4.add(f32x4.mul(ld(z, H + j, wide), cp), f32x4.mul(ld(z, j, wide), ld(z, 2 * H + j, wide)));
            const cav = activateV(l.act, cv);
            st(c, j, cv, wide);
            st(ca, j, cav, wide);
            st(h, j, f32x4.mul(ld(z, 3 * H + j, wide), cav), wide);
          } else {
            st(c, j, cp, wide);
            st(h, j, ldOrZero(hPrev, j, wide), wide);
          }
          j += wide ? 4 : 1;
        }
      } else {
        for (let j = 0; j < H; ) {
          const wide = j + 4 <= H;
          const hp = ldOrZero(hPrev, j, wide);
          const zg = ld(z, j, wide);
          // h = z h_prev + (1 - z) candidate
          st(h, j, kept ? f32x4.add(f32x4.mul(zg, hp), f32x4.mul(f32x4.sub(f32x4.splat(1), zg), ld(z, 2 * H + j, wide))) : hp, wide);
          j += wide ? 4 : 1;
        }
      }
    }
  }
}

// Upstream gradient of h at (b, s): dY's row, or zero.
@inline function dyRow(desc: usize, l: Layout, b: i32, s: i32): usize {
  const dy = ptr(desc, DY);
  if (field(desc, DY_LAST_ONLY)) return s == l.T - 1 ? at(dy, b * l.H) : 0;
  return at(dy, (b * l.T + s) * l.H);
}

export function backward(desc: usize, tid: i32): void {
  const l = layout(desc, tid);
  const H = l.H, GH = l.GH, I = l.I;
  const grads = ptr(desc, GRADS) + <usize>tid * <usize>field(desc, GRADS_STRIDE);
  const dW = grads, dU = at(grads, I * GH), db = at(grads, (I + H) * GH);
  zero(grads, (I + H + 1) * GH);
  if (l.nb <= 0) return;
  const wt = ptr(desc, WT), ut = ptr(desc, UT), dx = ptr(desc, DX);
  zero(l.dh, l.nb * H);
  zero(l.dc, l.nb * H);
  for (let s = l.T - 1; s >= 0; s--) {
    const t = timeOf(l, s);
    // 1. dz (pre-activation gradients) per row; dh becomes the direct part of dh_{s-1}.
    for (let r = 0; r < l.nb; r++) {
      const b = l.b0 + r;
      const dh = at(l.dh, r * H), dc = at(l.dc, r * H), dz = at(l.dz, r * GH);
      const up = dyRow(desc, l, b, s);
      if (up) {
        for (let j = 0; j < H; ) {
          const wide = j + 4 <= H;
          st(dh, j, f32x4.add(ld(dh, j, wide), ld(up, j, wide)), wide);
          j += wide ? 4 : 1;
        }
      }
      if (!stepKept(l, b, t)) {
        zero(dz, GH); // state and output carried over: dh, dc pass through to step s-1
        continue;
      }
      const z = gateRow(l, b, s);
      const hPrev: usize = s > 0 ? hsRow(l, b, s - 1) : 0;
      const zero4 = f32x4.splat(0);
      if (l.cell == 0) {
        const h = hsRow(l, b, s);
        for (let j = 0; j < H; ) {
          const wide = j + 4 <= H;
          st(dz, j, f32x4.mul(ld(dh, j, wide), derivativeV(l.act, ld(h, j, wide))), wide);
          st(dh, j, zero4, wide);
          j += wide ? 4 : 1;
        }
      } else if (l.cell == 1) {
        const ca = cellRow(l.cellAct, l, b, s);
        const cPrev: usize = s > 0 ? cellRow(l.cells, l, b, s - 1) : 0;
        for (let j = 0; j < H; ) {
          const wide = j + 4 <= H;
          const ig = ld(z, j, wide), fg = ld(z, H + j, wide), gg = ld(z, 2 * H + j, wide), og = ld(z, 3 * H + j, wide);
          const cav = ld(ca, j, wide);
          const dhv = ld(dh, j, wide);
          const dcv = f32x4.add(ld(dc, j, wide), f32x4.mul(f32x4.mul(dhv, og), derivativeV(l.act, cav)));
          const cp = ldOrZero(cPrev, j, wide);
          st(dz, j, f32x4.mul(f32x4.mul(dcv, gg), derivativeV(l.recAct, ig)), wide);
          st(dz, H + j, f32x4.mul(f32x4.mul(dcv, cp), derivativeV(l.recAct, fg)), wide);
          st(dz, 2 * H + j, f32x4.mul(f32x4.mul(dcv, ig), derivativeV(l.act, gg)), wide);
          st(dz, 3 * H + j, f32x4.mul(f32x4.mul(dhv, cav), derivativeV(l.recAct, og)), wide);
          st(dc, j, f32x4.mul(dcv, fg), wide);
          st(dh, j, zero4, wide);
          j += wide ? 4 : 1;
        }
      } else {
        for (let j = 0; j < H; ) {
          const wide = j + 4 <= H;
          const zg = ld(z, j, wide), hh = ld(z, 2 * H + j, wide);
          const dhv = ld(dh, j, wide);
          const hp = ldOrZero(hPrev, j, wide);
          st(dz, j, f32x4.mul(f32x4.mul(dhv, f32x4.sub(hp, hh)), derivativeV(l.recAct, zg)), wide);
          st(dz, 2 * H + j, f32x4.mul(f32x4.mul(dhv, f32x4.sub(f32x4.splat(1), zg)), derivativeV(l.act, hh)), wide);
          st(dh, j, f32x4.mul(dhv, zg), wide);
          j += wide ? 4 : 1;
        }
      }
    }
    // 2. GRU: the reset gate's gradient goes through (r * h_{s-1}) U_h.
    const recurrentGates = l.cell == 2 ? 2 : l.G;
    if (l.cell == 2) {
      // dq = da_h U_h^T
      gemm(at(l.dz, 2 * H), GH, at(ut, 2 * H * H), H, l.dq, H, l.nb, H, H, 0);
      if (s > 0) {
        maskedPrevious(l, s, 2); // hm = h_{s-1} masked for the candidate
        for (let r = 0; r < l.nb; r++) {
          const b = l.b0 + r;
          const z = gateRow(l, b, s), dz = at(l.dz, r * GH), dq = at(l.dq, r * H), hm = at(l.hm, r * H);
          const kept = stepKept(l, b, t);
          for (let j = 0; j < H; ) {
            const wide = j + 4 <= H;
            const rg = ld(z, H + j, wide), dqv = ld(dq, j, wide), hmv = ld(hm, j, wide);
            st(dz, H + j, kept ? f32x4.mul(f32x4.mul(dqv, hmv), derivativeV(l.recAct, rg)) : f32x4.splat(0), wide);
            st(dq, j, f32x4.mul(dqv, rg), wide); // now d(h_{s-1} masked for h)
            st(hm, j, f32x4.mul(hmv, rg), wide); // now q = r * hm, for dU_h
            j += wide ? 4 : 1;
          }
        }
        addMaskedRows(l.dq, H, l.nRec ? recMask(l, 2) : 0, H, l.dh, H, l.nb, H, true);
        gemmTN(l.hm, H, at(l.dz, 2 * H), GH, at(dU, 2 * H), GH, l.nb, H, H);
      } else {
        for (let r = 0; r < l.nb; r++) zero(at(at(l.dz, r * GH), H), H); // h_{-1} = 0: no reset-gate gradient
      }
    }
    // 3. dh_{s-1} += sum over gates of (dz_g U_g^T) masked; dU += hm^T dz.
    if (s > 0) {
      if (l.nRec == 0) {
        gemm(l.dz, GH, ut, H, l.dh, H, l.nb, recurrentGates * H, H, 1);
        gemmTN(hsRow(l, l.b0, s - 1), l.T * H, l.dz, GH, dU, GH, l.nb, H, recurrentGates * H);
      } else if (l.nRec == 1) {
        gemm(l.dz, GH, ut, H, l.tmp, H, l.nb, recurrentGates * H, H, 0);
        addMaskedRows(l.tmp, H, recMask(l, 0), H, l.dh, H, l.nb, H, true);
        maskedPrevious(l, s, 0);
        gemmTN(l.hm, H, l.dz, GH, dU, GH, l.nb, H, recurrentGates * H);
      } else {
        for (let g = 0; g < recurrentGates; g++) {
          gemm(at(l.dz, g * H), GH, at(ut, g * H * H), H, l.tmp, H, l.nb, H, H, 0);
          addMaskedRows(l.tmp, H, recMask(l, g), H, l.dh, H, l.nb, H, true);
          maskedPrevious(l, s, g);
          gemmTN(l.hm, H, at(l.dz, g * H), GH, at(dU, g * H), GH, l.nb, H, H);
        }
      }
    }
    // 4. dx_t, dW, db.
    const xRows = at(l.x, (l.b0 * l.T + t) * I);
    const dxRows = at(dx, (l.b0 * l.T + t) * I);
    const ldx = l.T * I;
    if (l.nIn == 0) {
      gemm(l.dz, GH, wt, I, dxRows, ldx, l.nb, GH, I, 0);
      gemmTN(xRows, ldx, l.dz, GH, dW, GH, l.nb, I, GH);
    } else if (l.nIn == 1) {
      gemm(l.dz, GH, wt, I, l.tmp, I, l.nb, GH, I, 0);
      maskRows(l.tmp, I, inMask(l, 0), I, dxRows, ldx, l.nb, I);
      maskRows(xRows, ldx, inMask(l, 0), I, l.xm, I, l.nb, I);
      gemmTN(l.xm, I, l.dz, GH, dW, GH, l.nb, I, GH);
    } else {
      for (let g = 0; g < l.G; g++) {
        gemm(at(l.dz, g * H), GH, at(wt, g * H * I), I, l.tmp, I, l.nb, H, I, 0);
        addMaskedRows(l.tmp, I, inMask(l, g), I, dxRows, ldx, l.nb, I, g > 0);
        maskRows(xRows, ldx, inMask(l, g), I, l.xm, I, l.nb, I);
        gemmTN(l.xm, I, at(l.dz, g * H), GH, at(dW, g * H), GH, l.nb, I, H);
      }
    }
    for (let r = 0; r < l.nb; r++) {
      const dz = at(l.dz, r * GH);
      for (let j = 0; j < GH; ) {
        const wide = j + 4 <= GH;
        st(db, j, f32x4.add(ld(db, j, wide), ld(dz, j, wide)), wide);
        j += wide ? 4 : 1;
      }
    }
  }
}

// dst[i] = sum over k < count of src[k * stride + i] (floats); the threads' partial gradients.
export function sumPartials(src: usize, strideFloats: i32, count: i32, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    let s: f32 = 0;
    for (let k = 0; k < count; k++) s += load<f32>(at(src, k * strideFloats + i));
    store<f32>(at(dst, i), s);
  }
}
