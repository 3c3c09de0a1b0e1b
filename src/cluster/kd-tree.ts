/**
 * A static KD-tree over flat row-major points for fixed-radius and k-nearest-neighbour search (euclidean or
 * manhattan), as DBSCAN's region queries and HDBSCAN's core distances need; its node layout is public (read-only)
 * for dual-tree algorithms such as `boruvka.ts`.
 * @module
 */

import { type SquaredDistance, squaredDistanceKernel } from './squared-distance.js';

/** Distances the tree can search by. `'euclidean'` is searched on squared distances (no square roots). */
export type KDTreeMetric = 'euclidean' | 'manhattan';

/** Options for `KDTree`. */
export interface KDTreeOptions {
  /** Default `'euclidean'`. */
  metric?: KDTreeMetric;
  /** Most points per leaf. Default 32 (scikit-learn's `leaf_size` default is 30; a power of two splits evenly). */
  leafSize?: number;
  /** Optional weight per row, summed per node so `radiusWeight` can count whole nodes without visiting points. */
  weights?: Float64Array | null;
  /**
   * Allocate the tree's arrays over `SharedArrayBuffer`s, so `layout` can go to worker threads without a copy.
   * Default false.
   */
  shared?: boolean;
}

/**
 * The arrays of a built tree (see `KDTree.layout`): enough to search it from another thread with
 * `KDTree.fromLayout`. Weights are not carried.
 */
export interface KDTreeLayout {
  n: number;
  d: number;
  metric: KDTreeMetric;
  leafSize: number;
  nodes: number;
  depth: number;
  points: Float64Array;
  index: Int32Array;
  start: Int32Array;
  end: Int32Array;
  left: Int32Array;
  right: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
}

/**
 * KD-tree of Bentley 1975 ("Multidimensional binary search trees used for associative searching", CACM 18(9)),
 * split as in Friedman, Bentley & Finkel 1977 (§3: cut the dimension of largest spread at its median), with an
 * axis-aligned bounding box per node as scikit-learn's `KDTree` keeps. Built once in O(n log n); the points are
 * copied into tree order so a leaf's points are contiguous in memory.
 *
 * Queries are exact, with the same rounding as a brute-force check: a point is a neighbour when Σ (xₜ − yₜ)²
 * (euclidean) or Σ |xₜ − yₜ| (manhattan), summed in feature order, is ≤ the reduced radius. Box pruning is exact
 * too, because floating-point subtraction, squaring and addition are monotone: a box whose nearest corner is out of
 * range holds no neighbour, and a box whose farthest corner is in range holds only neighbours (taken whole).
 *
 * k-nearest-neighbour queries (`knn`, `kthNearest`) are the classic branch-and-bound search of Friedman, Bentley &
 * Finkel 1977 (§4): depth first, nearer child first, a bounded max-heap of the best k reduced distances, and a
 * node skipped when its box is no nearer than the current k-th distance (exact for the same reason as above).
 *
 * Not safe to query re-entrantly: `found`, `foundDistances`, the heap and the traversal stacks are scratch buffers
 * owned by the tree.
 *
 * @example
 * const tree = new KDTree(new Float64Array([0, 0, 1, 0, 5, 5]), 3, 2);
 * const count = tree.radius(new Float64Array([0, 0]), 0, tree.reduce(1.5));
 * // count === 2; tree.found.subarray(0, count) holds rows 0 and 1 (in tree order)
 * const k = tree.knn(new Float64Array([4, 4]), 0, 2);
 * // k === 2; found[0] === 2, found[1] === 1; foundDistances holds 2 and 25 (squared)
 */
export class KDTree {
  /** Row count. */
  readonly n: number;
  /** Feature count. */
  readonly d: number;
  readonly metric: KDTreeMetric;
  /** Points in tree order (n × d): position p holds original row `index[p]`. */
  readonly points: Float64Array;
  /** Original row of each tree position. */
  readonly index: Int32Array;
  /** Weights in tree order, or null when unweighted. */
  readonly weights: Float64Array | null;
  /**
   * Neighbours found by the last `radius` or `knn` call (original row ids), valid up to the count it returned.
   */
  found: Int32Array;
  /** Reduced distances of the neighbours found by the last `knn` call, ascending, parallel to `found`. */
  foundDistances: Float64Array;

