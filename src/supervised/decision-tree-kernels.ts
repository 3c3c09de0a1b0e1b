/**
 * The exact CART builder's per-feature work as `BlockPool` kernels (block = one feature): sorting a feature once,
 * and, per level, partitioning the feature's node segments by the chosen splits and scanning the new nodes'
 * segments for their best split on it. Kept apart from `decision-tree-core.ts` because workers import it by URL.
 *
 * Layout (SPRINT's attribute lists: Shafer, Agrawal & Mehta 1996, "SPRINT: A scalable parallel classifier for data
 * mining", §3): per feature j, `idx[j·n + p]` and `val[j·n + p]` hold the rows in ascending order of their value,
 * arranged so that each node's rows are one contiguous segment `[start, end)`, at the same positions in every
 * feature. A node's split search is then a sequential scan of its segment, and splitting it a stable partition
 * of the segment (children keep their rows sorted), so no node is ever sorted again.
 * @module
 */
import type { BlockKernel } from '../util/parallel.js';
import { presortColumn, type PresortScratch, presortScratch } from './decision-tree-presort.js';

/** Kernel numbers, in `createKernels`' order. */
export const PRESORT = 0;
export const LEVEL = 1;

/** With `TreeShared.packed`: `idx` entries are `row | class << CLASS_SHIFT`. */
export const CLASS_SHIFT = 24;
export const ROW_MASK = (1 << CLASS_SHIFT) - 1;

/** scikit-learn's `FEATURE_THRESHOLD`: sorted values closer than this are one value (no split between them). */
export const FEATURE_THRESHOLD = 1e-7;

/**
 * The state the kernels share (typed arrays over `SharedArrayBuffer`s when threads > 1). A `LEVEL` job runs a chunk
 * of `header[0]` tasks; task t is one node split at the previous level: when `taskPartition[t]`, stable-partition its
 * segment `[taskStart[t], taskEnd[t])` into the rows with a `goLeft` bit, then the others; then evaluate the nodes
 * `taskEvalFirst[t] .. taskEvalFirst[t + 1]` (its children that may split, or the root).
 */
export interface TreeShared {
  n: number;
  d: number;
  k: number;
  minSamplesLeaf: number;
  gini: boolean;
  /** False when every weight is 1: counts are then summed as 1s (the same sums, exactly). */
  weighted: boolean;
  /**
   * Row numbers; with `packed`, `row | class << 24`, so that the scan reads a row's class from the list itself
   * instead of looking it up at random in `y`.
   */
  idx: Int32Array;
  /** Whether `idx` carries the classes (n ≤ 2^24 rows and k ≤ 128 classes). */
  packed: boolean;
  /**
   * Before `PRESORT`, the columns of X (feature-major); after, the values in `idx`'s order. Float32 when every value
   * of X is a float32 (exactly: the same numbers, half the bytes to stream).
   */
  val: Float64Array | Float32Array;
  y: Uint8Array | Uint16Array | Int32Array;
  weight: Float64Array;
  /**
   * Bit r of `goLeft[r >>> 5]`: row r goes to the left child of its node's split. A bitset (n / 8 bytes) stays in
   * L2 where the random look-ups of a byte per row miss: partitioning 1M shuffled rows ≈ 2.5× faster
   * (microbenchmark).
   */
  goLeft: Int32Array;
  /** [tasks in the current job]. */
  header: Int32Array;
  taskStart: Int32Array;
  taskEnd: Int32Array;
  taskPartition: Uint8Array;
  /** One more entry than the other task arrays. */
  taskEvalFirst: Int32Array;
  evalStart: Int32Array;
  evalEnd: Int32Array;
  /** Per evaluated node: its weighted class counts (k each) and weight. */
  evalCounts: Float64Array;
  evalWeight: Float64Array;
  /**
   * Per (evaluated node e, feature j) at `e · d + j`: the best proxy improvement (−∞: no valid split), its
   * threshold, how many rows it sends left (the first of the node's segment in the feature's order), and whether
   * the feature is constant in the node.
   */
  bestProxy: Float64Array;
  bestThreshold: Float64Array;
  bestLeft: Int32Array;
  constant: Uint8Array;
}

