/**
 * Internal cores of agglomerative clustering: the merge tree (SciPy's linkage layout) by nearest-neighbour chain
 * on a condensed distance matrix, or by a minimum spanning tree for single linkage. They trust their typed arrays.
 * @module
 */

import {
  NEIGHBOURS,
  type Neighbours,
  clearRow,
  createNeighbours,
  finishRow,
  lists,
  offerAscending,
  revise,
} from './agglomerative-neighbours.js';
import {
  type TiledDistances,
  TILE_AREA,
  TILE_MASK,
  TILE_SHIFT,
  aboveOffset,
  belowOffset,
  pairIndex,
  tiledDistances,
} from './agglomerative-tiles.js';
import { primScanKernel } from './agglomerative-kernels.js';

/** The linkages whose Lance–Williams update is "reducible", so the nearest-neighbour chain is exact for them. */
export type ChainLinkage = 'ward' | 'complete' | 'average';

/** A merge tree: SciPy's (n − 1) × 4 linkage matrix plus the child order scikit-learn cuts with. */
export interface MergeTree {
  /** Rows `[idx1, idx2, height, size]`, idx1 < idx2, sorted by height; merge k creates cluster n + k. */
  linkageMatrix: Float64Array;
  /**
   * (n − 1) × 2 children in the order scikit-learn's `children_` holds them. Equal to the first two columns of
   * `linkageMatrix` except for single linkage, where scikit-learn's `_single_linkage_label` keeps the MST edge's
   * order; `_hc_cut` numbers clusters by heap position, which depends on it.
   */
  children: Int32Array;
}

/**
 * Stable sort of unordered merges by height, then SciPy's `label`: a union-find renames each merge's operands to
 * the clusters they belong to by then (new clusters numbered n, n + 1, …) and orders them idx1 < idx2.
 * `raw` rows are `[a, b, height, _]` in discovery order. `keepChildOrder` keeps (find(a), find(b)) in
 * `children`, as scikit-learn's `_single_linkage_label` does.
 */
function sortAndLabel(raw: Float64Array, n: number, keepChildOrder = false): MergeTree {
  const m = n - 1;
  const order = new Int32Array(m);
  for (let k = 0; k < m; k++) order[k] = k;
  // Ties keep discovery order, as SciPy's `argsort(kind='mergesort')`.
  order.sort((a, b) => raw[a * 4 + 2]! - raw[b * 4 + 2]! || a - b);
  const Z = new Float64Array(m * 4);
  const children = new Int32Array(m * 2);
  const uf = new UnionFind(n);
  for (let k = 0; k < m; k++) {
    const r = order[k]! * 4;
    const a = uf.find(raw[r]!);
    const b = uf.find(raw[r + 1]!);
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    Z[k * 4] = lo;
    Z[k * 4 + 1] = hi;
    Z[k * 4 + 2] = raw[r + 2]!;
    Z[k * 4 + 3] = uf.merge(a, b);
    children[k * 2] = keepChildOrder ? a : lo;
    children[k * 2 + 1] = keepChildOrder ? b : hi;
  }
  return { linkageMatrix: Z, children };
}

/** Union-find over the 2n − 1 nodes of a merge tree, with SciPy's numbering (`LinkageUnionFind`). */
class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  private next: number;
  constructor(n: number) {
    this.parent = new Int32Array(2 * n - 1);
    for (let i = 0; i < this.parent.length; i++) this.parent[i] = i;
    this.size = new Int32Array(2 * n - 1).fill(1);
    this.next = n;
  }
  merge(a: number, b: number): number {
    this.parent[a] = this.next;
    this.parent[b] = this.next;
    const s = this.size[a]! + this.size[b]!;
    this.size[this.next] = s;
    this.next++;
    return s;
  }
  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    // Path compression.
    while (this.parent[x] !== root) {
      const up = this.parent[x]!;
      this.parent[x] = root;
      x = up;
    }
    return root;
  }
}

/**
 * Rescans cluster x0's distances for its nearest live neighbours, in increasing index. Plain version:
 * for (i of live) if (i !== x0) offerAscending(nb, x0, D[pairIndex(t, x0, i)], i).
 */
