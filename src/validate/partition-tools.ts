/**
 * Small pieces the validation measures share: seeds derived per stream, rows gathered into a matrix, the pooled
 * within-cluster sum of squares, and the contingency table of two labelings.
 * @module
 */
import type { Matrix } from '../util/matrix.js';

/** Streams of random draws, so that e.g. the stability subsamples do not depend on how many gap references ran. */
export const Stream = {
  sample: 1,
  silhouette: 2,
  fit: 3,
  gapReference: 4,
  gapFit: 5,
  stabilitySubsample: 6,
  stabilityFit: 7,
  predictionSplit: 8,
  predictionFit: 9,
} as const;

/**
 * A seed for one draw, mixed from the caller's seed and the draw's coordinates (stream, k, run, …) with the
 * MurmurHash3 finaliser, so neighbouring coordinates give unrelated generators.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = Math.floor(seed) >>> 0;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Rows `idx` of x as a new Float64 matrix. */
export function gatherRows(x: Matrix, idx: Int32Array): Matrix {
  const d = x.cols;
  const data = new Float64Array(idx.length * d);
  for (let i = 0; i < idx.length; i++) data.set(x.data.subarray(idx[i]! * d, idx[i]! * d + d), i * d);
  return { data, rows: idx.length, cols: d };
}

/**
 * W_k of Tibshirani, Walther & Hastie (2001, eq. 2) with squared Euclidean distances: Σ_r D_r / (2 n_r), which is
 * the pooled sum of squared distances of each row to the mean of its cluster (the k-means inertia of the
 * labeling, whatever method produced it). Labels in [0, k); a cluster without rows adds nothing.
 */
export function withinSumOfSquares(x: Matrix, labels: Int32Array, k: number): number {
  const { data, rows: n, cols: d } = x;
  const means = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    counts[l]!++;
    for (let t = 0; t < d; t++) means[l * d + t]! += data[i * d + t]!;
  }
  for (let c = 0; c < k; c++) if (counts[c]! > 0) for (let t = 0; t < d; t++) means[c * d + t]! /= counts[c]!;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const mo = labels[i]! * d;
    for (let t = 0; t < d; t++) {
      const e = data[i * d + t]! - means[mo + t]!;
      total += e * e;
    }
  }
  return total;
}

/** Largest label + 1 (labels are ≥ 0). */
export function labelCount(labels: Int32Array): number {
  let max = -1;
  for (const l of labels) if (l > max) max = l;
  return max + 1;
}

/** Number of distinct labels. */
export function distinctLabels(labels: Int32Array): number {
  return new Set(labels).size;
}

/**
 * Contingency table of two labelings of the same rows: `table[a * kb + b]` counts rows labelled a by the first
 * and b by the second, with `ka`, `kb` = largest label + 1 of each.
 */
export function contingency(
  a: Int32Array,
  b: Int32Array,
): { table: Float64Array; ka: number; kb: number; rowSums: Float64Array; colSums: Float64Array } {
  const ka = labelCount(a);
  const kb = labelCount(b);
  const table = new Float64Array(ka * kb);
  const rowSums = new Float64Array(ka);
  const colSums = new Float64Array(kb);
  for (let i = 0; i < a.length; i++) {
    table[a[i]! * kb + b[i]!]!++;
    rowSums[a[i]!]!++;
    colSums[b[i]!]!++;
  }
  return { table, ka, kb, rowSums, colSums };
}

/** Mean and population standard deviation (divisor m, as the gap statistic's sd_k) of the finite values. */
export function meanAndSD(values: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  const m = s / values.length;
  let q = 0;
  for (let i = 0; i < values.length; i++) q += (values[i]! - m) ** 2;
  return { mean: m, sd: Math.sqrt(q / values.length) };
}
