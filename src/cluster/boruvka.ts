/**
 * Exact minimum spanning tree of the mutual reachability graph (or, with zero core distances, the euclidean
 * minimum spanning tree) by dual-tree Borůvka on a KD-tree, for HDBSCAN's hierarchy.
 * @module
 */

import type { SpanningTree } from './hdbscan-tree.js';
import type { KDTree } from './kd-tree.js';
import { type SquaredDistance, squaredDistanceKernel } from './squared-distance.js';

/**
 * Minimum spanning tree of the complete graph on the tree's rows under the mutual reachability distance
 * max(core(a), core(b), ‖a − b‖) (Campello, Moulavi & Sander 2013, §3), by Borůvka's algorithm with each round's
 * nearest-other-component search done as one dual-tree traversal (March, Ram & Gray 2010, "Fast Euclidean minimum
 * spanning tree: algorithm, analysis, and applications", KDD, §3–4; McInnes & Healy 2017, "Accelerated
 * hierarchical density based clustering", ICDMW, §3.2, for the mutual reachability form).
 *
 * `coreSq` holds each row's squared core distance **in tree order** (`coreSq[p]` for row `tree.index[p]`); zeros
 * give the euclidean MST. Everything is compared on squared distances, and an edge's weight is the square root of
 * the largest of its three squared terms, which equals the maximum of the three distances exactly (the square root
 * is correctly rounded and monotone), so the weights are bit for bit those of a brute-force Prim on distances.
 *
 * A round: every component gets its lightest outgoing edge, then all of them are added with a union–find that
 * skips an edge whose ends were already joined this round (with tied weights two components may pick different
 * edges between them; a dropped edge closes a cycle of equal weights, so the forest is still part of an MST).
 * Each round at least halves the component count, so there are at most ⌈log₂ n⌉ rounds. The traversal of a
 * query node Q against a reference node R is pruned, exactly, when
 * - all rows of Q and R lie in one component (a per-node component label, rebuilt after each round), or
 * - the lower bound max(box gap², min core² in Q, min core² in R) of every pair's mutual reachability is no smaller
 *   than Q's bound: the largest current best edge of the components of Q's rows that could still improve. A row
 *   whose core² already reaches its component's best cannot improve it (every edge from it weighs at least its
 *   core distance) and is skipped; a pair found is offered to both endpoints' components.
 *
 * Ties: any minimum spanning tree may come out, so with tied weights the edges can differ from Prim's; their sorted
 * weights (and so the total) are the same for every MST. Cost: about one all-nearest-neighbour search per round;
 * memory O(n): the MST, one n-length component array, per-node labels and bounds, and per-component best edges
 * sized by the components left after round 0.
 *
 * `into` lends arrays the caller would otherwise allocate next to these: `comp` (n int32s, the per-row component
 * array, garbage afterwards) and `weight` (≥ n − 1 float64s, holding the MST's weights afterwards), so HDBSCAN can
 * pass its result arrays and not pay for both.
 *
 * @example
 * const x = new Float64Array([0, 0, 1, 0, 5, 0]);
 * const tree = new KDTree(x, 3, 2, { leafSize: 1 });
 * const mst = boruvkaMutualReachability(tree, new Float64Array(3));
 * // two edges: weights 1 and 4 (rows 0–1 and 1–2)
 */
export function boruvkaMutualReachability(
  tree: KDTree,
  coreSq: Float64Array,
  into: BoruvkaBuffers = {},
): SpanningTree {
  if (tree.metric !== 'euclidean') {
    throw new RangeError(`boruvkaMutualReachability needs a euclidean tree, got '${tree.metric}'`);
  }
  if (coreSq.length !== tree.n) {
    throw new RangeError(`coreSq has length ${coreSq.length}, expected ${tree.n} (rows in the tree)`);
  }
  if (into.comp !== undefined && into.comp.length < tree.n) {
    throw new RangeError(`comp has length ${into.comp.length}, needs ${tree.n}`);
  }
  if (into.weight !== undefined && into.weight.length < tree.n - 1) {
    throw new RangeError(`weight has length ${into.weight.length}, needs ${tree.n - 1}`);
  }
  return new DualTreeBoruvka(tree, coreSq, into).run();
}

/** Arrays `boruvkaMutualReachability` may use instead of allocating its own (see there). */
export interface BoruvkaBuffers {
  comp?: Int32Array;
  weight?: Float64Array;
}

