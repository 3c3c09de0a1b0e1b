/**
 * Random forests for classification (Breiman 2001, "Random Forests"), with scikit-learn's
 * `RandomForestClassifier` semantics, grown in parallel on worker threads over shared memory.
 * @module
 */
import { isMainThread } from 'node:worker_threads';

import { type MatrixLike, toMatrix } from '../util/matrix.js';
import { BlockPool, defaultThreads, sharedFloat64, sharedInt32 } from '../util/parallel.js';
import { Random } from '../util/random.js';
import { resolveMaxFeatures, resolveTreeOptions, toModelMatrix } from './decision-tree.js';
import { encodeClasses } from './labels.js';
import { binFeatures } from './random-forest-bins.js';
import {
  BUILD_TREE,
  type ForestParams,
  type ForestShared,
  type TreeSlot,
  createKernels,
} from './random-forest-kernels.js';
import { argmaxRows, predictTreeProba } from './tree-predict.js';
import type { ClassLabel, RandomForestModel, RandomForestOptions, TreeStructure } from './types.js';

/** Defaults of `RandomForestOptions`, as scikit-learn's. */
const DEFAULTS = {
  nEstimators: 100,
  criterion: 'gini',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 'sqrt',
  bootstrap: true,
  oobScore: false,
  seed: 0,
} as const;

/**
 * Below this many rows × trees, `threads` defaults to 1: the whole fit takes about as long as starting a worker
 * (≈ 0.1 s for 2,000 rows × 100 trees).
 */
const PARALLEL_MIN_ROW_TREES = 2 ** 18;

/** Trees grown per pool job, per thread: enough that a thread rarely idles at the end of a job. */
const TREES_PER_THREAD_PER_JOB = 8;

/**
 * Fits a random forest classifier: `nEstimators` CART trees, each on a bootstrap sample (n draws with replacement,
 * used as per-row weights) with `maxFeatures` features drawn at every node; predictions average the trees' leaf
 * class fractions (soft voting), as scikit-learn's `RandomForestClassifier`.
 *
 * **Histogram trees, not exact CART.** Features are binned once into ≤ 256 quantile bins (one per distinct value
 * when a column has ≤ 256; see `binFeatures`), and a node's split search builds a class histogram per tried
 * feature instead of sorting its rows — the approach of LightGBM and scikit-learn's `HistGradientBoosting`. Split
 * thresholds are the midpoints between neighbouring bins' values, so trees are ordinary `TreeStructure`s predicted
 * on raw values. On columns with > 256 distinct values a split can only fall between bins, so trees differ from
 * exact CART's; the accuracy is scikit-learn's within a percentage point on the test fixtures. No sibling
 * subtraction: features are drawn per node, so a child rarely tries its parent's features.
 *
 * **Reproducible.** Tree t is grown from its own seed, drawn in order from `seed`, so the forest is the same for
 * any `threads`. X is shared with the workers once (binned, one byte a value), never copied per tree.
 * `threads` defaults to the cores, except 1 for small fits (under 2¹⁸ rows × trees) and inside worker threads.
 * Trees are grown in jobs of 8 per thread into preallocated shared slots (2n − 1 nodes each, only the pages a
 * tree uses are ever touched) and copied out to arrays of their own size in tree order.
 *
 * @throws TypeError / RangeError naming the offending value: bad X or y (see `toMatrix`, `encodeClasses`), or
 *   options out of range.
 *
 * @example
 * const forest = randomForest(X, y, { nEstimators: 200, oobScore: true, seed: 1 });
 * forest.oobScore; // out-of-bag accuracy
 * forest.predict([[0.5, 1.2]]); // ['churn']
 */