  // Node layout, read-only for callers that walk the tree themselves. Nodes are numbered in depth-first preorder
  // (root 0, every child after its parent); node i holds tree positions start[i] .. end[i] − 1.
  /** First tree position of each node. */
  readonly start: Int32Array;
  /** One past the last tree position of each node. */
  readonly end: Int32Array;
  /** Left child of each node; -1 for a leaf. */
  readonly left: Int32Array;
  /** Right child of each node; -1 for a leaf. */
  readonly right: Int32Array;
  /** Bounding box of each node: lower corner at lo[i·d .. i·d + d), upper corner at hi[i·d .. i·d + d). */
  readonly lo: Float64Array;
  readonly hi: Float64Array;

  /**
   * Most rows per leaf, except for a leaf of one point repeated (all its rows equal; `build` cannot split it), which
   * may hold more.
   */
  readonly leafSize: number;
  /** The euclidean kernel for this d (unrolled: ≈ 25 % faster k-nearest-neighbour queries at d = 5 than a loop). */
  private readonly dist2: SquaredDistance;
  /** Σ weight per node when weighted; unweighted trees count a node's rows from start/end instead. */
  private readonly nodeWeight: Float64Array | null;
  private readonly stack: Int32Array;
  /** `knn` scratch: pending nodes and their box distances, and the max-heap of (reduced distance, position). */
  private readonly stackDist: Float64Array;
  private heapDist: Float64Array;
  private heapPos: Int32Array;
  private nodes = 0;
  private depth = 0;

  /** A tree over the arrays of one built elsewhere (another thread's `layout`), without rebuilding. */
  static fromLayout(layout: KDTreeLayout): KDTree {
    return new KDTree(
      layout.points,
      layout.n,
      layout.d,
      { metric: layout.metric, leafSize: layout.leafSize },
      layout,
    );
  }

  /** The tree's arrays, shareable with worker threads when built with `shared: true`. */
  get layout(): KDTreeLayout {
    const { n, d, metric, leafSize, nodes, depth, points, index, start, end, left, right, lo, hi } = this;
    return { n, d, metric, leafSize, nodes, depth, points, index, start, end, left, right, lo, hi };
  }

  /** `adopt` is internal (see `fromLayout`): the arrays of an already built tree over the same rows. */
  constructor(
    data: Float64Array | Float32Array,
    n: number,
    d: number,
    options: KDTreeOptions = {},
    adopt: KDTreeLayout | null = null,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
    if (data.length !== n * d)
      throw new RangeError(`data has length ${data.length}, expected n × d = ${n * d}`);
    const leafSize = options.leafSize ?? 32;
    if (!Number.isInteger(leafSize) || leafSize < 1) {
      throw new RangeError(`leafSize must be a positive integer, got ${leafSize}`);
    }
    const w = options.weights ?? null;
    if (w !== null && w.length !== n) throw new RangeError(`weights has length ${w.length}, expected ${n}`);
    this.n = n;
    this.d = d;
    this.metric = options.metric ?? 'euclidean';
    this.leafSize = leafSize;
    this.dist2 = squaredDistanceKernel(d);

    if (adopt !== null) {
      ({
        start: this.start,
        end: this.end,
        left: this.left,
        right: this.right,
        lo: this.lo,
        hi: this.hi,
      } = adopt);
      ({ index: this.index, points: this.points, nodes: this.nodes, depth: this.depth } = adopt);
    } else {
      const shared = options.shared ?? false;
      const capacity = maxNodes(n, leafSize);
      this.start = int32(capacity, shared);
      this.end = int32(capacity, shared);
      this.left = int32(capacity, shared);
      this.right = int32(capacity, shared);
      this.lo = float64(capacity * d, shared);
      this.hi = float64(capacity * d, shared);

      const idx = int32(n, shared);
      for (let i = 0; i < n; i++) idx[i] = i;
      this.build(data, idx, 0, n, 0);
      this.index = idx;

      const points = float64(n * d, shared);
      for (let p = 0; p < n; p++) {
        const src = idx[p]! * d;
        for (let t = 0; t < d; t++) points[p * d + t] = data[src + t]!;
      }
      this.points = points;
    }
    const idx = this.index;
    let tw: Float64Array | null = null;
    if (w !== null) {
      tw = new Float64Array(n);
      for (let p = 0; p < n; p++) tw[p] = w[idx[p]!]!;
    }
    this.weights = tw;
    let nodeWeight: Float64Array | null = null;
    if (tw !== null) {
      nodeWeight = new Float64Array(this.nodes);
      // Children are built after their parent, so a reverse sweep sums each node from finished children.
      for (let node = this.nodes - 1; node >= 0; node--) {
        const l = this.left[node]!;
        if (l >= 0) nodeWeight[node] = nodeWeight[l]! + nodeWeight[this.right[node]!]!;
        else {
          let s = 0;
          for (let p = this.start[node]!; p < this.end[node]!; p++) s += tw[p]!;
          nodeWeight[node] = s;
        }
      }
    }
    this.nodeWeight = nodeWeight;
    // Depth-first with the far child pushed first: at most one pending sibling per level.
    this.stack = new Int32Array(this.depth + 2);
    this.stackDist = new Float64Array(this.depth + 2);
    this.found = new Int32Array(Math.min(n, 1024));
    this.foundDistances = new Float64Array(0);
    this.heapDist = new Float64Array(0);
    this.heapPos = new Int32Array(0);
  }

