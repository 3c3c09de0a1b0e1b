/**
 * Agglomerative (hierarchical) clustering with scikit-learn's `AgglomerativeClustering` labels and SciPy's
 * `linkage` merge tree: nearest-neighbour chains (on centroids for ward, O(n·d) memory; on a distance matrix for
 * complete / average) and a minimum spanning tree for single linkage (O(n) memory).
 * @module
 */

import { isMainThread } from 'node:worker_threads';

import { assertNever } from '../util/errors.js';
import { defaultThreads } from '../util/parallel.js';
import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { type ChainLinkage, type MergeTree, mstSingleTree, nnChainTree } from './agglomerative-tree.js';
import { wardCentroidTree } from './agglomerative-ward.js';

/** How the distance between two clusters is defined (Euclidean distances between rows throughout). */
export type AgglomerativeLinkage = 'ward' | 'complete' | 'average' | 'single';

/** Options for `agglomerative`: exactly one of `nClusters` and `distanceThreshold`. */
export interface AgglomerativeOptions {
  /** Number of clusters to cut the tree into, an integer in [1, rows]. */
  nClusters?: number;
  /**
   * Cut the tree at this height instead: every merge at a height ≥ the threshold is undone, so the number of
   * clusters is 1 + the number of such merges (scikit-learn's rule). A finite number ≥ 0.
   */
  distanceThreshold?: number;
  /** Default `'ward'` (merge heights as SciPy reports them: √(2 × the increase in within-cluster SS)). */
  linkage?: AgglomerativeLinkage;
  /**
   * Most rows ward / complete / average will take. Complete and average keep a distance matrix of n(n − 1)/2
   * doubles (30,000 rows ≈ 3.6 GB): default 30,000. Ward needs O(n·d) memory but O(n²·d) time (20,000 × 5 takes
   * a few seconds): default 50,000. Single linkage (O(n) memory) ignores it.
   */
  maxRows?: number;
  /**
   * Threads for complete / average, this one included. Default: up to 8 (the cores available) from 4,096 rows
   * when called on the main thread, else 1 (callers already in a worker thread are parallel themselves). The
   * result does not depend on it: the passes split into fixed blocks combined in order. Ward (whose chain steps are
   * too short to share between threads) and single linkage ignore it.
   */
  threads?: number;
}

/** The documented defaults merged into `AgglomerativeOptions`; `maxRows` depends on the linkage. */
export const AGGLOMERATIVE_DEFAULTS = {
  linkage: 'ward',
  maxRows: { ward: 50_000, complete: 30_000, average: 30_000 },
} as const satisfies { linkage: AgglomerativeLinkage; maxRows: Record<ChainLinkage | 'ward', number> };

/** A fitted hierarchy and its cut. */
export interface AgglomerativeResult {
  /** Cluster of each row in [0, nClusters), numbered exactly as scikit-learn's `labels_`. */
  labels: Int32Array;
  /** Number of clusters in `labels` (scikit-learn's `n_clusters_`). */
  nClusters: number;
  /**
   * SciPy's (n − 1) × 4 linkage matrix, row-major: merge k joins clusters `[4k]` < `[4k + 1]` at height `[4k + 2]`
   * into cluster n + k of `[4k + 3]` rows; clusters below n are rows. Sorted by height (ties in discovery order).
   * With ward linkage it may be a view at the start of a larger buffer (the centroids', reused); `.slice()` gives
   * an array of its own.
   */
  linkageMatrix: Float64Array;
  /** The n − 1 merge heights (column 2 of `linkageMatrix`), non-decreasing. */
  heights: Float64Array;
}

/** Rows from which ward / complete / average spread over threads by default; see `threads`. */
const PARALLEL_MIN_ROWS = 4096;
/** Default thread cap, as k-means'. */
const MAX_DEFAULT_THREADS = 8;

