// AssemblyScript (compiled by scripts/build-kernels.mjs to src/model/heapOpsWasmBinary.ts).
//
// Element-wise and row work that tfjs's wasm backend does in several passes (or in JavaScript),
// done in one 128-bit SIMD pass directly on that backend's own memory: the module imports tfjs's
// WebAssembly.Memory, and every pointer is a byte offset into it (a tensor's data). It has no data
// segments and allocates nothing, so instantiating it writes nothing into tfjs's memory.

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

// out[ids[i]] += x[i] for each of `count` rows of `rowSize` floats; `out` (numSegments rows) is
// zeroed first. Ids outside [0, numSegments) are dropped, as TensorFlow drops them. Rows are summed
// in order of i, as the one-value-at-a-time loop does, so the sums are the same bits.
export function segmentSum(x: usize, ids: usize, count: i32, numSegments: i32, rowSize: i32, out: usize): void {
  memory.fill(out, 0, <usize>numSegments * <usize>rowSize << 2);
  const wide = rowSize & ~3;
  for (let i = 0; i < count; i++) {
    const segment = load<i32>(at(ids, i));
    if (segment < 0 || segment >= numSegments) continue;
    const from = at(x, i * rowSize);
    const to = at(out, segment * rowSize);
    let k = 0;
    for (; k < wide; k += 4) v128.store(at(to, k), f32x4.add(v128.load(at(to, k)), v128.load(at(from, k))));
    for (; k < rowSize; k++) store<f32>(at(to, k), load<f32>(at(to, k)) + load<f32>(at(from, k)));
  }
}

// Keras's Adam step over n values (see src/model/kerasAdam.ts):
//   m' = b1 m + c1 g,  v' = b2 v + c2 g^2,  theta' = theta - alpha m' / (sqrt(v') + eps)
// with c1 = 1 - b1 and c2 = 1 - b2, in float32, each operation rounded in the order tfjs's ops
// compute it, so the result is theirs bit for bit. Outputs are new buffers (inputs unchanged).
export function kerasAdam(
  theta: usize, m: usize, v: usize, g: usize, n: i32,
  b1: f32, c1: f32, b2: f32, c2: f32, eps: f32, alpha: f32,
  outTheta: usize, outM: usize, outV: usize,
): void {
  const B1 = f32x4.splat(b1), C1 = f32x4.splat(c1), B2 = f32x4.splat(b2), C2 = f32x4.splat(c2);
  const EPS = f32x4.splat(eps), ALPHA = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gv = v128.load(at(g, i));
    const mv = f32x4.add(f32x4.mul(v128.load(at(m, i)), B1), f32x4.mul(gv, C1));
    const vv = f32x4.add(f32x4.mul(v128.load(at(v, i)), B2), f32x4.mul(f32x4.mul(gv, gv), C2));
    const step = f32x4.mul(f32x4.div(mv, f32x4.add(f32x4.sqrt(vv), EPS)), ALPHA);
    v128.store(at(outTheta, i), f32x4.sub(v128.load(at(theta, i)), step));
    v128.store(at(outM, i), mv);
    v128.store(at(outV, i), vv);
  }
  for (; i < n; i++) {
    const gs = load<f32>(at(g, i));
    const ms: f32 = load<f32>(at(m, i)) * b1 + gs * c1;
    const vs: f32 = load<f32>(at(v, i)) * b2 + gs * gs * c2;
    store<f32>(at(outTheta, i), load<f32>(at(theta, i)) - (ms / (Mathf.sqrt(vs) + eps)) * alpha);
    store<f32>(at(outM, i), ms);
    store<f32>(at(outV, i), vs);
  }
}

// Rows ids[i] of a table of `rowBytes`-byte rows, one after another into out (count rows). Ids are
// checked by the caller.
export function gatherRows(table: usize, ids: usize, count: i32, rowBytes: i32, out: usize): void {
  const size = <usize>rowBytes;
  for (let i = 0; i < count; i++) memory.copy(out + <usize>i * size, table + <usize>load<i32>(at(ids, i)) * size, size);
}
