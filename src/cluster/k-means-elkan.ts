/**
 * Elkan's accelerated k-means (Elkan 2003, "Using the triangle inequality to accelerate k-means", ICML, §3): an
 * upper bound per point and a lower bound per point *and centroid* skip most distance computations. Exact like
 * Lloyd's; O(n·k) extra memory; prunes better than Hamerly's single lower bound when d and k are large.
 * @module
 */

import { inertiaCore } from '../metrics/inertia.js';
import {
  type KMeansData,
  type KMeansRunControl,
  type KMeansRunOutcome,
  type KMeansWorkspace,
  accumulateSums,
  averageCenters,
  centerHalfDistances,
  centerShifts,
  relocateEmptyClusters,
} from './k-means-steps.js';
import { type SquaredDistance, squaredDistanceKernel } from './squared-distance.js';

/**
 * Bounded assignment against centroids `c` (Elkan 2003, steps 1–3): skip a point whose upper bound is within half
 * the gap to the nearest other centroid; otherwise test each centroid j against the two triangle-inequality bounds
 * (`u > l(x, j)` and `u > ½‖c_a − c_j‖`), tightening u once before the first distance is computed.
 *
 * @returns how many labels changed.
 */
function assignBounded(
  data: KMeansData,
  k: number,
  c: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  ws: KMeansWorkspace,
  incremental: boolean,
  dist2: SquaredDistance,
): number {
  const { x, n, d } = data;
  const { sums, weightIn, halfDist, perCenter: s, shift } = ws;
  centerHalfDistances(c, k, d, ws, true);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a0 = labels[i]!;
    const lo = i * k;
    // The last update's bound moves (Elkan 2003, steps 5–6: l(x, j) ← max(0, l(x, j) − shift_j),
    // u(x) ← u(x) + shift_{a(x)}), applied here rather than in a pass of their own, so the n × k lower bounds are
    // swept once per iteration, not twice.
    for (let j = 0; j < k; j++) {
      const v = lower[lo + j]! - shift[j]!;
      lower[lo + j] = v > 0 ? v : 0;
    }
    let u = upper[i]! + shift[a0]!;
    upper[i] = u;
    if (u <= s[a0]!) continue;
    let a = a0;
    let tight = false;
    for (let j = 0; j < k; j++) {
      if (j === a || u <= lower[lo + j]! || u <= halfDist[a * k + j]!) continue;
      if (!tight) {
        u = Math.sqrt(dist2(x, i * d, c, a * d));
        lower[lo + a] = u;
        tight = true;
        if (u <= lower[lo + j]! || u <= halfDist[a * k + j]!) continue;
      }
      const dist = Math.sqrt(dist2(x, i * d, c, j * d));
      lower[lo + j] = dist;
      if (dist < u) {
        a = j;
        u = dist;
      }
    }
    upper[i] = u;
    if (a === a0) continue;
    labels[i] = a;
    changed++;
    if (incremental) {
      const xo = i * d;
      for (let t = 0; t < d; t++) {
        const v = x[xo + t]!;
        sums[a0 * d + t]! -= v;
        sums[a * d + t]! += v;
      }
      weightIn[a0]! -= 1;
      weightIn[a]! += 1;
    }
  }
  return changed;
}

/**
 * One run of Elkan's algorithm with scikit-learn's control flow (the same iterations, stopping rule and final
 * assignment as `lloyd`). Sums are kept incrementally for unit weights, rebuilt otherwise (see `hamerly`).
 */
export function elkan(
  data: KMeansData,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  control: KMeansRunControl,
  ws: KMeansWorkspace,
): KMeansRunOutcome {
  const { x, n, d, w } = data;
  const upper = ws.upper();
  const lower = ws.lower(k);
  let cur = centers;
  let next = ws.centersNext;
  let strict = false;
  let converged = false;
  let rebuild = w !== null;
  const dist2 = squaredDistanceKernel(d);
  let it = 0;
  for (; it < control.maxIter; it++) {
    let changed: number;
    if (it === 0) {
      // Exact distances to every centroid initialise all bounds; ties go to the lowest index.
      for (let i = 0; i < n; i++) {
        let best = 0;
        let bestD = Infinity;
        for (let j = 0; j < k; j++) {
          const dist = Math.sqrt(dist2(x, i * d, cur, j * d));
          lower[i * k + j] = dist;
          if (dist < bestD) {
            bestD = dist;
            best = j;
          }
        }
        labels[i] = best;
        upper[i] = bestD;
      }
      changed = n;
      accumulateSums(data, labels, ws);
    } else {
      changed = assignBounded(data, k, cur, labels, upper, lower, ws, !rebuild, dist2);
      if (rebuild) accumulateSums(data, labels, ws);
    }
    rebuild = w !== null;
    const inertia = control.onIteration === undefined ? NaN : inertiaCore(x, n, d, labels, cur, w);
    if (relocateEmptyClusters(data, labels, cur, k, ws)) rebuild = true;
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
  if (!strict) assignBounded(data, k, cur, labels, upper, lower, ws, false, dist2);
  if (cur !== centers) centers.set(cur);
  return { iterations: converged ? it + 1 : control.maxIter, converged };
}
