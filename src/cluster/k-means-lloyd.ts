/**
 * Lloyd's k-means iteration (Lloyd 1982, "Least squares quantization in PCM"): every point is compared with every
 * centroid. The reference path; the assignment runs over blocks of rows (`LLOYD_ASSIGN` in `k-means-kernels.ts`).
 * @module
 */

import { LLOYD_ASSIGN } from './k-means-kernels.js';
import {
  type KMeansRunControl,
  type KMeansRunOutcome,
  type KMeansWorkspace,
  accumulateSums,
  averageCenters,
  centerShifts,
  relocateEmptyClusters,
} from './k-means-steps.js';

/**
 * Assigns every row to its nearest centroid of `centers` (blocked, on the workspace's threads) and, when
 * `accumulate`, rebuilds the per-cluster sums from the labels in row order.
 *
 * @returns how many labels changed.
 */
export function assignLloyd(ws: KMeansWorkspace, centers: Float64Array, accumulate: boolean): number {
  const { k, d } = ws;
  const { perCenter: cNorm, blockCount } = ws.shared;
  ws.publish(centers);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += centers[j * d + t]! * centers[j * d + t]!;
    cNorm[j] = s;
  }
  ws.run(LLOYD_ASSIGN);
  let changed = 0;
  for (let b = 0, blocks = ws.blocks; b < blocks; b++) changed += blockCount[b]!;
  if (accumulate) accumulateSums(ws.data, ws.labels, ws);
  return changed;
}

/**
 * One run of Lloyd's algorithm with scikit-learn's control flow (`_kmeans_single_lloyd`): iteration i assigns
 * points to centroids c_i and computes c_{i+1}; it stops when labels repeat (strict convergence) or the summed
 * squared centroid shift is ≤ `tol`, and in the latter case (or at `maxIter`) runs one more assignment so labels
 * match the returned centroids.
 */
export function lloyd(
  ws: KMeansWorkspace,
  centers: Float64Array,
  control: KMeansRunControl,
): KMeansRunOutcome {
  const { k, d } = ws;
  const labels = ws.labels;
  let cur = centers;
  let next = ws.centersNext;
  labels.fill(-1);
  let strict = false;
  let converged = false;
  let it = 0;
  for (; it < control.maxIter; it++) {
    const changed = assignLloyd(ws, cur, true);
    const inertia = control.onIteration === undefined ? NaN : ws.inertia(cur);
    relocateEmptyClusters(ws.data, labels, cur, k, ws);
    averageCenters(ws, k, d, next);
    const shift = centerShifts(cur, next, k, d, ws);
    [cur, next] = [next, cur];
    control.onIteration?.({ run: control.run, iteration: it, inertia, centerShift: shift, changed });
    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= control.tol) {
      converged = true;
      break;
    }
  }
  if (!strict) assignLloyd(ws, cur, false);
  if (cur !== centers) centers.set(cur);
  return { iterations: converged ? it + 1 : control.maxIter, converged };
}
