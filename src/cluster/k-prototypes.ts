/**
 * k-prototypes clustering of mixed numeric and categorical data with the `kmodes` package's `KPrototypes` semantics:
 * cost = Σ ‖x − μ‖² + γ · #category mismatches (Huang 1997), online updates, best of `nInit` seedings.
 * @module
 */

import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { type CategoricalLike, type CategoryValue, encodeCategorical, encodeWith } from './k-modes-encode.js';
import { type KModesData, assignAll, bestOfRuns } from './k-modes-core.js';

/** Mixed input: numeric and categorical columns of the same rows. */
export interface KPrototypesInput {
  numeric: MatrixLike;
  /** Integer codes `{ data: Int32Array, rows, cols }` or string rows (`null` / `''` is its own category). */
  categorical: CategoricalLike;
}

/** Options for `kPrototypes`; everything but `k` has a default (see `KPROTOTYPES_DEFAULTS`). */
export interface KPrototypesOptions {
  /** Number of clusters, an integer in [1, rows]. */
  k: number;
  /**
   * Weight of one categorical mismatch against squared euclidean distance. Default, as kmodes:
   * 0.5 × the mean population standard deviation of the numeric columns (Huang 1997 §4 suggests a value of the
   * order of the numeric spread).
   */
  gamma?: number;
  /** Categorical seeding: `'Cao'` (Cao et al. 2009, default) or `'Huang'` (Huang 1998); numeric seeds ~ N(mean, sd). */
  init?: 'Huang' | 'Cao';
  /** Seedings to run, keeping the lowest cost. Default 10. */
  nInit?: number;
  /** Maximum epochs per run. Default 100. */
  maxIter?: number;
  /** Seed for all random draws; the same seed gives the same result. Default 0. */
  seed?: number;
}

/** The documented defaults merged into `KPrototypesOptions`. */
export const KPROTOTYPES_DEFAULTS = {
  init: 'Cao',
  nInit: 10,
  maxIter: 100,
  seed: 0,
} as const satisfies Partial<KPrototypesOptions>;

/** Centroids of a k-prototypes fit. */
export interface KPrototypesCentroids {
  /** k × p numeric means, row-major. */
  numeric: Float64Array;
  /** k × q modes as dictionary indices: centroid c, column j is `categories[j][categorical[c * q + j]]`. */
  categorical: Int32Array;
  /** Per categorical column, its distinct values in sorted order (`null` = missing, sorted first). */
  categories: CategoryValue[][];
  k: number;
  p: number;
  q: number;
}

/** The best run of `kPrototypes`. */
export interface KPrototypesResult {
  /** Cluster of each row, in [0, k): nearest centroid (ties → lowest index), as kmodes' `labels_`. */
  labels: Int32Array;
  centroids: KPrototypesCentroids;
  /** Σ ‖x − μ‖² + γ · mismatches for `labels` (kmodes' `cost_`). */
  cost: number;
  /** Epochs of the best run (kmodes' `n_iter_`). */
  nIter: number;
  /** Cost after the initial update and after each epoch of the best run (kmodes' `epoch_costs_`). */
  epochCosts: number[];
  /** The γ used (given, or the default formula). */
  gamma: number;
  /** Labels for new rows (same columns; unseen categories match no mode). */
  predict: (input: KPrototypesInput) => Int32Array;
}

function checkInteger(value: unknown, name: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** kmodes' default γ: 0.5 × mean over numeric columns of the population standard deviation. */
export function defaultGamma(num: Float64Array, n: number, p: number): number {
  let total = 0;
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += num[i * p + j]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (num[i * p + j]! - m) ** 2;
    total += Math.sqrt(v / n);
  }
  return (0.5 * total) / p;
}

/**
 * Clusters rows with numeric and categorical columns into k segments (k-prototypes, Huang 1997).
 *
 * @example
 * const r = kPrototypes(
 *   { numeric: [[1.0, 20], [1.2, 22], [9.5, 80]], categorical: [['web', 'gold'], ['web', 'gold'], ['store', '']] },
 *   { k: 2, seed: 1 },
 * );
 * r.labels; // Int32Array [1, 1, 0]
 * r.predict({ numeric: [[9, 75]], categorical: [['store', '']] }); // Int32Array [0]
 */
export function kPrototypes(input: KPrototypesInput, options: KPrototypesOptions): KPrototypesResult {
  if (input === null || typeof input !== 'object') {
    throw new TypeError(`input must be { numeric, categorical }, got ${String(input)}`);
  }
  const X = toMatrix(input.numeric, 'numeric');
  const enc = encodeCategorical(input.categorical, 'categorical');
  if (enc.rows !== X.rows) {
    throw new RangeError(
      `categorical has ${enc.rows} rows but numeric has ${X.rows}: they must describe the same rows`,
    );
  }
  const opts = { ...KPROTOTYPES_DEFAULTS, ...options };
  const n = X.rows;
  const k = checkInteger(opts.k, 'k', 1, n);
  const nInit = checkInteger(opts.nInit, 'nInit', 1);
  const maxIter = checkInteger(opts.maxIter, 'maxIter', 0);
  if (opts.init !== 'Cao' && opts.init !== 'Huang') {
    throw new TypeError(`init must be 'Huang' or 'Cao', got ${JSON.stringify(opts.init)}`);
  }
  if (typeof opts.seed !== 'number' || !Number.isFinite(opts.seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(opts.seed)}`);
  }
  // The core only reads the numeric values: no copy when they already are Float64.
  const num = X.data instanceof Float64Array ? X.data : Float64Array.from(X.data);
  const p = X.cols;
  const gamma = opts.gamma ?? defaultGamma(num, n, p);
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0) {
    throw new RangeError(`gamma must be a finite number ≥ 0, got ${String(gamma)}`);
  }
  const q = enc.cols;
  const data: KModesData = {
    n,
    num,
    p,
    cat: enc.codes,
    q,
    nCats: Int32Array.from(enc.categories, (c) => c.length),
    gamma,
  };
  const best = bestOfRuns(data, k, opts.init, nInit, maxIter, opts.seed);
  const centroids: KPrototypesCentroids = {
    numeric: best.numCentroids,
    categorical: best.catCentroids,
    categories: enc.categories,
    k,
    p,
    q,
  };
  const predict = (newInput: KPrototypesInput): Int32Array => {
    const Y = toMatrix(newInput.numeric, 'numeric');
    if (Y.cols !== p)
      throw new RangeError(`numeric has ${Y.cols} columns, expected ${p} as in the fitted data`);
    const codes = encodeWith(newInput.categorical, enc.categories, 'categorical');
    if (codes.length / q !== Y.rows) {
      throw new RangeError(`categorical has ${codes.length / q} rows but numeric has ${Y.rows}`);
    }
    const labels = new Int32Array(Y.rows);
    assignAll(
      Float64Array.from(Y.data),
      codes,
      Y.rows,
      p,
      q,
      best.numCentroids,
      best.catCentroids,
      k,
      gamma,
      labels,
    );
    return labels;
  };
  return {
    labels: best.labels,
    centroids,
    cost: best.cost,
    nIter: best.nIter,
    epochCosts: best.epochCosts,
    gamma,
    predict,
  };
}
