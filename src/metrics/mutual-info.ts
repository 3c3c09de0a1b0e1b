/**
 * Mutual information between two labelings of the same points, and the entropy of one: the information-theoretic
 * comparisons that NMI and AMI normalise (Vinh, Epps & Bailey 2010, "Information theoretic measures for clusterings
 * comparison", JMLR 11, §2).
 * @module
 */

import { type Contingency, type Label, contingency } from './contingency.js';

/**
 * MI in nats from a contingency table, term by term as scikit-learn's `mutual_info_score` does:
 * `Σ (n_ij / N) (log n_ij − log N − log(a_i b_j) + 2 log N)`, terms below machine epsilon in magnitude set to 0,
 * the total clipped at 0; 0 when either labeling has a single label.
 */
export function mutualInfoCore(c: Contingency): number {
  const { n, rows, cols, cells, cellRow, cellCol } = c;
  if (rows.length === 1 || cols.length === 1) return 0; // MI ≤ min(H(U), H(V)) = 0
  const logN = Math.log(n);
  let mi = 0;
  for (let q = 0; q < cells.length; q++) {
    const v = cells[q]!;
    const p = v / n;
    // a_i · b_j ≤ n² is an exact integer in a double; its log is taken once, as scikit-learn's int64 product.
    const logOuter = -Math.log(rows[cellRow[q]!]! * cols[cellCol[q]!]!) + logN + logN;
    const term = p * (Math.log(v) - logN) + p * logOuter;
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return mi > 0 ? mi : 0;
}

/** Entropy in nats of a labeling with these label sizes (summing to n): 0 for one label, 1.0 for none (n = 0). */
export function entropyCore(sizes: Float64Array, n: number): number {
  if (n === 0) return 1; // scikit-learn's convention for an empty labeling
  if (sizes.length === 1) return 0;
  const logN = Math.log(n);
  let h = 0;
  for (const s of sizes) h -= (s / n) * (Math.log(s) - logN);
  return h;
}

/**
 * Mutual information between two labelings of the same points, in nats (scikit-learn's `mutual_info_score`):
 * `MI(U, V) = Σ_ij (n_ij / N) log(N n_ij / (a_i b_j))` over the contingency table. Symmetric, independent of the
 * label values, 0 when either labeling puts every point in one cluster. Not normalised: compare with
 * `normalizedMutualInfoScore` or `adjustedMutualInfoScore`.
 *
 * @param labelsTrue - one label (number or string) per point.
 * @param labelsPred - one label per point, same length.
 * @throws RangeError when the lengths differ.
 *
 * @example
 * mutualInfoScore([0, 0, 1, 1], [5, 5, 2, 2]); // log 2 = 0.6931…
 */
export function mutualInfoScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): number {
  const c = contingency(labelsTrue, labelsPred);
  return c.n === 0 ? 0 : mutualInfoCore(c);
}
