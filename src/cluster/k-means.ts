/**
 * k-means clustering with scikit-learn's `KMeans` semantics: greedy k-means++ or random seeding, best of `nInit`
 * runs by inertia, relative tolerance, empty-cluster relocation, and exact accelerated variants for large inputs.
 * @module
 */

import { isMainThread } from 'node:worker_threads';

import { assertNever } from '../util/errors.js';
import { type Matrix, type MatrixLike, toMatrix } from '../util/matrix.js';
import { defaultThreads, sharedFloat64 } from '../util/parallel.js';
import { Random } from '../util/random.js';
import { elkan } from './k-means-elkan.js';
import { hamerly } from './k-means-hamerly.js';
import { randomRows, seedPlusPlus } from './k-means-init.js';
import { WASM_MAX_DIM, WASM_SIMD } from './k-means-wasm.js';
import { lloyd } from './k-means-lloyd.js';
import { type KMeansBounds, type KMeansCore, KMeansWorkspace } from './k-means-steps.js';

/**
 * Which iteration to run. All give the same labels (up to exact distance ties) — they differ only in speed:
 * - `'lloyd'`: every point against every centroid each iteration (blocked for cache); the reference.
 * - `'elkan'`: Elkan 2003, k lower bounds per point; best pruning, O(n·k) memory.
 * - `'hamerly'`: Hamerly 2010, one lower bound per point; fastest in low dimension.
 * - `'auto'`: `'hamerly'` when d ≤ 64 and WebAssembly SIMD is available (its scans run as SIMD kernels), or
 *   d ≤ 16; else `'elkan'` unless its n × k bounds would exceed 256 MiB (measured crossovers, see
 *   `src/cluster/CONTEXT.md`).
 */
export type KMeansAlgorithm = 'lloyd' | 'elkan' | 'hamerly' | 'auto';

/** Progress of one iteration, passed to `onIteration`. */
export interface KMeansIteration {
  /** Index of the run among `nInit` (0-based). */
  run: number;
  /** Iteration within the run (0-based). */
  iteration: number;
  /**
   * Σ w·‖x − c‖² of this iteration's assignment against the centroids it was made with. Never rises from one
   * iteration to the next (up to rounding): that is Lloyd's descent property.
   */
  inertia: number;
  /** Sum of squared centroid movements in this iteration's update (compared with the scaled `tol`). */
  centerShift: number;
  /** Points whose label changed in this iteration's assignment (all n in iteration 0). */
  changed: number;
}

/** Options for `kmeans`; everything but `k` has a default (see `KMEANS_DEFAULTS`). */
export interface KMeansOptions {
  /** Number of clusters, an integer in [1, rows]. */
  k: number;
  /** `'k-means++'` (default), `'random'` rows, or explicit k × d initial centroids. */
  init?: 'k-means++' | 'random' | MatrixLike;
  /** Independent seedings to run, keeping the lowest inertia. Default 10, or 1 with explicit centroids. */
  nInit?: number;
  /** Maximum iterations per run. Default 300. */
  maxIter?: number;
  /**
   * Relative tolerance: a run stops when the sum of squared centroid shifts is ≤ `tol` × the mean per-feature
   * variance of X. Default 1e-4. 0 runs until labels stop changing (or `maxIter`).
   */
  tol?: number;
  /** Default `'auto'`. */
  algorithm?: KMeansAlgorithm;
  /** Seed for the seeding draws; the same seed gives the same result. Default 0. */
  seed?: number;
  /** Non-negative weight per row (e.g. customer value); weights the centroids, inertia and k-means++ draws. */
  sampleWeight?: ArrayLike<number>;
  /** Called after every iteration of every run. Costs one extra pass over the data per iteration. */
  onIteration?: (progress: KMeansIteration) => void;
  /**
   * Threads to use, this one included. Default: up to 8 (the cores available) when n·k·d ≥ 2²³ and `kmeans` runs on
   * the main thread, else 1 (small inputs do not repay starting workers, and callers already in a worker thread —
   * such as the k sweep — are parallel themselves). The result does not depend on it: rows are split into fixed
   * blocks and partial sums combine in block order.
   */
  threads?: number;
}

/** The documented defaults merged into `KMeansOptions`. */
export const KMEANS_DEFAULTS = {
  init: 'k-means++',
  nInit: 10,
  maxIter: 300,
  tol: 1e-4,
  algorithm: 'auto',
  seed: 0,
} as const satisfies Partial<KMeansOptions>;

/** The best run of `kmeans`. */
export interface KMeansResult {
  /** Cluster of each row, in [0, k). Matches `predictKMeans(centroids, k, X)` up to exact ties. */
  labels: Int32Array;
  /** k × cols centroids, row-major. */
  centroids: Float64Array;
  k: number;
  cols: number;
  /** Σ w·‖x − c_label‖² for the returned labels and centroids. */
  inertia: number;
  /** Iterations of the best run (as scikit-learn's `n_iter_`). */
  iterations: number;
  /** Whether the best run stopped on tolerance or stable labels rather than at `maxIter`. */
  converged: boolean;
}

