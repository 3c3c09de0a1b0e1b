/**
 * The pieces every k-means variant (Lloyd, Elkan, Hamerly) shares: the run contract, the scratch workspace, and the
 * update step that turns per-cluster sums into centroids, relocating empty clusters the way scikit-learn does.
 * Internal: callers have validated their inputs; nothing here checks shapes.
 * @module
 */

import type { KMeansIteration } from './k-means.js';

/** Centred points, ready for the cores: point i, feature t is `x[i * d + t]`. */
export interface KMeansData {
  x: Float64Array;
  n: number;
  d: number;
  /** Weight per point, or `null` for unit weights (the common case, and a faster one). */
  w: Float64Array | null;
}

/** What one k-means run is told. */
export interface KMeansRunControl {
  maxIter: number;
  /** Absolute tolerance on the sum of squared centroid shifts (already scaled by the data's variance). */
  tol: number;
  /** Index of this run among `nInit`, passed through to `onIteration`. */
  run: number;
  onIteration: ((progress: KMeansIteration) => void) | undefined;
}

/** What one k-means run reports; labels and centroids are written into the caller's buffers. */
export interface KMeansRunOutcome {
  iterations: number;
  converged: boolean;
}

/** Signature shared by the cores: `centers` holds the initial centroids on entry and the final ones on exit. */
export type KMeansCore = (
  data: KMeansData,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  control: KMeansRunControl,
  ws: KMeansWorkspace,
) => KMeansRunOutcome;

/**
 * Scratch buffers for one `kmeans()` call, allocated once and reused by every run and iteration. The bound arrays
 * of the accelerated variants are allocated on first use only.
 */
export class KMeansWorkspace {
  /** Per-cluster weighted sums of points, k × d. */
  readonly sums: Float64Array;
  /** Per-cluster total weight (the count for unit weights). */
  readonly weightIn: Float64Array;
  /** Second centroid buffer the cores swap with the caller's. */
  readonly centersNext: Float64Array;
  /** Euclidean (not squared) shift of each centroid in the last update. */
  readonly shift: Float64Array;
  /** Per-centroid scratch: squared norms (Lloyd) or half the distance to the nearest other centroid (bounds). */
  readonly perCenter: Float64Array;
  /** k × k half distances between centroids (Elkan). */
  readonly halfDist: Float64Array;
  /** Farthest points found for empty-cluster relocation, at most k of them. */
  readonly farIdx: Int32Array;
  readonly farDist: Float64Array;
  private upperBuf: Float64Array | null = null;
  private lowerBuf: Float64Array | null = null;

  constructor(
    readonly n: number,
    readonly d: number,
    readonly k: number,
  ) {
    this.sums = new Float64Array(k * d);
    this.weightIn = new Float64Array(k);
    this.centersNext = new Float64Array(k * d);
    this.shift = new Float64Array(k);
    this.perCenter = new Float64Array(k);
    this.halfDist = new Float64Array(k * k);
    this.farIdx = new Int32Array(k);
    this.farDist = new Float64Array(k);
  }

  /** Upper bound per point on the distance to its centroid. */
  upper(): Float64Array {
    return (this.upperBuf ??= new Float64Array(this.n));
  }

  /** Lower bounds: `perPoint` values per point (1 for Hamerly, k for Elkan). */
  lower(perPoint: number): Float64Array {
    const size = this.n * perPoint;
    if (this.lowerBuf === null || this.lowerBuf.length !== size) this.lowerBuf = new Float64Array(size);
    return this.lowerBuf;
  }
}

/** Recomputes per-cluster sums and weights from the labels (the M-step's accumulation, from scratch). */
export function accumulateSums(data: KMeansData, labels: Int32Array, ws: KMeansWorkspace): void {
  const { x, n, d, w } = data;
  const { sums, weightIn } = ws;
  sums.fill(0);
  weightIn.fill(0);
  for (let i = 0; i < n; i++) {
    const so = labels[i]! * d;
    const xo = i * d;
    if (w === null) {
      for (let t = 0; t < d; t++) sums[so + t]! += x[xo + t]!;
      weightIn[labels[i]!]! += 1;
    } else {
      const wi = w[i]!;
      for (let t = 0; t < d; t++) sums[so + t]! += wi * x[xo + t]!;
      weightIn[labels[i]!]! += wi;
    }
  }
}

