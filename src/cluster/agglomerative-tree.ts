/**
 * Internal cores of agglomerative clustering: the merge tree (SciPy's linkage layout) by nearest-neighbour chain
 * on a tiled distance matrix, or by a minimum spanning tree for single linkage. They trust their typed arrays.
 * @module
 */

import { BlockPool } from '../util/parallel.js';
import { Scratch } from './scratch.js';
import { sortIndicesByKey } from './sort-indices.js';
import {
  AVERAGE,
  COMPLETE,
  type ChainShared,
  MERGE,
  P_A,
  P_B,
  P_BLOCKS,
  P_KIND,
  P_LIVE,
  P_NA,
  P_NB,
  P_X0,
  PARAMS,
  PDIST,
  RESCAN,
  createKernels,
  mergeRange,
  rescanRange,
} from './agglomerative-chain-kernels.js';
import { NEIGHBOURS, clearRow, createNeighbours, finishRow, offerRow } from './agglomerative-neighbours.js';
import { createTiledDistances, fillTileRows, pairIndex, tileRowCuts } from './agglomerative-tiles.js';
import { primScanKernel } from './agglomerative-kernels.js';

/**
 * The linkages run on the distance matrix (their Lance–Williams update is "reducible", so the nearest-neighbour
 * chain is exact for them). Ward, also reducible, needs no matrix: `agglomerative-ward.ts`.
 */
export type ChainLinkage = 'complete' | 'average';

/** A merge tree: SciPy's (n − 1) × 4 linkage matrix plus the child order scikit-learn cuts with. */
export interface MergeTree {
  /** Rows `[idx1, idx2, height, size]`, idx1 < idx2, sorted by height; merge k creates cluster n + k. */
  linkageMatrix: Float64Array;
  /**
   * (n − 1) × 2 children in the order scikit-learn's `children_` holds them, when that differs from the first two
   * columns of `linkageMatrix`: for single linkage, where scikit-learn's `_single_linkage_label` keeps the MST
   * edge's order (`_hc_cut` numbers clusters by heap position, which depends on it). Null: read the matrix.
   */
  children: Int32Array | null;
  /** The linkage matrix's heights (its third column), in merge order. */
  heights: Float64Array;
  /** The pool of dead working buffers the tree was built with, for the cut's own scratch; null when none. */
  spare: Scratch | null;
}

/** Merges in the order they were found: merge k joined clusters `a[k]` and `b[k]` at distance `height[k]`. */
export interface RawMerges {
  a: Int32Array;
  b: Int32Array;
  height: Float64Array;
}

/** Arrays for the n − 1 merges of `n` rows, from `scratch` when given. */
export function rawMerges(n: number, scratch: Scratch | null = null): RawMerges {
  const m = n - 1;
  return scratch === null
    ? { a: new Int32Array(m), b: new Int32Array(m), height: new Float64Array(m) }
    : { a: scratch.int32(m), b: scratch.int32(m), height: scratch.float64(m) };
}

/**
 * Stable sort of unordered merges by height, then SciPy's `label`: a union-find renames each merge's operands to
 * the clusters they belong to by then (new clusters numbered n, n + 1, …) and orders them idx1 < idx2.
 * `keepChildOrder` keeps (find(a), find(b)) in `children`, as scikit-learn's `_single_linkage_label` does.
 *
 * Memory: with a `scratch` pool the working arrays (the sort order, the union-find) come from it and are given
 * back, and so does the linkage matrix (a view of a larger buffer when the pool's best fit is larger). `raw`'s
 * operands are released and its `height` array is returned as `heights`: `raw` must not be used afterwards.
 */