  /** Number of nodes (valid node ids are 0 .. nodeCount − 1). */
  get nodeCount(): number {
    return this.nodes;
  }

  /** The radius in the units `radius` compares against: r² for euclidean, r for manhattan. */
  reduce(r: number): number {
    return this.metric === 'euclidean' ? r * r : r;
  }

  /**
   * Finds every row within reduced radius `rr` (see `reduce`, inclusive) of the query `x[xo .. xo+d)`, writes
   * their original row ids to `found[0 .. count)` (in tree order) and returns the count.
   */
  radius(x: Float64Array, xo: number, rr: number): number {
    return this.search(x, xo, rr, true);
  }

  /**
   * Σ weight (or the count, when unweighted) of the rows within reduced radius `rr` of `x[xo .. xo+d)`. Nodes
   * wholly inside the ball are counted from their stored sums without visiting their points.
   */
  radiusWeight(x: Float64Array, xo: number, rr: number): number {
    return this.search(x, xo, rr, false);
  }

  /**
   * Finds the k nearest rows to the query `x[xo .. xo+d)` (a row at distance 0, e.g. the query row itself, counts),
   * writes their original row ids to `found[0 .. k)` and their reduced distances (see `reduce`) to
   * `foundDistances[0 .. k)`, nearest first, and returns k. Among rows tied at the k-th distance, which are kept is
   * unspecified. `k` is an integer in 1 .. n.
   */
  knn(x: Float64Array, xo: number, k: number): number {
    this.nearest(x, xo, k);
    if (this.found.length < k) this.found = new Int32Array(k);
    if (this.foundDistances.length < k) this.foundDistances = new Float64Array(k);
    const { heapDist, heapPos, index, found, foundDistances } = this;
    // Heap sort: the largest leaves the heap first and goes to the back.
    for (let size = k; size > 0; size--) {
      foundDistances[size - 1] = heapDist[0]!;
      found[size - 1] = index[heapPos[0]!]!;
      heapDist[0] = heapDist[size - 1]!;
      heapPos[0] = heapPos[size - 1]!;
      siftDown(heapDist, heapPos, size - 1);
    }
    return k;
  }

  /**
   * The reduced distance (see `reduce`) from `x[xo .. xo+d)` to its k-th nearest row, a row at distance 0 counted:
   * `knn`'s `foundDistances[k − 1]` without sorting or collecting ids. `k` is an integer in 1 .. n.
   */
  kthNearest(x: Float64Array, xo: number, k: number): number {
    this.nearest(x, xo, k);
    return this.heapDist[0]!;
  }

