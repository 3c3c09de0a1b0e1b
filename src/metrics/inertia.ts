/**
 * Inertia (within-cluster sum of squares): how tightly points sit around the centroids they are assigned to.
 * @module
 */

import { type MatrixLike, toMatrix } from '../util/matrix.js';

/**
 * Sum over points of `w_i · ‖x_i − c_{label_i}‖²`, with squared distances taken from explicit differences (not the
 * `‖x‖² − 2x·c + ‖c‖²` expansion) so that points on a centroid contribute exactly 0.
 *
 * Internal fast path: trusts its arguments (labels in `[0, k)`, `centroids.length === k × d`).
 */
export function inertiaCore(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  centroids: Float64Array,
  weights: Float64Array | null,
): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const co = labels[i]! * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[xo + t]! - centroids[co + t]!;
      s += diff * diff;
    }
    total += weights === null ? s : weights[i]! * s;
  }
  return total;
}

/**
 * Within-cluster sum of squared distances of each row of `X` to the centroid of its cluster, the objective k-means
 * minimises (scikit-learn's `inertia_`).
 *
 * @param X - n × d points.
 * @param labels - cluster of each row, an integer in `[0, k)`.
 * @param centroids - k × d centroids, row-major.
 * @param sampleWeight - optional non-negative weight per row.
 * @throws RangeError when shapes disagree or a label is out of range.
 *
 * @example
 * inertia([[0, 0], [2, 0]], [0, 0], new Float64Array([1, 0])); // 2
 */
export function inertia(
  X: MatrixLike,
  labels: ArrayLike<number>,
  centroids: Float64Array,
  sampleWeight?: ArrayLike<number>,
): number {
  const m = toMatrix(X);
  const { rows: n, cols: d } = m;
  if (!(centroids instanceof Float64Array)) throw new TypeError('centroids must be a Float64Array (k × d)');
  if (centroids.length === 0 || centroids.length % d !== 0) {
    throw new RangeError(
      `centroids has length ${centroids.length}, which is not a positive multiple of d = ${d}`,
    );
  }
  const k = centroids.length / d;
  if (labels.length !== n)
    throw new RangeError(`labels has length ${labels.length}, expected ${n} (rows of X)`);
  const lab = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l >= k) {
      throw new RangeError(`labels[${i}] is ${l}: expected an integer in [0, ${k})`);
    }
    lab[i] = l;
  }
  let w: Float64Array | null = null;
  if (sampleWeight !== undefined) {
    if (sampleWeight.length !== n) {
      throw new RangeError(`sampleWeight has length ${sampleWeight.length}, expected ${n} (rows of X)`);
    }
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = sampleWeight[i]!;
      if (!Number.isFinite(v) || v < 0)
        throw new RangeError(`sampleWeight[${i}] is ${v}: expected a finite value ≥ 0`);
      w[i] = v;
    }
  }
  for (let q = 0; q < centroids.length; q++) {
    if (!Number.isFinite(centroids[q]!)) {
      throw new RangeError(`centroids[${q}] is ${centroids[q]}: values must be finite numbers`);
    }
  }
  return inertiaCore(m.data, n, d, lab, centroids, w);
}
