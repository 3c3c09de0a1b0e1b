/**
 * Do the final segments hold up? Refit the method on subsamples of the customers and measure, for each segment,
 * how well its best-matched counterpart in each refit reproduces it (Jaccard similarity on the customers the refit
 * saw, as in Hennig 2007, "Cluster-wise assessment of cluster stability"). Works for every method, categorical
 * ones included, because a refit is just "fit on these rows, assign those rows".
 * @module
 */
import { Random } from '../util/random.js';
import { takeInput } from './partition.js';
import type { SegmentInput } from './segmenter.js';

/** Fits the method on `train` and returns the segment of every row of `score` (−1: noise). */
export type RefitAndAssign = (train: SegmentInput, score: SegmentInput, seed: number) => Int32Array;

export interface SegmentStabilityOptions {
  /** Customers the check runs on (a seeded sample beyond it). */
  sampleSize: number;
  runs: number;
  /** Fraction of the sampled customers each refit sees. */
  fraction: number;
  seed: number;
}

export interface SegmentStability {
  /** Per segment 0..k−1: mean Jaccard with its best match over the refits (NaN when never sampled). */
  jaccard: number[];
  runs: number;
  /** Customers the check ran on. */
  checkedOn: number;
}

/**
 * Stability of each segment of `labels` (0..k−1; −1 for noise, left out) over `runs` refits on subsamples.
 * Returns null when `runs` is 0.
 */
export function segmentStability(
  input: SegmentInput,
  labels: Int32Array,
  k: number,
  refit: RefitAndAssign,
  o: SegmentStabilityOptions,
): SegmentStability | null {
  if (o.runs <= 0 || k < 1) return null;
  const n = input.x.rows;
  const rng = new Random(o.seed ^ 0x5eed);
  const sampleIdx = n > o.sampleSize ? rng.sampleIndices(n, o.sampleSize) : null;
  const base = sampleIdx ? takeInput(input, sampleIdx) : input;
  const ref = sampleIdx ? Int32Array.from(sampleIdx, (i) => labels[i]!) : labels;
  const m = base.x.rows;
  const take = Math.max(2, Math.min(m, Math.round(o.fraction * m)));
  const sum = new Float64Array(k);
  const seen = new Float64Array(k);
  for (let r = 0; r < o.runs; r++) {
    const idx = rng.sampleIndices(m, take);
    const predicted = refit(takeInput(base, idx), base, o.seed + 1000 * (r + 1));
    const sub = Int32Array.from(idx, (i) => ref[i]!);
    const subPred = Int32Array.from(idx, (i) => predicted[i]!);
    const best = bestJaccard(sub, subPred, k);
    for (let s = 0; s < k; s++) {
      if (Number.isNaN(best[s]!)) continue;
      sum[s]! += best[s]!;
      seen[s]!++;
    }
  }
  return {
    jaccard: Array.from(sum, (v, s) => (seen[s]! > 0 ? v / seen[s]! : NaN)),
    runs: o.runs,
    checkedOn: m,
  };
}

/**
 * For each reference segment s (0..k−1): the largest |S ∩ C| / |S ∪ C| over the clusters C of `other` (noise, −1,
 * is not a cluster); NaN when s has no member here.
 */
export function bestJaccard(reference: Int32Array, other: Int32Array, k: number): Float64Array {
  let kOther = 0;
  for (const l of other) if (l + 1 > kOther) kOther = l + 1;
  const both = new Float64Array(k * Math.max(1, kOther));
  const sizeRef = new Float64Array(k);
  const sizeOther = new Float64Array(Math.max(1, kOther));
  for (let i = 0; i < reference.length; i++) {
    const a = reference[i]!;
    const b = other[i]!;
    if (a >= 0) sizeRef[a]!++;
    if (b >= 0) sizeOther[b]!++;
    if (a >= 0 && b >= 0) both[a * kOther + b]!++;
  }
  const out = new Float64Array(k);
  for (let s = 0; s < k; s++) {
    if (sizeRef[s] === 0) {
      out[s] = NaN;
      continue;
    }
    let best = 0;
    for (let c = 0; c < kOther; c++) {
      const inter = both[s * kOther + c]!;
      if (inter === 0) continue;
      const j = inter / (sizeRef[s]! + sizeOther[c]! - inter);
      if (j > best) best = j;
    }
    out[s] = best;
  }
  return out;
}
