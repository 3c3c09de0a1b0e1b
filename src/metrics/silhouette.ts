/**
 * Silhouette coefficients (Rousseeuw 1987, "Silhouettes: a graphical aid to the interpretation and validation of
 * cluster analysis", J. Comput. Appl. Math. 20): how much closer each point is to its own cluster than to the
 * nearest other one. Exact, in tiles, never materialising the n × n distance matrix, on every core for large n.
 * @module
 */

import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { checkLabelCount, encodeLabels } from './labels.js';
import { silhouetteCore, silhouetteThreads } from './silhouette-core.js';
import { drawSilhouetteSample } from './silhouette-sample.js';

/** Options for `silhouetteScore` (and `threads` for `silhouetteSamples`). */
export interface SilhouetteOptions {
  /**
   * Score a random sample of this many rows instead of all of them (distances among the sample only, as
   * scikit-learn's `sample_size`). Must be ≥ 2. Ignored when ≥ the number of rows. For an interval around the
   * estimate, see `silhouetteEstimate`.
   */
  sampleSize?: number;
  /** Seed for the sample. Default 0. */
  seed?: number;
  /**
   * Threads, the calling one included. Default: every core (≤ 8) from n² · d ≥ 10⁹ (about 10,000 rows × 10
   * features) on the main thread, else 1. Any number gives the same result.
   */
  threads?: number;
}

/** Rows as a Float64 buffer: the data itself when already Float64. */
function asFloat64(data: Float64Array | Float32Array): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}

/** The validated `sampleSize` (or undefined) and `seed`. */
export function checkSampling(sampleSize: unknown, seed: unknown): void {
  if (
    sampleSize !== undefined &&
    (typeof sampleSize !== 'number' || !Number.isInteger(sampleSize) || sampleSize < 2)
  ) {
    throw new RangeError(`sampleSize must be an integer ≥ 2, got ${String(sampleSize)}`);
  }
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
  }
}

/**
 * Silhouette coefficient of every row: `s = (b − a) / max(a, b)` where a is the mean Euclidean distance to the
 * other members of its cluster and b the lowest mean distance to another cluster's members (Rousseeuw 1987, §2).
 * A row alone in its cluster gets 0, as in scikit-learn's `silhouette_samples`.
 *
 * Cost O(n² · d) time, spread over `threads`; O(n · min(L, 256)) memory for L labels: pairs are visited in
 * cache-sized tiles and never stored. For large n use `silhouetteEstimate`.
 *
 * @param labels - one integer label per row, any values (e.g. `KMeansResult.labels`).
 * @throws RangeError unless 2 ≤ distinct labels ≤ rows − 1, or on bad shapes / non-finite values.
 *
 * @example
 * silhouetteSamples([[0, 0], [0, 1], [5, 0], [5, 1]], [0, 0, 1, 1]);
 * // Float64Array [0.80…, 0.80…, 0.80…, 0.80…]
 */
export function silhouetteSamples(
  X: MatrixLike,
  labels: ArrayLike<number>,
  options: Pick<SilhouetteOptions, 'threads'> = {},
): Float64Array {
  const m = toMatrix(X, 'X');
  const coded = encodeLabels(labels, m.rows);
  checkLabelCount(coded.counts.length, m.rows, 'labels');
  const threads = silhouetteThreads(options.threads, m.rows, m.cols);
  const out = new Float64Array(m.rows);
  silhouetteCore(asFloat64(m.data), m.rows, m.cols, coded, out, threads);
  return out;
}

/** Mean of `values`. */
export function mean(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

/**
 * Mean silhouette coefficient over all rows (scikit-learn's `silhouette_score`, Euclidean metric): near 1 for
 * compact, well-separated clusters, near 0 for overlapping ones, negative for misassigned points.
 *
 * With `sampleSize` < rows, the score is that of a seeded random sample of rows, with distances among the sample
 * only — the same estimator as scikit-learn's `sample_size` (not the same draw); only the drawn rows are read.
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
  const { sampleSize, seed = 0 } = options;
  checkSampling(sampleSize, seed);
  if (sampleSize === undefined) return mean(silhouetteSamples(X, labels, options));
  const s = drawSilhouetteSample(X, labels, sampleSize, seed);
  const out = new Float64Array(s.size);
  silhouetteCore(s.x, s.size, s.d, s.coded, out, silhouetteThreads(options.threads, s.size, s.d));
  return mean(out);
}
