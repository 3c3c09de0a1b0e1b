/**
 * Clustering stability under subsampling: do refits on subsets of the rows partition the data the same way
 * (Ben-Hur, Elisseeff & Guyon 2002; Lange, Roth, Braun & Buhmann 2004), and does each cluster of a fit on all rows
 * come back in the refits (Hennig 2007, "Cluster-wise assessment of cluster stability", CSDA 52(1))?
 * @module
 */
import { adjustedRandScore } from '../metrics/index.js';
import { type Matrix, type MatrixLike, toMatrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { checkFraction, checkInteger, checkOptionsObject, checkSeed } from './check-options.js';
import { fitChecked, resolveFitter } from './fitters.js';
import { Stream, contingency, deriveSeed, gatherRows, meanAndSD } from './partition-tools.js';
import type { PartitionFitter, SelectKMethod } from './types.js';

/** Mean Jaccard at or above which Hennig (2007, §4) calls a cluster stable ("valid"). */
export const JACCARD_STABLE = 0.75;
/** Mean Jaccard at or below which Hennig (2007, §4) says a cluster dissolves. */
export const JACCARD_DISSOLVED = 0.5;

/** Options for `clusteringStability`. */
export interface ClusteringStabilityOptions {
  k: number;
  /** A built-in method (default 'kmeans'), or `fitter` for any other. */
  method?: SelectKMethod;
  fitter?: PartitionFitter;
  /** Refits on subsamples; default 10, at least 2. */
  runs?: number;
  /** Fraction of the rows each refit sees, drawn without replacement; default 0.8. */
  fraction?: number;
  seed?: number;
}

/** How stable a k-clustering is. */
export interface ClusteringStabilityResult {
  k: number;
  /** Mean adjusted Rand index between the refits' labelings of all rows, over every pair of refits. */
  stability: number;
  /** Standard deviation (divisor: pairs) of those ARIs. */
  stabilitySD: number;
  /**
   * Per cluster of the reference fit (on all rows): the mean, over refits, of the Jaccard similarity between the
   * cluster and its best-matched cluster of the refit, on the rows the refit saw. In [0, 1].
   */
  clusterJaccard: number[];
  /** Labels of the reference fit, which `clusterJaccard` indexes. */
  referenceLabels: Int32Array;
  runs: number;
  fraction: number;
}

/** One stability subsample: its rows of the data, and them as a matrix. */
export interface Subsample {
  idx: Int32Array;
  x: Matrix;
}

/** `runs` subsamples of ⌊fraction · n⌉ rows (at least 2); run r is drawn from its own seed, whatever k. */
export function drawSubsamples(x: Matrix, runs: number, fraction: number, seed: number): Subsample[] {
  const m = Math.max(2, Math.round(fraction * x.rows));
  return Array.from({ length: runs }, (_, r) => {
    const idx = new Random(deriveSeed(seed, Stream.stabilitySubsample, r)).sampleIndices(x.rows, m);
    return { idx, x: gatherRows(x, idx) };
  });
}

/**
 * Stability of k clusters of `x` from refits on the subsamples (run r with seed (k, r)): the mean and SD of the
 * ARI between the refits' predictions for all rows of x, over all pairs of runs, and per cluster of
 * `referenceLabels` the mean best-match Jaccard (Hennig 2007's clusterboot measure, computed on each refit's own
 * rows with its own labels; a cluster with no row in a subsample scores 0 there, as fpc's `clusterboot` counts it
 * with `zerobyzero = 0`). `onFit` is called
 * after each refit.
 */
export function stabilityAt(
  x: Matrix,
  k: number,
  referenceLabels: Int32Array,
  subsamples: readonly Subsample[],
  fit: PartitionFitter,
  seed: number,
  onFit?: () => void,
): Omit<ClusteringStabilityResult, 'referenceLabels' | 'runs' | 'fraction'> {
  const predictions: Int32Array[] = [];
  const jaccardSums = new Float64Array(k);
  subsamples.forEach((s, r) => {
    const refit = fitChecked(fit, s.x, k, deriveSeed(seed, Stream.stabilityFit, k, r));
    predictions.push(refit.predict(x));
    const best = bestJaccard(
      Int32Array.from(s.idx, (i) => referenceLabels[i]!),
      refit.labels,
      k,
    );
    for (let c = 0; c < k; c++) jaccardSums[c]! += best[c]!;
    onFit?.();
  });
  const aris: number[] = [];
  for (let a = 0; a < predictions.length; a++) {
    for (let b = a + 1; b < predictions.length; b++)
      aris.push(adjustedRandScore(predictions[a]!, predictions[b]!));
  }
  const { mean, sd } = meanAndSD(aris);
  return {
    k,
    stability: mean,
    stabilitySD: sd,
    clusterJaccard: Array.from(jaccardSums, (v) => v / subsamples.length),
  };
}

/**
 * For each of the k reference clusters (labels `ref`, on the subsample's rows), the Jaccard similarity
 * |C ∩ D| / |C ∪ D| with the refit cluster D that matches it best; 0 when C has no row here.
 */
export function bestJaccard(ref: Int32Array, refit: Int32Array, k: number): Float64Array {
  const { table, ka, kb, rowSums, colSums } = contingency(ref, refit);
  const best = new Float64Array(k);
  for (let c = 0; c < Math.min(k, ka); c++) {
    for (let m = 0; m < kb; m++) {
      const both = table[c * kb + m]!;
      if (both > 0) best[c] = Math.max(best[c]!, both / (rowSums[c]! + colSums[m]! - both));
    }
  }
  return best;
}

/**
 * How stable k clusters of X are under refitting on subsamples: a reference fit on all rows, then `runs` refits
 * on random `fraction`s of the rows (without replacement). Reports the mean adjusted Rand index between every
 * pair of refits' predictions for all rows (1 = the same partition every time; ≈ 0 = no better than chance) with
 * its SD, and for each cluster of the reference fit the mean Jaccard of its best match in each refit (Hennig
 * 2007: ≥ 0.75 stable, ≤ 0.5 dissolved — `JACCARD_STABLE`, `JACCARD_DISSOLVED`).
 *
 * Cost: 1 + runs fits and runs predictions of all rows — fit on a sample for large X (as `selectK` does).
 *
 * @throws RangeError for bad options (k outside [1, rows], runs < 2, fraction outside (0, 1)).
 *
 * @example
 * const s = clusteringStability(X, { k: 4, seed: 1 });
 * s.stability; // ≈ 1 on well-separated blobs
 * s.clusterJaccard; // e.g. [0.99, 0.98, 1, 0.97]
 */
export function clusteringStability(
  X: MatrixLike,
  options: ClusteringStabilityOptions,
): ClusteringStabilityResult {
  checkOptionsObject(options, 'clusteringStability');
  const x = toMatrix(X, 'X');
  const k = checkInteger(options.k, 'k', 1, x.rows);
  const runs = checkInteger(options.runs ?? 10, 'runs', 2);
  const fraction = checkFraction(options.fraction ?? 0.8, 'fraction');
  const seed = checkSeed(options.seed ?? 0);
  const { fit } = resolveFitter(options);
  const subsamples = drawSubsamples(x, runs, fraction, seed);
  if (subsamples[0]!.idx.length < k) {
    throw new RangeError(
      `each subsample has ${subsamples[0]!.idx.length} rows, fewer than k = ${k}: raise fraction`,
    );
  }
  const referenceLabels = fitChecked(fit, x, k, deriveSeed(seed, Stream.fit, k)).labels;
  return { ...stabilityAt(x, k, referenceLabels, subsamples, fit, seed), referenceLabels, runs, fraction };
}