export function sortAndLabel(
  raw: RawMerges,
  n: number,
  keepChildOrder = false,
  scratch: Scratch | null = null,
): MergeTree {
  const m = n - 1;
  const pool = scratch ?? new Scratch();
  const order = pool.int32(m);
  for (let k = 0; k < m; k++) order[k] = k;
  // Ties keep discovery order, as SciPy's `argsort(kind='mergesort')` (was `order.sort((a, b) =>
  // height[a] − height[b] || a − b)`: the same order, without V8's heap copies of the array).
  sortIndicesByKey(order, raw.height, 0, m);
  const Z = pool.float64(m * 4);
  const children = keepChildOrder ? new Int32Array(m * 2) : null;
  // SciPy's `LinkageUnionFind` over the 2n − 1 nodes; a merged cluster's size is read from Z.
  const parent = pool.int32(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (v: number): number => {
    let root = v;
    while (parent[root] !== root) root = parent[root]!;
    // Path compression.
    while (parent[v] !== root) {
      const up = parent[v]!;
      parent[v] = root;
      v = up;
    }
    return root;
  };
  const sizeOf = (v: number): number => (v < n ? 1 : Z[(v - n) * 4 + 3]!);
  for (let k = 0; k < m; k++) {
    const r = order[k]!;
    const a = find(raw.a[r]!);
    const b = find(raw.b[r]!);
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    Z[k * 4] = lo;
    Z[k * 4 + 1] = hi;
    Z[k * 4 + 2] = raw.height[r]!;
    Z[k * 4 + 3] = sizeOf(a) + sizeOf(b);
    parent[a] = n + k;
    parent[b] = n + k;
    if (children !== null) {
      children[k * 2] = a;
      children[k * 2 + 1] = b;
    }
  }
  pool.release(order, parent, raw.a, raw.b);
  const heights = raw.height;
  for (let k = 0; k < m; k++) heights[k] = Z[k * 4 + 2]!;
  return { linkageMatrix: Z, children, heights, spare: scratch };
}

/** Position of x in the sorted list live[0, count) (x must be there). */
function findLive(live: Int32Array, count: number, x: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (live[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Live clusters from which a rescan or merge pass is split over the pool's threads (below, one block). */
const PARALLEL_MIN_LIVE = 2048;
/** Blocks of a split pass: fixed (not per thread), so results never depend on the thread count. */
const PASS_BLOCKS = 4;
/** Blocks of the distance matrix's construction (tile rows of about equal work). */
const PDIST_BLOCKS = 8;

/**
 * Merge tree for complete / average linkage by the nearest-neighbour chain (Murtagh 1983; Müllner 2011,
 * "Modern hierarchical, agglomerative clustering algorithms", §3.3 NN-CHAIN-LINKAGE) with Lance–Williams updates
 * on the Euclidean distance matrix, giving exactly the merges of SciPy's `_hierarchy.nn_chain` (same
 * tie-breaking: the previous chain element is preferred, then the lowest index; the merged cluster takes the larger
 * index), with SciPy's operation order, so every distance and height is bit-identical to SciPy's.
 *
 * Departures from SciPy's loop, none changing a result (they change which memory is read, not what is computed):
 * - The matrix is tiled (`agglomerative-tiles.ts`) instead of condensed: same doubles, fewer TLB misses.
 * - Loops run over a sorted list of live clusters, not over all n with a liveness test.
 * - SciPy scans a whole row for every chain step (≈ 2.8 per merge on blobs). Here every live cluster keeps its
 *   `NEIGHBOURS` nearest (distance, lowest index), updated exactly during the Lance–Williams pass after each
 *   merge, which visits every live row anyway; a row is rescanned only when the chain reaches it with an empty
 *   list (≈ 0.6 per merge). SciPy's chain step then reads off the list: the previous chain element if its
 *   distance equals the minimum, else the lowest index attaining it.
 * - With `threads` > 1 the matrix's construction and, from `PARALLEL_MIN_LIVE` live clusters, each rescan and
 *   merge pass are split over a `BlockPool` in fixed blocks whose partial neighbour lists combine in block order:
 *   the same lists, hence the same tree, for any thread count.
 *
 * O(n²) time; memory: the n(n − 1)/2 distances (plus < 0.4% for the diagonal tiles) and O(n).
 */
export function nnChainTree(
  x: Float64Array,
  n: number,
  d: number,
  linkage: ChainLinkage,
  threads = 1,
): MergeTree {
  const shared = threads > 1;
  const t = createTiledDistances(n, shared);
  const nb = createNeighbours(n, shared);
  const live = shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n);
  for (let i = 0; i < n; i++) live[i] = i;
  const size = shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n);
  size.fill(1);
  const state: ChainShared = {
    t,
    x,
    d,
    live,
    size,
    nb,
    partial: createNeighbours(PASS_BLOCKS, shared),
    pdistCuts: tileRowCuts(t.tiles, shared ? PDIST_BLOCKS : 1),
    pdistLists: shared ? Array.from({ length: PDIST_BLOCKS }, () => createNeighbours(n, true)) : [nb],
    params: shared ? new Float64Array(new SharedArrayBuffer(PARAMS * 8)) : new Float64Array(PARAMS),
  };
  const pool = shared
    ? new BlockPool({
        module: new URL('./agglomerative-chain-kernels.js', import.meta.url),
        shared: state,
        kernels: createKernels(state),
        threads,
      })
    : null;
  try {
    if (pool === null) {
      fillTileRows(t, x, d, 0, t.tiles, nb);
    } else {
      pool.run(PDIST, PDIST_BLOCKS);
      for (let i = 0; i < n; i++) {
        for (let b = 0; b < PDIST_BLOCKS; b++) offerRow(state.pdistLists[b]!, i, nb, i);
      }
    }
    for (let i = 0; i < n; i++) finishRow(nb, i);
    return chain(state, n, linkage, pool);
  } finally {
    pool?.close();
  }
}

/**
 * SciPy's nearest-neighbour chain loop (`_hierarchy.nn_chain`) over the live clusters `live` (increasing, all n at
 * first): grow the chain from the lowest live cluster until its last two are each other's nearest, merge them, go
 * on from what is left of the chain. `nearest(x0, yPrev, liveCount, found)` is one chain step, SciPy's scan of x0's
 * distances: starting from yPrev's distance (yPrev = −1 for none), strictly smaller ones win in index order; it
 * writes the winner to found[0] (−1 when nothing is finite and there is no yPrev: SciPy then keeps its stale y) and
 * its distance to found[1]. `merge(a, b, liveCount)` merges cluster a into b (a < b: fastcluster's convention, the
 * surviving slot is the larger index) after a has left `live`. Returns the merges (a, b, distance) in discovery
 * order, for `sortAndLabel`; with a `scratch` pool its arrays come from there.
 */
export function chainMerges(
  n: number,
  live: Int32Array,
  nearest: (x0: number, yPrev: number, liveCount: number, found: Float64Array) => void,
  merge: (a: number, b: number, liveCount: number) => void,
  scratch: Scratch | null = null,
): RawMerges {
  let liveCount = n;
  const chainRows = scratch === null ? new Int32Array(n) : scratch.int32(n);
  const raw = rawMerges(n, scratch);
  const found = new Float64Array(2);
  let chainLength = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chainLength = 1;
      chainRows[0] = live[0]!;
    }
    let x0: number;
    let currentMin: number;
    for (;;) {
      x0 = chainRows[chainLength - 1]!;
      const yPrev = chainLength > 1 ? chainRows[chainLength - 2]! : -1;
      nearest(x0, yPrev, liveCount, found);
      if (found[0]! >= 0) y = found[0]!;
      currentMin = found[1]!;
      if (chainLength > 1 && y === yPrev) break;
      chainRows[chainLength++] = y;
    }
    chainLength -= 2;
    const a = x0 < y ? x0 : y;
    const b = x0 < y ? y : x0;
    raw.a[k] = a;
    raw.b[k] = b;
    raw.height[k] = currentMin;
    const ua = findLive(live, liveCount, a);
    live.copyWithin(ua, ua + 1, liveCount);
    liveCount--;
    merge(a, b, liveCount);
  }
  scratch?.release(chainRows);
  return raw;
}

