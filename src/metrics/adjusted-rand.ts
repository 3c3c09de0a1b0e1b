/**
 * Adjusted Rand index: agreement between two labelings of the same points, 1 for identical partitions (up to
 * renaming), about 0 for independent ones (Hubert & Arabie 1985, "Comparing partitions").
 * @module
 */

import { type Label, contingency } from './contingency.js';

/**
 * ARI from the pair confusion matrix of the two labelings, as scikit-learn's `adjusted_rand_score` computes it:
 * `2 (tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))` over ordered pairs of distinct points, and 1.0
 * when the labelings agree on every pair (including no points, or both one cluster, or both all singletons).
 *
 * The pair counts are exact integers in doubles (n² < 2⁵³); their products are taken in BigInt, so a score near 0
 * — a small difference of products near 10²⁶ on millions of points — keeps its precision.
 *
 * @example
 * adjustedRandScore([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * adjustedRandScore([0, 0, 1, 2], [0, 0, 1, 1]); // 0.5714…
 */
export function adjustedRandScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): number {
  const { n, rows, cols, cells, cellRow, cellCol } = contingency(labelsTrue, labelsPred);
  let sumSquares = 0;
  let byCol = 0;
  let byRow = 0;
  for (let q = 0; q < cells.length; q++) {
    const v = cells[q]!;
    sumSquares += v * v;
    byCol += v * cols[cellCol[q]!]!;
    byRow += v * rows[cellRow[q]!]!;
  }
  const tp = BigInt(sumSquares - n);
  const fp = BigInt(byCol - sumSquares);
  const fn = BigInt(byRow - sumSquares);
  const tn = BigInt(n * n) - fp - fn - BigInt(sumSquares);
  if (fn === 0n && fp === 0n) return 1;
  const num = 2n * (tp * tn - fn * fp);
  const den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return Number(num) / Number(den);
}
