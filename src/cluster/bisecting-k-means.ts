/**
 * Bisecting k-means with scikit-learn's `BisectingKMeans` semantics: start from one cluster and repeatedly split
 * a leaf in two with 2-means until there are k.
 * @module
 */

import { inertiaCore } from '../metrics/inertia.js';
import { assertNever } from '../util/errors.js';
import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { centre, checkSampleWeight } from './k-means.js';
import { randomRows, seedPlusPlus } from './k-means-init.js';
import { lloyd } from './k-means-lloyd.js';
import { type KMeansRunControl, KMeansWorkspace } from './k-means-steps.js';

/** Which leaf to split next. */
export type BisectingStrategy = 'biggest_inertia' | 'largest_cluster';

/** Options for `bisectingKMeans`; everything but `k` has a default (see `BISECTING_KMEANS_DEFAULTS`). */
export interface BisectingKMeansOptions {
  /** Number of clusters, an integer in [1, rows]. */
  k: number;
  /** `'biggest_inertia'` (default): split the leaf with the largest within-cluster SSE; `'largest_cluster'`: the most rows. */
  bisectingStrategy?: BisectingStrategy;
  /** 2-means runs per split, keeping the lowest inertia. Default 1. */
  nInit?: number;
  /** Seeding of each 2-means: `'random'` rows (default, scikit-learn's for this estimator) or `'k-means++'`. */
  init?: 'random' | 'k-means++';
  /** Maximum Lloyd iterations per 2-means run. Default 300. */
  maxIter?: number;
  /**
   * Tolerance of each 2-means run: it stops when the sum of squared centroid shifts is ≤ `tol`, in the units of X
   * squared. Unlike `kmeans`, not scaled by the data's variance — scikit-learn's `BisectingKMeans` passes its `tol`
   * to the 2-means runs as is. Default 1e-4.
   */
  tol?: number;
  /** Seed for the seeding draws; the same seed gives the same result. Default 0. */
  seed?: number;
  /**
   * Non-negative weight per row (e.g. customer value), as scikit-learn's `sample_weight`: weights the seeding draws,
   * the 2-means centroids, the inertia that picks the best run and the `'biggest_inertia'` scores (not the row
   * counts of `'largest_cluster'`), and the reported inertia. Integer weights act like repeated rows.
   */
  sampleWeight?: ArrayLike<number>;
}

/** The documented defaults merged into `BisectingKMeansOptions`. */
export const BISECTING_KMEANS_DEFAULTS = {
  bisectingStrategy: 'biggest_inertia',
  nInit: 1,
  init: 'random',
  maxIter: 300,
  tol: 1e-4,
  seed: 0,
} as const satisfies Partial<BisectingKMeansOptions>;

/** Result of `bisectingKMeans`. */
export interface BisectingKMeansResult {
  /** Cluster of each row, in [0, k): leaves of the bisection tree numbered left to right, as scikit-learn does. */
  labels: Int32Array;
  /** k × cols centroids (the 2-means centres that created each leaf), row-major. */
  centroids: Float64Array;
  k: number;
  cols: number;
  /** Σ w·‖x − c_label‖² for the returned labels and centroids. */
  inertia: number;
}

