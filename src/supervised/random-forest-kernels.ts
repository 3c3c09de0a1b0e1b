/**
 * The random forest's tree builder as a `BlockPool` kernel: block b grows one histogram-based CART tree from the
 * shared binned features into its own output slot. Kept apart from `random-forest.ts` because workers import it by
 * URL.
 * @module
 */
import { Random } from '../util/random.js';
import type { BlockKernel } from '../util/parallel.js';
import type { TreeStructure } from './types.js';

/** Kernel numbers, in `createKernels`' order. */
export const BUILD_TREE = 0;

/** Parameters of one forest fit, as numbers (copied to each worker once). */
export interface ForestParams {
  n: number;
  d: number;
  nClasses: number;
  /** Infinity when unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Non-constant features tried per node. */
  maxFeatures: number;
  entropy: boolean;
  bootstrap: boolean;
  oob: boolean;
  /** Nodes a slot holds: 2·(most leaves) − 1, leaves bounded by n / minSamplesLeaf and 2^maxDepth. */
  capacity: number;
}

/** Where one tree is written (typed arrays over `SharedArrayBuffer`s when threads > 1). */
export interface TreeSlot extends Omit<TreeStructure, 'nodeCount' | 'nClasses' | 'maxDepth'> {
  /** [nodeCount, maxDepth]. */
  header: Int32Array;
  /** The tree's normalised mean decrease in impurity per feature. */
  importances: Float64Array;
  /** With `oob`: the leaf each out-of-bag training row reaches, −1 for rows in the bag. */
  oobLeaf: Int32Array;
}

/** The state every thread's kernels read. */
export interface ForestShared {
  params: ForestParams;
  /** Bin of row i, feature j at `bins[i * d + j]` (row-major: one pass fills a node's histograms of all drawn features). */
  bins: Uint8Array;
  /** Bins per feature (1..256). */
  binCount: Int32Array;
  /** `thresholds[j * 256 + b]`: the real threshold of "bin ≤ b" for feature j (b < binCount[j] − 1). */
  thresholds: Float64Array;
  /** Class index per training row. */
  y: Int32Array;
  /** One seed per tree, drawn from the forest's seed, so a tree does not depend on which thread grows it. */
  treeSeeds: Int32Array;
  /** [index of the tree block 0 grows in the current job]. */
  batch: Int32Array;
  slots: TreeSlot[];
}

/** scikit-learn's `EPSILON` (`np.finfo('double').eps`): a node this pure is a leaf. */
const EPSILON = 2.220446049250313e-16;

/**
 * Nodes with at most this many rows sort them per feature instead of building a histogram. Measured on 200k × 20,
 * 4 classes: the histogram path everywhere was ≈ 15 % slower, a native `TypedArray.sort` per node ≈ 30 %.
 */
const SMALL_NODE = 32;

/** Gini or entropy (base 2, as scikit-learn's `Entropy`) of the class counts `c[o .. o + k)` weighing `w`. */
export function nodeImpurity(
  c: ArrayLike<number>,
  o: number,
  k: number,
  w: number,
  entropy: boolean,
): number {
  if (w <= 0) return 0;
  let s = 0;
  if (entropy) {
    for (let q = 0; q < k; q++) {
      const p = c[o + q]! / w;
      if (p > 0) s -= p * Math.log2(p);
    }
    return s;
  }
  for (let q = 0; q < k; q++) {
    const p = c[o + q]! / w;
    s += p * p;
  }
  return 1 - s;
}

/**
 * scikit-learn's proxy for a split's impurity improvement (`proxy_impurity_improvement`): the part of
 * `−(wL·impL + wR·impR)` that varies between splits of one node. Gini: Σ L_c²/wL + Σ R_c²/wR. Entropy:
 * Σ L_c·ln(L_c/wL) + Σ R_c·ln(R_c/wR). `parent` holds the node's counts; right = parent − left.
 */
function proxy(
  left: Float64Array,
  parent: Float64Array,
  k: number,
  wL: number,
  wR: number,
  entropy: boolean,
): number {
  let a = 0;
  let b = 0;
  if (entropy) {
    for (let q = 0; q < k; q++) {
      const l = left[q]!;
      const r = parent[q]! - l;
      if (l > 0) a += l * Math.log(l / wL);
      if (r > 0) b += r * Math.log(r / wR);
    }
    return a + b;
  }
  for (let q = 0; q < k; q++) {
    const l = left[q]!;
    const r = parent[q]! - l;
    a += l * l;
    b += r * r;
  }
  return a / wL + b / wR;
}