function checkInteger(value: unknown, name: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

/**
 * Hierarchical agglomerative clustering of the rows of X (Euclidean distances): builds the full merge tree, then
 * cuts it into `nClusters` clusters or at `distanceThreshold`.
 *
 * - Merge tree: SciPy's `scipy.cluster.hierarchy.linkage(X, method)` — same heights (ward as SciPy reports it,
 *   √(2·|A||B|/(|A| + |B|))·‖c_A − c_B‖), same SciPy numbering of new clusters (n, n + 1, …), SciPy's
 *   tie-breaking (a port of its `nn_chain`). Nearest-neighbour chain (Murtagh 1983; Müllner 2011, "Modern
 *   hierarchical, agglomerative clustering algorithms", §3.3): for ward on cluster centroids and sizes, O(n²·d)
 *   time and O(n·d) memory, heights equal to SciPy's up to rounding (≈ 1e-15 relative; exact distance ties
 *   between merged clusters may resolve differently, see `agglomerative-ward.ts`); for complete / average with
 *   Lance–Williams updates on the distance matrix, O(n²) time, n(n − 1)/2 doubles, bit-identical to SciPy.
 *   Single linkage: Prim's minimum spanning tree on the implicit complete graph (Müllner 2011, §3.1,
 *   MST-LINKAGE-CORE): O(n²) time, O(n) memory — what scikit-learn itself runs.
 * - Labels: scikit-learn's `AgglomerativeClustering(...).labels_` exactly — its `_hc_cut` undoes the merges that
 *   created the k − 1 highest-numbered clusters and numbers the remaining subtrees by their position in a Python
 *   `heapq` list, which is reproduced here. With `distanceThreshold`, k = 1 + #{merges with height ≥ threshold}.
 *
 * @throws TypeError unless exactly one of `nClusters` / `distanceThreshold` is given, or for an unknown `linkage`;
 * RangeError for bad values (fewer than 2 rows, non-finite data, nClusters outside [1, rows], a negative or
 * non-finite threshold) and for more than `maxRows` rows with ward / complete / average, saying how to proceed.
 *
 * @example
 * const { labels, linkageMatrix } = agglomerative(
 *   [[1, 1], [1.2, 0.8], [8, 8], [8.1, 7.9], [4, 4]],
 *   { nClusters: 2, linkage: 'average' },
 * );
 * // labels: Int32Array [0, 0, 1, 1, 0]; linkageMatrix: 4 merges × [idx1, idx2, height, size]
 */
export function agglomerative(X: MatrixLike, options: AgglomerativeOptions): AgglomerativeResult {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `agglomerative options must be an object with nClusters or distanceThreshold, got ${String(options)}`,
    );
  }
  const m = toMatrix(X, 'X');
  const { rows: n, cols: d } = m;
  if (n < 2) throw new RangeError(`X has ${n} row: agglomerative clustering needs at least 2`);
  const { nClusters, distanceThreshold } = options;
  if ((nClusters === undefined) === (distanceThreshold === undefined)) {
    throw new TypeError(
      `give exactly one of nClusters and distanceThreshold, got nClusters = ${String(nClusters)} and ` +
        `distanceThreshold = ${String(distanceThreshold)}`,
    );
  }
  if (nClusters !== undefined) checkInteger(nClusters, 'nClusters', 1, n);
  if (
    distanceThreshold !== undefined &&
    (typeof distanceThreshold !== 'number' || !Number.isFinite(distanceThreshold) || distanceThreshold < 0)
  ) {
    throw new RangeError(`distanceThreshold must be a finite number ≥ 0, got ${String(distanceThreshold)}`);
  }
  const linkage = options.linkage ?? AGGLOMERATIVE_DEFAULTS.linkage;
  if (!['ward', 'complete', 'average', 'single'].includes(linkage)) {
    throw new TypeError(
      `linkage must be 'ward', 'complete', 'average' or 'single', got '${String(linkage)}'`,
    );
  }
  if (options.maxRows !== undefined) checkInteger(options.maxRows, 'maxRows', 2);
  const maxRows =
    linkage === 'single' ? Infinity : (options.maxRows ?? AGGLOMERATIVE_DEFAULTS.maxRows[linkage]);
  const threads =
    options.threads === undefined
      ? isMainThread && n >= PARALLEL_MIN_ROWS
        ? Math.min(defaultThreads(), MAX_DEFAULT_THREADS)
        : 1
      : checkInteger(options.threads, 'threads', 1);
  if (linkage === 'ward' && n > maxRows) {
    throw new RangeError(
      `X has ${n} rows, more than maxRows = ${maxRows}: ward linkage's time grows as n²·d (20,000 rows × 5 ` +
        `features take a few seconds). Fit on a sample of at most ${maxRows} rows and assign the rest to the ` +
        `nearest cluster centroid, or raise maxRows if you can wait.`,
    );
  }
  if ((linkage === 'complete' || linkage === 'average') && n > maxRows) {
    const gb = (((n * (n - 1)) / 2) * 8) / 1e9;
    throw new RangeError(
      `X has ${n} rows, more than maxRows = ${maxRows}: ${linkage} linkage keeps all n(n − 1)/2 pairwise ` +
        `distances (${gb.toFixed(1)} GB here). Fit on a sample of at most ${maxRows} rows and assign the rest ` +
        `to the nearest cluster centroid, use linkage 'ward' (O(n·d) memory) or 'single' (O(n) memory), or ` +
        `raise maxRows if memory allows.`,
    );
  }

  // The cores read Float64 (scikit-learn and SciPy also compute in float64).
  const x = m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
  const tree = buildTree(x, n, d, linkage, threads);
  const { heights } = tree;
  let k = nClusters ?? 1;
  if (distanceThreshold !== undefined)
    for (let q = 0; q < n - 1; q++) if (heights[q]! >= distanceThreshold) k++;
  return { labels: cutTree(tree, n, k), nClusters: k, linkageMatrix: tree.linkageMatrix, heights };
}

