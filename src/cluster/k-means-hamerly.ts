/**
 * Hamerly's accelerated k-means (Hamerly 2010, "Making k-means even faster", SIAM SDM, Algorithm 2): one upper
 * bound and one lower bound per point let most points skip the distance computations of an iteration. Exact: the
 * labels are those Lloyd's algorithm would give. Memory O(n) on top of the data, the lightest of the bounded
 * methods, and in low dimension (the customer-feature case) the fastest.
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
 * Scans all centroids for point i; writes its label, the distance to the nearest centroid (upper bound) and to the
 * second nearest (lower bound). Ties go to the lowest index. Returns the label.
 */
function scanAll(
  x: Float64Array,
  i: number,
  d: number,
  k: number,
  c: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
  dist2: SquaredDistance,
): number {
  const xo = i * d;
  let d1 = Infinity;
  let d2 = Infinity;
  let best = 0;
  for (let j = 0; j < k; j++) {
    const s = dist2(x, xo, c, j * d);
    if (s < d1) {
      d2 = d1;
      d1 = s;
      best = j;
    } else if (s < d2) {
      d2 = s;
    }
  }
  upper[i] = Math.sqrt(d1);
  lower[i] = Math.sqrt(d2);
  return best;
}

/** The largest and second-largest centroid shift of an update, and which centroid moved most. */
interface ShiftSummary {
  max1: number;
  max2: number;
  argMax: number;
}

function summariseShifts(shift: Float64Array, k: number, out: ShiftSummary): void {
  out.max1 = 0;
  out.max2 = 0;
  out.argMax = -1;
  for (let j = 0; j < k; j++) {
    const p = shift[j]!;
    if (p > out.max1) {
      out.max2 = out.max1;
      out.max1 = p;
      out.argMax = j;
    } else if (p > out.max2) {
      out.max2 = p;
    }
  }
}

/**
 * Bounded assignment step against centroids `c`: a point is rescanned only when its upper bound exceeds both its
 * lower bound and half the distance from its centroid to the nearest other one (Hamerly 2010, §3). When `sums` are
 * being kept incrementally, a relabelled point's weighted coordinates move between the two clusters' sums.
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
  moved: ShiftSummary,
  dist2: SquaredDistance,
): number {
  const { x, n, d } = data;
  const { sums, weightIn, perCenter: s, shift } = ws;
  const { max1, max2, argMax } = moved;
  centerHalfDistances(c, k, d, ws, false);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    // The last update's bound moves (Hamerly 2010, Algorithm 2 "Update-Bounds"), applied here rather than in a
    // pass of their own: one sweep over the bounds per iteration instead of two. The lower bound drops by the
    // largest shift of any *other* centroid, hence the runner-up for a point in the top mover.
    const ub = upper[i]! + shift[a]!;
    const lo = lower[i]! - (a === argMax ? max2 : max1);
    upper[i] = ub;
    lower[i] = lo;
    const sa = s[a]!;
    const m = lo > sa ? lo : sa;
    if (ub <= m) continue;
    const u = Math.sqrt(dist2(x, i * d, c, a * d));
    upper[i] = u;
    if (u <= m) continue;
    const b = scanAll(x, i, d, k, c, upper, lower, dist2);
    if (b === a) continue;
    labels[i] = b;
    changed++;
    if (incremental) {
      // Unit weights only (see `hamerly`): counts stay exact integers.
      const xo = i * d;
      for (let t = 0; t < d; t++) {
        const v = x[xo + t]!;
        sums[a * d + t]! -= v;
        sums[b * d + t]! += v;
      }
      weightIn[a]! -= 1;
      weightIn[b]! += 1;
    }
  }
  return changed;
}

/**
 * One run of Hamerly's algorithm with scikit-learn's control flow (the same iterations, stopping rule and final
 * assignment as `lloyd`; see there).
 *
 * Per-cluster sums are updated incrementally as points change cluster, so an iteration costs O(n) plus O(d) per
 * rescanned point. With sample weights, or after an empty cluster was relocated (which moves a point's mass but not
 * its label), sums are rebuilt from the labels instead: floating-point weights subtracted back to "zero" would not
 * reliably reach 0, and emptiness must be exact.
 */
export function hamerly(
  data: KMeansData,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  control: KMeansRunControl,
  ws: KMeansWorkspace,
): KMeansRunOutcome {
  const { x, n, d, w } = data;
  const upper = ws.upper();
  const lower = ws.lower(1);
  const shift = ws.shift;
  let cur = centers;
  let next = ws.centersNext;
  let strict = false;
  let converged = false;
  let rebuild = w !== null;
  const moved: ShiftSummary = { max1: 0, max2: 0, argMax: -1 };
  const dist2 = squaredDistanceKernel(d);
  let it = 0;
  for (; it < control.maxIter; it++) {
    let changed: number;
    if (it === 0) {
      // Iteration 0 assigns with a full scan, which also initialises the bounds; every label changes from "none".
      for (let i = 0; i < n; i++) labels[i] = scanAll(x, i, d, k, cur, upper, lower, dist2);
      changed = n;
      accumulateSums(data, labels, ws);
    } else {
      changed = assignBounded(data, k, cur, labels, upper, lower, ws, !rebuild, moved, dist2);
      if (rebuild) accumulateSums(data, labels, ws);
    }
    rebuild = w !== null;
    const inertia = control.onIteration === undefined ? NaN : inertiaCore(x, n, d, labels, cur, w);
    if (relocateEmptyClusters(data, labels, cur, k, ws)) rebuild = true;
    averageCenters(ws, k, d, next);
    const total = centerShifts(cur, next, k, d, ws);

    summariseShifts(shift, k, moved);

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
  if (!strict) assignBounded(data, k, cur, labels, upper, lower, ws, false, moved, dist2);
  if (cur !== centers) centers.set(cur);
  return { iterations: converged ? it + 1 : control.maxIter, converged };
}