function rescanNeighbours(
  t: TiledDistances,
  live: Int32Array,
  liveCount: number,
  x0: number,
  nb: Neighbours,
): void {
  const { D, base } = t;
  // Imported constants in locals: read through the import binding inside a hot loop they cost ≈ 2× (measured).
  const shift = TILE_SHIFT;
  const mask = TILE_MASK;
  const area = TILE_AREA;
  const lastSlot = x0 * NEIGHBOURS + NEIGHBOURS - 1;
  const slots = nb.dist;
  const below = belowOffset(x0);
  const above = aboveOffset(t, x0);
  clearRow(nb, x0);
  for (let u = 0; u < liveCount; u++) {
    const i = live[u]!;
    if (i === x0) continue;
    const v =
      D[
        i < x0 ? base[i >> shift]! + below + ((i & mask) << shift) : above + (i >> shift) * area + (i & mask)
      ]!;
    if (v < slots[lastSlot]!) offerAscending(nb, x0, v, i);
  }
  finishRow(nb, x0);
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

/**
 * Merge tree for ward / complete / average linkage by the nearest-neighbour chain (Murtagh 1983; Müllner 2011,
 * "Modern hierarchical, agglomerative clustering algorithms", §3.3 NN-CHAIN-LINKAGE) with Lance–Williams updates
 * on the Euclidean distance matrix, giving exactly the merges of SciPy's `_hierarchy.nn_chain` (same
 * tie-breaking: the previous chain element is preferred, then the lowest index; the merged cluster takes the larger
 * index). Ward heights are SciPy's: the Lance–Williams update on Euclidean (not squared) distances,
 * d(xy, i) = √(((nᵢ+nₓ)d²ₓᵢ + (nᵢ+n_y)d²_yᵢ − nᵢd²ₓ_y) / (nₓ+n_y+nᵢ)) (Müllner 2011, Fig. 2), with SciPy's
 * operation order, so every distance and height is bit-identical to SciPy's.
 *
 * Departures from SciPy's loop, none changing a result (they change which memory is read, not what is computed):
 * - The matrix is tiled (`agglomerative-tiles.ts`) instead of condensed: same doubles, fewer TLB misses.
 * - Loops run over a sorted list of live clusters, not over all n with a liveness test: no mispredicted branch
 *   stalls the (independent, mostly cache-missing) loads.
 * - SciPy scans a whole row for every chain step. Here every live cluster keeps its two nearest neighbours
 *   (distance, lowest index), updated exactly during the Lance–Williams pass after each merge, which visits every
 *   live row anyway: the two merged clusters leave the list, the new distance enters it where it ranks. A row is
 *   rescanned only when the chain reaches it with an empty list. SciPy's chain step then reads off the list: the
 *   previous chain element if its distance equals the minimum, else the lowest index attaining the minimum.
 *
 * O(n²) time; memory: the n(n − 1)/2 distances (plus < 0.4% for the diagonal tiles) and O(n).
 */
export function nnChainTree(x: Float64Array, n: number, d: number, linkage: ChainLinkage): MergeTree {
  const nb = createNeighbours(n);
  const t = tiledDistances(x, n, d, nb);
  const { D } = t;
  const { index, dist } = nb;
  const live = new Int32Array(n);
  for (let i = 0; i < n; i++) live[i] = i;
  let liveCount = n;
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  const raw = new Float64Array((n - 1) * 4);
  const kind = linkage === 'ward' ? WARD : linkage === 'complete' ? COMPLETE : AVERAGE;
  let chainLength = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chainLength = 1;
      chain[0] = live[0]!;
    }
    let x0: number;
    let currentMin: number;
    for (;;) {
      x0 = chain[chainLength - 1]!;
      if (index[x0 * NEIGHBOURS]! < 0) rescanNeighbours(t, live, liveCount, x0, nb);
      const m = dist[x0 * NEIGHBOURS]!;
      const j = index[x0 * NEIGHBOURS]!;
      // SciPy's scan starts from the previous chain element's distance and takes strictly smaller ones in index
      // order: the previous element unless something is strictly closer, else the lowest index at the minimum.
      // With no finite distance at all it keeps the previous element, or (chain of one) the stale y.
      const yPrev = chainLength > 1 ? chain[chainLength - 2]! : -1;
      const dPrev = yPrev >= 0 ? D[pairIndex(t, x0, yPrev)]! : Infinity;
      if (j >= 0 && (yPrev < 0 || dPrev > m)) {
        y = j;
        currentMin = m;
      } else if (yPrev >= 0) {
        y = yPrev;
        currentMin = dPrev;
      } else {
        currentMin = Infinity;
      }
      if (chainLength > 1 && y === yPrev) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    // fastcluster's convention: the surviving slot is the larger index.
    const a = x0 < y ? x0 : y;
    const b = x0 < y ? y : x0;
    raw[k * 4] = a;
    raw[k * 4 + 1] = b;
    raw[k * 4 + 2] = currentMin;
    const ua = findLive(live, liveCount, a);
    live.copyWithin(ua, ua + 1, liveCount);
    liveCount--;
    mergeClusters(t, nb, live, liveCount, size, a, b, currentMin, kind);
  }
  return sortAndLabel(raw, n);
}