function checkInteger(value: unknown, name: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

/** A leaf of the bisection tree: rows `order[start .. end)`, its centre and its score for the strategy. */
interface Leaf {
  start: number;
  end: number;
  center: Float64Array;
  score: number;
}

/**
 * Bisecting k-means (Steinbach, Karypis & Kumar 2000, "A comparison of document clustering techniques", §3) with
 * the semantics of scikit-learn's `BisectingKMeans` (1.x): on centred data, start with one leaf holding every row;
 * k − 1 times, pick the leaf with the highest score (its SSE for `'biggest_inertia'`, its row count for
 * `'largest_cluster'`; the first such leaf in left-to-right order on ties) and split it with the best of `nInit`
 * Lloyd 2-means runs (`tol` scaled by the variance of all of X), the left child taking the rows labelled 0. Leaves
 * are numbered left to right. Random draws use segmint's generator, so results match scikit-learn in quality, not
 * bit for bit.
 *
 * Unlike k-means the result is hierarchical: each split only sees its leaf's rows, so inertia is usually a little
 * above `kmeans`' (a `kmeans` run seeded from these centroids would refine it).
 *
 * Memory: a centred copy of X plus O(n). Time: O(n · d · iterations · depth of the tree).
 *
 * @throws TypeError for an unknown strategy or init; RangeError for a bad value (non-finite data, empty input, k
 * outside [1, rows]), naming the value.
 *
 * @example
 * const { labels, centroids, inertia } = bisectingKMeans(customers, { k: 6, seed: 7 });
 */
export function bisectingKMeans(X: MatrixLike, options: BisectingKMeansOptions): BisectingKMeansResult {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`bisectingKMeans options must be an object with at least k, got ${String(options)}`);
  }
  const D = BISECTING_KMEANS_DEFAULTS;
  const m = toMatrix(X, 'X');
  const { data, rows: n, cols: d } = m;
  const k = checkInteger(options.k, 'k', 1, n);
  const strategy = options.bisectingStrategy ?? D.bisectingStrategy;
  if (strategy !== 'biggest_inertia' && strategy !== 'largest_cluster') {
    throw new TypeError(
      `bisectingStrategy must be 'biggest_inertia' or 'largest_cluster', got '${String(strategy)}'`,
    );
  }
  const init = options.init ?? D.init;
  if (init !== 'random' && init !== 'k-means++') {
    throw new TypeError(`init must be 'random' or 'k-means++', got '${String(init)}'`);
  }
  const nInit = checkInteger(options.nInit ?? D.nInit, 'nInit', 1);
  const maxIter = checkInteger(options.maxIter ?? D.maxIter, 'maxIter', 1);
  const tolAbs = options.tol ?? D.tol;
  if (typeof tolAbs !== 'number' || !Number.isFinite(tolAbs) || tolAbs < 0) {
    throw new RangeError(`tol must be a finite number ≥ 0, got ${String(tolAbs)}`);
  }
  const seed = options.seed ?? D.seed;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
  }

  const w = options.sampleWeight === undefined ? null : checkSampleWeight(options.sampleWeight, n);

  // Centre X (as scikit-learn does, for accuracy); the root's centre is then 0.
  const { x, mean } = centre({ data, rows: n, cols: d });

  // Scratch for every split, allocated once at the root's size: a leaf's rows (and weights) are gathered into the
  // workspace's first rows.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const orderTmp = new Int32Array(n);
  const bestLabels = new Int32Array(n);
  const centers = new Float64Array(2 * d);
  const bestCenters = new Float64Array(2 * d);
  // The workspace owns the gather buffers (in WebAssembly memory when it can, for the SIMD Lloyd kernel).
  const ws = new KMeansWorkspace({
    n,
    d,
    k: 2,
    w: w === null ? null : new Float64Array(n),
    bounds: 'none',
    plusPlus: init === 'k-means++',
    threads: 1,
  });
  const sub = ws.shared.x;
  const subW = ws.shared.w;
  // scikit-learn hands `self.tol` to `_kmeans_single_lloyd` unscaled (`KMeans` scales it by the variance).
  const control: KMeansRunControl = { maxIter, tol: tolAbs, run: 0, onIteration: undefined };
  const rng = new Random(seed);

  let leaves: Leaf[] = [{ start: 0, end: n, center: new Float64Array(d), score: 0 }];
  for (let split = 1; split < k; split++) {
    // The first leaf with the highest score (scikit-learn's `get_cluster_to_bisect`). A leaf of < 2 rows cannot be
    // split (scikit-learn would fail drawing 2 seeds) and is skipped; only ties at score 0 (duplicates) reach it.
    // Splitting identical rows leaves one half empty, as scikit-learn's Lloyd does (it warns; we stay silent).
    let p = -1;
    for (let q = 0; q < leaves.length; q++) {
      const leaf = leaves[q]!;
      if (leaf.end - leaf.start < 2) continue;
      if (p === -1 || leaf.score > leaves[p]!.score) p = q;
    }
    // Unreachable while k ≤ n (k − 1 leaves of < 2 rows hold < k rows), kept as a guard for the invariant.
    if (p === -1) throw new RangeError(`X has too few rows to form k = ${k} clusters`);
    const leaf = leaves[p]!;
    const size = leaf.end - leaf.start;
    for (let r = 0; r < size; r++) {
      const i = order[leaf.start + r]!;
      sub.set(x.subarray(i * d, i * d + d), r * d);
      if (subW !== null) subW[r] = w![i]!;
    }
    ws.setRows(size);
    const labels = ws.labels;
    let bestInertia = Infinity;
    for (let run = 0; run < nInit; run++) {
      switch (init) {
        case 'random':
          randomRows(ws.data, 2, rng, centers);
          break;
        case 'k-means++':
          seedPlusPlus(ws, 2, rng, centers);
          break;
        default:
          assertNever(init, 'init');
      }
      lloyd(ws, centers, control);
      const inertia = ws.inertia(centers);
      // scikit-learn keeps a later run only if it is better by more than rounding (relative 1e-6).
      if (run === 0 || inertia < bestInertia * (1 - 1e-6)) {
        bestInertia = inertia;
        bestLabels.set(labels);
        bestCenters.set(centers);
      }
    }

    // Scores of the two halves, and a stable partition of the leaf's rows: label 0 first, as `indices[labels == 0]`.
    const score = [0, 0];
    let left = 0;
    for (let r = 0; r < size; r++) {
      const l = bestLabels[r]!;
      if (l === 0) left++;
      switch (strategy) {
        case 'biggest_inertia': {
          let s = 0;
          for (let t = 0; t < d; t++) s += (sub[r * d + t]! - bestCenters[l * d + t]!) ** 2;
          score[l]! += subW === null ? s : subW[r]! * s;
          break;
        }
        case 'largest_cluster':
          score[l]! += 1;
          break;
        default:
          assertNever(strategy, 'bisectingStrategy');
      }
    }
    let a = leaf.start;
    let b = leaf.start + left;
    for (let r = 0; r < size; r++) orderTmp[bestLabels[r] === 0 ? a++ : b++] = order[leaf.start + r]!;
    order.set(orderTmp.subarray(leaf.start, leaf.end), leaf.start);
    const mid = leaf.start + left;
    leaves = [
      ...leaves.slice(0, p),
      { start: leaf.start, end: mid, center: bestCenters.slice(0, d), score: score[0]! },
      { start: mid, end: leaf.end, center: bestCenters.slice(d, 2 * d), score: score[1]! },
      ...leaves.slice(p + 1),
    ];
  }

  const labels = new Int32Array(n);
  const centroids = new Float64Array(k * d);
  leaves.forEach((leaf, j) => {
    for (let r = leaf.start; r < leaf.end; r++) labels[order[r]!] = j;
    for (let t = 0; t < d; t++) centroids[j * d + t] = leaf.center[t]! + mean[t]!;
  });
  const inertia = inertiaCore(data, n, d, labels, centroids, w);
  return { labels, centroids, k, cols: d, inertia };
}
