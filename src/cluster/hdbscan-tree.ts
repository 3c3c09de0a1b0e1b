/**
 * HDBSCAN cores on trusted typed arrays: core distances (KD-tree, and brute force as the reference), Prim's MST
 * over mutual reachability (the O(n²) reference; `boruvka.ts` is the fast path), the single-linkage hierarchy, the
 * condensed tree, cluster selection, probabilities and GLOSH scores, ported from the `hdbscan` package (McInnes,
 * Healy & Astels 2017; 0.8.x `_hdbscan_linkage.pyx` and `_hdbscan_tree.pyx`).
 * @module
 */

import type { KDTree } from './kd-tree.js';
import { Scratch } from './scratch.js';
import { sortIndicesByKey } from './sort-indices.js';

/**
 * Distance from each row to its k-th nearest row, the row itself counted (distance 0), as the package's
 * `tree.query(X, k=min_samples + 1)[0][:, -1]`. Brute force with a bounded max-heap of squared distances:
 * O(n² d) time, O(k) scratch.
 */
export function coreDistances(x: Float64Array, n: number, d: number, k: number): Float64Array {
  const out = new Float64Array(n);
  const heap = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let size = 0;
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      let s = 0;
      const oj = j * d;
      for (let t = 0; t < d; t++) {
        const v = x[oi + t]! - x[oj + t]!;
        s += v * v;
      }
      if (size < k) {
        // Sift up into the max-heap.
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (heap[p]! >= s) break;
          heap[c] = heap[p]!;
          c = p;
        }
        heap[c] = s;
      } else if (s < heap[0]!) {
        // Replace the largest and sift down.
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          if (l >= k) break;
          const r = l + 1;
          const m = r < k && heap[r]! > heap[l]! ? r : l;
          if (heap[m]! <= s) break;
          heap[c] = heap[m]!;
          c = m;
        }
        heap[c] = s;
      }
    }
    out[i] = Math.sqrt(heap[0]!);
  }
  return out;
}

/**
 * Squared core distances in **tree order** (`out[p]` for row `tree.index[p]`): the squared distance from each row
 * to its k-th nearest row, itself counted, by a k-nearest-neighbour query per row on the KD-tree. Same values as
 * `coreDistances` squared before the square root (the same sums in the same order); O(n log n · k) typical time
 * for low d, O(n) memory.
 */
export function squaredCoreDistances(
  tree: KDTree,
  k: number,
  out: Float64Array = new Float64Array(tree.n),
): Float64Array {
  if (out.length !== tree.n) throw new RangeError(`out has length ${out.length}, expected ${tree.n}`);
  coreDistanceRange(tree, k, out, 0, tree.n);
  return out;
}

/**
 * `out[p]` = squared distance from tree position p to its k-th nearest row, for p in [from, to). Positions go in
 * tree order, so consecutive searches stay in the same leaves (and cache lines); a row equal to the one before it
 * (duplicates sit together in tree order) has the same distances to everything, so it copies the answer.
 */
export function coreDistanceRange(
  tree: KDTree,
  k: number,
  out: Float64Array,
  from: number,
  to: number,
): void {
  const { d, points } = tree;
  for (let p = from; p < to; p++) {
    const po = p * d;
    if (p > from) {
      let same = true;
      for (let t = 0; t < d && same; t++) same = points[po + t] === points[po - d + t];
      if (same) {
        out[p] = out[p - 1]!;
        continue;
      }
    }
    out[p] = tree.kthNearest(points, po, k);
  }
}

