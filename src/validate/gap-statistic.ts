/**
 * The gap statistic (Tibshirani, Walther & Hastie 2001, "Estimating the number of clusters in a data set via the
 * gap statistic", JRSS B 63(2)): how much tighter the clusters of the data are than those of structureless
 * reference data, and the number of clusters by the 1-standard-error rule.
 * @module
 */
import { type MatrixLike, type Matrix, toMatrix } from '../util/matrix.js';
import { checkInteger, checkOptionsObject, checkSeed } from './check-options.js';
import { fitChecked, resolveFitter } from './fitters.js';
import { Stream, deriveSeed, meanAndSD, withinSumOfSquares } from './partition-tools.js';
import { type ReferenceDistribution, referenceSets } from './reference-data.js';
import type { PartitionFitter, SelectKMethod } from './types.js';

/** Options for `gapStatistic`. */
export interface GapStatisticOptions {
  /** Smallest k; default 1 (k = 1 needs no fit: W_1 is the total sum of squares). */
  kMin?: number;
  /** Largest k, > kMin and ≤ the rows of X. */
  kMax: number;
  /** Reference data sets B; default 10 (the paper uses 10 to 50). */
  references?: number;
  /** A built-in method (default 'kmeans'), or `fitter` for any other; data and references are clustered alike. */
  method?: SelectKMethod;
  fitter?: PartitionFitter;
  seed?: number;
  /** Default `'pca-box'` (the paper's method (b)). */
  referenceDistribution?: ReferenceDistribution;
}

/** The gap statistic at one k. */
export interface GapValue {
  k: number;
  /** Gap(k) = E*[log W_k] − log W_k. */
  gap: number;
  /** s_k = sd_k · √(1 + 1/B), the standard error the 1-SE rule uses. */
  gapSE: number;
  /** sd_k: standard deviation (divisor B) of log W_k over the reference sets. */
  sd: number;
  /** W_k of the data: pooled within-cluster sum of squared Euclidean distances to the cluster means. */
  withinSS: number;
  logW: number;
  /** E*[log W_k]: the mean of log W_k over the reference sets. */
  expectedLogW: number;
}

export interface GapStatisticResult {
  values: GapValue[];
  /**
   * The smallest k with Gap(k) ≥ Gap(k + 1) − s_{k+1} (k = 1: no clear structure); kMax when no k below it
   * satisfies the rule (then `ruleMet` is false), as R's `cluster::maxSE(method = "Tibs2001SEmax")`.
   */
  k: number;
  ruleMet: boolean;
  references: number;
  referenceDistribution: ReferenceDistribution;
}

/** The data and reference sets one gap computation runs over, with the fitter and seed. */
export interface GapContext {
  x: Matrix;
  references: Matrix[];
  fit: PartitionFitter;
  seed: number;
}

/**
 * Gap(k) and its standard error, given the data's labels at k (null for k = 1, or to fit them here with the seed
 * `gapStatistic` uses). Each reference set b is fitted with its own seed for (k, b); `onFit` is called after each
 * fit.
 */
export function gapAt(
  ctx: GapContext,
  k: number,
  dataLabels: Int32Array | null,
  onFit?: () => void,
): GapValue {
  const withinOf = (x: Matrix, seedParts: number[], given: Int32Array | null): number => {
    let labels = given;
    if (k === 1) labels = new Int32Array(x.rows);
    else if (labels === null) {
      labels = fitChecked(ctx.fit, x, k, deriveSeed(ctx.seed, ...seedParts)).labels;
      onFit?.();
    }
    return withinSumOfSquares(x, labels, k);
  };
  const withinSS = withinOf(ctx.x, [Stream.fit, k], dataLabels);
  const logW = Math.log(withinSS);
  const B = ctx.references.length;
  const logWStar = ctx.references.map((ref, b) => Math.log(withinOf(ref, [Stream.gapFit, k, b], null)));
  const { mean, sd } = meanAndSD(logWStar);
  return {
    k,
    gap: mean - logW,
    gapSE: sd * Math.sqrt(1 + 1 / B),
    sd,
    withinSS,
    logW,
    expectedLogW: mean,
  };
}

/**
 * Tibshirani, Walther & Hastie's rule (§4, step 3) over gap values in increasing k: the first k with
 * Gap(k) ≥ Gap(next k) − s_next; the last k when none qualifies.
 */
export function gapRule(values: readonly GapValue[]): { k: number; ruleMet: boolean } {
  for (let i = 0; i + 1 < values.length; i++) {
    const next = values[i + 1]!;
    if (values[i]!.gap >= next.gap - next.gapSE) return { k: values[i]!.k, ruleMet: true };
  }
  return { k: values[values.length - 1]!.k, ruleMet: false };
}

/**
 * Gap(k) for k = kMin..kMax, with W_k the pooled within-cluster sum of squares (squared Euclidean distances, as in
 * the paper), B reference data sets drawn uniformly over the data's box (`'uniform-box'`) or over the box of its
 * principal components (`'pca-box'`, the default), each clustered with the same method, and the chosen k by the
 * 1-standard-error rule: the smallest k with Gap(k) ≥ Gap(k + 1) − s_{k+1}, where s_k = sd_k · √(1 + 1/B). k = 1
 * means no clear structure.
 *
 * Cost: (kMax − kMin + 1) · (B + 1) fits on data of X's size — fit on a sample for large X (as `selectK` does).
 *
 * @throws RangeError for bad options (kMax ≤ kMin, kMax > rows, references < 1, non-finite data).
 *
 * @example
 * const { k, values } = gapStatistic(X, { kMax: 8, seed: 1 });
 * // k: 4 on four well-separated blobs; values[i].gap and values[i].gapSE to plot against k
 */
export function gapStatistic(X: MatrixLike, options: GapStatisticOptions): GapStatisticResult {
  checkOptionsObject(options, 'gapStatistic');
  const x = toMatrix(X, 'X');
  if (x.rows < 2) throw new RangeError(`X has ${x.rows} row: the gap statistic needs at least 2`);
  const kMin = checkInteger(options.kMin ?? 1, 'kMin', 1);
  const kMax = checkInteger(options.kMax, 'kMax', kMin + 1, x.rows);
  const B = checkInteger(options.references ?? 10, 'references', 1);
  const seed = checkSeed(options.seed ?? 0);
  const distribution = options.referenceDistribution ?? 'pca-box';
  if (distribution !== 'pca-box' && distribution !== 'uniform-box') {
    throw new TypeError(
      `referenceDistribution must be 'pca-box' or 'uniform-box', got '${String(distribution)}'`,
    );
  }
  const { fit } = resolveFitter(options);
  const ctx: GapContext = { x, references: referenceSets(x, B, distribution, seed), fit, seed };
  const values: GapValue[] = [];
  for (let k = kMin; k <= kMax; k++) values.push(gapAt(ctx, k, null));
  return { values, ...gapRule(values), references: B, referenceDistribution: distribution };
}
