/**
 * Prediction strength (Tibshirani & Walther 2005, "Cluster validation by prediction strength", JCGS 14(3)): do
 * clusters found in one half of the data predict the co-membership of points in the other half?
 * @module
 */
import { type Matrix, type MatrixLike, toMatrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { checkFraction, checkInteger, checkOptionsObject, checkSeed } from './check-options.js';
import { fitChecked, resolveFitter } from './fitters.js';
import { Stream, contingency, deriveSeed, gatherRows } from './partition-tools.js';
import type { PartitionFitter, SelectKMethod } from './types.js';

/** Prediction strength at or above which Tibshirani & Walther (2005, §3) take a k as supported (they suggest 0.8–0.9). */
export const PREDICTION_STRENGTH_THRESHOLD = 0.8;

/** Options for `predictionStrength`. */
export interface PredictionStrengthOptions {
  k: number;
  /** A built-in method (default 'kmeans'), or `fitter` for any other. */
  method?: SelectKMethod;
  fitter?: PartitionFitter;
  seed?: number;
  /** Share of the rows held out as the test set; default 0.5 (the paper's two-fold split). */
  testFraction?: number;
}

export interface PredictionStrengthResult {
  k: number;
  /** The worst test cluster's share of co-member pairs that the training fit also puts together; in [0, 1]. */
  predictionStrength: number;
  /** That share for each cluster of the fit on the test set (NaN for a cluster of fewer than 2 rows). */
  clusterStrength: number[];
  trainRows: number;
  testRows: number;
}

/** A seeded train/test split of the rows. */
export interface TrainTestSplit {
  train: Matrix;
  test: Matrix;
}

/** Splits the rows at random: ⌊testFraction · n⌉ test rows (at least 1), the rest train. */
export function splitTrainTest(x: Matrix, testFraction: number, seed: number): TrainTestSplit {
  const n = x.rows;
  const order = new Random(deriveSeed(seed, Stream.predictionSplit)).shuffle(
    Int32Array.from({ length: n }, (_, i) => i),
  );
  const nTest = Math.min(n - 1, Math.max(1, Math.round(testFraction * n)));
  return {
    test: gatherRows(x, order.subarray(0, nTest).sort()),
    train: gatherRows(x, order.subarray(nTest).sort()),
  };
}

/** Prediction strength of k clusters on a split (training fit with seed (k, 0), test fit with (k, 1)). */
export function predictionStrengthAt(
  split: TrainTestSplit,
  k: number,
  fit: PartitionFitter,
  seed: number,
): Omit<PredictionStrengthResult, 'trainRows' | 'testRows'> {
  const train = fitChecked(fit, split.train, k, deriveSeed(seed, Stream.predictionFit, k, 0));
  const test = fitChecked(fit, split.test, k, deriveSeed(seed, Stream.predictionFit, k, 1));
  const clusterStrength = coMembershipKept(test.labels, train.predict(split.test), k);
  let worst = Infinity;
  for (const v of clusterStrength) if (v < worst) worst = v; // NaN never compares lower
  return { k, predictionStrength: worst === Infinity ? NaN : worst, clusterStrength };
}

/**
 * For each cluster j of `truth` (k clusters), the share of its ordered pairs of distinct rows that `predicted` also
 * puts in one cluster: Σ_m n_jm (n_jm − 1) / (n_j (n_j − 1)) (Tibshirani & Walther 2005, eq. 2.1's inner sum).
 */
export function coMembershipKept(truth: Int32Array, predicted: Int32Array, k: number): number[] {
  const { table, ka, kb, rowSums } = contingency(truth, predicted);
  return Array.from({ length: k }, (_, j) => {
    const nj = j < ka ? rowSums[j]! : 0;
    if (nj < 2) return NaN;
    let kept = 0;
    for (let m = 0; m < kb; m++) kept += table[j * kb + m]! * (table[j * kb + m]! - 1);
    return kept / (nj * (nj - 1));
  });
}

/**
 * Prediction strength of k clusters (Tibshirani & Walther 2005, §2): split the rows at random into train and test,
 * cluster each into k, assign the test rows with the training fit's `predict`, and for each test cluster measure
 * the share of its pairs of rows that the training fit also puts together; ps(k) is the smallest share. Near 1
 * when the clusters are real; the paper picks the largest k with ps(k) ≥ 0.8–0.9
 * (`PREDICTION_STRENGTH_THRESHOLD` = 0.8). Clusters of fewer than 2 test rows are left out of the minimum.
 *
 * @throws RangeError for bad options (k outside [1, test rows], testFraction outside (0, 1)).
 *
 * @example
 * predictionStrength(X, { k: 4, seed: 1 }).predictionStrength; // ≈ 1 on four well-separated blobs
 */
export function predictionStrength(
  X: MatrixLike,
  options: PredictionStrengthOptions,
): PredictionStrengthResult {
  checkOptionsObject(options, 'predictionStrength');
  const x = toMatrix(X, 'X');
  const testFraction = checkFraction(options.testFraction ?? 0.5, 'testFraction');
  const seed = checkSeed(options.seed ?? 0);
  const { fit } = resolveFitter(options);
  const split = splitTrainTest(x, testFraction, seed);
  const k = checkInteger(options.k, 'k', 1, Math.min(split.train.rows, split.test.rows));
  return {
    ...predictionStrengthAt(split, k, fit, seed),
    trainRows: split.train.rows,
    testRows: split.test.rows,
  };
}
