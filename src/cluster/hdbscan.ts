/**
 * HDBSCAN hierarchical density-based clustering with the `hdbscan` package's semantics (labels, probabilities,
 * GLOSH outlier scores).
 * @module
 */

import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { boruvkaMutualReachability } from './boruvka.js';
import {
  condenseTree,
  selectClusters,
  singleLinkage,
  type SpanningTree,
  squaredCoreDistances,
} from './hdbscan-tree.js';
import { parallelCoreDistances } from './hdbscan-kernels.js';
import { KDTree } from './kd-tree.js';
import { Scratch } from './scratch.js';

/**
 * Most points per KD-tree leaf for core distances and Borůvka. On 100k × 5 (leaves of 12 vs 24 rows) 16 and 32 take
 * the same time within noise — the kNN pass likes larger leaves, Borůvka smaller — and 32 has half the nodes.
 */
const LEAF_SIZE = 32;

/** Below this many rows the core-distance pass takes less than starting a worker thread; it stays serial. */
const PARALLEL_MIN_ROWS = 20_000;

/** How flat clusters are picked from the condensed tree. */
export type HDBSCANSelectionMethod = 'eom' | 'leaf';

/** Options for `hdbscan`; all have defaults (see `HDBSCAN_DEFAULTS`). */
export interface HDBSCANOptions {
  /** Smallest group of rows that counts as a cluster, an integer ≥ 2. Default 5. */
  minClusterSize?: number;
  /**
   * Neighbours (the row itself not counted, as the `hdbscan` package's k = minSamples + 1 query with the row
   * included) whose distance is a row's core distance. An integer ≥ 1; default `minClusterSize`. Capped at n − 1.
   */
  minSamples?: number;
  /** `'eom'` (excess of mass, the most stable clusters) or `'leaf'` (the leaves of the condensed tree). */
  clusterSelectionMethod?: HDBSCANSelectionMethod;
  /** Clusters born below this distance are merged up to an ancestor born above it (Malzer & Baum 2020). ≥ 0. */
  clusterSelectionEpsilon?: number;
  /** Let `'eom'` return the root as one cluster. Default false. */
  allowSingleCluster?: boolean;
  /**
   * Threads for the core-distance pass (one k-nearest-neighbour query per row, about two thirds of the time), the
   * calling one included; results do not depend on it. An integer ≥ 1; default 1. Used from 20,000 rows. Each
   * worker costs a V8 isolate (≈ 20–30 MB when run from source); on a busy 2-core machine (load ≈ 6) 2 threads
   * gained ≈ 10 %, so it is opt-in.
   */
  threads?: number;
}

/** The documented defaults merged into `HDBSCANOptions` (`minSamples` defaults to `minClusterSize`). */
export const HDBSCAN_DEFAULTS = {
  minClusterSize: 5,
  clusterSelectionMethod: 'eom',
  clusterSelectionEpsilon: 0,
  allowSingleCluster: false,
  threads: 1,
} as const satisfies Partial<HDBSCANOptions>;

/** Result of `hdbscan` (the package's `labels_`, `probabilities_`, `outlier_scores_`). */
export interface HDBSCANResult {
  /** Cluster of each row, 0, 1, … numbered by condensed-tree id as the package does; -1 for noise. */
  labels: Int32Array;
  /** Strength of each row's membership in its cluster, in [0, 1]; 0 for noise. */
  probabilities: Float64Array;
  /**
   * GLOSH outlier score of each row in [0, 1]; larger is more outlying. NaN, as in the package, for a row whose
   * cluster's last members leave at distance 0 (≥ minSamples + 1 identical rows) while the row leaves earlier.
   */
  outlierScores: Float64Array;
}

/**
 * Clusters the rows of X with HDBSCAN (Campello, Moulavi & Sander 2013, "Density-based clustering based on
 * hierarchical density estimates", PAKDD; McInnes & Healy 2017, "Accelerated hierarchical density based
 * clustering", ICDMW), reproducing the `hdbscan` package (0.8.x, euclidean):
 * 1. core distance = distance to the (minSamples + 1)-th nearest row, the row itself included (a k-nearest-neighbour
 *    query per row on a KD-tree);
 * 2. an exact minimum spanning tree of the mutual reachability distance max(core(a), core(b), ‖a − b‖), by
 *    dual-tree Borůvka on the same tree (`boruvka.ts`; the package's default `boruvka_kdtree` builds an
 *    approximate one);
 * 3. single-linkage hierarchy (tied merges in a canonical order, see `singleLinkage`), condensed with
 *    `minClusterSize`;
 * 4. excess-of-mass or leaf selection, then probabilities and GLOSH scores from the condensed tree.
 *
 * Results do not depend on which MST is found: labels, probabilities and scores equal those of the package's
 * pipeline on its own Prim MST with the same tie order. Against `HDBSCAN().fit`: the same up to its order among
 * tied edges for its exact modes (`prims_kdtree`, or `approx_min_span_tree=False`); its default builds an
 * approximate MST, which can move labels (ARI 0.944 to 0.99997 on the 100k-row data sets in `CONTEXT.md`).
 *
 * Cost: for low d (≲ 10) about O(n log n) time — 100k × 5 rows, minClusterSize 50: ≈ 6 s of CPU on the dev
 * machine against 30–40 s for the package's default fit — and O(n) memory (the tree's copy of X and a few
 * n-length arrays). In high dimensions KD-tree pruning fades and the cost tends to O(n²).
 *
 * @throws TypeError for a wrong type (options not an object, unknown selection method); RangeError for a bad
 * value (fewer than 2 rows, NaN/Infinity in X, minClusterSize not an integer ≥ 2, minSamples not an integer ≥ 1,
 * clusterSelectionEpsilon negative or not finite, threads not an integer ≥ 1), naming the value.
 *
 * @example
 * const { labels } = hdbscan(
 *   [[0, 0], [0, 1], [1, 0], [1, 1], [10, 10], [10, 11], [11, 10], [11, 11], [50, 50]],
 *   { minClusterSize: 3, minSamples: 2 },
 * );
 * // labels: two clusters of four rows each, and -1 for [50, 50]
 */