/**
 * Dimension above which `'auto'` prefers Elkan's k bounds per point over Hamerly's single one when both run as
 * JavaScript. Measured (CPU time, blob data): d = 5, 10 → Hamerly 20–35% faster (also at k = 32); d = 16 → even;
 * d = 20, 30, 64 → Elkan 10–25% faster; d = 100, k = 32 → Elkan 4×. With the WebAssembly kernels (d ≤ 64), whose
 * full scans Hamerly leans on, Hamerly wins throughout: 1M × 20, k = 20 3.7 s against 7.7 s; 300k × 32, k = 20
 * 1.3 s against 2.1 s; 200k × 64, k = 32 2.8 s against 4.3 s.
 */
const AUTO_HAMERLY_MAX_DIM = 16;
/** Elkan's lower bounds take n × k doubles; past this many (256 MiB), `'auto'` stays with Hamerly's n. */
const AUTO_ELKAN_MAX_BOUNDS = 1 << 25;

/** Work (n·k·d) from which `kmeans` spreads over threads by default; see `KMeansOptions.threads`. */
const PARALLEL_MIN_WORK = 1 << 23;
/** Default thread cap: beyond it memory bandwidth, not cores, limits the passes over the rows. */
const MAX_DEFAULT_THREADS = 8;

function selectCore(
  algorithm: KMeansAlgorithm,
  n: number,
  d: number,
  k: number,
): { core: KMeansCore; bounds: KMeansBounds } {
  switch (algorithm) {
    case 'lloyd':
      return { core: lloyd, bounds: 'none' };
    case 'elkan':
      return { core: elkan, bounds: 'elkan' };
    case 'hamerly':
      return { core: hamerly, bounds: 'hamerly' };
    case 'auto':
      return d <= AUTO_HAMERLY_MAX_DIM || (WASM_SIMD && d <= WASM_MAX_DIM) || n * k > AUTO_ELKAN_MAX_BOUNDS
        ? selectCore('hamerly', n, d, k)
        : selectCore('elkan', n, d, k);
    default:
      return assertNever(algorithm, 'algorithm');
  }
}

/** The validated `threads` option, or its default for this much work. */
export function resolveThreads(threads: unknown, work: number): number {
  if (threads === undefined) {
    return isMainThread && work >= PARALLEL_MIN_WORK ? Math.min(defaultThreads(), MAX_DEFAULT_THREADS) : 1;
  }
  return checkInteger(threads, 'threads', 1);
}

function checkInteger(value: unknown, name: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

/**
 * Validates `sampleWeight` against n rows: a Float64Array copy, or null when every weight is 1 (the unweighted
 * paths are faster and exact in counts).
 */
export function checkSampleWeight(sampleWeight: ArrayLike<number>, n: number): Float64Array | null {
  if (typeof sampleWeight !== 'object' || sampleWeight === null || typeof sampleWeight.length !== 'number') {
    throw new TypeError(`sampleWeight must be an array of numbers, got ${String(sampleWeight)}`);
  }
  if (sampleWeight.length !== n) {
    throw new RangeError(`sampleWeight has length ${sampleWeight.length}, expected ${n} (rows of X)`);
  }
  const w = new Float64Array(n);
  let total = 0;
  let allOnes = true;
  for (let i = 0; i < n; i++) {
    const v = sampleWeight[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`sampleWeight[${i}] is ${String(v)}: weights must be finite and ≥ 0`);
    }
    w[i] = v;
    total += v;
    if (v !== 1) allOnes = false;
  }
  if (!(total > 0)) throw new RangeError('sampleWeight sums to 0: at least one row needs a positive weight');
  // Unit weights take the unweighted (incremental, exact-count) paths.
  return allOnes ? null : w;
}

/**
 * Centred copy of X (as scikit-learn does before fitting, for accuracy), its column means, and mean variance. The
 * copy is over a `SharedArrayBuffer` when `shared` (for worker threads).
 */
export function centre(
  m: Matrix,
  shared = false,
  into?: Float64Array,
): { x: Float64Array; mean: Float64Array; meanVariance: number } {
  const { data, rows: n, cols: d } = m;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t]! += data[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t]! /= n;
  const x = into ?? sharedFloat64(n * d, shared);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const v = data[i * d + t]! - mean[t]!;
      x[i * d + t] = v;
      sq += v * v;
    }
  }
  return { x, mean, meanVariance: sq / (n * d) };
}

