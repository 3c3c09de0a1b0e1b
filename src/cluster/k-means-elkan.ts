/**
 * Elkan's accelerated k-means (Elkan 2003, "Using the triangle inequality to accelerate k-means", ICML, §3): an
 * upper bound per point and a lower bound per point *and centroid* skip most distance computations. Exact like
 * Lloyd's; O(n·k) extra memory; prunes better than Hamerly's single lower bound when d and k are large. The passes
 * over the rows are the `ELKAN_*` kernels of `k-means-kernels.ts`.
 * @module
 */

import { ELKAN_BOUNDED, ELKAN_SCAN } from './k-means-kernels.js';
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

/** Bounded assignment against centroids `c`; returns how many labels changed (sums kept when `incremental`). */
function assignBounded(ws: KMeansWorkspace, c: Float64Array, incremental: boolean): number {
  ws.publish(c);
  centerHalfDistances(c, ws.k, ws.d, ws, true);
  ws.run(ELKAN_BOUNDED);
  return applyChanges(ws, incremental);
}

/**
 * One run of Elkan's algorithm with scikit-learn's control flow (the same iterations, stopping rule and final
 * assignment as `lloyd`). Sums are kept incrementally for unit weights, rebuilt otherwise (see `hamerly`).
 */
export function elkan(
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
      ws.publish(cur);
      ws.run(ELKAN_SCAN);
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