  /** Fills the heap with the k nearest (reduced distance, tree position) pairs; the k-th distance on top. */
  private nearest(x: Float64Array, xo: number, k: number): void {
    if (!Number.isInteger(k) || k < 1 || k > this.n) {
      throw new RangeError(`k must be an integer in 1 .. ${this.n} (rows in the tree), got ${k}`);
    }
    if (this.heapDist.length < k) {
      this.heapDist = new Float64Array(k);
      this.heapPos = new Int32Array(k);
    }
    const { d, points, lo, hi, stack, stackDist, start, end, left, right, heapDist, heapPos, dist2 } = this;
    const l1 = this.metric === 'manhattan';
    let size = 0;
    // The k-th best so far, +∞ until the heap is full: a node or point must be strictly nearer to matter.
    let worst = Infinity;
    let sp = 0;
    stack[sp] = 0;
    stackDist[sp++] = 0;
    while (sp > 0) {
      sp--;
      if (stackDist[sp]! >= worst) continue;
      const node = stack[sp]!;
      const lc = left[node]!;
      if (lc >= 0) {
        const rc = right[node]!;
        // Reduced distances from the query to both children's boxes, in one pass.
        let dl = 0;
        let dr = 0;
        const bl = lc * d;
        const br = rc * d;
        for (let t = 0; t < d; t++) {
          const v = x[xo + t]!;
          const gl = v < lo[bl + t]! ? lo[bl + t]! - v : v > hi[bl + t]! ? v - hi[bl + t]! : 0;
          const gr = v < lo[br + t]! ? lo[br + t]! - v : v > hi[br + t]! ? v - hi[br + t]! : 0;
          dl += l1 ? gl : gl * gl;
          dr += l1 ? gr : gr * gr;
        }
        // Nearer child on top of the stack, so it is searched first and tightens `worst` for the other.
        if (dl <= dr) {
          if (dr < worst) {
            stack[sp] = rc;
            stackDist[sp++] = dr;
          }
          if (dl < worst) {
            stack[sp] = lc;
            stackDist[sp++] = dl;
          }
        } else {
          if (dl < worst) {
            stack[sp] = lc;
            stackDist[sp++] = dl;
          }
          if (dr < worst) {
            stack[sp] = rc;
            stackDist[sp++] = dr;
          }
        }
        continue;
      }
      const s = start[node]!;
      let e = end[node]!;
      // A leaf over leafSize rows holds one point repeated (`build` stops only there): every copy is at the same
      // distance, and at most k of them can matter, so scan k instead of all (duplicate-heavy data stays fast).
      if (e - s > this.leafSize && e - s > k) e = s + k;
      for (let p = s; p < e; p++) {
        const po = p * d;
        let dist = 0;
        if (l1) for (let t = 0; t < d; t++) dist += Math.abs(x[xo + t]! - points[po + t]!);
        // Plain version: for (t < d) { const diff = x[xo + t] − points[po + t]; dist += diff * diff; }
        else dist = dist2(x, xo, points, po);
        if (size < k) {
          heapDist[size] = dist;
          heapPos[size] = p;
          siftUp(heapDist, heapPos, size++);
          if (size === k) worst = heapDist[0]!;
        } else if (dist < worst) {
          heapDist[0] = dist;
          heapPos[0] = p;
          siftDown(heapDist, heapPos, k);
          worst = heapDist[0]!;
        }
      }
    }
  }

  private search(x: Float64Array, xo: number, rr: number, collect: boolean): number {
    const { d, points, index, lo, hi, stack, start, end, left, right, nodeWeight } = this;
    const weights = this.weights;
    const l1 = this.metric === 'manhattan';
    let count = 0;
    let total = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      const bo = node * d;
      let near = 0;
      let far = 0;
      for (let t = 0; t < d; t++) {
        const v = x[xo + t]!;
        const a = lo[bo + t]!;
        const b = hi[bo + t]!;
        const dn = v < a ? a - v : v > b ? v - b : 0;
        const df = v - a > b - v ? v - a : b - v;
        if (l1) {
          near += dn;
          far += df;
        } else {
          near += dn * dn;
          far += df * df;
        }
      }
      if (near > rr) continue;
      const s = start[node]!;
      const e = end[node]!;
      if (far <= rr) {
        if (collect) {
          count = this.ensure(count, e - s);
          const found = this.found;
          for (let p = s; p < e; p++) found[count++] = index[p]!;
        } else total += nodeWeight === null ? e - s : nodeWeight[node]!;
        continue;
      }
      const lc = left[node]!;
      if (lc >= 0) {
        stack[sp++] = right[node]!;
        stack[sp++] = lc;
        continue;
      }
      for (let p = s; p < e; p++) {
        const po = p * d;
        let dist = 0;
        if (l1) for (let t = 0; t < d; t++) dist += Math.abs(x[xo + t]! - points[po + t]!);
        else {
          for (let t = 0; t < d; t++) {
            const diff = x[xo + t]! - points[po + t]!;
            dist += diff * diff;
          }
        }
        if (dist <= rr) {
          if (collect) {
            count = this.ensure(count, 1);
            this.found[count++] = index[p]!;
          } else total += weights === null ? 1 : weights[p]!;
        }
      }
    }
    return collect ? count : total;
  }

  /** Grows `found` (doubling) so `extra` more ids fit after `count`; returns `count`. */
  private ensure(count: number, extra: number): number {
    if (count + extra > this.found.length) {
      const grown = new Int32Array(Math.min(this.n, Math.max(2 * this.found.length, count + extra)));
      grown.set(this.found.subarray(0, count));
      this.found = grown;
    }
    return count;
  }

  private build(
    data: Float64Array | Float32Array,
    idx: Int32Array,
    s: number,
    e: number,
    level: number,
  ): number {
    const node = this.nodes++;
    const { d } = this;
    if (level > this.depth) this.depth = level;
    this.start[node] = s;
    this.end[node] = e;
    const bo = node * d;
    for (let t = 0; t < d; t++) {
      this.lo[bo + t] = Infinity;
      this.hi[bo + t] = -Infinity;
    }
    for (let p = s; p < e; p++) {
      const ro = idx[p]! * d;
      for (let t = 0; t < d; t++) {
        const v = data[ro + t]!;
        if (v < this.lo[bo + t]!) this.lo[bo + t] = v;
        if (v > this.hi[bo + t]!) this.hi[bo + t] = v;
      }
    }
    let dim = 0;
    let spread = -1;
    for (let t = 0; t < d; t++) {
      const w = this.hi[bo + t]! - this.lo[bo + t]!;
      if (w > spread) {
        spread = w;
        dim = t;
      }
    }
    // A leaf when small, or when all points coincide (nothing left to split on).
    if (e - s <= this.leafSize || spread === 0) {
      this.left[node] = -1;
      this.right[node] = -1;
      return node;
    }
    const mid = (s + e) >> 1;
    select(data, d, dim, idx, s, e - 1, mid);
    this.left[node] = this.build(data, idx, s, mid, level + 1);
    this.right[node] = this.build(data, idx, mid, e, level + 1);
    return node;
  }
}

