/**
 * Principal component analysis to two dimensions for the representation map: the covariance of
 * the centred points and its two leading eigenvectors by power iteration with deflation (the
 * matrices are at most a few hundred wide). Pure arithmetic, no tensors.
 */

export interface Projection {
  /** `[x0, y0, x1, y1, ...]`. */
  points: number[];
  /** Fraction of the total variance along each axis. */
  explained: [number, number];
}

const ITERATIONS = 300;

/**
 * Projects `rows` (n points of d values, row-major) on their first two principal axes. Each axis
 * is oriented to agree with `previous` (the same points' projection one epoch earlier) so that an
 * animation over epochs does not flip; otherwise its largest loading is made positive.
 */
export function pca2(rows: Float32Array | number[], n: number, d: number, previous?: readonly number[]): Projection {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j] / n;
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred[i * d + j] = rows[i * d + j] - mean[j];
  const covariance = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const va = centred[i * d + a];
      if (va === 0) continue;
      for (let b = a; b < d; b++) covariance[a * d + b] += va * centred[i * d + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) covariance[b * d + a] = covariance[a * d + b] /= Math.max(n - 1, 1);
  let total = 0;
  for (let a = 0; a < d; a++) total += covariance[a * d + a];

  const axes: Float64Array[] = [];
  const variances: number[] = [];
  for (let k = 0; k < 2; k++) {
    const { vector, value } = leadingEigen(covariance, d, k);
    axes.push(vector);
    variances.push(value);
    // Deflate: remove this component so the next iteration finds the next one.
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) covariance[a * d + b] -= value * vector[a] * vector[b];
  }

  const points = new Array<number>(2 * n);
  for (let k = 0; k < 2; k++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += centred[i * d + j] * axes[k][j];
      points[2 * i + k] = sum;
    }
    if (orientationSign(points, k, n, axes[k], previous) < 0) for (let i = 0; i < n; i++) points[2 * i + k] = -points[2 * i + k];
  }
  const share = (value: number) => (total > 0 ? Math.max(value, 0) / total : 0);
  return { points, explained: [share(variances[0]), share(variances[1])] };
}

function leadingEigen(matrix: Float64Array, d: number, seedIndex: number): { vector: Float64Array; value: number } {
  // A fixed, non-degenerate start (never orthogonal to every eigenvector in practice).
  let vector = Float64Array.from({ length: d }, (_, i) => 1 + ((i * 7 + seedIndex * 3) % 11) / 10);
  normalize(vector);
  let value = 0;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const next = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      let sum = 0;
      for (let b = 0; b < d; b++) sum += matrix[a * d + b] * vector[b];
      next[a] = sum;
    }
    const norm = normalize(next);
    if (norm === 0) return { vector, value: 0 };
    const converged = Math.abs(norm - value) <= 1e-12 * Math.max(norm, 1);
    vector = next;
    value = norm;
    if (converged) break;
  }
  return { vector, value };
}

function normalize(vector: Float64Array): number {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return norm;
}

function orientationSign(points: number[], k: number, n: number, axis: Float64Array, previous: readonly number[] | undefined): number {
  if (previous && previous.length === 2 * n) {
    let agreement = 0;
    for (let i = 0; i < n; i++) agreement += points[2 * i + k] * previous[2 * i + k];
    return agreement < 0 ? -1 : 1;
  }
  let largest = 0;
  for (const loading of axis) if (Math.abs(loading) > Math.abs(largest)) largest = loading;
  return largest < 0 ? -1 : 1;
}