export function randomForest(
  X: MatrixLike,
  y: ArrayLike<ClassLabel>,
  opts: RandomForestOptions = {},
): RandomForestModel {
  const x = toMatrix(X);
  const { rows: n, cols: d } = x;
  const { classes, codes } = encodeClasses(y, n);
  const k = classes.length;
  const o = checkOptions(opts, n, d);
  const threads = Math.max(1, Math.min(o.threads, o.nEstimators));
  const shared = threads > 1;

  const params: ForestParams = {
    n,
    d,
    nClasses: k,
    maxDepth: o.maxDepth,
    minSamplesSplit: o.minSamplesSplit,
    minSamplesLeaf: o.minSamplesLeaf,
    maxFeatures: o.maxFeatures,
    entropy: o.criterion === 'entropy',
    bootstrap: o.bootstrap,
    oob: o.oobScore,
    // A leaf holds ≥ minSamplesLeaf distinct rows and a tree of depth D has ≤ 2^D leaves: ≤ 2·leaves − 1 nodes.
    capacity: 2 * Math.min(Math.floor(n / o.minSamplesLeaf), 2 ** Math.min(o.maxDepth, 30)) - 1,
  };
  const seeds = new Random(o.seed);
  const treeSeeds = sharedInt32(o.nEstimators, shared);
  for (let t = 0; t < o.nEstimators; t++) treeSeeds[t] = seeds.nextUint32() | 0;
  const yShared = sharedInt32(n, shared);
  yShared.set(codes);
  const binned = binFeatures(x, shared);
  const slotCount = Math.min(o.nEstimators, threads * TREES_PER_THREAD_PER_JOB);
  const slots: TreeSlot[] = [];
  for (let b = 0; b < slotCount; b++) slots.push(newSlot(params, shared));
  const state: ForestShared = {
    params,
    ...binned,
    y: yShared,
    treeSeeds,
    batch: sharedInt32(1, shared),
    slots,
  };

  const trees: TreeStructure[] = [];
  const importanceSum = new Float64Array(d);
  let splitTrees = 0;
  const oobSum = o.oobScore ? new Float64Array(n * k) : null;
  const oobVotes = o.oobScore ? new Int32Array(n) : null;
  const pool = new BlockPool({
    module: new URL('./random-forest-kernels.js', import.meta.url),
    shared: state,
    kernels: createKernels(state),
    threads,
  });
  try {
    for (let first = 0; first < o.nEstimators; first += slotCount) {
      const blocks = Math.min(slotCount, o.nEstimators - first);
      state.batch[0] = first;
      pool.run(BUILD_TREE, blocks);
      // Combined in tree order on this thread, so sums do not depend on which thread grew which tree.
      for (let b = 0; b < blocks; b++) {
        const slot = slots[b]!;
        const tree = copyTree(slot, k);
        trees.push(tree);
        // scikit-learn averages the importances of the trees that split at least once.
        if (tree.nodeCount > 1) {
          splitTrees++;
          for (let j = 0; j < d; j++) importanceSum[j]! += slot.importances[j]!;
        }
        if (oobSum && oobVotes) addOutOfBag(tree, slot.oobLeaf, oobSum, oobVotes);
      }
    }
  } finally {
    pool.close();
  }

  const featureImportances = new Float64Array(d);
  if (splitTrees > 0) {
    let total = 0;
    for (let j = 0; j < d; j++) total += importanceSum[j]! / splitTrees;
    for (let j = 0; j < d; j++) featureImportances[j] = importanceSum[j]! / splitTrees / total;
  }
  let oobScore: number | null = null;
  if (oobSum) {
    // Rows never out of bag get all-zero votes and so class 0, as in scikit-learn (which warns about them).
    const predicted = argmaxRows(oobSum, k);
    let correct = 0;
    for (let i = 0; i < n; i++) if (predicted[i] === codes[i]) correct++;
    oobScore = correct / n;
  }
  return forestModel(classes, d, trees, featureImportances, oobScore);
}

/** The fitted model: prediction averages the trees' probabilities in tree order. */
function forestModel(
  classes: ClassLabel[],
  nFeatures: number,
  trees: TreeStructure[],
  featureImportances: Float64Array,
  oobScore: number | null,
): RandomForestModel {
  const k = classes.length;
  const proba = (X: MatrixLike): Float64Array => {
    const x = toModelMatrix(X, nFeatures);
    const out = new Float64Array(x.rows * k);
    for (const tree of trees) predictTreeProba(tree, x, out, true);
    const scale = 1 / trees.length;
    for (let q = 0; q < out.length; q++) out[q]! *= scale;
    return out;
  };
  return {
    classes,
    nFeatures,
    trees,
    featureImportances,
    oobScore,
    predictProba: proba,
    predict(X: MatrixLike): ClassLabel[] {
      return Array.from(argmaxRows(proba(X), k), (c) => classes[c]!);
    },
  };
}

