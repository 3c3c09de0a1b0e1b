/**
 * k-modes clustering of categorical data with the `kmodes` package's `KModes` semantics: matching dissimilarity,
 * modes as centroids, online updates (Huang 1998), Cao et al. 2009 or Huang seeding, best of `nInit` runs.
 * @module
 */

import { type CategoricalLike, type CategoryValue, encodeCategorical, encodeWith } from './k-modes-encode.js';
import { type KModesData, assignAll, bestOfRuns } from './k-modes-core.js';

export type { CategoricalLike, CategoryValue, CodedMatrix } from './k-modes-encode.js';

/** Options for `kModes`; everything but `k` has a default (see `KMODES_DEFAULTS`). */
export interface KModesOptions {
  /** Number of clusters, an integer in [1, rows]. */
  k: number;
  /**
   * `'Cao'` (Cao, Liang & Bai 2009; deterministic, so `nInit` is forced to 1 as kmodes does), `'Huang'` (Huang 1998
   * §3.2) or `'random'` distinct rows. Default `'Cao'`.
   */
  init?: 'Huang' | 'Cao' | 'random';
  /** Seedings to run, keeping the lowest cost. Default 10 (1 with `'Cao'`). */
  nInit?: number;
  /** Maximum epochs per run. Default 100. */
  maxIter?: number;
  /** Seed for all random draws. Default 0. */
  seed?: number;
}

/** The documented defaults merged into `KModesOptions`. */
export const KMODES_DEFAULTS = {
  init: 'Cao',
  nInit: 10,
  maxIter: 100,
  seed: 0,
} as const satisfies Partial<KModesOptions>;

/** The best run of `kModes`. */
export interface KModesResult {
  /** Cluster of each row: nearest mode, ties → lowest index (kmodes' `labels_`). */
  labels: Int32Array;
  centroids: {
    /** k × q modes as dictionary indices: `categories[j][categorical[c * q + j]]`. */
    categorical: Int32Array;
    /** Per column, its distinct values in sorted order (`null` = missing). */
    categories: CategoryValue[][];
    k: number;
    q: number;
  };
  /** Total number of mismatches to the assigned modes (kmodes' `cost_`). */
  cost: number;
  nIter: number;
  epochCosts: number[];
  /** Labels for new rows; unseen categories match no mode. */
  predict: (categorical: CategoricalLike) => Int32Array;
}

function checkInteger(value: unknown, name: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/**
 * Clusters categorical rows into k segments by matching dissimilarity (k-modes, Huang 1998).
 *
 * @example
 * const r = kModes([['web', 'gold'], ['web', 'gold'], ['store', null]], { k: 2 });
 * r.labels; // Int32Array [0, 0, 1]
 * r.centroids.categories[0][r.centroids.categorical[0]]; // 'web'
 */
export function kModes(categorical: CategoricalLike, options: KModesOptions): KModesResult {
  const enc = encodeCategorical(categorical, 'categorical');
  const opts = { ...KMODES_DEFAULTS, ...options };
  const n = enc.rows;
  const k = checkInteger(opts.k, 'k', 1, n);
  let nInit = checkInteger(opts.nInit, 'nInit', 1);
  const maxIter = checkInteger(opts.maxIter, 'maxIter', 0);
  if (opts.init !== 'Cao' && opts.init !== 'Huang' && opts.init !== 'random') {
    throw new TypeError(`init must be 'Huang', 'Cao' or 'random', got ${JSON.stringify(opts.init)}`);
  }
  if (typeof opts.seed !== 'number' || !Number.isFinite(opts.seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(opts.seed)}`);
  }
  if (opts.init === 'Cao') nInit = 1; // deterministic seeding: kmodes sets n_init = 1 too
  const q = enc.cols;
  const data: KModesData = {
    n,
    num: new Float64Array(0),
    p: 0,
    cat: enc.codes,
    q,
    nCats: Int32Array.from(enc.categories, (c) => c.length),
    gamma: 1,
  };
  const best = bestOfRuns(data, k, opts.init, nInit, maxIter, opts.seed);
  const predict = (x: CategoricalLike): Int32Array => {
    const codes = encodeWith(x, enc.categories, 'categorical');
    const rows = codes.length / q;
    const labels = new Int32Array(rows);
    assignAll(new Float64Array(0), codes, rows, 0, q, new Float64Array(0), best.catCentroids, k, 1, labels);
    return labels;
  };
  return {
    labels: best.labels,
    centroids: { categorical: best.catCentroids, categories: enc.categories, k, q },
    cost: best.cost,
    nIter: best.nIter,
    epochCosts: best.epochCosts,
    predict,
  };
}