/**
 * The kernels over the shared state; `BUILD_TREE` grows tree `batch[0] + b` into `slots[b]`. Scratch arrays are
 * allocated here, once per thread and forest, and reused by every tree that thread grows.
 */
export function createKernels(s: ForestShared): readonly BlockKernel[] {
  const p = s.params;
  const { n, d, nClasses: k } = p;
  const S = k + 1; // histogram stride: [rows, class weights…] per bin
  const weight = new Int32Array(n); // bootstrap counts
  const samples = new Int32Array(n); // in-bag rows, partitioned node by node
  const spill = new Int32Array(n); // right-hand rows during a stable partition
  const keys = new Uint32Array(SMALL_NODE); // (bin << 23 | position) for the sorted path of small nodes
  // One histogram per feature of a round: [rows, class weights…] per bin (bootstrap weights are whole counts).
  const hist = new Int32Array(p.maxFeatures * 256 * S);
  const histFeature = new Int32Array(p.maxFeatures);
  const histLo = new Int32Array(p.maxFeatures);
  const histHi = new Int32Array(p.maxFeatures);
  const features = new Int32Array(d);
  const drawn = new Int32Array(p.maxFeatures);
  const histogramOf = new Int32Array(p.maxFeatures);
  const { bins, binCount, thresholds, y } = s;
  const splitBin = new Uint8Array(p.capacity);
  const leftCounts = new Float64Array(k);
  const bestLeft = new Float64Array(k);
  const rightCounts = new Float64Array(k);
  const rawImportance = new Float64Array(d);
  // Depth-first stack of pending nodes: start, end, depth, parent, is-left, and class counts (k per entry).
  let stackCap = 256;
  let stackInt = new Int32Array(stackCap * 5);
  let stackCounts = new Float64Array(stackCap * k);

  const push = (
    sp: number,
    start: number,
    end: number,
    depth: number,
    parent: number,
    isLeft: number,
    counts: Float64Array,
  ): void => {
    if (sp >= stackCap) {
      stackCap *= 2;
      const i2 = new Int32Array(stackCap * 5);
      i2.set(stackInt);
      stackInt = i2;
      const c2 = new Float64Array(stackCap * k);
      c2.set(stackCounts);
      stackCounts = c2;
    }
    const o = sp * 5;
    stackInt[o] = start;
    stackInt[o + 1] = end;
    stackInt[o + 2] = depth;
    stackInt[o + 3] = parent;
    stackInt[o + 4] = isLeft;
    stackCounts.set(counts, sp * k);
  };

  // The current node's best split so far: scikit-learn keeps the first of equally good ones (strict >).
  let bestProxy = -Infinity;
  let bestFeature = -1;
  let bestBin = 0;
  /**
   * Offers the split "bin ≤ `bin` of feature j", with nL rows weighing wL on the left (`leftCounts` per class) of
   * the node's `rows` rows weighing w; returns false once the right side has too few rows for any later bin.
   */
  const offer = (
    j: number,
    bin: number,
    nL: number,
    wL: number,
    rows: number,
    w: number,
    counts: Float64Array,
  ): boolean => {
    if (nL < p.minSamplesLeaf) return true;
    if (rows - nL < p.minSamplesLeaf) return false;
    const v = proxy(leftCounts, counts, k, wL, w - wL, p.entropy);
    if (v > bestProxy) {
      bestProxy = v;
      bestFeature = j;
      bestBin = bin;
      for (let q = 0; q < k; q++) bestLeft[q] = leftCounts[q]!; // a .set() call costs more at k ≈ 2–6
    }
    return true;
  };

  /** Fills histograms 0..count−1 (of features `histFeature`) from rows `samples[start .. end)`, with their ranges. */
  function fillHistograms(start: number, end: number, count: number): void {
    for (let t = start; t < end; t++) {
      const i = samples[t]!;
      const row = i * d;
      const c = 1 + y[i]!;
      const wi = weight[i]!;
      for (let v = 0; v < count; v++) {
        const bin = bins[row + histFeature[v]!]!;
        if (bin < histLo[v]!) histLo[v] = bin;
        if (bin > histHi[v]!) histHi[v] = bin;
        const h = (v * 256 + bin) * S;
        hist[h]!++;
        hist[h + c]! += wi;
      }
    }
  }

  /**
   * Offers every split of feature j from histogram v (only the bins seen are scanned), then clears it. Returns
   * whether the feature varies in the node (and so counts as tried).
   */
  function histogramSplit(j: number, v: number, rows: number, w: number, counts: Float64Array): boolean {
    const lo = histLo[v]!;
    const hi = histHi[v]!;
    const base = v * 256 * S;
    leftCounts.fill(0);
    let nL = 0;
    let wL = 0;
    for (let bin = lo; bin < hi; bin++) {
      const h = base + bin * S;
      const c = hist[h]!;
      if (c === 0) continue;
      nL += c;
      for (let q = 0; q < k; q++) {
        const hw = hist[h + 1 + q]!;
        leftCounts[q]! += hw;
        wL += hw;
      }
      if (!offer(j, bin, nL, wL, rows, w, counts)) break;
    }
    hist.fill(0, base + lo * S, base + (hi + 1) * S);
    return lo !== hi;
  }

  /**
   * Offers every split of feature j for a small node: insertion-sorts its rows by bin, then walks the distinct bins
   * (cheaper than clearing and scanning up to 256 bins; a native TypedArray sort call costs more than the whole sort
   * at this size). Returns whether the feature varies in the node.
   */
  function sortedSplit(j: number, start: number, rows: number, w: number, counts: Float64Array): boolean {
    const sorted = keys;
    for (let t = 0; t < rows; t++) {
      const key = ((bins[samples[start + t]! * d + j]! << 23) | t) >>> 0;
      let u = t - 1;
      while (u >= 0 && sorted[u]! > key) {
        sorted[u + 1] = sorted[u]!;
        u--;
      }
      sorted[u + 1] = key;
    }
    if (sorted[0]! >>> 23 === sorted[rows - 1]! >>> 23) return false;
    leftCounts.fill(0);
    let nL = 0;
    let wL = 0;
    for (let t = 0; t < rows - 1; t++) {
      const key = sorted[t]!;
      const i = samples[start + (key & 0x7fffff)]!;
      const wi = weight[i]!;
      leftCounts[y[i]!]! += wi;
      nL++;
      wL += wi;
      const bin = key >>> 23;
      if (sorted[t + 1]! >>> 23 === bin) continue;
      if (!offer(j, bin, nL, wL, rows, w, counts)) break;
    }
    return true;
  }

  function buildTree(b: number): void {
    const slot = s.slots[b]!;
    const rng = new Random(s.treeSeeds[s.batch[0]! + b]!);
    // Bootstrap: n draws with replacement, kept as per-row weights (scikit-learn's sample_weight = counts).
    if (p.bootstrap) {
      weight.fill(0);
      for (let t = 0; t < n; t++) weight[rng.int(n)]!++;
    } else weight.fill(1);
    let m = 0;
    const rootCounts = new Float64Array(k);
    let rootW = 0;
    for (let i = 0; i < n; i++) {
      const w = weight[i]!;
      if (w === 0) continue;
      samples[m++] = i;
      rootCounts[y[i]!]! += w;
      rootW += w;
    }
    for (let j = 0; j < d; j++) features[j] = j;
    rawImportance.fill(0);
    const { left, right, feature, threshold, value, impurity, nNodeSamples, weightedNNodeSamples } = slot;
    let nodeCount = 0;
    let maxDepth = 0;
    push(0, 0, m, 0, -1, 0, rootCounts);
    let sp = 1;
    const counts = new Float64Array(k);
    while (sp > 0) {
      sp--;
      const o = sp * 5;
      const start = stackInt[o]!;
      const end = stackInt[o + 1]!;
      const depth = stackInt[o + 2]!;
      const parent = stackInt[o + 3]!;
      const isLeft = stackInt[o + 4]!;
      for (let q = 0; q < k; q++) counts[q] = stackCounts[sp * k + q]!;
      const id = nodeCount++;
      if (parent >= 0) {
        if (isLeft) left[parent] = id;
        else right[parent] = id;
      }
      let w = 0;
      for (let q = 0; q < k; q++) {
        value[id * k + q] = counts[q]!;
        w += counts[q]!;
      }
      const rows = end - start;
      const imp = nodeImpurity(counts, 0, k, w, p.entropy);
      nNodeSamples[id] = rows;
      weightedNNodeSamples[id] = w;
      impurity[id] = imp;
      left[id] = -1;
      right[id] = -1;
      feature[id] = -2;
      threshold[id] = -2;
      if (depth > maxDepth) maxDepth = depth;
      if (depth >= p.maxDepth || rows < p.minSamplesSplit || rows < 2 * p.minSamplesLeaf || imp <= EPSILON) {
        continue;
      }

      // Split search: features in random order (Fisher–Yates), until maxFeatures non-constant ones have been
      // tried, as scikit-learn's BestSplitter (constant features do not count). They are drawn in rounds of as many
      // as are still wanted, and one pass over the node's rows fills all their histograms (a row's bins share a
      // cache line: ≈ 20 % faster than a pass per feature over column-major bins on 200k × 20); they are then
      // tried in draw order, so the result is that of drawing and trying them one by one.
      bestProxy = -Infinity;
      bestFeature = -1;
      bestBin = 0;
      let visited = 0;
      let f = 0;
      while (f < d && visited < p.maxFeatures) {
        const want = Math.min(p.maxFeatures - visited, d - f);
        let dense = 0;
        for (let u = 0; u < want; u++, f++) {
          const r = f + rng.int(d - f);
          const j = features[r]!;
          features[r] = features[f]!;
          features[f] = j;
          drawn[u] = j;
          const nb = binCount[j]!;
          if (nb >= 2 && !(rows <= SMALL_NODE && rows < nb)) {
            histogramOf[u] = dense;
            histFeature[dense] = j;
            histLo[dense] = 255;
            histHi[dense] = 0;
            dense++;
          } else histogramOf[u] = -1;
        }
        if (dense > 0) fillHistograms(start, end, dense);
        for (let u = 0; u < want; u++) {
          const j = drawn[u]!;
          if (binCount[j]! < 2) continue;
          const h = histogramOf[u]!;
          const tried =
            h < 0 ? sortedSplit(j, start, rows, w, counts) : histogramSplit(j, h, rows, w, counts);
          if (tried) visited++;
        }
      }
      if (bestFeature < 0) continue;

      // Stable partition (left rows keep their order in place, right rows go through `spill`), so each node's rows
      // stay in increasing order and the histogram scans walk the column forwards.
      let a = start;
      let z = 0;
      for (let t = start; t < end; t++) {
        const i = samples[t]!;
        if (bins[i * d + bestFeature]! <= bestBin) samples[a++] = i;
        else spill[z++] = i;
      }
      samples.set(spill.subarray(0, z), a);
      feature[id] = bestFeature;
      threshold[id] = thresholds[bestFeature * 256 + bestBin]!;
      splitBin[id] = bestBin;
      let wLeft = 0;
      for (let q = 0; q < k; q++) {
        rightCounts[q] = counts[q]! - bestLeft[q]!;
        wLeft += bestLeft[q]!;
      }
      const wRight = w - wLeft;
      rawImportance[bestFeature]! +=
        w * imp -
        wLeft * nodeImpurity(bestLeft, 0, k, wLeft, p.entropy) -
        wRight * nodeImpurity(rightCounts, 0, k, wRight, p.entropy);
      // Right first, so the left child is popped (and numbered) next: depth-first order as scikit-learn's builder.
      push(sp++, a, end, depth + 1, id, 0, rightCounts);
      push(sp++, start, a, depth + 1, id, 1, bestLeft);
    }
    slot.header[0] = nodeCount;
    slot.header[1] = maxDepth;

    // scikit-learn's compute_feature_importances: divide by the root's weight, then normalise to sum 1.
    let total = 0;
    for (let j = 0; j < d; j++) total += rawImportance[j]! / rootW;
    for (let j = 0; j < d; j++) {
      slot.importances[j] = total > 0 ? rawImportance[j]! / rootW / total : 0;
    }

    if (p.oob) {
      // Out-of-bag rows walk the tree on their bins: bin ≤ b exactly when x ≤ the threshold of b.
      const out = slot.oobLeaf;
      for (let i = 0; i < n; i++) {
        if (weight[i]! !== 0) {
          out[i] = -1;
          continue;
        }
        let node = 0;
        while (left[node]! !== -1) {
          node = bins[i * d + feature[node]!]! <= splitBin[node]! ? left[node]! : right[node]!;
        }
        out[i] = node;
      }
    }
  }

  return [buildTree];
}