function int32(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length);
}

function float64(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
}

// The heap operations take the new entry from its slot rather than as arguments: a double passed to a call that V8
// does not inline is boxed, and these run once per candidate point (100k × 5 HDBSCAN: over 200 MB of short-lived
// numbers when they were not inlined).

/**
 * Moves the entry at `size` up into the max-heap of `size` entries before it (Williams 1964), which grows by one.
 */
function siftUp(heapDist: Float64Array, heapPos: Int32Array, size: number): void {
  const dist = heapDist[size]!;
  const pos = heapPos[size]!;
  let c = size;
  while (c > 0) {
    const parent = (c - 1) >> 1;
    if (heapDist[parent]! >= dist) break;
    heapDist[c] = heapDist[parent]!;
    heapPos[c] = heapPos[parent]!;
    c = parent;
  }
  heapDist[c] = dist;
  heapPos[c] = pos;
}

/** Restores the order of the max-heap of `size` entries after its top (slot 0) was replaced. */
function siftDown(heapDist: Float64Array, heapPos: Int32Array, size: number): void {
  const dist = heapDist[0]!;
  const pos = heapPos[0]!;
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) break;
    const r = l + 1;
    const m = r < size && heapDist[r]! > heapDist[l]! ? r : l;
    if (heapDist[m]! <= dist) break;
    heapDist[c] = heapDist[m]!;
    heapPos[c] = heapPos[m]!;
    c = m;
  }
  heapDist[c] = dist;
  heapPos[c] = pos;
}

/** Upper bound on the nodes `build` creates for n points (median splits; a leaf at ≤ leafSize points). */
function maxNodes(n: number, leafSize: number): number {
  if (n <= leafSize) return 1;
  const half = n >> 1;
  // Both halves have the same size or differ by one; the recursion has O(log n) distinct sizes.
  return 1 + maxNodes(half, leafSize) + maxNodes(n - half, leafSize);
}

/**
 * Hoare-partition quickselect (Hoare 1961, "Algorithm 65: Find"): reorders idx[lo..hi] so idx[k] has the k-th
 * smallest coordinate `dim`, smaller-or-equal ones before it and larger-or-equal ones after.
 */
function select(
  data: Float64Array | Float32Array,
  d: number,
  dim: number,
  idx: Int32Array,
  lo: number,
  hi: number,
  k: number,
): void {
  while (hi > lo) {
    const pivot = data[idx[(lo + hi) >> 1]! * d + dim]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (data[idx[i]! * d + dim]! < pivot) i++;
      while (data[idx[j]! * d + dim]! > pivot) j--;
      if (i <= j) {
        const tmp = idx[i]!;
        idx[i] = idx[j]!;
        idx[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