const WARD = 0;
const COMPLETE = 1;
const AVERAGE = 2;

/**
 * Merges cluster a into b (a already off the live list): one pass over the live clusters i replaces d(b, i) by
 * the Lance–Williams distance d(b ∪ a, i) and keeps every row's two nearest exact. Its own function so that V8
 * optimises it as a whole, with type feedback for its rare calls (inside the chain loop, an optimised-on-stack
 * copy kept deoptimising on them).
 */
function mergeClusters(
  t: TiledDistances,
  nb: Neighbours,
  live: Int32Array,
  liveCount: number,
  size: Int32Array,
  a: number,
  b: number,
  dab: number,
  kind: number,
): void {
  const { D, base } = t;
  const { last } = nb;
  // Imported constants in locals (see `rescanNeighbours`).
  const shift = TILE_SHIFT;
  const mask = TILE_MASK;
  const area = TILE_AREA;
  const na = size[a]!;
  const nb0 = size[b]!;
  size[a] = 0;
  size[b] = na + nb0;
  clearRow(nb, a);
  finishRow(nb, a);
  clearRow(nb, b);
  const lastB = b * NEIGHBOURS + NEIGHBOURS - 1;
  const slots = nb.dist;
  // Plain version of the offsets: qa = pairIndex(t, i, a), qb = pairIndex(t, i, b).
  const belowA = belowOffset(a);
  const aboveA = aboveOffset(t, a);
  const belowB = belowOffset(b);
  const aboveB = aboveOffset(t, b);
  for (let u = 0; u < liveCount; u++) {
    const i = live[u]!;
    if (i === b) continue;
    const qa =
      i < a ? base[i >> shift]! + belowA + ((i & mask) << shift) : aboveA + (i >> shift) * area + (i & mask);
    const qb =
      i < b ? base[i >> shift]! + belowB + ((i & mask) << shift) : aboveB + (i >> shift) * area + (i & mask);
    const ni = size[i]!;
    const dai = D[qa]!;
    const dbi = D[qb]!;
    let v: number;
    // Lance–Williams updates, in SciPy's operation order (linkage_distance_update.pxi) so ties break alike.
    if (kind === WARD) {
      const tt = 1.0 / (na + nb0 + ni);
      v = Math.sqrt((ni + na) * tt * dai * dai + (ni + nb0) * tt * dbi * dbi - ni * tt * dab * dab);
    } else if (kind === COMPLETE) {
      v = dai > dbi ? dai : dbi;
    } else {
      v = (na * dai + nb0 * dbi) / (na + nb0);
    }
    D[qb] = v;
    // b's own list (i increasing, as `offerAscending` needs).
    if (v < slots[lastB]!) offerAscending(nb, b, v, i);
    // i's list: only d(i, a) (gone) and d(i, b) (now v) changed. Nearly always neither merged cluster is listed
    // and v ranks after the last entry, so nothing changes.
    if (v <= last[i]! || lists(nb, i, a, b)) revise(nb, i, a, b, v);
  }
  finishRow(nb, b);
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
  const raw = new Float64Array((n - 1) * 4);
  let current = 0;
  for (let k = 0; k < n - 1; k++) {
    const p = scan(xr, best, bestSq, count, x, current * d, found);
    // With no finite distance left scikit-learn's loop keeps new_node = 0 (only for overflowing coordinates).
    const newNode = p >= 0 ? rest[p]! : 0;
    raw[k * 4] = current;
    raw[k * 4 + 1] = newNode;
    raw[k * 4 + 2] = found[0]!;
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
