/**
 * Silhouette coefficients (Rousseeuw 1987, "Silhouettes: a graphical aid to the interpretation and validation of
 * cluster analysis", J. Comput. Appl. Math. 20): how much closer each point is to its own cluster than to the
 * nearest other one. Exact, in blocks, never materialising the n × n distance matrix.
 * @module
 */

import { squaredDistanceKernel } from '../cluster/squared-distance.js';
import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { type CodedLabels as Coded, checkLabelCount, encodeLabels } from './labels.js';

/** Options for `silhouetteScore`. */
export interface SilhouetteOptions {
  /**
   * Score a random sample of this many rows instead of all of them (distances among the sample only, as
   * scikit-learn's `sample_size`). Must be ≥ 2. Ignored when ≥ the number of rows.
   */
  sampleSize?: number;
  /** Seed for the sample. Default 0. */
  seed?: number;
}

/** Rows per tile: a tile's points and per-label sums stay in cache while other rows stream past. */
const TILE = 256;
/**
 * Use the symmetric path (each pair once, n × L accumulators) while L ≤ TILE — so memory stays O(n × TILE) — and
 * the accumulators need at most this many doubles (64 MiB).
 */
const SYMMETRIC_MAX_CELLS = 1 << 23;

/**
 * Sum of distances from every point to every point of each label, `sums[i * L + l]`: each pair is measured once
 * and credited to both ends. Tiles of TILE columns are walked by all earlier rows, so a tile's coordinates and
 * sums stay in cache.
 */
function labelDistanceSumsSymmetric(
  x: Float64Array,
  n: number,
  d: number,
  codes: Int32Array,
  L: number,
  sums: Float64Array,
  rowAcc: Float64Array,
): void {
  // The unrolled kernel measured 1.6 → 1.0 s on 10,000 × 6 (plain loop: Σ (x[xo+t] − x[yo+t])²).
  const dist2 = squaredDistanceKernel(d);
  for (let j0 = 0; j0 < n; j0 += TILE) {
    const j1 = Math.min(n, j0 + TILE);
    for (let i = 0; i < j1 - 1; i++) {
      const xo = i * d;
      const ci = codes[i]!;
      rowAcc.fill(0);
      for (let j = i + 1 > j0 ? i + 1 : j0; j < j1; j++) {
        const dist = Math.sqrt(dist2(x, xo, x, j * d));
        rowAcc[codes[j]!]! += dist;
        sums[j * L + ci]! += dist;
      }
      const so = i * L;
      for (let l = 0; l < L; l++) sums[so + l]! += rowAcc[l]!;
    }
  }
}

/** Silhouette of every row of a Float64 point set whose labels are already coded, into `out`. */
function silhouetteCore(x: Float64Array, n: number, d: number, coded: Coded, out: Float64Array): void {
  const { codes, counts } = coded;
  const L = counts.length;
  const finish = (i: number, row: Float64Array, ro: number): void => {
    const own = codes[i]!;
    const nOwn = counts[own]!;
    if (nOwn <= 1) {
      out[i] = 0; // Rousseeuw's convention, and scikit-learn's: a singleton's silhouette is 0.
      return;
    }
    const a = row[ro + own]! / (nOwn - 1);
    let b = Infinity;
    for (let l = 0; l < L; l++) {
      if (l === own) continue;
      const v = row[ro + l]! / counts[l]!;
      if (v < b) b = v;
    }
    const den = a > b ? a : b;
    out[i] = den > 0 ? (b - a) / den : 0;
  };

  if (L <= TILE && n * L <= SYMMETRIC_MAX_CELLS) {
    const sums = new Float64Array(n * L);
    labelDistanceSumsSymmetric(x, n, d, codes, L, sums, new Float64Array(L));
    for (let i = 0; i < n; i++) finish(i, sums, i * L);
    return;
  }
  // Many labels: rows in blocks of TILE against all points, O(TILE × L) accumulators, each pair measured twice.
  const acc = new Float64Array(TILE * L);
  const dist2 = squaredDistanceKernel(d);
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    acc.fill(0);
    for (let j = 0; j < n; j++) {
      const yo = j * d;
      const cj = codes[j]!;
      for (let i = i0; i < i1; i++) acc[(i - i0) * L + cj]! += Math.sqrt(dist2(x, i * d, x, yo));
    }
    for (let i = i0; i < i1; i++) finish(i, acc, (i - i0) * L);
  }
}