/** The chain itself, on a built matrix and neighbour lists. */
function chain(s: ChainShared, n: number, linkage: ChainLinkage, pool: BlockPool | null): MergeTree {
  const { t, live, size, nb, partial, params } = s;
  const { D } = t;
  const { index, dist } = nb;
  const kind = linkage === 'complete' ? COMPLETE : AVERAGE;
  const split = (liveCount: number): boolean => pool !== null && liveCount >= PARALLEL_MIN_LIVE;
  /** Runs a pass over the pool in `PASS_BLOCKS` blocks (job inputs set) and combines their lists into `row`'s. */
  const runSplit = (kernel: number, liveCount: number, row: number): void => {
    params[P_LIVE] = liveCount;
    params[P_BLOCKS] = PASS_BLOCKS;
    pool!.run(kernel, PASS_BLOCKS);
    clearRow(nb, row);
    for (let p = 0; p < PASS_BLOCKS; p++) offerRow(partial, p, nb, row);
  };
  const nearest = (x0: number, yPrev: number, liveCount: number, found: Float64Array): void => {
    if (index[x0 * NEIGHBOURS]! < 0) {
      if (split(liveCount)) {
        params[P_X0] = x0;
        runSplit(RESCAN, liveCount, x0);
      } else {
        rescanRange(t, live, 0, liveCount, x0, nb, x0);
      }
      finishRow(nb, x0);
    }
    const m = dist[x0 * NEIGHBOURS]!;
    const j = index[x0 * NEIGHBOURS]!;
    // The list's head is the lowest index at the minimum: SciPy's answer unless yPrev's distance is that minimum.
    const dPrev = yPrev >= 0 ? D[pairIndex(t, x0, yPrev)]! : Infinity;
    const prevWins = !(j >= 0 && (yPrev < 0 || dPrev > m));
    found[0] = prevWins ? yPrev : j;
    found[1] = prevWins ? dPrev : m;
  };
  const merge = (a: number, b: number, liveCount: number): void => {
    const na = size[a]!;
    const nb0 = size[b]!;
    size[a] = 0;
    size[b] = na + nb0;
    clearRow(nb, a);
    finishRow(nb, a);
    if (split(liveCount)) {
      params[P_A] = a;
      params[P_B] = b;
      params[P_NA] = na;
      params[P_NB] = nb0;
      params[P_KIND] = kind;
      runSplit(MERGE, liveCount, b);
    } else {
      mergeRange(t, live, nb, 0, liveCount, a, b, na, nb0, kind, nb, b);
    }
    finishRow(nb, b);
  };
  return sortAndLabel(chainMerges(n, live, nearest, merge), n);
}

