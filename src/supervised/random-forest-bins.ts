/**
 * Quantile binning of the forest's features: each column becomes at most 256 ordered bins (one byte a value), so
 * node histograms replace per-node sorting.
 * @module
 */
import type { Matrix } from '../util/matrix.js';

/** Binned features, laid out as `ForestShared` expects. */
export interface BinnedFeatures {
  /** Bin of row i, feature j at `bins[i * d + j]`. */
  bins: Uint8Array;
  binCount: Int32Array;
  /** `thresholds[j * 256 + b]`: x goes to a bin ≤ b exactly when x ≤ this value. */
  thresholds: Float64Array;
}

/** Most bins per feature: a bin index fits in one byte. */
export const MAX_BINS = 256;

/**
 * Bins every column of `x`. A column with at most 256 distinct values gets one bin per value, so its thresholds
 * are exactly the midpoints exact CART would try; otherwise bins hold about n/256 rows each (cut only between
 * distinct values, so ties never straddle a bin edge), as scikit-learn's `HistGradientBoosting` and LightGBM bin.
 * A threshold is the midpoint between the largest value of its bin and the smallest of the next (the lower value
 * when the midpoint rounds up to the upper one, as scikit-learn's splitter guards against).
 *
 * @param shared - allocate `bins` over a SharedArrayBuffer (for worker threads).
 */
export function binFeatures(x: Matrix, shared: boolean): BinnedFeatures {
  const { data, rows: n, cols: d } = x;
  const bins = new Uint8Array(shared ? new SharedArrayBuffer(n * d) : new ArrayBuffer(n * d));
  const binCount = new Int32Array(shared ? new SharedArrayBuffer(d * 4) : new ArrayBuffer(d * 4));
  const thresholds = new Float64Array(
    shared ? new SharedArrayBuffer(d * MAX_BINS * 8) : new ArrayBuffer(d * MAX_BINS * 8),
  );
  const column = new Float64Array(n);
  const edges = new Float64Array(MAX_BINS);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) column[i] = data[i * d + j]!;
    column.sort();
    let distinct = 1;
    for (let i = 1; i < n; i++) if (column[i] !== column[i - 1]) distinct++;
    let nEdges = 0;
    const cut = (i: number): void => {
      // Edge between column[i − 1] (last of a bin) and column[i] (first of the next), the two being distinct.
      const a = column[i - 1]!;
      const b = column[i]!;
      let t = a / 2 + b / 2;
      if (t >= b || !Number.isFinite(t)) t = a;
      edges[nEdges++] = t;
    };
    if (distinct <= MAX_BINS) {
      for (let i = 1; i < n; i++) if (column[i] !== column[i - 1]) cut(i);
    } else {
      // Cut at the first distinct value at or past each quantile target, never twice in one place.
      let next = 1;
      for (let i = 1; i < n && nEdges < MAX_BINS - 1; i++) {
        if (column[i] === column[i - 1]) continue;
        if (i * MAX_BINS >= next * n) {
          cut(i);
          while (next * n <= i * MAX_BINS) next++;
        }
      }
    }
    binCount[j] = nEdges + 1;
    thresholds.set(edges.subarray(0, nEdges), j * MAX_BINS);
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j]!;
      // First edge with v ≤ edge (binary search); nEdges when v is beyond all of them.
      let lo = 0;
      let hi = nEdges;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v <= edges[mid]!) hi = mid;
        else lo = mid + 1;
      }
      bins[i * d + j] = lo;
    }
  }
  return { bins, binCount, thresholds };
}