/** Adds the tree's leaf class fractions to the out-of-bag rows' votes (scikit-learn's `_compute_oob_predictions`). */
function addOutOfBag(tree: TreeStructure, leaves: Int32Array, sum: Float64Array, votes: Int32Array): void {
  const { value, nClasses: k } = tree;
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i]!;
    if (leaf < 0) continue;
    let total = 0;
    for (let c = 0; c < k; c++) total += value[leaf * k + c]!;
    for (let c = 0; c < k; c++) sum[i * k + c]! += value[leaf * k + c]! / total;
    votes[i]!++;
  }
}

function newSlot(p: ForestParams, shared: boolean): TreeSlot {
  const cap = p.capacity;
  return {
    header: sharedInt32(2, shared),
    left: sharedInt32(cap, shared),
    right: sharedInt32(cap, shared),
    feature: sharedInt32(cap, shared),
    threshold: sharedFloat64(cap, shared),
    value: sharedFloat64(cap * p.nClasses, shared),
    impurity: sharedFloat64(cap, shared),
    nNodeSamples: sharedInt32(cap, shared),
    weightedNNodeSamples: sharedFloat64(cap, shared),
    importances: sharedFloat64(p.d, shared),
    oobLeaf: sharedInt32(p.oob ? p.n : 0, shared),
  };
}

/** The slot's tree in arrays of its own size (the slot is reused by the next job). */
function copyTree(slot: TreeSlot, k: number): TreeStructure {
  const m = slot.header[0]!;
  return {
    nodeCount: m,
    left: slot.left.slice(0, m),
    right: slot.right.slice(0, m),
    feature: slot.feature.slice(0, m),
    threshold: slot.threshold.slice(0, m),
    value: slot.value.slice(0, m * k),
    impurity: slot.impurity.slice(0, m),
    nNodeSamples: slot.nNodeSamples.slice(0, m),
    weightedNNodeSamples: slot.weightedNNodeSamples.slice(0, m),
    nClasses: k,
    maxDepth: slot.header[1]!,
  };
}

interface CheckedOptions {
  nEstimators: number;
  criterion: 'gini' | 'entropy';
  /** Infinity when unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  bootstrap: boolean;
  oobScore: boolean;
  seed: number;
  threads: number;
}

/**
 * Validates the options against X's shape; the tree options and `maxFeatures` as `decisionTree` checks and
 * resolves them (shared helpers, so both models accept the same values).
 */
function checkOptions(opts: RandomForestOptions, n: number, d: number): CheckedOptions {
  // Options given as undefined take their defaults too.
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULTS, ...given } as typeof DEFAULTS & RandomForestOptions;
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  if (!isInt(o.nEstimators) || o.nEstimators < 1) {
    throw new RangeError(`nEstimators must be an integer ≥ 1, got ${String(o.nEstimators)}`);
  }
  const tree = resolveTreeOptions(o);
  const maxFeatures = resolveMaxFeatures(o.maxFeatures, d);
  if (typeof o.bootstrap !== 'boolean') {
    throw new TypeError(`bootstrap must be true or false, got ${String(o.bootstrap)}`);
  }
  if (typeof o.oobScore !== 'boolean') {
    throw new TypeError(`oobScore must be true or false, got ${String(o.oobScore)}`);
  }
  if (o.oobScore && !o.bootstrap) {
    throw new RangeError('oobScore needs bootstrap: out-of-bag rows exist only with bootstrap samples');
  }
  if (typeof o.seed !== 'number' || !Number.isFinite(o.seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(o.seed)}`);
  }
  // Inside a worker thread (say, a parallel model search), one thread per fit: the caller is parallel already.
  const threads =
    opts.threads ?? (!isMainThread || n * o.nEstimators < PARALLEL_MIN_ROW_TREES ? 1 : defaultThreads());
  if (!isInt(threads) || threads < 1) {
    throw new RangeError(`threads must be an integer ≥ 1, got ${String(threads)}`);
  }
  return {
    nEstimators: o.nEstimators,
    ...tree,
    maxFeatures,
    bootstrap: o.bootstrap,
    oobScore: o.oobScore,
    seed: o.seed,
    threads,
  };
}
