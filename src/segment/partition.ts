/**
 * Pieces every segmentation method shares: taking rows, numbering segments largest first, the within-segment
 * cost and means of a labelling, cutting a merge tree into k segments, and the silhouette of a labelling under
 * the method's own dissimilarity (euclidean on the scaled features; plus γ per categorical mismatch for
 * k-prototypes; mismatches for k-modes).
 * @module
 */
import { condensedDistances, silhouetteScoreCondensed } from '../metrics/index.js';
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import type { CategoricalColumns, SegmentInput } from './segmenter.js';

/** Rows `idx` of the input (numeric and categorical). */
export function takeInput(input: SegmentInput, idx: Int32Array): SegmentInput {
  const c = input.categorical;
  return {
    x: takeRows(input.x, idx),
    categorical: c ? { ...c, codes: takeCodes(c.codes, c.cols, idx), rows: idx.length } : null,
  };
}

export function takeRows(x: Matrix, idx: Int32Array): Matrix {
  const d = x.cols;
  const data = new Float64Array(idx.length * d);
  for (let i = 0; i < idx.length; i++) data.set(x.data.subarray(idx[i]! * d, idx[i]! * d + d), i * d);
  return { data, rows: idx.length, cols: d };
}

function takeCodes(codes: Int32Array, q: number, idx: Int32Array): Int32Array {
  const out = new Int32Array(idx.length * q);
  for (let i = 0; i < idx.length; i++) out.set(codes.subarray(idx[i]! * q, idx[i]! * q + q), i * q);
  return out;
}

/** Number of rows of an input. */
export function rowsOf(input: SegmentInput): number {
  return input.x.rows;
}

/**
 * New segment numbers, largest segment first (ties by old number), so numbering does not depend on
 * initialisation: `order[new] = old`. Noise (−1) is not a segment.
 */
export function orderBySize(labels: Int32Array, k: number): Int32Array {
  const size = new Float64Array(k);
  for (const l of labels) if (l >= 0) size[l]!++;
  return Int32Array.from(Array.from({ length: k }, (_, j) => j).sort((a, b) => size[b]! - size[a]! || a - b));
}

/** Applies `order` (new → old) to labels; −1 stays −1. */
export function relabel(labels: Int32Array, order: Int32Array): Int32Array {
  const map = new Int32Array(order.length);
  order.forEach((old, neu) => (map[old] = neu));
  return labels.map((l) => (l < 0 ? l : map[l]!));
}

/** Distinct non-negative labels. */
export function distinctCount(labels: Int32Array): number {
  return new Set(Array.from(labels).filter((l) => l >= 0)).size;
}

/** k × d means of each segment's rows (a segment without rows keeps zeros); noise is left out. */
export function segmentMeans(x: Matrix, labels: Int32Array, k: number): Float64Array {
  const d = x.cols;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    const l = labels[i]!;
    if (l < 0) continue;
    counts[l]!++;
    for (let j = 0; j < d; j++) sums[l * d + j]! += x.data[i * d + j]!;
  }
  for (let c = 0; c < k; c++) if (counts[c]! > 0) for (let j = 0; j < d; j++) sums[c * d + j]! /= counts[c]!;
  return sums;
}

/** Σ over clustered rows of the squared distance to their segment mean. */
export function partitionInertia(x: Matrix, labels: Int32Array, k: number): number {
  const means = segmentMeans(x, labels, k);
  const d = x.cols;
  let s = 0;
  for (let i = 0; i < x.rows; i++) {
    const l = labels[i]!;
    if (l < 0) continue;
    for (let j = 0; j < d; j++) {
      const t = x.data[i * d + j]! - means[l * d + j]!;
      s += t * t;
    }
  }
  return s;
}

/** How two customers differ, for the silhouette: what the method itself minimises. */
export interface Dissimilarity {
  /** Weight of one categorical mismatch (k-prototypes' γ); 0 ignores categories. */
  gamma: number;
  /** Use the numeric features (false for k-modes). */
  numeric: boolean;
}

/**
 * Condensed pairwise dissimilarities of the input's rows: euclidean on the numeric features, or
 * √(‖a − b‖² + γ · mismatches) with categories (a metric: euclidean after one-hot coding scaled by √(γ/2)).
 */
export function condensedDissimilarities(input: SegmentInput, how: Dissimilarity): Float64Array {
  const c = input.categorical;
  if (how.numeric && (!c || how.gamma === 0 || c.cols === 0)) return condensedDistances(input.x);
  const n = input.x.rows;
  const d = how.numeric ? input.x.cols : 0;
  const x = input.x.data;
  const q = c?.cols ?? 0;
  const codes = c?.codes ?? new Int32Array(0);
  const out = new Float64Array((n * (n - 1)) / 2);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = x[i * d + t]! - x[j * d + t]!;
        s += v * v;
      }
      let mismatches = 0;
      for (let t = 0; t < q; t++) if (codes[i * q + t] !== codes[j * q + t]) mismatches++;
      out[p++] = Math.sqrt(s + (how.numeric ? how.gamma : 1) * mismatches);
    }
  }
  return out;
}

/**
 * Mean silhouette of a labelling, on at most `sampleSize` clustered rows drawn with `seed` (noise left out);
 * NaN unless there are 2 or more segments among them and fewer segments than rows.
 */
export function sampledSilhouette(
  input: SegmentInput,
  labels: Int32Array,
  how: Dissimilarity,
  sampleSize: number,
  seed: number,
): number {
  const clustered = Int32Array.from(Array.from(labels.keys()).filter((i) => labels[i]! >= 0));
  const pick = new Random(seed).sampleIndices(clustered.length, Math.min(clustered.length, sampleSize));
  const idx = Int32Array.from(pick, (i) => clustered[i]!);
  const sub = Int32Array.from(idx, (i) => labels[i]!);
  const distinct = new Set(sub).size;
  if (distinct < 2 || distinct > sub.length - 1) return NaN;
  return silhouetteScoreCondensed(condensedDissimilarities(takeInput(input, idx), how), sub);
}

export type { CategoricalColumns };
