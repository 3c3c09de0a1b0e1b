/**
 * Hamerly's accelerated k-means (Hamerly 2010, "Making k-means even faster", SIAM SDM, Algorithm 2): one upper
 * bound and one lower bound per point let most points skip the distance computations of an iteration. Exact: the
 * labels are those Lloyd's algorithm would give. Memory O(n) on top of the data, the lightest of the bounded
 * methods, and in low dimension (the customer-feature case) the fastest. The passes over the rows are the
 * `HAMERLY_*` kernels of `k-means-kernels.ts`.
 * @module
 */

import { HAMERLY_BOUNDED, HAMERLY_SCAN, P_ARGMAX, P_MAX1, P_MAX2 } from './k-means-kernels.js';
import {
  type KMeansRunControl,
  type KMeansRunOutcome,
  type KMeansWorkspace,
  accumulateSums,
  applyChanges,
  averageCenters,
  centerHalfDistances,
  centerShifts,
  relocateEmptyClusters,
} from './k-means-steps.js';

/** The largest and second-largest centroid shift of the last update, and which centroid moved most, into params. */
function summariseShifts(ws: KMeansWorkspace): void {
  const { shift, params } = ws.shared;
  let max1 = 0;
  let max2 = 0;
  let argMax = -1;
  for (let j = 0; j < ws.k; j++) {
    const p = shift[j]!;
    if (p > max1) {
      max2 = max1;
      max1 = p;
      argMax = j;
    } else if (p > max2) {
      max2 = p;
    }
  }
  params[P_MAX1] = max1;
  params[P_MAX2] = max2;
  params[P_ARGMAX] = argMax;
}

/**
 * Bounded assignment against centroids `c` (the kernel applies the last update's bound moves first). When `sums`
 * are kept incrementally, each relabelled point's coordinates move between the two clusters' sums.
 *
 * @returns how many labels changed.
 */
function assignBounded(ws: KMeansWorkspace, c: Float64Array, incremental: boolean): number {
  ws.publish(c);
  centerHalfDistances(c, ws.k, ws.d, ws, false);
  ws.run(HAMERLY_BOUNDED);
  return applyChanges(ws, incremental);
}

/**
 * One run of Hamerly's algorithm with scikit-learn's control flow (the same iterations, stopping rule and final
 * assignment as `lloyd`; see there).
 *
 * Per-cluster sums are updated incrementally as points change cluster, so an iteration costs O(n) plus O(d) per
 * relabelled point. With sample weights, or after an empty cluster was relocated (which moves a point's mass but not
 * its label), sums are rebuilt from the labels instead: floating-point weights subtracted back to "zero" would not
 * reliably reach 0, and emptiness must be exact.
 */
export function hamerly(
  ws: KMeansWorkspace,
  centers: Float64Array,
  control: KMeansRunControl,
): KMeansRunOutcome {
  const { k, d } = ws;
  const { w } = ws.data;
  const labels = ws.labels;
  let cur = centers;
  let next = ws.centersNext;
  let strict = false;
  let converged = false;
  let rebuild = w !== null;
  let it = 0;
  for (; it < control.maxIter; it++) {
    let changed: number;
    if (it === 0) {
      // Iteration 0 assigns with a full scan, which also initialises the bounds; every label changes from "none".
      // (Pruning it by centroid half distances, as scikit-learn's Elkan starts, skipped only 16–19% of the distances
      // on overlapping blobs and was slower for the square roots and branches it adds.)
      ws.publish(cur);
      ws.run(HAMERLY_SCAN);
      changed = ws.n;
      accumulateSums(ws.data, labels, ws);
    } else {
      changed = assignBounded(ws, cur, !rebuild);
      if (rebuild) accumulateSums(ws.data, labels, ws);
    }
    rebuild = w !== null;
    const inertia = control.onIteration === undefined ? NaN : ws.inertia(cur);
    if (relocateEmptyClusters(ws.data, labels, cur, k, ws)) rebuild = true;
    averageCenters(ws, k, d, next);
    const total = centerShifts(cur, next, k, d, ws);
    summariseShifts(ws);

    [cur, next] = [next, cur];
    control.onIteration?.({ run: control.run, iteration: it, inertia, centerShift: total, changed });
    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (total <= control.tol) {
      converged = true;
      break;
    }
  }
  if (!strict) assignBounded(ws, cur, false);
  if (cur !== centers) centers.set(cur);
  return { iterations: converged ? it + 1 : control.maxIter, converged };
}
