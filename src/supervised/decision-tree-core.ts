/**
 * The exact CART builder behind `decisionTree` (Breiman et al. 1984, "Classification and Regression Trees", ch. 4)
 * in scikit-learn's semantics (`_splitter.pyx` BestSplitter, `_criterion.pyx` Gini/Entropy, `_tree.pyx`
 * DepthFirstTreeBuilder), grown level by level instead of node by node: every feature is sorted once into a list of
 * (row, value) kept segmented by node (SPRINT's attribute lists: Shafer, Agrawal & Mehta 1996, §3), so each level
 * is, per feature, one sequential pass that partitions the segments of the last level's splits and scans the new
 * nodes' segments for their best split: O(n · d) per level and no node is ever sorted. Features are spread over
 * worker threads (`decision-tree-kernels.ts`); each node's split is chosen here from the per-feature results, so
 * the tree does not depend on the number of threads. The nodes are numbered depth-first at the end, as
 * scikit-learn's builder numbers them.
 * @module
 */
import { BlockPool } from '../util/parallel.js';
import { Random } from '../util/random.js';
import { createKernels, LEVEL, PRESORT, ROW_MASK, type TreeShared } from './decision-tree-kernels.js';
import { allFloat32, transposeInto } from './decision-tree-presort.js';
import type { TreeStructure } from './types.js';

/** scikit-learn's `EPSILON` (`np.finfo('double').eps`): a node this pure is a leaf. */
const EPSILON = 2.220446049250313e-16;
/**
 * Split nodes whose segments one `LEVEL` job partitions (and whose children it evaluates): bounds the per-job
 * shared buffers (2 · this · d results) whatever the number of nodes in a level.
 */