/**
 * The k clusters left when the n − k lowest merges of SciPy's linkage matrix (n − 1 rows `[idx1, idx2, height,
 * size]`, as `agglomerative` returns) are applied: each remaining subtree is a cluster. Clusters are numbered
 * 0 … k − 1 by their lowest row, not as scikit-learn numbers `labels_` (`agglomerative`'s own labels do that);
 * the partition is the same. Cheap (union–find with path halving), so one tree serves every k of a sweep.
 *
 * @throws RangeError when the matrix's length is not a multiple of 4, or k is not a whole number in 1 … n.
 *
 * @example
 * const { linkageMatrix } = agglomerative([[0], [1], [10], [11]], { nClusters: 1, linkage: 'ward' });
 * cutLinkage(linkageMatrix, 2); // Int32Array [0, 0, 1, 1]
 */
export function cutLinkage(linkageMatrix: Float64Array, k: number): Int32Array {
  if (linkageMatrix.length % 4 !== 0) {
    throw new RangeError(
      `a linkage matrix has 4 columns: its length must be a multiple of 4, got ${linkageMatrix.length}`,
    );
  }
  const n = linkageMatrix.length / 4 + 1;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(`k must be a whole number in 1 … ${n} (rows of the tree), got ${String(k)}`);
  }
  const root = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const find = (a: number): number => {
    while (root[a] !== a) a = root[a] = root[root[a]!]!;
    return a;
  };
  for (let merge = 0; merge < n - k; merge++) {
    root[find(linkageMatrix[4 * merge]!)] = n + merge;
    root[find(linkageMatrix[4 * merge + 1]!)] = n + merge;
  }
  const labels = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let id = ids.get(r);
    if (id === undefined) ids.set(r, (id = ids.size));
    labels[i] = id;
  }
  return labels;
}

function buildTree(
  x: Float64Array,
  n: number,
  d: number,
  linkage: AgglomerativeLinkage,
  threads: number,
): MergeTree {
  switch (linkage) {
    case 'ward':
      return wardCentroidTree(x, n, d);
    case 'complete':
    case 'average':
      return nnChainTree(x, n, d, linkage, threads);
    case 'single':
      return mstSingleTree(x, n, d);
    default:
      return assertNever(linkage, 'linkage');
  }
}

/**
 * scikit-learn's `_hc_cut`: starting from the root, repeatedly replace the highest-numbered cluster by its two
 * children until k clusters remain; cluster i of the result is the subtree at position i of the heap list. The
 * heap holds negated node ids and follows CPython's `heapq.heappush` / `heappushpop` exactly, since the final list
 * order (not just its contents) decides the numbering.
 */
function cutTree(tree: MergeTree, n: number, k: number): Int32Array {
  // Children as scikit-learn's `children_` holds them: its own array, or the linkage matrix's first two columns.
  const children = tree.children ?? tree.linkageMatrix;
  const stride = tree.children === null ? 4 : 2;
  const heap = new Int32Array(k);
  heap[0] = -(2 * n - 2);
  let len = 1;
  for (let step = 0; step < k - 1; step++) {
    const node: number = -heap[0]!;
    const c: number = (node - n) * stride;
    // heappush(nodes, -children[0])
    heap[len] = -children[c]!;
    siftDown(heap, 0, len);
    len++;
    // heappushpop(nodes, -children[1]): heap[0] is −node < −children[1], so the item always replaces the root.
    const item: number = -children[c + 1]!;
    if (heap[0]! < item) {
      heap[0] = item;
      siftUp(heap, 0, len);
    }
  }
  const labels = new Int32Array(n);
  const stack = tree.spare === null ? new Int32Array(n) : tree.spare.int32(n);
  for (let i = 0; i < k; i++) {
    let top = 0;
    stack[top++] = -heap[i]!;
    while (top > 0) {
      const node = stack[--top]!;
      if (node < n) labels[node] = i;
      else {
        stack[top++] = children[(node - n) * stride]!;
        stack[top++] = children[(node - n) * stride + 1]!;
      }
    }
  }
  return labels;
}

/** CPython `heapq._siftdown`: move heap[pos] up towards startPos while it is smaller than its parent. */
function siftDown(heap: Int32Array, startPos: number, pos: number): void {
  const item = heap[pos]!;
  while (pos > startPos) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos]!;
    if (item < parent) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

/** CPython `heapq._siftup`: bubble the smaller child up to a leaf, put the item there, then sift it down. */
function siftUp(heap: Int32Array, pos: number, end: number): void {
  const startPos = pos;
  const item = heap[pos]!;
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(heap[child]! < heap[right]!)) child = right;
    heap[pos] = heap[child]!;
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, startPos, pos);
}