/** The state of one Borůvka run; arrays are indexed by tree position, node id or component id. */
class DualTreeBoruvka {
  private readonly n: number;
  private readonly d: number;
  private readonly points: Float64Array;
  private readonly index: Int32Array;
  private readonly core: Float64Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly leafSize: number;
  /** ‖a − b‖² unrolled for this d (plain version: a loop over t summing (a_t − b_t)²). */
  private readonly dist2: SquaredDistance;
  /**
   * Per row: in round 0 a union–find parent over rows; from round 1 on, the row's component id in 0 .. components − 1
   * (dense, so everything per component is sized by the component count, not n).
   */
  private readonly comp: Int32Array;
  private components = 0;
  /** Per component: the lightest outgoing edge found this round (squared weight, inside end, outside end). */
  private best = new Float64Array(0);
  private bestFrom = new Int32Array(0);
  private bestTo = new Int32Array(0);
  /** Per component: union–find parent while merging, then the new id. */
  private parent = new Int32Array(0);
  /** Per node: its rows' common component, or -1 when they span several. */
  private readonly nodeComp: Int32Array;
  /** Per node: smallest core² of its rows (a lower bound on any mutual reachability from it). */
  private readonly nodeCore: Float64Array;
  /** Per node: an upper bound on the best² of the components its not-yet-settled rows belong to. */
  private readonly bound: Float64Array;
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly weight: Float64Array;
  private edges = 0;

  constructor(tree: KDTree, coreSq: Float64Array, into: BoruvkaBuffers) {
    const n = tree.n;
    const nodes = tree.nodeCount;
    this.n = n;
    this.d = tree.d;
    this.points = tree.points;
    this.index = tree.index;
    this.core = coreSq;
    this.start = tree.start;
    this.end = tree.end;
    this.left = tree.left;
    this.right = tree.right;
    this.lo = tree.lo;
    this.hi = tree.hi;
    this.leafSize = tree.leafSize;
    this.dist2 = squaredDistanceKernel(this.d);
    this.comp = into.comp?.subarray(0, n) ?? new Int32Array(n);
    this.nodeComp = new Int32Array(nodes);
    this.nodeCore = new Float64Array(nodes);
    this.bound = new Float64Array(nodes);
    this.from = new Int32Array(n - 1);
    this.to = new Int32Array(n - 1);
    this.weight = into.weight?.subarray(0, n - 1) ?? new Float64Array(n - 1);
    // Children are numbered after their parents, so a reverse sweep sees finished children.
    for (let node = nodes - 1; node >= 0; node--) {
      const l = this.left[node]!;
      if (l >= 0) {
        this.nodeCore[node] = Math.min(this.nodeCore[l]!, this.nodeCore[this.right[node]!]!);
        continue;
      }
      let m = Infinity;
      for (let p = this.start[node]!; p < this.end[node]!; p++) if (coreSq[p]! < m) m = coreSq[p]!;
      this.nodeCore[node] = m;
    }
  }

  run(): SpanningTree {
    const n = this.n;
    this.seed();
    if (this.edges < n - 1) this.denseComponents();
    while (this.edges < n - 1) {
      this.best.fill(Infinity, 0, this.components);
      this.bound.fill(Infinity);
      this.labelNodes();
      this.traverse(0, 0);
      const before = this.edges;
      this.merge();
      // Every component has an outgoing edge, so a round always joins some; guard against looping forever.
      if (this.edges === before) throw new Error('boruvkaMutualReachability: a round joined no components');
    }
    return { from: this.from, to: this.to, weight: this.weight };
  }

  /**
   * Round 0 without a traversal (the shortcut of the package's `_compute_bounds`, McInnes & Healy 2017 §3.2): no
   * edge from row p weighs less than core(p), and one weighs exactly that when some other row q with
   * core(q) ≤ core(p) lies within core(p) of p, as one of p's k nearest neighbours almost always does. That edge
   * is the lightest out of p's singleton component and is added at once (union–find over rows, skipping edges
   * whose ends are already joined); the rows without one (strict local minima of the core distance) wait for
   * round 1. Rows are searched in their own leaf first, then from the root, nearer child first, never entering a
   * node farther than core(p) or whose smallest core exceeds core(p).
   */
  private seed(): void {
    const { n, d, core, comp, left, right, start, end, nodeCore } = this;
    for (let p = 0; p < n; p++) comp[p] = p;
    // Median splits halve every node, so the depth stays below 32 and the stack (two entries per level) below 64.
    const stack = new Int32Array(64);
    for (let leaf = 0; leaf < this.nodeComp.length; leaf++) {
      if (left[leaf]! >= 0) continue;
      const ls = start[leaf]!;
      const le = end[leaf]!;
      for (let p = ls; p < le; p++) {
        const cp = core[p]!;
        const po = p * d;
        let found = this.scanFor(p, po, cp, ls, le);
        let sp = 0;
        if (found < 0) stack[sp++] = 0;
        while (sp > 0 && found < 0) {
          const node = stack[--sp]!;
          if (nodeCore[node]! > cp || this.pointBoxDistance(po, node) > cp) continue;
          const l = left[node]!;
          if (l < 0) {
            if (node !== leaf) found = this.scanFor(p, po, cp, start[node]!, end[node]!);
            continue;
          }
          const r = right[node]!;
          // Nearer child on top.
          if (this.pointBoxDistance(po, l) <= this.pointBoxDistance(po, r)) {
            stack[sp++] = r;
            stack[sp++] = l;
          } else {
            stack[sp++] = l;
            stack[sp++] = r;
          }
        }
        if (found < 0) continue;
        const a = this.findRow(p);
        const b = this.findRow(found);
        if (a === b) continue;
        if (a < b) comp[b] = a;
        else comp[a] = b;
        this.addEdge(p, found, cp);
      }
    }
  }