/** The minimum spanning tree as n − 1 edges (from, to, weight) in the order Prim adds them. */
export interface SpanningTree {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

/**
 * Prim's algorithm over the mutual reachability distance max(core(a), core(b), ‖a − b‖) (Campello, Moulavi &
 * Sander 2013, §3), computed on the fly: O(n²) time, O(n) memory. A line-for-line port of the package's
 * `mst_linkage_core_vector` (alpha = 1), comparisons and tie-breaks included, so the same edges come out.
 */
export function primMutualReachability(
  x: Float64Array,
  n: number,
  d: number,
  core: Float64Array,
): SpanningTree {
  const from = new Int32Array(n - 1);
  const to = new Int32Array(n - 1);
  const weight = new Float64Array(n - 1);
  const inTree = new Uint8Array(n);
  const currentDistances = new Float64Array(n).fill(Infinity);
  const currentSources = new Int32Array(n).fill(1);
  let current = 0;
  for (let i = 1; i < n; i++) {
    inTree[current] = 1;
    const currentCore = core[current]!;
    let newDistance = Number.MAX_VALUE;
    let sourceNode = 0;
    let newNode = 0;
    const oc = current * d;
    for (let j = 0; j < n; j++) {
      if (inTree[j] === 1) continue;
      const rightValue = currentDistances[j]!;
      const rightSource = currentSources[j]!;
      let s = 0;
      const oj = j * d;
      for (let t = 0; t < d; t++) {
        const v = x[oc + t]! - x[oj + t]!;
        s += v * v;
      }
      let leftValue = Math.sqrt(s);
      const coreValue = core[j]!;
      if (currentCore > rightValue || coreValue > rightValue || leftValue > rightValue) {
        if (rightValue < newDistance) {
          newDistance = rightValue;
          sourceNode = rightSource;
          newNode = j;
        }
        continue;
      }
      if (coreValue > currentCore) {
        if (coreValue > leftValue) leftValue = coreValue;
      } else if (currentCore > leftValue) leftValue = currentCore;
      if (leftValue < rightValue) {
        currentDistances[j] = leftValue;
        currentSources[j] = current;
        if (leftValue < newDistance) {
          newDistance = leftValue;
          sourceNode = current;
          newNode = j;
        }
      } else if (rightValue < newDistance) {
        newDistance = rightValue;
        sourceNode = rightSource;
        newNode = j;
      }
    }
    from[i - 1] = sourceNode;
    to[i - 1] = newNode;
    weight[i - 1] = newDistance;
    current = newNode;
  }
  return { from, to, weight };
}

/**
 * Single-linkage hierarchy in SciPy's linkage layout: merge m joins nodes `left[m]` and `right[m]` at height
 * `delta[m]` into node n + m of `size[m]` rows (rows are nodes 0 .. n − 1).
 */
export interface Hierarchy {
  left: Int32Array;
  right: Int32Array;
  delta: Float64Array;
  size: Int32Array;
}

/**
 * The single-linkage hierarchy of a minimum spanning tree (Gower & Ross 1969: Kruskal order over the MST's edges,
 * as the package's `label`), with merges at one height made in a canonical order so the hierarchy depends only on
 * the graph, not on which MST (Prim, Borůvka) or edge order produced it.
 *
 * Why: mutual reachability distances tie often (every edge from a row to a denser neighbour weighs its core
 * distance), tied edges differ between MSTs, and `condenseTree` can tell apart two binary orders of one multi-way
 * merge. The package leaves this to numpy's quicksort (build- and CPU-dependent). Here, for each distinct weight
 * w, the components joined by the edges of weight w form groups (the same for every MST: the components of the
 * graph of edges ≤ w); groups go in order of their smallest row id, and each group's components, sorted by their
 * smallest row id, are merged one after another into the first (left = the merged so far, right = the next).
 * `scripts/fixtures/make_hdbscan_fixtures.py` builds the package's fixtures with the same rule.
 */
export function singleLinkage(mst: SpanningTree, n: number, scratch = new Scratch()): Hierarchy {
  const m = n - 1;
  // The results first, so they sit together at the start of the scratch and the working arrays after them leave
  // one free stretch behind for the next stage.
  const left = scratch.int32(m);
  const right = scratch.int32(m);
  const delta = scratch.float64(m);
  const size = scratch.int32(m);
  // By weight (ties by edge index; their order does not matter, see above), sorted in place.
  const order = scratch.int32(m);
  for (let e = 0; e < m; e++) order[e] = e;
  sortIndicesByKey(order, mst.weight);
  // Union–find over rows; per root: its node id in the hierarchy (whose size is the root's row count) and
  // smallest row id.
  const parent = scratch.int32(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const node = scratch.int32(n);
  for (let i = 0; i < n; i++) node[i] = i;
  const minRow = scratch.int32(n);
  for (let i = 0; i < n; i++) minRow[i] = i;
  const rowsOf = (v: number): number => (v < n ? 1 : size[v - n]!);
  const find = (v: number): number => {
    while (parent[v] !== v) {
      const g = parent[parent[v]!]!;
      parent[v] = g;
      v = g;
    }
    return v;
  };
  // Scratch for one run of tied edges, grown as needed: the components it touches (pre-run root, node id, row
  // count, smallest row) and their sort order.
  let cap = 0;
  let memRoot = new Int32Array(0);
  let memNode = new Int32Array(0);
  let memRows = new Int32Array(0);
  let memMin = new Int32Array(0);
  let memOrder = new Int32Array(0);
  let memKey = new Float64Array(0);
  const seen = scratch.uint8(n);
  let count = 0;
  const touch = (v: number): void => {
    const r = find(v);
    if (seen[r] === 1) return;
    seen[r] = 1;
    memRoot[count] = r;
    memNode[count] = node[r]!;
    memRows[count] = rowsOf(node[r]!);
    memMin[count] = minRow[r]!;
    count++;
  };
  let k = 0;
  for (let i = 0; i < m;) {
    const w = mst.weight[order[i]!]!;
    let j = i + 1;
    while (j < m && mst.weight[order[j]!] === w) j++;
    // A run of r edges touches at most 2r components.
    if (2 * (j - i) > cap) {
      cap = Math.min(n, Math.max(2 * cap, 2 * (j - i), 16));
      memRoot = new Int32Array(cap);
      memNode = new Int32Array(cap);
      memRows = new Int32Array(cap);
      memMin = new Int32Array(cap);
      memOrder = new Int32Array(cap);
      memKey = new Float64Array(cap);
    }
    count = 0;
    for (let e = i; e < j; e++) {
      touch(mst.from[order[e]!]!);
      touch(mst.to[order[e]!]!);
    }
    for (let c = 0; c < count; c++) seen[memRoot[c]!] = 0;
    for (let e = i; e < j; e++) {
      const a = find(mst.from[order[e]!]!);
      const b = find(mst.to[order[e]!]!);
      if (a === b)
        throw new RangeError('singleLinkage: the edges do not form a spanning tree (they close a cycle)');
      // Union by index (keeps roots as small ids); the root keeps the smaller smallest row.
      const keep = a < b ? a : b;
      const drop = a < b ? b : a;
      parent[drop] = keep;
      if (minRow[drop]! < minRow[keep]!) minRow[keep] = minRow[drop]!;
    }
    // Order: by the group's smallest row, then the component's own smallest row (both row ids < n, so exact).
    for (let c = 0; c < count; c++) {
      memOrder[c] = c;
      memKey[c] = minRow[find(memRoot[c]!)]! * n + memMin[c]!;
    }
    // In place over the first `count` slots: a subarray view here would be one short-lived object per merge.
    const sorted = memOrder;
    if (count > 2) sortIndicesByKey(sorted, memKey, 0, count);
    else if (memKey[1]! < memKey[0]!) {
      sorted[0] = 1;
      sorted[1] = 0;
    }
    let group = -1;
    let accNode = -1;
    let accRows = 0;
    for (let q = 0; q < count; q++) {
      const c = sorted[q]!;
      const root = find(memRoot[c]!);
      if (root !== group) {
        group = root;
        accNode = memNode[c]!;
        accRows = memRows[c]!;
      } else {
        left[k] = accNode;
        right[k] = memNode[c]!;
        delta[k] = w;
        accRows += memRows[c]!;
        size[k] = accRows;
        accNode = n + k;
        k++;
      }
      node[group] = accNode;
    }
    i = j;
  }
  scratch.release(order, parent, node, minRow, seen);
  return { left, right, delta, size };
}

/**
 * The condensed tree as parallel edge arrays (the package's `condense_tree` recarray): clusters are numbered n
 * (root), n + 1, … in breadth-first order, points keep their row ids, `lambda` = 1 / distance.
 */
export interface CondensedTree {
  parent: Int32Array;
  child: Int32Array;
  lambda: Float64Array;
  childSize: Int32Array;
  length: number;
}

/**
 * Campello et al. 2013 §4 / the package's `condense_tree`: walk the hierarchy breadth-first from the root; a split
 * into two parts of ≥ `minClusterSize` rows makes two new clusters, otherwise the small side's rows fall out of
 * the current cluster at that lambda.
 */
export function condenseTree(
  h: Hierarchy,
  n: number,
  minClusterSize: number,
  scratch = new Scratch(),
): CondensedTree {
  const root = 2 * (n - 1);
  // Per internal node v (index v − n): its cluster label, and whether its rows have already fallen out. Only
  // internal nodes are ever relabelled (a side of ≥ minClusterSize ≥ 2 rows) or looked up.
  const relabel = scratch.int32(n - 1);
  const ignore = scratch.uint8(n - 1);
  // One edge per row, plus two per split into clusters of ≥ minClusterSize rows each: a binary tree of nested
  // clusters has at most n / minClusterSize leaves, so fewer than that many splits.
  const capacity = n + 2 * Math.floor(n / minClusterSize);
  const parent = scratch.int32(capacity);
  const child = scratch.int32(capacity);
  const lambda = scratch.float64(capacity);
  const childSize = scratch.int32(capacity);
  let pos = 0;
  let nextLabel = n + 1;
  relabel[root - n] = n;
  const countOf = (v: number): number => (v >= n ? h.size[v - n]! : 1);
  // The lambda of the split being emitted travels in a one-slot array, not as an argument: a double passed to a
  // call V8 does not inline is boxed, once per row here.
  const lamNow = new Float64Array(1);
  const emitRow = (v: number, label: number): void => {
    parent[pos] = label;
    child[pos] = v;
    lambda[pos] = lamNow[0]!;
    childSize[pos] = 1;
    pos++;
  };
  const emitCluster = (c: number, cnt: number, label: number): void => {
    relabel[c - n] = nextLabel++;
    parent[pos] = label;
    child[pos] = relabel[c - n]!;
    lambda[pos] = lamNow[0]!;
    childSize[pos] = cnt;
    pos++;
  };
  // Breadth-first order of the hierarchy's internal nodes (bfs_from_hierarchy(root) without its leaves, which the
  // walk below skips), and a queue for subtrees. A subtree's rows fall out in breadth-first order: emitting each
  // when it is queued rather than dequeued keeps that order (first in, first out) and keeps rows out of the queue.
  const queue = scratch.int32(n - 1);
  // Only a side of fewer than minClusterSize rows falls out, so a subtree emitted here has fewer internal nodes.
  const sub = scratch.int32(Math.max(1, Math.min(n - 1, minClusterSize)));
  const emitSubtree = (start: number, label: number): void => {
    if (start < n) {
      emitRow(start, label);
      return;
    }
    let head = 0;
    let tail = 0;
    sub[tail++] = start;
    while (head < tail) {
      const v = sub[head++]!;
      ignore[v - n] = 1;
      const l = h.left[v - n]!;
      const r = h.right[v - n]!;
      if (l < n) emitRow(l, label);
      else sub[tail++] = l;
      if (r < n) emitRow(r, label);
      else sub[tail++] = r;
    }
  };
  let tail = 0;
  queue[tail++] = root;
  for (let head = 0; head < tail; head++) {
    const node = queue[head]!;
    const l = h.left[node - n]!;
    const r = h.right[node - n]!;
    if (l >= n) queue[tail++] = l;
    if (r >= n) queue[tail++] = r;
  }
  for (let q = 0; q < tail; q++) {
    const node = queue[q]!;
    if (ignore[node - n] === 1) continue;
    const k = node - n;
    const l = h.left[k]!;
    const r = h.right[k]!;
    lamNow[0] = h.delta[k]! > 0 ? 1 / h.delta[k]! : Infinity;
    const lc = countOf(l);
    const rc = countOf(r);
    const label = relabel[k]!;
    if (lc >= minClusterSize && rc >= minClusterSize) {
      emitCluster(l, lc, label);
      emitCluster(r, rc, label);
    } else if (lc < minClusterSize && rc < minClusterSize) {
      emitSubtree(l, label);
      emitSubtree(r, label);
    } else if (lc < minClusterSize) {
      relabel[r - n] = label;
      emitSubtree(l, label);
    } else {
      relabel[l - n] = label;
      emitSubtree(r, label);
    }
  }
  scratch.release(relabel, ignore, queue, sub);
  return {
    parent: parent.subarray(0, pos),
    child: child.subarray(0, pos),
    lambda: lambda.subarray(0, pos),
    childSize: childSize.subarray(0, pos),
    length: pos,
  };
}

/** Largest lambda among each cluster's child edges (the package's `max_lambdas`), indexed by cluster id − n. */
function maxLambdas(t: CondensedTree, n: number, clusterCount: number, scratch: Scratch): Float64Array {
  const deaths = scratch.float64(clusterCount);
  for (let i = 0; i < t.length; i++) {
    const p = t.parent[i]! - n;
    if (t.lambda[i]! > deaths[p]!) deaths[p] = t.lambda[i]!;
  }
  return deaths;
}

/** What `selectClusters` returns: labels, membership probabilities and GLOSH scores per row. */
export interface Selection {
  labels: Int32Array;
  probabilities: Float64Array;
  outlierScores: Float64Array;
}

/**
 * Stability (Campello et al. 2013 §5: Σ over member rows of λ_leave − λ_birth), excess-of-mass or leaf selection
 * with `clusterSelectionEpsilon` (Malzer & Baum 2020), labelling, probabilities and GLOSH (Campello, Moulavi,
 * Zimek & Sander 2015, TKDD 10(1) §4) exactly as the package's `compute_stability`, `get_clusters`,
 * `do_labelling`, `get_probabilities` and `outlier_scores`. The results go into `out`'s arrays when given
 * (n long each; whatever they held is overwritten), else into new ones.
 */
export function selectClusters(
  t: CondensedTree,
  n: number,
  method: 'eom' | 'leaf',
  epsilon: number,
  allowSingle: boolean,
  scratch = new Scratch(),
  out?: Selection,
): Selection {
  const len = t.length;
  let maxNode = n;
  for (let i = 0; i < len; i++) {
    if (t.parent[i]! > maxNode) maxNode = t.parent[i]!;
    if (t.child[i]! > maxNode) maxNode = t.child[i]!;
  }
  const size = maxNode + 1;
  // Birth lambda of each node (the lambda of its edge from its parent), parent of each node, root born at 0.
  const birth = scratch.float64(size);
  const up = scratch.int32(size).fill(-1);
  for (let i = 0; i < len; i++) {
    birth[t.child[i]!] = t.lambda[i]!;
    up[t.child[i]!] = t.parent[i]!;
  }
  birth[n] = 0;
  // Arrays about clusters only (ids n … size − 1) are indexed by id − n: rows never need them.
  const clusterCount = size - n;
  const stability = scratch.float64(clusterCount);
  for (let i = 0; i < len; i++) {
    const p = t.parent[i]!;
    stability[p - n] = stability[p - n]! + (t.lambda[i]! - birth[p]!) * t.childSize[i]!;
  }
  let maxParent = n;
  for (let i = 0; i < len; i++) if (t.parent[i]! > maxParent) maxParent = t.parent[i]!;

  // Cluster tree: edges whose child is a cluster (child_size > 1), children in row order. Only clusters (ids ≥ n)
  // have cluster children, so the lists are indexed by id − n.
  const clusterChildren: number[][] = Array.from({ length: clusterCount }, () => []);
  const children = (c: number): number[] => clusterChildren[c - n]!;
  let hasClusterEdges = false;
  for (let i = 0; i < len; i++) {
    if (t.childSize[i]! > 1) {
      children(t.parent[i]!).push(t.child[i]!);
      hasClusterEdges = true;
    }
  }
  const descendants = (node: number): number[] => {
    const out = [node];
    for (let q = 0; q < out.length; q++) for (const c of children(out[q]!)) out.push(c);
    return out;
  };
  // Candidate clusters, in descending id order (children before parents); the root only with allowSingle.
  const candidates: number[] = [];
  for (let c = maxParent; c > n; c--) candidates.push(c);
  if (allowSingle) candidates.push(n);
  const isCluster = scratch.uint8(clusterCount);
  const isKey = scratch.uint8(clusterCount);
  for (const c of candidates) {
    isCluster[c - n] = 1;
    isKey[c - n] = 1;
  }

  const epsilonSearch = (leaves: number[]): Set<number> => {
    const selected = new Set<number>();
    const processed = new Uint8Array(clusterCount);
    const traverse = (leaf: number): number => {
      const p = up[leaf]!;
      if (p === n) return allowSingle ? p : leaf;
      return 1 / birth[p]! > epsilon ? p : traverse(p);
    };
    for (const leaf of leaves) {
      if (1 / birth[leaf]! < epsilon) {
        if (processed[leaf - n] === 1) continue;
        const e = traverse(leaf);
        selected.add(e);
        for (const s of descendants(e)) if (s !== e) processed[s - n] = 1;
      } else selected.add(leaf);
    }
    return selected;
  };
  const keep = (selected: Set<number>): void => {
    for (let c = 0; c < clusterCount; c++) if (isKey[c] === 1) isCluster[c] = selected.has(c + n) ? 1 : 0;
  };

  if (method === 'eom') {
    for (const node of candidates) {
      // The package accumulates this sum in a C `float`; rounding alike keeps ties resolved the same way.
      let subtree = 0;
      for (const c of children(node)) subtree = Math.fround(subtree + stability[c - n]!);
      if (subtree > stability[node - n]!) {
        isCluster[node - n] = 0;
        stability[node - n] = subtree;
      }
    }
    // The package deselects a kept cluster's whole subtree as it goes; the same in one top-down pass: a cluster
    // stays only if no ancestor kept itself. Parents have smaller ids than their children (ids are given breadth
    // first), so each parent is final when its children are reached.
    const covered = scratch.uint8(clusterCount);
    for (let c = 1; c < clusterCount; c++) {
      const p = up[c + n]! - n;
      if (covered[p] === 1 || isCluster[p] === 1) {
        covered[c] = 1;
        isCluster[c] = 0;
      }
    }
    scratch.release(covered);
    if (epsilon !== 0 && hasClusterEdges) {
      const eom: number[] = [];
      for (let c = 0; c < clusterCount; c++) if (isKey[c] === 1 && isCluster[c] === 1) eom.push(c + n);
      let selected = new Set<number>();
      if (eom.length === 1 && eom[0] === n) {
        if (allowSingle) selected = new Set(eom);
      } else selected = epsilonSearch(eom);
      keep(selected);
    }
  } else {
    const leaves: number[] = [];
    if (hasClusterEdges) {
      for (const s of descendants(n)) if (children(s).length === 0) leaves.push(s);
      leaves.sort((a, b) => a - b);
    }
    if (leaves.length === 0) isKey[0] = 1;
    keep(epsilon !== 0 ? epsilonSearch(leaves) : new Set(leaves));
  }

  const clusterMap = scratch.int32(clusterCount).fill(-1);
  const clusters: number[] = [];
  for (let c = 0; c < clusterCount; c++) {
    if (isKey[c] === 1 && isCluster[c] === 1) {
      clusterMap[c] = clusters.length;
      clusters.push(c + n);
    }
  }

  // do_labelling: a row belongs to the nearest selected ancestor of its edge; rows reaching the root are noise,
  // unless the root is the single selected cluster (then only rows staying until the root's last lambda, or past
  // 1 / epsilon, are kept).
  const labels = (out?.labels ?? new Int32Array(n)).fill(-1);
  let rootMaxLambda = 0;
  for (let i = 0; i < len; i++)
    if (t.parent[i] === n && t.lambda[i]! > rootMaxLambda) rootMaxLambda = t.lambda[i]!;
  for (let p = 0; p < n; p++) {
    let c = up[p]!;
    while (c !== n && clusterMap[c - n] === -1) c = up[c]!;
    if (c !== n) labels[p] = clusterMap[c - n]!;
    else if (clusters.length === 1 && allowSingle && clusterMap[0] !== -1) {
      const ok = epsilon !== 0 ? birth[p]! >= 1 / epsilon : birth[p]! >= rootMaxLambda;
      if (ok) labels[p] = clusterMap[0]!;
    }
  }

  const deaths = maxLambdas(t, n, clusterCount, scratch);
  const probabilities = (out?.probabilities ?? new Float64Array(n)).fill(0);
  for (let i = 0; i < len; i++) {
    const point = t.child[i]!;
    if (point >= n || labels[point] === -1) continue;
    const maxLambda = deaths[clusters[labels[point]!]! - n]!;
    const lam = t.lambda[i]!;
    probabilities[point] =
      maxLambda === 0 || !Number.isFinite(lam) ? 1 : Math.min(lam, maxLambda) / maxLambda;
  }

  // GLOSH: deaths propagated up from descendants (rows are in breadth-first order, so a reverse sweep suffices);
  // a row's own death is 0 (it has no children), which never raises its parent's.
  const glosh = scratch.float64(clusterCount);
  glosh.set(deaths);
  for (let i = len - 1; i >= 0; i--) {
    const c = t.child[i]!;
    if (c < n) continue;
    const p = t.parent[i]! - n;
    if (glosh[c - n]! > glosh[p]!) glosh[p] = glosh[c - n]!;
  }
  const outlierScores = (out?.outlierScores ?? new Float64Array(n)).fill(0);
  for (let i = 0; i < len; i++) {
    const point = t.child[i]!;
    if (point >= n) continue;
    const lamMax = glosh[t.parent[i]! - n]!;
    const lam = t.lambda[i]!;
    outlierScores[point] = lamMax === 0 || !Number.isFinite(lam) ? 0 : (lamMax - lam) / lamMax;
  }
  scratch.release(birth, up, stability, isCluster, isKey, clusterMap, deaths, glosh);
  return { labels, probabilities, outlierScores };
}