/**
 * Gives every empty cluster (total weight 0) one of the points farthest from their current centroid, as
 * scikit-learn's `_relocate_empty_clusters_dense` does: the point's weighted coordinates move from its cluster's
 * sum to the empty cluster's, while `labels` is left alone (the next assignment step settles it). The farthest
 * points are taken in decreasing distance, ties to the lower index, so the choice is deterministic.
 *
 * @returns whether any cluster was relocated (so sums no longer match labels).
 */
export function relocateEmptyClusters(
  data: KMeansData,
  labels: Int32Array,
  centersOld: Float64Array,
  k: number,
  ws: KMeansWorkspace,
): boolean {
  const { sums, weightIn, farIdx, farDist } = ws;
  let nEmpty = 0;
  for (let j = 0; j < k; j++) if (weightIn[j] === 0) nEmpty++;
  if (nEmpty === 0) return false;

  const { x, n, d, w } = data;
  // Keep the nEmpty largest distances in farDist/farIdx, sorted decreasing (insertion into a list of ≤ k).
  let found = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const co = labels[i]! * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[xo + t]! - centersOld[co + t]!;
      s += diff * diff;
    }
    if (found === nEmpty && s <= farDist[nEmpty - 1]!) continue;
    let p = found < nEmpty ? found++ : nEmpty - 1;
    while (p > 0 && farDist[p - 1]! < s) {
      farDist[p] = farDist[p - 1]!;
      farIdx[p] = farIdx[p - 1]!;
      p--;
    }
    farDist[p] = s;
    farIdx[p] = i;
  }

  let e = 0;
  for (let j = 0; j < k && e < found; j++) {
    if (weightIn[j] !== 0) continue;
    const i = farIdx[e++]!;
    const wi = w === null ? 1 : w[i]!;
    const from = labels[i]!;
    const xo = i * d;
    for (let t = 0; t < d; t++) {
      sums[from * d + t]! -= wi * x[xo + t]!;
      sums[j * d + t] = wi * x[xo + t]!;
    }
    weightIn[j] = wi;
    weightIn[from]! -= wi;
  }
  return true;
}

/**
 * Centroids from sums: `sums / weight` per cluster. A cluster left with weight 0 (possible only with zero-weight
 * points) keeps its raw sum, as scikit-learn's `_average_centers` does.
 */
export function averageCenters(ws: KMeansWorkspace, k: number, d: number, out: Float64Array): void {
  const { sums, weightIn } = ws;
  for (let j = 0; j < k; j++) {
    const wj = weightIn[j]!;
    const o = j * d;
    if (wj > 0) for (let t = 0; t < d; t++) out[o + t] = sums[o + t]! / wj;
    else for (let t = 0; t < d; t++) out[o + t] = sums[o + t]!;
  }
}

/** Euclidean shift of each centroid into `ws.shift`; returns the sum of squared shifts (scikit-learn's measure). */
export function centerShifts(
  before: Float64Array,
  after: Float64Array,
  k: number,
  d: number,
  ws: KMeansWorkspace,
): number {
  let total = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = after[j * d + t]! - before[j * d + t]!;
      s += diff * diff;
    }
    ws.shift[j] = Math.sqrt(s);
    total += s;
  }
  return total;
}

/**
 * Half the distance between every pair of centroids into `ws.halfDist` (k × k), and, in `ws.perCenter`, half the
 * distance from each centroid to its nearest other one (`s(j)` in Elkan 2003 and Hamerly 2010; Infinity when k = 1).
 */
export function centerHalfDistances(
  c: Float64Array,
  k: number,
  d: number,
  ws: KMeansWorkspace,
  full: boolean,
): void {
  const { halfDist, perCenter } = ws;
  perCenter.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = c[a * d + t]! - c[b * d + t]!;
        s += diff * diff;
      }
      const h = 0.5 * Math.sqrt(s);
      if (full) {
        halfDist[a * k + b] = h;
        halfDist[b * k + a] = h;
      }
      if (h < perCenter[a]!) perCenter[a] = h;
      if (h < perCenter[b]!) perCenter[b] = h;
    }
  }
}
