/**
 * Davies–Bouldin index (Davies & Bouldin 1979, "A cluster separation measure", IEEE TPAMI 1(2)): the mean over
 * clusters of the worst ratio of summed spreads to centroid distance. Lower is better, 0 the minimum.
 * @module
 */

import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { clusterMeansCore } from './cluster-means.js';
import { checkLabelCount, encodeLabels } from './labels.js';

/** `np.allclose(v, 0)`'s tolerance (atol 1e-8; rtol plays no part against 0). */
const ALL_ZERO_TOL = 1e-8;

/**
 * The index from coded labels 0..L−1 (2 ≤ L ≤ n − 1) with their sizes, with scikit-learn's conventions: 0 when
 * every spread or every centroid distance is within 1e-8 of 0, and coincident centroids left out of the maximum.
 *
 * Internal fast path: trusts its arguments.
 */
export function daviesBouldinCore(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  codes: Int32Array,
  counts: Float64Array,
): number {
  const L = counts.length;
  const means = clusterMeansCore(x, n, d, codes, counts);
  // S_k: mean Euclidean distance of cluster k's points to its centroid (Davies & Bouldin's S with q = 1).
  const spread = new Float64Array(L);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const c = codes[i]!;
    const mo = c * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const e = x[xo + t]! - means[mo + t]!;
      s += e * e;
    }
    spread[c]! += Math.sqrt(s);
  }
  let spreadsZero = true;
  for (let l = 0; l < L; l++) {
    spread[l]! /= counts[l]!;
    if (Math.abs(spread[l]!) > ALL_ZERO_TOL) spreadsZero = false;
  }
  // M_kj: distances between centroids (p = 2).
  const dist = new Float64Array(L * L);
  let distancesZero = true;
  for (let k = 0; k < L; k++) {
    for (let j = k + 1; j < L; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const e = means[k * d + t]! - means[j * d + t]!;
        s += e * e;
      }
      const v = Math.sqrt(s);
      dist[k * L + j] = v;
      dist[j * L + k] = v;
      if (v > ALL_ZERO_TOL) distancesZero = false;
    }
  }
  if (spreadsZero || distancesZero) return 0;
  // R_k = max_{j≠k} (S_k + S_j) / M_kj; a zero distance counts as infinite (scikit-learn), so its ratio is 0.
  let total = 0;
  for (let k = 0; k < L; k++) {
    let worst = 0;
    for (let j = 0; j < L; j++) {
      const m = dist[k * L + j]!;
      if (j === k || m === 0) continue;
      const r = (spread[k]! + spread[j]!) / m;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / L;
}

/**
 * Davies–Bouldin score of a labeling of `X` (scikit-learn's `davies_bouldin_score`): the mean over clusters k of
 * `max_{j≠k} (S_k + S_j) / ‖c_k − c_j‖`, where S is the mean distance of a cluster's points to its centroid c
 * (Davies & Bouldin 1979, definitions 5 and the R̄ of eq. 6 with q = 1, p = 2). Lower is better; 0 when every
 * cluster is a single point repeated. O(n · d + L² · d) time.
 *
 * @param X - n × d points.
 * @param labels - one integer label per row, any values.
 * @throws RangeError unless 2 ≤ distinct labels ≤ rows − 1, or on bad shapes / non-finite values.
 *
 * @example
 * daviesBouldinScore([[0, 0], [0, 1], [5, 0], [5, 1]], [0, 0, 1, 1]); // 0.2
 */
export function daviesBouldinScore(X: MatrixLike, labels: ArrayLike<number>): number {
  const m = toMatrix(X, 'X');
  const { codes, counts } = encodeLabels(labels, m.rows);
  checkLabelCount(counts.length, m.rows, 'labels', 'the Davies–Bouldin score');
  return daviesBouldinCore(m.data, m.rows, m.cols, codes, counts);
}