/** Whether two labelings are the same partition up to renumbering (scikit-learn's `_is_same_clustering`). */
function sameClustering(a: Int32Array, b: Int32Array, k: number, map: Int32Array): boolean {
  map.fill(-1);
  for (let i = 0; i < a.length; i++) {
    const la = a[i]!;
    const lb = b[i]!;
    if (map[la] === -1) map[la] = lb;
    else if (map[la] !== lb) return false;
  }
  return k > 0;
}

/**
 * Partitions the rows of X into k clusters minimising inertia (within-cluster sum of squares), with the semantics
 * of scikit-learn's `KMeans` (1.x): same seeding strategy, stopping rule (`tol` scaled by the mean feature
 * variance; strict convergence when labels repeat), final assignment step, empty-cluster relocation and choice of
 * the best of `nInit` runs. Given the same initial centroids it reproduces scikit-learn's labels; random draws use
 * segmint's own generator, so seeded runs match scikit-learn in quality, not bit for bit.
 *
 * Algorithms: Lloyd 1982; Elkan 2003; Hamerly 2010; seeding Arthur & Vassilvitskii 2007 (see the `k-means-*`
 * files). Memory: a centred Float64 copy of X plus O(n) (O(n·k) for `'elkan'`).
 *
 * @throws TypeError for a wrong type (e.g. an unknown `init` string); RangeError for a bad value (non-finite data,
 * empty input, k outside [1, rows], centroids of the wrong shape, negative weights), naming the value.
 *
 * @example
 * const { labels, centroids, inertia } = kmeans(
 *   [[1, 1], [1.2, 0.8], [8, 8], [8.1, 7.9]],
 *   { k: 2, seed: 42 },
 * );
 * // labels: two pairs, e.g. Int32Array [0, 0, 1, 1]; centroids: Float64Array of 2 × 2
 */
export function kmeans(X: MatrixLike, options: KMeansOptions): KMeansResult {
  return fitKMeans(X, options, undefined);
}

/** What `readKMeansLabels` is asked for: one fit per seed, and who reads each fit's labels. */
interface LabelReader {
  seeds: readonly number[];
  read: (labels: Int32Array, fit: number) => void;
}

/**
 * Internal: `kmeans(X, { ...options, seed })` for each of `seeds` in turn, for a caller that only reads each fit's
 * labels once (Gaussian mixtures' initial responsibilities, one fit per mixture run). The fits share one workspace
 * — the centred copy and per-row arrays are made once, not once per fit — and `read(labels, fit)` sees a fit's
 * labels in place, in the workspace, so the n-row copy `kmeans` hands back is never made (with `nInit` 1). `read`
 * must not keep them: the array is a view of the workspace's memory, rewritten by the next fit. Each fit's labels
 * are those `kmeans` returns for its seed.
 */
export function readKMeansLabels(
  X: MatrixLike,
  options: KMeansOptions,
  seeds: readonly number[],
  read: (labels: Int32Array, fit: number) => void,
): void {
  fitKMeans(X, options, { seeds, read });
}

