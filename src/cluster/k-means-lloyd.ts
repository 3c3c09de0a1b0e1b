/**
 * Lloyd's k-means iteration (Lloyd 1982, "Least squares quantization in PCM"), blocked over points and centroids so
 * the centroids being compared stay in cache. The reference path: every point is compared with every centroid.
 * @module
 */

import { inertiaCore } from '../metrics/inertia.js';
import {
  type KMeansData,
  type KMeansRunControl,
  type KMeansRunOutcome,
  type KMeansWorkspace,
  averageCenters,
  centerShifts,
  relocateEmptyClusters,
} from './k-means-steps.js';

/** Points per block: their best-so-far distances and labels live in small stack-like scratch arrays. */
const POINT_BLOCK = 256;
/** Doubles of centroid data per block (16 KiB), so a centroid block stays in L1 while a point block streams by. */
const CENTER_BLOCK_DOUBLES = 2048;

/**
 * Assigns every point to its nearest centroid and, when `accumulate`, rebuilds per-cluster sums in the same pass.
 *
 * Distances use `‖c‖² − 2x·c` (the `‖x‖²` term is common to all centroids), as scikit-learn's chunked Lloyd does;
 * on centred data the cancellation is harmless and it saves a subtraction per coordinate. Ties go to the lowest
 * centroid index.
 *
 * @returns how many labels changed.
 */
export function assignLloyd(
  data: KMeansData,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  ws: KMeansWorkspace,
  accumulate: boolean,
  bestDist: Float64Array,
  bestLabel: Int32Array,
): number {
  const { x, n, d, w } = data;
  const { sums, weightIn, perCenter: cNorm } = ws;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += centers[j * d + t]! * centers[j * d + t]!;
    cNorm[j] = s;
  }
  if (accumulate) {
    sums.fill(0);
    weightIn.fill(0);
  }
  const centerBlock = Math.max(1, Math.floor(CENTER_BLOCK_DOUBLES / d));
  let changed = 0;
  for (let i0 = 0; i0 < n; i0 += POINT_BLOCK) {
    const i1 = Math.min(n, i0 + POINT_BLOCK);
    bestDist.fill(Infinity);
    bestLabel.fill(0);
    for (let j0 = 0; j0 < k; j0 += centerBlock) {
      const j1 = Math.min(k, j0 + centerBlock);
      for (let i = i0; i < i1; i++) {
        const xo = i * d;
        let bd = bestDist[i - i0]!;
        let bl = bestLabel[i - i0]!;
        for (let j = j0; j < j1; j++) {
          const co = j * d;
          let dot = 0;
          for (let t = 0; t < d; t++) dot += x[xo + t]! * centers[co + t]!;
          const dist = cNorm[j]! - 2 * dot;
          if (dist < bd) {
            bd = dist;
            bl = j;
          }
        }
        bestDist[i - i0] = bd;
        bestLabel[i - i0] = bl;
      }
    }
    for (let i = i0; i < i1; i++) {
      const l = bestLabel[i - i0]!;
      if (labels[i] !== l) {
        labels[i] = l;
        changed++;
      }
      if (accumulate) {
        const xo = i * d;
        const so = l * d;
        if (w === null) {
          for (let t = 0; t < d; t++) sums[so + t]! += x[xo + t]!;
          weightIn[l]! += 1;
        } else {
          const wi = w[i]!;
          for (let t = 0; t < d; t++) sums[so + t]! += wi * x[xo + t]!;
          weightIn[l]! += wi;
        }
      }
    }
  }
  return changed;
}

/**
 * One run of Lloyd's algorithm with scikit-learn's control flow (`_kmeans_single_lloyd`): iteration i assigns
 * points to centroids c_i and computes c_{i+1}; it stops when labels repeat (strict convergence) or the summed
 * squared centroid shift is ≤ `tol`, and in the latter case (or at `maxIter`) runs one more assignment so labels
 * match the returned centroids.
 */
export function lloyd(
  data: KMeansData,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  control: KMeansRunControl,
  ws: KMeansWorkspace,
): KMeansRunOutcome {
  const { x, n, d, w } = data;
  const bestDist = new Float64Array(POINT_BLOCK);
  const bestLabel = new Int32Array(POINT_BLOCK);
  let cur = centers;
  let next = ws.centersNext;
  labels.fill(-1);
  let strict = false;
  let converged = false;
  let it = 0;
  for (; it < control.maxIter; it++) {
    const changed = assignLloyd(data, k, cur, labels, ws, true, bestDist, bestLabel);
    const inertia = control.onIteration === undefined ? NaN : inertiaCore(x, n, d, labels, cur, w);
    relocateEmptyClusters(data, labels, cur, k, ws);
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
  if (!strict) assignLloyd(data, k, cur, labels, ws, false, bestDist, bestLabel);
  if (cur !== centers) centers.set(cur);
  return { iterations: converged ? it + 1 : control.maxIter, converged };
}