const TASKS_PER_JOB = 2048;

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
  /** Threads, the calling one included (default 1); the tree does not depend on it. */
  threads?: number;
  /** Wait until the worker threads are up before starting (tests, so that they surely take part). */
  waitForWorkers?: boolean;
  /** Split nodes per job (default `TASKS_PER_JOB`); tests lower it to run levels in several jobs. */
  tasksPerJob?: number;
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
  const rng = new Random(input.seed);
  const threads = Math.max(1, Math.min(input.threads ?? 1, d));
  const parallel = threads > 1;

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
  if (isLeaf(0)) return renumberDepthFirst(0);

  const tasksPerJob = input.tasksPerJob ?? TASKS_PER_JOB;
  const state = sharedState(input, parallel, tasksPerJob);
  const pool = new BlockPool({
    module: new URL('./decision-tree-kernels.js', import.meta.url),
    shared: state,
    kernels: createKernels(state),
    threads,
  });
  let treeDepth = 0;
  try {
    if (input.waitForWorkers === true) pool.waitForWorkers();
    transposeInto(x, n, d, state.val);
    pool.run(PRESORT, d);

    // Nodes to split at this level, by slot, with their segments; each row's slot (−1: its node is final).
    let level: number[] = [0];
    let segStart: number[] = [0];
    let segEnd: number[] = [n];
    // The previous level's splits whose segments the next job partitions, and how many nodes each brings.
    let taskStart: number[] = [0];
    let taskEnd: number[] = [n];
    let taskPartition: number[] = [0];
    let taskEvals: number[] = [1];
    const slotOf = new Int32Array(n);
    const perm = new Int32Array(d);

    while (level.length > 0) {
      const m = level.length;
      const splitFeature = new Int32Array(m).fill(-1);
      const splitThreshold = new Float64Array(m);
      const splitLeft = new Int32Array(m);
      // Partition and evaluate, tasksPerJob split nodes at a time; choose each node's split, in slot order.
      for (let t0 = 0, a0 = 0; t0 < taskStart.length;) {
        const tc = Math.min(tasksPerJob, taskStart.length - t0);
        let e = 0;
        for (let t = 0; t < tc; t++) {
          state.taskStart[t] = taskStart[t0 + t]!;
          state.taskEnd[t] = taskEnd[t0 + t]!;
          state.taskPartition[t] = taskPartition[t0 + t]!;
          state.taskEvalFirst[t] = e;
          for (let q = 0; q < taskEvals[t0 + t]!; q++, e++) {
            const a = a0 + e;
            const id = level[a]!;
            state.evalStart[e] = segStart[a]!;
            state.evalEnd[e] = segEnd[a]!;
            state.evalWeight[e] = tWeight[id]!;
            for (let c = 0; c < k; c++) state.evalCounts[e * k + c] = tCounts[id * k + c]!;
          }
        }
        state.taskEvalFirst[tc] = e;
        state.header[0] = tc;
        pool.run(LEVEL, d);
        for (let q = 0; q < e; q++) {
          const a = a0 + q;
          for (let j = 0; j < d; j++) perm[j] = j;
          rng.shuffle(perm);
          let visited = 0;
          let found = 0;
          let best = -Infinity;
          for (let t = 0; t < d && (visited < maxFeatures || found === 0); t++) {
            const j = perm[t]!;
            visited++;
            const b = q * d + j;
            if (state.constant[b]) continue;
            found++;
            if (state.bestProxy[b]! > best) {
              best = state.bestProxy[b]!;
              splitFeature[a] = j;
              splitThreshold[a] = state.bestThreshold[b]!;
              splitLeft[a] = state.bestLeft[b]!;
            }
          }
        }
        t0 += tc;
        a0 += e;
      }

      // Rows going left: the first splitLeft[a] of the node's segment in its split feature's order (x ≤ threshold
      // exactly: the threshold lies in [last left value, first right value)). Read from the sorted lists, not from
      // X, whose rows would be streamed in full at every level.
      const goLeft = state.goLeft;
      const rowMask = state.packed ? ROW_MASK : -1;
      goLeft.fill(0);
      for (let a = 0; a < m; a++) {
        const j = splitFeature[a]!;
        if (j < 0) continue;
        const from = j * n + segStart[a]!;
        for (let p = from; p < from + splitLeft[a]!; p++) {
          const row = state.idx[p]! & rowMask;
          goLeft[row >>> 5]! |= 1 << (row & 31);
        }
      }
      // Children: count them in row order (so weighted counts are summed as ever).
      const childCounts = new Float64Array(2 * m * k);
      const childW = new Float64Array(2 * m);
      const childN = new Int32Array(2 * m);
      for (let s = 0; s < n; s++) {
        const a = slotOf[s]!;
        if (a < 0) continue;
        if (splitFeature[a]! < 0) {
          slotOf[s] = -1;
          continue;
        }
        const c = 2 * a + 1 - ((goLeft[s >>> 5]! >>> (s & 31)) & 1);
        slotOf[s] = c;
        childCounts[c * k + y[s]!]! += weight[s]!;
        childW[c]! += weight[s]!;
        childN[c]!++;
      }
      const next: number[] = [];
      const nextStart: number[] = [];
      const nextEnd: number[] = [];
      taskStart = [];
      taskEnd = [];
      taskPartition = [];
      taskEvals = [];
      const nextSlot = new Int32Array(2 * m).fill(-1);
      for (let a = 0; a < m; a++) {
        if (splitFeature[a]! < 0) continue;
        const id = level[a]!;
        const depth = tDepth[id]! + 1;
        treeDepth = Math.max(treeDepth, depth);
        tFeature[id] = splitFeature[a]!;
        tThreshold[id] = splitThreshold[a]!;
        const mid = segStart[a]! + childN[2 * a]!;
        let evals = 0;
        for (let side = 0; side < 2; side++) {
          const c = 2 * a + side;
          const child = addNode(childCounts, c * k, childN[c]!, childW[c]!, depth);
          if (side === 0) tLeft[id] = child;
          else tRight[id] = child;
          if (!isLeaf(child)) {
            nextSlot[c] = next.length;
            next.push(child);
            nextStart.push(side === 0 ? segStart[a]! : mid);
            nextEnd.push(side === 0 ? mid : segEnd[a]!);
            evals++;
          }
        }
        // A split whose children are both final needs no partition: no one reads its segment again.
        if (evals > 0) {
          taskStart.push(segStart[a]!);
          taskEnd.push(segEnd[a]!);
          taskPartition.push(1);
          taskEvals.push(evals);
        }
      }
      for (let s = 0; s < n; s++) {
        const c = slotOf[s]!;
        if (c >= 0) slotOf[s] = nextSlot[c]!;
      }
      level = next;
      segStart = nextStart;
      segEnd = nextEnd;
    }
  } finally {
    pool.close();
  }

  return renumberDepthFirst(treeDepth);

  /** scikit-learn's builder numbers a node when it leaves its stack: the node, its left subtree, its right one. */
  function renumberDepthFirst(treeDepth: number): TreeStructure {
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

/** The kernels' state for one fit: over `SharedArrayBuffer`s when `parallel`. */
function sharedState(input: TreeBuildInput, parallel: boolean, tasks: number): TreeShared {
  const { n, d, nClasses: k } = input;
  const buf = (bytes: number): ArrayBuffer | SharedArrayBuffer =>
    parallel ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const f64 = (len: number): Float64Array => new Float64Array(buf(8 * len));
  const i32 = (len: number): Int32Array => new Int32Array(buf(4 * len));
  const u8 = (len: number): Uint8Array => new Uint8Array(buf(len));
  // The class of a row is read once per row and feature: the smallest type keeps the array in cache.
  const y = k <= 256 ? u8(input.n) : k <= 65536 ? new Uint16Array(buf(2 * n)) : i32(n);
  y.set(input.y);
  let weighted = false;
  for (let i = 0; i < n && !weighted; i++) weighted = input.weight[i] !== 1;
  const weight = f64(weighted ? n : 0);
  if (weighted) weight.set(input.weight);
  const evals = 2 * tasks;
  return {
    n,
    d,
    k,
    minSamplesLeaf: input.minSamplesLeaf,
    gini: input.criterion === 'gini',
    weighted,
    idx: i32(n * d),
    packed: n <= ROW_MASK + 1 && k <= 128,
    val: allFloat32(input.x) ? new Float32Array(buf(4 * n * d)) : f64(n * d),
    y,
    weight,
    goLeft: i32((n + 31) >>> 5),
    header: i32(1),
    taskStart: i32(tasks),
    taskEnd: i32(tasks),
    taskPartition: u8(tasks),
    taskEvalFirst: i32(tasks + 1),
    evalStart: i32(evals),
    evalEnd: i32(evals),
    evalCounts: f64(evals * k),
    evalWeight: f64(evals),
    bestProxy: f64(evals * d),
    bestThreshold: f64(evals * d),
    bestLeft: i32(evals * d),
    constant: u8(evals * d),
  };
}