/** `kmeans`, or `readKMeansLabels` given a reader (then the result is the last fit's, with empty `labels`). */
function fitKMeans(X: MatrixLike, options: KMeansOptions, reader: LabelReader | undefined): KMeansResult {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`kmeans options must be an object with at least k, got ${String(options)}`);
  }
  const m = toMatrix(X, 'X');
  const { rows: n, cols: d } = m;
  const k = checkInteger(options.k, 'k', 1, n);
  const init = options.init ?? KMEANS_DEFAULTS.init;
  const explicit = typeof init !== 'string';
  if (!explicit && init !== 'k-means++' && init !== 'random') {
    throw new TypeError(`init must be 'k-means++', 'random' or a k × d matrix of centroids, got '${init}'`);
  }
  // Explicit centroids make every run identical, so one is enough (scikit-learn warns and does the same).
  const nInit = explicit ? 1 : checkInteger(options.nInit ?? KMEANS_DEFAULTS.nInit, 'nInit', 1);
  if (explicit && options.nInit !== undefined) checkInteger(options.nInit, 'nInit', 1);
  const maxIter = checkInteger(options.maxIter ?? KMEANS_DEFAULTS.maxIter, 'maxIter', 1);
  const tol = options.tol ?? KMEANS_DEFAULTS.tol;
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) {
    throw new RangeError(`tol must be a finite number ≥ 0, got ${String(tol)}`);
  }
  const algorithm = options.algorithm ?? KMEANS_DEFAULTS.algorithm;
  if (!['lloyd', 'elkan', 'hamerly', 'auto'].includes(algorithm)) {
    throw new TypeError(
      `algorithm must be 'lloyd', 'elkan', 'hamerly' or 'auto', got '${String(algorithm)}'`,
    );
  }
  const seeds = reader?.seeds ?? [options.seed ?? KMEANS_DEFAULTS.seed];
  for (const seed of seeds) {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
    }
  }
  const onIteration = options.onIteration;
  if (onIteration !== undefined && typeof onIteration !== 'function') {
    throw new TypeError(`onIteration must be a function, got ${typeof onIteration}`);
  }
  const w = options.sampleWeight === undefined ? null : checkSampleWeight(options.sampleWeight, n);

  const threads = resolveThreads(options.threads, n * k * d);

  const initMatrix = explicit ? toMatrix(init, 'init') : null;
  if (initMatrix !== null) {
    if (initMatrix.rows !== k) throw new RangeError(`init has ${initMatrix.rows} centroids but k is ${k}`);
    if (initMatrix.cols !== d)
      throw new RangeError(`init centroids have ${initMatrix.cols} columns but X has ${d}`);
  }

  const { core, bounds } = selectCore(algorithm, n, d, k);
  const plusPlus = init === 'k-means++';
  const centers = new Float64Array(k * d);
  // A copy of the best run's labels: what `kmeans` returns, and what later runs are compared with.
  const keepLabels = reader === undefined || nInit > 1;
  const bestLabels = new Int32Array(keepLabels ? n : 0);
  let bestCenters = new Float64Array(k * d);
  let bestInertia = Infinity;
  let bestIterations = 0;
  let bestConverged = false;
  const map = new Int32Array(k);
  // The workspace allocates the centred copy itself (in WebAssembly memory when it can, for the SIMD kernels).
  const ws = new KMeansWorkspace({ n, d, k, w, bounds, plusPlus, threads });
  let mean: Float64Array;
  try {
    const centred = ws.centre(m.data);
    mean = centred.mean;
    const explicitCenters = new Float64Array(k * d);
    if (initMatrix !== null) {
      for (let j = 0; j < k; j++)
        for (let t = 0; t < d; t++) explicitCenters[j * d + t] = initMatrix.data[j * d + t]! - mean[t]!;
    }
    const labels = ws.labels;
    const control = { maxIter, tol: tol * centred.meanVariance, run: 0, onIteration };
    for (let fit = 0; fit < seeds.length; fit++) {
      const rng = new Random(seeds[fit]!);
      for (let run = 0; run < nInit; run++) {
        if (explicit) centers.set(explicitCenters);
        else if (plusPlus) seedPlusPlus(ws, k, rng, centers);
        else randomRows(ws.data, k, rng, centers);
        control.run = run;
        const outcome = core(ws, centers, control);
        const runInertia = ws.inertia(centers);
        // A lower inertia wins unless it is the same partition (then the gain is rounding noise), as in
        // scikit-learn.
        if (run === 0 || (runInertia < bestInertia && !sameClustering(labels, bestLabels, k, map))) {
          if (keepLabels) bestLabels.set(labels);
          bestCenters.set(centers);
          bestInertia = runInertia;
          bestIterations = outcome.iterations;
          bestConverged = outcome.converged;
        }
      }
      reader?.read(keepLabels ? bestLabels : labels, fit);
    }
  } finally {
    ws.close();
  }
  // Nothing to compare against: hand over the run's centroids rather than a copy.
  if (nInit === 1) bestCenters = centers;
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) bestCenters[j * d + t]! += mean[t]!;
  return {
    labels: bestLabels,
    centroids: bestCenters,
    k,
    cols: d,
    inertia: bestInertia,
    iterations: bestIterations,
    converged: bestConverged,
  };
}

/**
 * Nearest centroid for each row of X (squared Euclidean distance from explicit differences; ties go to the lowest
 * centroid index). Assigns new customers to the segments of a fitted `kmeans` result.
 *
 * @param centroids - k × X.cols centroids, row-major (`KMeansResult.centroids`).
 * @throws RangeError when the centroid count or dimension does not match, or a value is not finite.
 *
 * @example
 * const fit = kmeans(train, { k: 4 });
 * const labels = predictKMeans(fit.centroids, fit.k, toMatrix(newRows));
 */
export function predictKMeans(centroids: Float64Array, k: number, X: Matrix): Int32Array {
  if (!(centroids instanceof Float64Array)) throw new TypeError('centroids must be a Float64Array (k × d)');
  checkInteger(k, 'k', 1);
  const m = toMatrix(X, 'X');
  const { data, rows: n, cols: d } = m;
  if (centroids.length !== k * d) {
    throw new RangeError(
      `centroids has length ${centroids.length}, expected k × X.cols = ${k} × ${d} = ${k * d}`,
    );
  }
  for (let q = 0; q < centroids.length; q++) {
    if (!Number.isFinite(centroids[q]!)) {
      throw new RangeError(`centroids[${q}] is ${centroids[q]}: values must be finite numbers`);
    }
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const co = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[xo + t]! - centroids[co + t]!;
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    labels[i] = best;
  }
  return labels;
}