/**
 * Merge tree for single linkage from a minimum spanning tree: Prim's algorithm on the implicit complete graph,
 * computing distances on the fly (Müllner 2011, Fig. 6 MST-LINKAGE-CORE) — O(n²) time, O(n) memory — as
 * scikit-learn's `mst_linkage_core` does, then its stable sort and `_single_linkage_label`. Each recorded edge
 * joins the node added last and the next node Prim adds (not necessarily that node's MST neighbour); Müllner shows
 * the resulting single-linkage hierarchy is the same.
 */
export function mstSingleTree(x: Float64Array, n: number, d: number): MergeTree {
  const scan = primScanKernel(d);
  // The rows not yet in the tree, in increasing index: their indices, their coordinates copied alongside (so the
  // scan reads memory in order) and their distance to the tree (and its square, see `PrimScan`). A row that joins is tombstoned (best = NaN, which
  // no comparison updates or picks) and the tombstones are squeezed out once they are an eighth of the list, so
  // each step scans only the rows still out (scikit-learn's loop visits all n and skips those in the tree).
  let count = n - 1;
  const rest = new Int32Array(count);
  const xr = new Float64Array(count * d);
  const best = new Float64Array(count).fill(Infinity);
  const bestSq = new Float64Array(count).fill(Infinity);
  for (let j = 1; j < n; j++) rest[j - 1] = j;
  xr.set(x.subarray(d, n * d));
  let tombstones = 0;
  const found = new Float64Array(1);
  const raw = rawMerges(n);
  let current = 0;
  for (let k = 0; k < n - 1; k++) {
    const p = scan(xr, best, bestSq, count, x, current * d, found);
    // With no finite distance left scikit-learn's loop keeps new_node = 0 (only for overflowing coordinates).
    const newNode = p >= 0 ? rest[p]! : 0;
    raw.a[k] = current;
    raw.b[k] = newNode;
    raw.height[k] = found[0]!;
    current = newNode;
    if (p < 0) continue;
    best[p] = NaN;
    if (++tombstones * 8 > count) {
      let w = 0;
      for (let r = 0; r < count; r++) {
        if (Number.isNaN(best[r]!)) continue;
        if (w !== r) {
          rest[w] = rest[r]!;
          best[w] = best[r]!;
          bestSq[w] = bestSq[r]!;
          xr.copyWithin(w * d, r * d, r * d + d);
        }
        w++;
      }
      count = w;
      tombstones = 0;
    }
  }
  // scikit-learn keeps each edge's (current, new) order in `children_`; SciPy's matrix sorts it.
  return sortAndLabel(raw, n, true);
}
