/**
 * The exact CART builder behind `decisionTree` (Breiman et al. 1984, "Classification and Regression Trees", ch. 4)
 * in scikit-learn's semantics (`_splitter.pyx` BestSplitter, `_criterion.pyx` Gini/Entropy, `_tree.pyx`
 * DepthFirstTreeBuilder), grown level by level instead of node by node: every feature is sorted once, then each
 * level is one pass per feature over the rows in sorted order, with each row's node looked up in `slotOf`, so a
 * level costs O(n · d) and no node is ever sorted (the SLIQ scheme: Mehta, Agrawal & Rissanen 1996, "SLIQ: A fast
 * scalable classifier for data mining", §2.2). The nodes are numbered depth-first at the end, as scikit-learn's
 * builder numbers them.
 * @module
 */
import { Random } from '../util/random.js';
import { presortFeatures } from './decision-tree-presort.js';
import type { TreeStructure } from './types.js';

/** scikit-learn's `FEATURE_THRESHOLD`: sorted values closer than this are one value (no split between them). */
const FEATURE_THRESHOLD = 1e-7;
/** scikit-learn's `EPSILON` (`np.finfo('double').eps`): a node this pure is a leaf. */
const EPSILON = 2.220446049250313e-16;

/** What the builder trusts: validated, encoded, resolved. */
export interface TreeBuildInput {
  /** n × d row-major, finite. */
  x: Float64Array | Float32Array;
  n: number;
  d: number;
  /** Class index 0..nClasses−1 per row. */
  y: Int32Array;
  nClasses: number;
  /** Non-negative weight per row. */
  weight: Float64Array;
  criterion: 'gini' | 'entropy';
  /** Infinity for unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features to visit per split, 1..d. */
  maxFeatures: number;
  seed: number;
}

/** Impurity of weighted class counts `counts[o .. o + k)` summing to `w` (scikit-learn's node_impurity). */
export function impurityOf(
  criterion: 'gini' | 'entropy',
  counts: ArrayLike<number>,
  o: number,
  k: number,
  w: number,
): number {
  if (criterion === 'gini') {
    let sq = 0;
    for (let c = 0; c < k; c++) sq += counts[o + c]! * counts[o + c]!;
    return 1 - sq / (w * w);
  }
  let e = 0;
  for (let c = 0; c < k; c++) {
    const p = counts[o + c]! / w;
    // scikit-learn's log is ln(x) / ln(2).
    if (p > 0) e -= p * (Math.log(p) / Math.LN2);
  }
  return e;
}

/**
 * Grows the tree. Split choice per node, as scikit-learn's BestSplitter: visit features in a random order
 * (a Fisher–Yates permutation per node from `seed`), skipping features constant in the node, until `maxFeatures`
 * were visited and one of them was not constant; per feature, try every boundary between consecutive distinct
 * sorted values (FEATURE_THRESHOLD apart) leaving `minSamplesLeaf` rows on each side, threshold at the midpoint;
 * keep the first strictly best proxy improvement `−w_R·i_R − w_L·i_L`. So equally good splits go to the earliest
 * feature in the node's permutation and, within a feature, to the lowest threshold. The permutation is not
 * scikit-learn's (its RNG cannot be reproduced), so on such ties the two may pick different, equally good splits;
 * where no two splits tie, the trees are the same.
 */