  /** A row q ≠ p in positions [s, e) with core(q) ≤ core(p) = cp within squared distance cp of p, or -1. */
  private scanFor(p: number, po: number, cp: number, s: number, e: number): number {
    const { d, points, core, dist2 } = this;
    for (let q = s; q < e; q++) {
      if (q === p || core[q]! > cp) continue;
      if (dist2(points, po, points, q * d) <= cp) return q;
    }
    return -1;
  }

  /** Squared distance from the row at points[po ..] to node's box. */
  private pointBoxDistance(po: number, node: number): number {
    const { d, points, lo, hi } = this;
    const bo = node * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = points[po + t]!;
      const a = lo[bo + t]!;
      const b = hi[bo + t]!;
      const g = v < a ? a - v : v > b ? v - b : 0;
      s += g * g;
    }
    return s;
  }

  /** Root of row p in round 0's union–find, halving the path on the way. */
  private findRow(p: number): number {
    const comp = this.comp;
    while (comp[p] !== p) {
      const g = comp[comp[p]!]!;
      comp[p] = g;
      p = g;
    }
    return p;
  }

  /** Records the edge between tree positions a and b of squared weight w. */
  private addEdge(a: number, b: number, w: number): void {
    const e = this.edges++;
    this.from[e] = this.index[a]!;
    this.to[e] = this.index[b]!;
    this.weight[e] = Math.sqrt(w);
  }

  /** After round 0: replaces each row's union–find parent by a dense component id and sizes the per-component arrays. */
  private denseComponents(): void {
    const { n, comp } = this;
    for (let p = 0; p < n; p++) comp[p] = this.findRow(p);
    // Roots take codes −1, −2, … in row order; then every row (pointing straight at its root) reads its root's code.
    let count = 0;
    for (let p = 0; p < n; p++) if (comp[p] === p) comp[p] = -1 - count++;
    for (let p = 0; p < n; p++) if (comp[p]! >= 0) comp[p] = -1 - comp[comp[p]!]!;
    for (let p = 0; p < n; p++) if (comp[p]! < 0) comp[p] = -1 - comp[p]!;
    this.components = count;
    this.best = new Float64Array(count);
    this.bestFrom = new Int32Array(count);
    this.bestTo = new Int32Array(count);
    this.parent = new Int32Array(count);
  }

  /** Lower bound on the squared mutual reachability of any pair with one row in node a and one in node b. */
  private lowerBound(a: number, b: number): number {
    const { d, lo, hi } = this;
    const ao = a * d;
    const bo = b * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      // The gap between the two intervals on axis t (0 when they overlap).
      const g1 = lo[bo + t]! - hi[ao + t]!;
      const g2 = lo[ao + t]! - hi[bo + t]!;
      const g = g1 > g2 ? g1 : g2;
      if (g > 0) s += g * g;
    }
    const ca = this.nodeCore[a]!;
    const cb = this.nodeCore[b]!;
    const c = ca > cb ? ca : cb;
    return s > c ? s : c;
  }

  /**
   * Searches query node q against reference node r for lighter outgoing edges, depth first, splitting the node
   * with more rows and visiting the nearer child pair first. Only node ids are passed: V8 would box a double
   * argument on every call (megabytes per round), so each call recomputes its own lower bound.
   */
  private traverse(q: number, r: number): void {
    const { nodeComp, bound, left, right, start, end } = this;
    if (this.lowerBound(q, r) >= bound[q]!) return;
    const cq = nodeComp[q]!;
    if (cq >= 0 && cq === nodeComp[r]) return;
    const ql = left[q]!;
    const rl = left[r]!;
    if (ql < 0 && rl < 0) {
      this.leaves(q, r);
      return;
    }
    if (ql >= 0 && (rl < 0 || end[q]! - start[q]! >= end[r]! - start[r]!)) {
      const qr = right[q]!;
      if (this.lowerBound(ql, r) <= this.lowerBound(qr, r)) {
        this.traverse(ql, r);
        this.traverse(qr, r);
      } else {
        this.traverse(qr, r);
        this.traverse(ql, r);
      }
      const bl = bound[ql]!;
      const br = bound[qr]!;
      const nb = bl > br ? bl : br;
      if (nb < bound[q]!) bound[q] = nb;
    } else {
      const rr = right[r]!;
      if (this.lowerBound(q, rl) <= this.lowerBound(q, rr)) {
        this.traverse(q, rl);
        this.traverse(q, rr);
      } else {
        this.traverse(q, rr);
        this.traverse(q, rl);
      }
    }
  }

  /** Base case: every row of leaf q against every row of leaf r, then q's new bound. */
  private leaves(q: number, r: number): void {
    const { d, points, core, comp, best, bestFrom, bestTo, dist2 } = this;
    const rs = this.start[r]!;
    const re = this.representedEnd(r);
    const qe = this.representedEnd(q);
    let nb = -Infinity;
    for (let p = this.start[q]!; p < qe; p++) {
      const cp = comp[p]!;
      const coreP = core[p]!;
      let bp = best[cp]!;
      // A row whose box distance to r already reaches its component's best cannot improve it there (a sharper
      // test than the node pair's, as query boxes of sparse regions are wide).
      if (coreP < bp && this.pointBoxDistance(p * d, r) < bp) {
        const po = p * d;
        for (let o = rs; o < re; o++) {
          const co = comp[o]!;
          if (co === cp) continue;
          const coreO = core[o]!;
          // Neither side can improve unless the pair is below the larger core.
          if (coreO >= bp && coreO >= best[co]!) continue;
          const s = dist2(points, po, points, o * d);
          let m = s > coreP ? s : coreP;
          if (coreO > m) m = coreO;
          if (m < bp) {
            bp = m;
            best[cp] = m;
            bestFrom[cp] = p;
            bestTo[cp] = o;
          }
          if (m < best[co]!) {
            best[co] = m;
            bestFrom[co] = o;
            bestTo[co] = p;
          }
          if (coreP >= bp) break;
        }
      }
      if (coreP < bp && bp > nb) nb = bp;
    }
    if (nb < this.bound[q]!) this.bound[q] = nb;
  }

  /**
   * End of the rows of leaf `node` that need visiting: all of them, except in a leaf of one repeated point whose
   * rows are one component (always so after round 0: each copy's seed edge goes to another copy), where the first
   * row stands for every copy — same coordinates, core distance and component, so the same pairs and weights.
   */
  private representedEnd(node: number): number {
    const s = this.start[node]!;
    const e = this.end[node]!;
    return e - s > this.leafSize && this.nodeComp[node]! >= 0 ? s + 1 : e;
  }

  /** Adds every component's lightest edge (skipping those already joined) and renumbers the components. */
  private merge(): void {
    const { n, comp, best, bestFrom, bestTo, parent } = this;
    const count = this.components;
    for (let c = 0; c < count; c++) parent[c] = c;
    for (let c = 0; c < count; c++) {
      const w = best[c]!;
      if (w === Infinity) continue;
      const a = this.findComponent(c);
      const b = this.findComponent(comp[bestTo[c]!]!);
      if (a === b) continue;
      if (a < b) parent[b] = a;
      else parent[a] = b;
      this.addEdge(bestFrom[c]!, bestTo[c]!, w);
    }
    // New ids in order of the surviving roots: roots first (their slot is free to reuse), then the others.
    let next = 0;
    for (let c = 0; c < count; c++) if (parent[c] === c) parent[c] = -1 - next++;
    for (let c = 0; c < count; c++) if (parent[c]! >= 0) parent[c] = parent[this.findRoot(c)]!;
    for (let c = 0; c < count; c++) parent[c] = -1 - parent[c]!;
    for (let p = 0; p < n; p++) comp[p] = parent[comp[p]!]!;
    this.components = next;
  }

  /** Root of component c in this round's union–find (non-negative parents), halving the path. */
  private findComponent(c: number): number {
    const parent = this.parent;
    while (parent[c] !== c) {
      const g = parent[parent[c]!]!;
      parent[c] = g;
      c = g;
    }
    return c;
  }

  /** While renumbering (roots already hold negative codes): the root above component c. */
  private findRoot(c: number): number {
    const parent = this.parent;
    while (parent[c]! >= 0) c = parent[c]!;
    return c;
  }

  /** Recomputes each node's common component (-1 when mixed) from the row labels. */
  private labelNodes(): void {
    const { comp, nodeComp, left, right, start, end } = this;
    for (let node = nodeComp.length - 1; node >= 0; node--) {
      const l = left[node]!;
      if (l >= 0) {
        const c = nodeComp[l]!;
        nodeComp[node] = c >= 0 && c === nodeComp[right[node]!] ? c : -1;
        continue;
      }
      const s = start[node]!;
      const c = comp[s]!;
      let same = true;
      for (let p = s + 1; p < end[node]!; p++) {
        if (comp[p] !== c) {
          same = false;
          break;
        }
      }
      nodeComp[node] = same ? c : -1;
    }
  }
}