export function hdbscan(X: MatrixLike, options: HDBSCANOptions = {}): HDBSCANResult {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`hdbscan options must be an object, got ${String(options)}`);
  }
  const { data, rows: n, cols: d } = toMatrix(X, 'X');
  if (n < 2) throw new RangeError(`X has ${n} row: hdbscan needs at least 2 rows`);
  const minClusterSize = options.minClusterSize ?? HDBSCAN_DEFAULTS.minClusterSize;
  if (typeof minClusterSize !== 'number' || !Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw new RangeError(`minClusterSize must be an integer ≥ 2, got ${String(minClusterSize)}`);
  }
  const minSamples = options.minSamples ?? minClusterSize;
  if (typeof minSamples !== 'number' || !Number.isInteger(minSamples) || minSamples < 1) {
    throw new RangeError(`minSamples must be an integer ≥ 1, got ${String(minSamples)}`);
  }
  const method = options.clusterSelectionMethod ?? HDBSCAN_DEFAULTS.clusterSelectionMethod;
  if (method !== 'eom' && method !== 'leaf') {
    throw new TypeError(`clusterSelectionMethod must be 'eom' or 'leaf', got ${String(method)}`);
  }
  const epsilon = options.clusterSelectionEpsilon ?? HDBSCAN_DEFAULTS.clusterSelectionEpsilon;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw new RangeError(`clusterSelectionEpsilon must be a finite number ≥ 0, got ${String(epsilon)}`);
  }
  const allowSingle = options.allowSingleCluster ?? HDBSCAN_DEFAULTS.allowSingleCluster;
  if (typeof allowSingle !== 'boolean') {
    throw new TypeError(`allowSingleCluster must be a boolean, got ${String(allowSingle)}`);
  }
  const threads = options.threads ?? HDBSCAN_DEFAULTS.threads;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be an integer ≥ 1, got ${String(threads)}`);
  }
  // The package caps minSamples at n − 1 and queries k = minSamples + 1 neighbours, the row itself included.
  const k = Math.min(n - 1, minSamples) + 1;
  const x = data instanceof Float64Array ? data : Float64Array.from(data);
  // The results are allocated first and lent out as working arrays until they are filled: the component of each
  // row during Borůvka lives in `labels`, the core distances in `probabilities`, the MST's weights in
  // `outlierScores` (n + 16 n bytes saved).
  const result: HDBSCANResult = {
    labels: new Int32Array(n),
    probabilities: new Float64Array(n),
    outlierScores: new Float64Array(n),
  };
  const { mst, spare } = mutualReachabilityMST(x, n, d, k, threads, result);
  // The KD-tree's buffers (its copy of X, 8·n·d bytes, the row index and the node boxes) are dead once the MST is
  // out, and each stage's arrays once the next has read them: every stage takes its arrays from that pool rather
  // than leaving them to pile up until V8's next GC (1M × 5: peak RSS over the loaded data 135 → 73 MB).
  const scratch = new Scratch(spare);
  const hierarchy = singleLinkage(mst, n, scratch);
  scratch.release(mst.from, mst.to);
  const tree = condenseTree(hierarchy, n, minClusterSize, scratch);
  scratch.release(hierarchy.left, hierarchy.right, hierarchy.delta, hierarchy.size);
  return selectClusters(tree, n, method, epsilon, allowSingle, scratch, result);
}

/**
 * Core distances (k-th nearest row, itself counted) and the mutual reachability MST on one KD-tree. A function of
 * its own so the tree is garbage once the MST is out, before the hierarchy is built; its large buffers are handed
 * back as `spare`, for the later stages' scratch (the worker threads, if any, have stopped). The core distances go
 * into `lend.probabilities` (serial only: the threads write a shared buffer), the per-row components into
 * `lend.labels` and the MST's weights into `lend.outlierScores`.
 */
function mutualReachabilityMST(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  threads: number,
  lend: HDBSCANResult,
): { mst: SpanningTree; spare: ArrayBufferLike[] } {
  const parallel = threads > 1 && n >= PARALLEL_MIN_ROWS;
  const tree = new KDTree(x, n, d, { leafSize: LEAF_SIZE, shared: parallel });
  const coreSq = parallel
    ? parallelCoreDistances(tree, k, threads).coreSq
    : squaredCoreDistances(tree, k, lend.probabilities);
  const mst = boruvkaMutualReachability(tree, coreSq, { comp: lend.labels, weight: lend.outlierScores });
  return { mst, spare: [tree.points.buffer, tree.index.buffer, tree.lo.buffer, tree.hi.buffer] };
}