export function buildTree(input: TreeBuildInput): TreeStructure {
  const { x, n, d, y, nClasses: k, weight, criterion, maxDepth, minSamplesLeaf, maxFeatures } = input;
  const minSplit = Math.max(input.minSamplesSplit, 2 * minSamplesLeaf);
  const gini = criterion === 'gini';
  const rng = new Random(input.seed);
  const { order, values } = presortFeatures(x, n, d);

  // Nodes under temporary ids (level order); renumbered depth-first at the end.
  const tLeft: number[] = [];
  const tRight: number[] = [];
  const tFeature: number[] = [];
  const tThreshold: number[] = [];
  const tImpurity: number[] = [];
  const tSamples: number[] = [];
  const tWeight: number[] = [];
  const tCounts: number[] = [];
  const tDepth: number[] = [];

  // Root.
  const rootCounts = new Float64Array(k);
  let rootW = 0;
  for (let i = 0; i < n; i++) {
    rootCounts[y[i]!]! += weight[i]!;
    rootW += weight[i]!;
  }
  const addNode = (
    counts: ArrayLike<number>,
    o: number,
    samples: number,
    w: number,
    depth: number,
  ): number => {
    const id = tLeft.length;
    tLeft.push(-1);
    tRight.push(-1);
    tFeature.push(-2);
    tThreshold.push(-2);
    tImpurity.push(impurityOf(criterion, counts, o, k, w));
    tSamples.push(samples);
    tWeight.push(w);
    for (let c = 0; c < k; c++) tCounts.push(counts[o + c]!);
    tDepth.push(depth);
    return id;
  };
  const isLeaf = (id: number): boolean =>
    tDepth[id]! >= maxDepth ||
    tSamples[id]! < minSplit ||
    tSamples[id]! < 2 * minSamplesLeaf ||
    tImpurity[id]! <= EPSILON;

  addNode(rootCounts, 0, n, rootW, 0);
  // Nodes to split at this level, by slot; each row's slot (−1: its node is final).
  let level: number[] = isLeaf(0) ? [] : [0];
  const slotOf = new Int32Array(n).fill(level.length > 0 ? 0 : -1);
  let treeDepth = 0;

  while (level.length > 0) {
    const m = level.length;
    // Per slot: totals, the running left side of the feature being scanned, and per (slot, feature) results.
    const totCounts = new Float64Array(m * k);
    const totW = new Float64Array(m);
    const totN = new Int32Array(m);
    for (let a = 0; a < m; a++) {
      const id = level[a]!;
      for (let c = 0; c < k; c++) totCounts[a * k + c] = tCounts[id * k + c]!;
      totW[a] = tWeight[id]!;
      totN[a] = tSamples[id]!;
    }
    const leftCounts = new Float64Array(m * k);
    const leftW = new Float64Array(m);
    const leftN = new Int32Array(m);
    const first = new Float64Array(m);
    const last = new Float64Array(m);
    const bestProxy = new Float64Array(m * d);
    const bestThreshold = new Float64Array(m * d);
    const constant = new Uint8Array(m * d);

    for (let j = 0; j < d; j++) {
      leftCounts.fill(0);
      leftW.fill(0);
      leftN.fill(0);
      const fo = j * n;
      for (let a = 0; a < m; a++) bestProxy[a * d + j] = -Infinity;
      for (let p = 0; p < n; p++) {
        const s = order[fo + p]!;
        const a = slotOf[s]!;
        if (a < 0) continue;
        const v = values[fo + p]!;
        const nl = leftN[a]!;
        if (nl === 0) first[a] = v;
        else if (
          v > last[a]! + FEATURE_THRESHOLD &&
          nl >= minSamplesLeaf &&
          totN[a]! - nl >= minSamplesLeaf
        ) {
          // A boundary between last[a] and v: rows so far go left.
          const wl = leftW[a]!;
          const wr = totW[a]! - wl;
          const lo = a * k;
          let il: number;
          let ir: number;
          if (gini) {
            let sql = 0;
            let sqr = 0;
            for (let c = 0; c < k; c++) {
              const l = leftCounts[lo + c]!;
              const r = totCounts[lo + c]! - l;
              sql += l * l;
              sqr += r * r;
            }
            il = 1 - sql / (wl * wl);
            ir = 1 - sqr / (wr * wr);
          } else {
            il = 0;
            ir = 0;
            for (let c = 0; c < k; c++) {
              const l = leftCounts[lo + c]!;
              const r = totCounts[lo + c]! - l;
              if (l > 0) {
                const q = l / wl;
                il -= q * (Math.log(q) / Math.LN2);
              }
              if (r > 0) {
                const q = r / wr;
                ir -= q * (Math.log(q) / Math.LN2);
              }
            }
          }
          const proxy = -wr * ir - wl * il;
          const b = a * d + j;
          if (proxy > bestProxy[b]!) {
            bestProxy[b] = proxy;
            const prev = last[a]!;
            let t = prev / 2 + v / 2;
            // scikit-learn's guard: a midpoint that rounds up to the right value (or overflows) becomes the left.
            if (t === v || t === Infinity || t === -Infinity) t = prev;
            bestThreshold[b] = t;
          }
        }
        leftCounts[a * k + y[s]!]! += weight[s]!;
        leftW[a]! += weight[s]!;
        leftN[a] = nl + 1;
        last[a] = v;
      }
      for (let a = 0; a < m; a++) constant[a * d + j] = last[a]! <= first[a]! + FEATURE_THRESHOLD ? 1 : 0;
    }

    // Choose per node; split it.
    const splitFeature = new Int32Array(m).fill(-1);
    const splitThreshold = new Float64Array(m);
    const perm = new Int32Array(d);
    for (let a = 0; a < m; a++) {
      for (let j = 0; j < d; j++) perm[j] = j;
      rng.shuffle(perm);
      let visited = 0;
      let found = 0;
      let best = -Infinity;
      for (let t = 0; t < d && (visited < maxFeatures || found === 0); t++) {
        const j = perm[t]!;
        visited++;
        if (constant[a * d + j]) continue;
        found++;
        const b = a * d + j;
        if (bestProxy[b]! > best) {
          best = bestProxy[b]!;
          splitFeature[a] = j;
          splitThreshold[a] = bestThreshold[b]!;
        }
      }
    }

    // Children: route rows, count them.
    const childCounts = new Float64Array(2 * m * k);
    const childW = new Float64Array(2 * m);
    const childN = new Int32Array(2 * m);
    for (let s = 0; s < n; s++) {
      const a = slotOf[s]!;
      if (a < 0) continue;
      const j = splitFeature[a]!;
      if (j < 0) {
        slotOf[s] = -1;
        continue;
      }
      const c = 2 * a + (x[s * d + j]! <= splitThreshold[a]! ? 0 : 1);
      slotOf[s] = c;
      childCounts[c * k + y[s]!]! += weight[s]!;
      childW[c]! += weight[s]!;
      childN[c]!++;
    }
    const next: number[] = [];
    const nextSlot = new Int32Array(2 * m).fill(-1);
    for (let a = 0; a < m; a++) {
      if (splitFeature[a]! < 0) continue;
      const id = level[a]!;
      const depth = tDepth[id]! + 1;
      treeDepth = Math.max(treeDepth, depth);
      tFeature[id] = splitFeature[a]!;
      tThreshold[id] = splitThreshold[a]!;
      for (let side = 0; side < 2; side++) {
        const c = 2 * a + side;
        const child = addNode(childCounts, c * k, childN[c]!, childW[c]!, depth);
        if (side === 0) tLeft[id] = child;
        else tRight[id] = child;
        if (!isLeaf(child)) {
          nextSlot[c] = next.length;
          next.push(child);
        }
      }
    }
    for (let s = 0; s < n; s++) {
      const c = slotOf[s]!;
      if (c >= 0) slotOf[s] = nextSlot[c]!;
    }
    level = next;
  }

  return renumberDepthFirst();

  /** scikit-learn's builder numbers a node when it leaves its stack: the node, its left subtree, its right one. */
  function renumberDepthFirst(): TreeStructure {
    const count = tLeft.length;
    const newId = new Int32Array(count);
    const preorder = new Int32Array(count);
    const stack = [0];
    let next = 0;
    while (stack.length > 0) {
      const id = stack.pop()!;
      newId[id] = next;
      preorder[next++] = id;
      if (tLeft[id] !== -1) stack.push(tRight[id]!, tLeft[id]!);
    }
    const tree: TreeStructure = {
      nodeCount: count,
      left: new Int32Array(count),
      right: new Int32Array(count),
      feature: new Int32Array(count),
      threshold: new Float64Array(count),
      value: new Float64Array(count * k),
      impurity: new Float64Array(count),
      nNodeSamples: new Int32Array(count),
      weightedNNodeSamples: new Float64Array(count),
      nClasses: k,
      maxDepth: treeDepth,
    };
    for (let i = 0; i < count; i++) {
      const id = preorder[i]!;
      const l = tLeft[id]!;
      tree.left[i] = l === -1 ? -1 : newId[l]!;
      tree.right[i] = l === -1 ? -1 : newId[tRight[id]!]!;
      tree.feature[i] = tFeature[id]!;
      tree.threshold[i] = tThreshold[id]!;
      tree.impurity[i] = tImpurity[id]!;
      tree.nNodeSamples[i] = tSamples[id]!;
      tree.weightedNNodeSamples[i] = tWeight[id]!;
      for (let c = 0; c < k; c++) tree.value[i * k + c] = tCounts[id * k + c]!;
    }
    return tree;
  }
}

/**
 * Mean decrease in impurity per feature (Breiman et al. 1984, §5.3.4), scikit-learn's `feature_importances_`:
 * Σ over the nodes splitting on j of `w·i − w_L·i_L − w_R·i_R`, over the root's weight, normalised to sum 1
 * (all zeros for a single leaf).
 */
export function featureImportances(tree: TreeStructure, d: number): Float64Array {
  const out = new Float64Array(d);
  const { left, right, feature, impurity, weightedNNodeSamples: w } = tree;
  for (let i = 0; i < tree.nodeCount; i++) {
    const l = left[i]!;
    if (l === -1) continue;
    const r = right[i]!;
    out[feature[i]!]! += w[i]! * impurity[i]! - w[l]! * impurity[l]! - w[r]! * impurity[r]!;
  }
  let sum = 0;
  for (let j = 0; j < d; j++) {
    out[j]! /= w[0]!;
    sum += out[j]!;
  }
  if (sum > 0) for (let j = 0; j < d; j++) out[j]! /= sum;
  return out;
}
