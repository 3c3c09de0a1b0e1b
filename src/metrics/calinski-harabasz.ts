/**
 * Calinski–Harabasz index (Caliński & Harabasz 1974, "A dendrite method for cluster analysis", Communications in
 * Statistics 3(1)): between-cluster over within-cluster dispersion, each per degree of freedom. Higher is better.
 * @module
 */

import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { clusterMeansCore } from './cluster-means.js';
import { checkLabelCount, encodeLabels } from './labels.js';

/**
 * The index from coded labels 0..L−1 (2 ≤ L ≤ n − 1) with their sizes, as scikit-learn computes it: the between
 * dispersion `Σ_k n_k ‖c_k − c‖²`, the within dispersion `Σ_i ‖x_i − c_{label_i}‖²` (explicit differences), and
 * 1.0 when the within dispersion is 0.
 *
 * Internal fast path: trusts its arguments.
 */
export function calinskiHarabaszCore(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  codes: Int32Array,
  counts: Float64Array,
): number {
  const L = counts.length;
  const means = clusterMeansCore(x, n, d, codes, counts);
  // The overall mean as the size-weighted mean of the cluster means: the same value as Σ x / n up to rounding.
  const mean = new Float64Array(d);
  for (let l = 0; l < L; l++) {
    for (let t = 0; t < d; t++) mean[t]! += counts[l]! * means[l * d + t]!;
  }
  for (let t = 0; t < d; t++) mean[t]! /= n;
  let extra = 0;
  for (let l = 0; l < L; l++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const e = means[l * d + t]! - mean[t]!;
      s += e * e;
    }
    extra += counts[l]! * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const mo = codes[i]! * d;
    for (let t = 0; t < d; t++) {
      const e = x[xo + t]! - means[mo + t]!;
      intra += e * e;
    }
  }
  return intra === 0 ? 1 : (extra * (n - L)) / (intra * (L - 1));
}

/**
 * Calinski–Harabasz score (variance ratio criterion) of a labeling of `X`: `[B / (L − 1)] / [W / (n − L)]` for
 * between-cluster dispersion B and within-cluster dispersion W (Caliński & Harabasz 1974, eq. 3), scikit-learn's
 * `calinski_harabasz_score`. Higher means denser, better separated clusters; 1.0 when every cluster is a single
 * point repeated. O(n · d) time.
 *
 * @param X - n × d points.
 * @param labels - one integer label per row, any values.
 * @throws RangeError unless 2 ≤ distinct labels ≤ rows − 1, or on bad shapes / non-finite values.
 *
 * @example
 * calinskiHarabaszScore([[0, 0], [0, 1], [5, 0], [5, 1]], [0, 0, 1, 1]); // 50
 */
export function calinskiHarabaszScore(X: MatrixLike, labels: ArrayLike<number>): number {
  const m = toMatrix(X, 'X');
  const { codes, counts } = encodeLabels(labels, m.rows);
  checkLabelCount(counts.length, m.rows, 'labels', 'the Calinski–Harabasz score');
  return calinskiHarabaszCore(m.data, m.rows, m.cols, codes, counts);
}