/** scikit-learn's threshold between sorted values a < b: the midpoint, or a when it rounds up to b (or overflows). */
function midpoint(a: number, b: number): number {
  const t = a / 2 + b / 2;
  return t === b || t === Infinity || t === -Infinity ? a : t;
}

export function createKernels(s: TreeShared): readonly BlockKernel[] {
  const { n, d, k, minSamplesLeaf, gini, weighted, idx, val, y, weight, goLeft, packed } = s;
  /** `idx[p] & rowMask` is the row (the mask keeps all bits when `idx` is not packed). */
  const rowMask = packed ? ROW_MASK : -1;
  // This thread's scratch, allocated on first use.
  let sortScratch: PresortScratch | null = null;
  let spillIdx: Int32Array | null = null;
  let spillVal: Float64Array | Float32Array | null = null;
  const leftCounts = new Float64Array(k);
  const rightCounts = new Float64Array(k);
  // Whole-number counts whose squares sum exactly in float64 (n² < 2^53): see `evaluateUnitGini`.
  const unitGini = gini && !weighted && packed && n <= 94_906_265;

  /** Node e's best split on feature j, and whether j is constant in it (its values span `[first, last]`). */
  function store(
    e: number,
    j: number,
    best: number,
    bestT: number,
    bestLeft: number,
    first: number,
    last: number,
  ): void {
    const o = e * d + j;
    s.bestProxy[o] = best;
    s.bestThreshold[o] = bestT;
    s.bestLeft[o] = bestLeft;
    s.constant[o] = last <= first + FEATURE_THRESHOLD ? 1 : 0;
  }

  /** Stable partition of feature j's segment [s0, s1): goLeft rows first, in order, then the others. */
  function partition(base: number, s0: number, s1: number): void {
    spillIdx ??= new Int32Array(n);
    spillVal ??= val instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
    const si = spillIdx;
    const sv = spillVal;
    let l = base + s0;
    let r = 0;
    // Branch-free: each row is written to both sides and only the side it belongs to advances (writing at l ≤ p
    // touches only positions already read); `if (goLeft…) … else …` is a coin-toss branch.
    for (let p = base + s0; p < base + s1; p++) {
      const entry = idx[p]!;
      const row = entry & rowMask;
      const v = val[p]!;
      const g = (goLeft[row >>> 5]! >>> (row & 31)) & 1;
      idx[l] = entry;
      val[l] = v;
      si[r] = entry;
      sv[r] = v;
      l += g;
      r += 1 - g;
    }
    idx.set(si.subarray(0, r), l);
    val.set(sv.subarray(0, r), l);
  }

  /**
   * Best split of node e on feature j: scikit-learn's BestSplitter scan (`_splitter.pyx`, `node_split_best`) over
   * the node's sorted segment, keeping the first strictly best proxy `−w_R·i_R − w_L·i_L` (`_criterion.pyx`
   * `proxy_impurity_improvement`, computed in full at every boundary so the floating-point result is the same
   * whatever the visiting order of the nodes).
   */
  function evaluate(j: number, e: number): void {
    if (unitGini) {
      evaluateUnitGini(j, e);
      return;
    }
    const base = j * n;
    const s0 = base + s.evalStart[e]!;
    const s1 = base + s.evalEnd[e]!;
    const total = s1 - s0;
    const totW = s.evalWeight[e]!;
    const co = e * k;
    const counts = s.evalCounts;
    leftCounts.fill(0);
    let leftW = 0;
    let best = -Infinity;
    let bestT = 0;
    let bestLeft = 0;
    const first = val[s0]!;
    let last = first;
    for (let p = s0; p < s1; p++) {
      const v = val[p]!;
      const nl = p - s0;
      if (v > last + FEATURE_THRESHOLD && nl >= minSamplesLeaf && total - nl >= minSamplesLeaf) {
        // A boundary between last and v: rows so far go left.
        const wl = leftW;
        const wr = totW - wl;
        let il: number;
        let ir: number;
        if (gini) {
          let sql = 0;
          let sqr = 0;
          for (let c = 0; c < k; c++) {
            const lc = leftCounts[c]!;
            const rc = counts[co + c]! - lc;
            sql += lc * lc;
            sqr += rc * rc;
          }
          il = 1 - sql / (wl * wl);
          ir = 1 - sqr / (wr * wr);
        } else {
          il = 0;
          ir = 0;
          for (let c = 0; c < k; c++) {
            const lc = leftCounts[c]!;
            const rc = counts[co + c]! - lc;
            if (lc > 0) {
              const q = lc / wl;
              il -= q * (Math.log(q) / Math.LN2);
            }
            if (rc > 0) {
              const q = rc / wr;
              ir -= q * (Math.log(q) / Math.LN2);
            }
          }
        }
        const proxy = -wr * ir - wl * il;
        if (proxy > best) {
          best = proxy;
          bestT = midpoint(last, v);
          bestLeft = nl;
        }
      }
      const row = idx[p]! & rowMask;
      const w = weighted ? weight[row]! : 1;
      leftCounts[y[row]!]! += w;
      leftW += w;
      last = v;
    }
    store(e, j, best, bestT, bestLeft, first, last);
  }

  /**
   * `evaluate` for gini without weights, with the same result to the bit: class counts are then whole numbers, so
   * Σ count² is exact below 2^53 in any order, and is kept up to date per row ((c + 1)² − c² = 2c + 1) instead of
   * summed over the k classes at every boundary; the class is read from the packed list. The rest of the arithmetic,
   * and the scan, are `evaluate`'s, term for term (kept apart so that the hot loop has no branch on the criterion).
   */
  function evaluateUnitGini(j: number, e: number): void {
    const base = j * n;
    const s0 = base + s.evalStart[e]!;
    const s1 = base + s.evalEnd[e]!;
    const total = s1 - s0;
    const totW = s.evalWeight[e]!;
    const co = e * k;
    let sql = 0;
    let sqr = 0;
    for (let c = 0; c < k; c++) {
      const t = s.evalCounts[co + c]!;
      rightCounts[c] = t;
      sqr += t * t;
      leftCounts[c] = 0;
    }
    let best = -Infinity;
    let bestT = 0;
    let bestLeft = 0;
    const first = val[s0]!;
    let last = first;
    for (let p = s0; p < s1; p++) {
      const v = val[p]!;
      const nl = p - s0;
      if (v > last + FEATURE_THRESHOLD && nl >= minSamplesLeaf && total - nl >= minSamplesLeaf) {
        const wl = nl;
        const wr = totW - wl;
        const il = 1 - sql / (wl * wl);
        const ir = 1 - sqr / (wr * wr);
        const proxy = -wr * ir - wl * il;
        if (proxy > best) {
          best = proxy;
          bestT = midpoint(last, v);
          bestLeft = nl;
        }
      }
      const c = idx[p]! >>> CLASS_SHIFT;
      const l = leftCounts[c]!;
      const r = rightCounts[c]!;
      sql += 2 * l + 1;
      sqr -= 2 * r - 1;
      leftCounts[c] = l + 1;
      rightCounts[c] = r - 1;
      last = v;
    }
    store(e, j, best, bestT, bestLeft, first, last);
  }

  return [
    (j) => {
      sortScratch ??= presortScratch(n);
      presortColumn(val, idx, j * n, n, sortScratch);
      if (packed) for (let p = j * n; p < (j + 1) * n; p++) idx[p]! |= y[idx[p]!]! << CLASS_SHIFT;
    },
    (j) => {
      const base = j * n;
      const tasks = s.header[0]!;
      for (let t = 0; t < tasks; t++) {
        if (s.taskPartition[t] === 1) partition(base, s.taskStart[t]!, s.taskEnd[t]!);
        for (let e = s.taskEvalFirst[t]!; e < s.taskEvalFirst[t + 1]!; e++) evaluate(j, e);
      }
    },
  ];
}