/** Rows `idx` of the matrix as a new Float64 buffer (or the data itself when all rows, already Float64). */
function gatherRows(data: Float64Array | Float32Array, d: number, idx: Int32Array | null): Float64Array {
  if (idx === null) return data instanceof Float64Array ? data : Float64Array.from(data);
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) {
    const o = idx[r]! * d;
    for (let t = 0; t < d; t++) out[r * d + t] = data[o + t]!;
  }
  return out;
}

/**
 * Silhouette coefficient of every row: `s = (b − a) / max(a, b)` where a is the mean Euclidean distance to the
 * other members of its cluster and b the lowest mean distance to another cluster's members (Rousseeuw 1987, §2).
 * A row alone in its cluster gets 0, as in scikit-learn's `silhouette_samples`.
 *
 * Cost O(n² · d) time, O(n · min(L, 256)) memory for L labels: pairs are visited in cache-sized tiles and never
 * stored. For large n use `silhouetteScore` with `sampleSize`.
 *
 * @param labels - one integer label per row, any values (e.g. `KMeansResult.labels`).
 * @throws RangeError unless 2 ≤ distinct labels ≤ rows − 1, or on bad shapes / non-finite values.
 *
 * @example
 * silhouetteSamples([[0, 0], [0, 1], [5, 0], [5, 1]], [0, 0, 1, 1]);
 * // Float64Array [0.80…, 0.80…, 0.80…, 0.80…]
 */
export function silhouetteSamples(X: MatrixLike, labels: ArrayLike<number>): Float64Array {
  const m = toMatrix(X, 'X');
  const coded = encodeLabels(labels, m.rows);
  checkLabelCount(coded.counts.length, m.rows, 'labels');
  const out = new Float64Array(m.rows);
  silhouetteCore(gatherRows(m.data, m.cols, null), m.rows, m.cols, coded, out);
  return out;
}

/**
 * Mean silhouette coefficient over all rows (scikit-learn's `silhouette_score`, Euclidean metric): near 1 for
 * compact, well-separated clusters, near 0 for overlapping ones, negative for misassigned points.
 *
 * With `sampleSize` < rows, the score is that of a seeded random sample of rows, with distances among the sample
 * only — the same estimator as scikit-learn's `sample_size` (not the same draw).
 *
 * @throws RangeError unless 2 ≤ distinct labels ≤ rows − 1 (in the sample, when sampling), or for a bad
 * `sampleSize`.
 *
 * @example
 * silhouetteScore(X, kmeans(X, { k: 4 }).labels, { sampleSize: 10_000, seed: 1 });
 */
export function silhouetteScore(
  X: MatrixLike,
  labels: ArrayLike<number>,
  options: SilhouetteOptions = {},
): number {
  const m = toMatrix(X, 'X');
  const n = m.rows;
  const allCoded = encodeLabels(labels, n);
  const { sampleSize, seed = 0 } = options;
  if (sampleSize !== undefined && (!Number.isInteger(sampleSize) || sampleSize < 2)) {
    throw new RangeError(`sampleSize must be an integer ≥ 2, got ${String(sampleSize)}`);
  }
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
  }
  let x: Float64Array;
  let coded: Coded;
  let size = n;
  if (sampleSize === undefined || sampleSize >= n) {
    checkLabelCount(allCoded.counts.length, n, 'labels');
    x = gatherRows(m.data, m.cols, null);
    coded = allCoded;
  } else {
    const idx = new Random(seed).sampleIndices(n, sampleSize);
    size = idx.length;
    x = gatherRows(m.data, m.cols, idx);
    const sub = new Int32Array(size);
    for (let r = 0; r < size; r++) sub[r] = allCoded.codes[idx[r]!]!;
    coded = encodeLabels(sub, size);
    checkLabelCount(coded.counts.length, size, `the sample of ${size} rows (sampleSize)`);
  }
  const out = new Float64Array(size);
  silhouetteCore(x, size, m.cols, coded, out);
  let total = 0;
  for (let i = 0; i < size; i++) total += out[i]!;
  return total / size;
}
