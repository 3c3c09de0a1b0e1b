/**
 * Internal cores of agglomerative clustering: the merge tree (SciPy's linkage layout) by nearest-neighbour chain
 * on a condensed distance matrix, or by a minimum spanning tree for single linkage. They trust their typed arrays.
 * @module
 */

import { squaredDistanceKernel } from './squared-distance.js';

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
 * Index of the pair (i, j), i ≠ j, in a condensed n × n distance matrix (SciPy's `condensed_index`).
 * Kept for readability outside the hot loops, which step the index incrementally.
 */
function condensedIndex(n: number, i: number, j: number): number {
  return i < j ? n * i - (i * (i + 1)) / 2 + (j - i - 1) : n * j - (j * (j + 1)) / 2 + (i - j - 1);
}

/** Euclidean distances of all pairs i < j in SciPy's `pdist` order: n(n − 1)/2 doubles. */
function condensedDistances(x: Float64Array, n: number, d: number): Float64Array {
  const dist2 = squaredDistanceKernel(d);
  const D = new Float64Array((n * (n - 1)) / 2);
  let q = 0;
  for (let i = 0; i < n - 1; i++) {
    const io = i * d;
    for (let j = i + 1; j < n; j++) D[q++] = Math.sqrt(dist2(x, io, x, j * d));
  }
  return D;
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
 * Merge tree for ward / complete / average linkage by the nearest-neighbour chain (Murtagh 1983; Müllner 2011,
 * "Modern hierarchical, agglomerative clustering algorithms", §3.3 NN-CHAIN-LINKAGE) with Lance–Williams updates on
 * the condensed Euclidean distance matrix, a line-for-line port of SciPy's `_hierarchy.nn_chain` (same
 * tie-breaking: the previous chain element is preferred, then the lowest index; the merged cluster takes the larger
 * index). Ward heights are SciPy's: the Lance–Williams update on Euclidean (not squared) distances,
 * d(xy, i) = √(((nᵢ+nₓ)d²ₓᵢ + (nᵢ+n_y)d²_yᵢ − nᵢd²ₓ_y) / (nₓ+n_y+nᵢ)) (Müllner 2011, Fig. 2).
 *
 * O(n²) time, n(n − 1)/2 doubles of memory.
 */
export function nnChainTree(x: Float64Array, n: number, d: number, linkage: ChainLinkage): MergeTree {
  const D = condensedDistances(x, n, d);
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  const raw = new Float64Array((n - 1) * 4);
  const kind = linkage === 'ward' ? 0 : linkage === 'complete' ? 1 : 2;
  let chainLength = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chainLength = 1;
      for (let i = 0; i < n; i++) {
        if (size[i]! > 0) {
          chain[0] = i;
          break;
        }
      }
    }
    let x0: number;
    let currentMin: number;
    for (;;) {
      x0 = chain[chainLength - 1]!;
      if (chainLength > 1) {
        y = chain[chainLength - 2]!;
        currentMin = D[condensedIndex(n, x0, y)]!;
      } else {
        currentMin = Infinity;
      }
      // Scan every other live cluster i in increasing order. Plain version:
      // for (i = 0; i < n; i++) if (size[i] && i !== x0 && D[condensedIndex(n, x0, i)] < currentMin) …
      // Here the condensed index is stepped instead of recomputed (column of x0 above, then its row).
      let q = x0 - 1;
      for (let i = 0; i < x0; i++) {
        if (size[i]! !== 0) {
          const v = D[q]!;
          if (v < currentMin) {
            currentMin = v;
            y = i;
          }
        }
        q += n - i - 2;
      }
      q = condensedIndex(n, x0, x0 + 1);
      for (let i = x0 + 1; i < n; i++, q++) {
        if (size[i]! !== 0) {
          const v = D[q]!;
          if (v < currentMin) {
            currentMin = v;
            y = i;
          }
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    // fastcluster's convention: the surviving slot is the larger index.
    let a = x0;
    let b = y;
    if (a > b) {
      a = y;
      b = x0;
    }
    const na = size[a]!;
    const nb = size[b]!;
    raw[k * 4] = a;
    raw[k * 4 + 1] = b;
    raw[k * 4 + 2] = currentMin;
    size[a] = 0;
    size[b] = na + nb;
    const dab = currentMin;
    for (let i = 0; i < n; i++) {
      const ni = size[i]!;
      if (ni === 0 || i === b) continue;
      const qa = condensedIndex(n, i, a);
      const qb = condensedIndex(n, i, b);
      const dai = D[qa]!;
      const dbi = D[qb]!;
      let v: number;
      // Lance–Williams updates, in SciPy's operation order (linkage_distance_update.pxi) so ties break alike.
      if (kind === 0) {
        const t = 1.0 / (na + nb + ni);
        v = Math.sqrt((ni + na) * t * dai * dai + (ni + nb) * t * dbi * dbi - ni * t * dab * dab);
      } else if (kind === 1) {
        v = dai > dbi ? dai : dbi;
      } else {
        v = (na * dai + nb * dbi) / (na + nb);
      }
      D[qb] = v;
    }
  }
  return sortAndLabel(raw, n);
}

/**
 * Merge tree for single linkage from a minimum spanning tree: Prim's algorithm on the implicit complete graph,
 * computing distances on the fly (Müllner 2011, Fig. 6 MST-LINKAGE-CORE) — O(n²) time, O(n) memory — as
 * scikit-learn's `mst_linkage_core` does, then its stable sort and `_single_linkage_label`. Each recorded edge
 * joins the node added last and the next node Prim adds (not necessarily that node's MST neighbour); Müllner shows
 * the resulting single-linkage hierarchy is the same.
 */
export function mstSingleTree(x: Float64Array, n: number, d: number): MergeTree {
  const dist2 = squaredDistanceKernel(d);
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const raw = new Float64Array((n - 1) * 4);
  let current = 0;
  for (let k = 0; k < n - 1; k++) {
    inTree[current] = 1;
    let newDistance = Infinity;
    let newNode = 0;
    const co = current * d;
    for (let j = 0; j < n; j++) {
      if (inTree[j] === 1) continue;
      // √ per pair (not squared distances) so comparisons round exactly as scikit-learn's.
      const dj = Math.sqrt(dist2(x, co, x, j * d));
      if (dj < best[j]!) best[j] = dj;
      if (best[j]! < newDistance) {
        newDistance = best[j]!;
        newNode = j;
      }
    }
    raw[k * 4] = current;
    raw[k * 4 + 1] = newNode;
    raw[k * 4 + 2] = newDistance;
    current = newNode;
  }
  // scikit-learn keeps each edge's (current, new) order in `children_`; SciPy's matrix sorts it.
  return sortAndLabel(raw, n, true);
}
