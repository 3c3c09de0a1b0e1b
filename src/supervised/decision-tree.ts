/**
 * `decisionTree`: a CART classification tree with scikit-learn's `DecisionTreeClassifier` semantics.
 * @module
 */
import { isMainThread } from 'node:worker_threads';

import { type Matrix, type MatrixLike, toMatrix } from '../util/matrix.js';
import { defaultThreads } from '../util/parallel.js';
import { buildTree, featureImportances } from './decision-tree-core.js';
import { encodeClasses } from './labels.js';
import { applyTree, argmaxRows, predictTreeProba } from './tree-predict.js';
import type { ClassLabel, DecisionTreeModel, DecisionTreeOptions } from './types.js';

/**
 * Rows from which `decisionTree` spreads the features over worker threads: below, a fit takes well under a second
 * on one thread, and starting workers (slower still from the TypeScript sources) would not pay.
 */
const PARALLEL_ROWS = 50_000;

/**
 * Resolves `maxFeatures` as scikit-learn does: all (null), `'sqrt'` ⌊√d⌋, `'log2'` ⌊log₂ d⌋ (at least 1), a count
 * 1..d, or a fraction in (0, 1) of d (at least 1).
 *
 * @throws RangeError naming the value when it is none of these.
 */
export function resolveMaxFeatures(maxFeatures: DecisionTreeOptions['maxFeatures'], d: number): number {
  if (maxFeatures === null || maxFeatures === undefined) return d;
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  if (typeof maxFeatures === 'number') {
    if (Number.isInteger(maxFeatures) && maxFeatures >= 1 && maxFeatures <= d) return maxFeatures;
    if (maxFeatures > 0 && maxFeatures < 1) return Math.max(1, Math.floor(maxFeatures * d));
  }
  throw new RangeError(
    `maxFeatures is ${String(maxFeatures)}: expected 'sqrt', 'log2', null, a whole number in [1, ${d}] or a ` +
      'fraction in (0, 1)',
  );
}

/**
 * Checks the tree options shared with the forest; returns them with defaults filled in.
 *
 * @throws RangeError naming the offending option and value.
 */
export function resolveTreeOptions(
  opts: Pick<DecisionTreeOptions, 'criterion' | 'maxDepth' | 'minSamplesSplit' | 'minSamplesLeaf'>,
): { criterion: 'gini' | 'entropy'; maxDepth: number; minSamplesSplit: number; minSamplesLeaf: number } {
  const { criterion = 'gini', maxDepth = null, minSamplesSplit = 2, minSamplesLeaf = 1 } = opts;
  if (criterion !== 'gini' && criterion !== 'entropy') {
    throw new RangeError(`criterion is ${String(criterion)}: expected 'gini' or 'entropy'`);
  }
  if (maxDepth !== null && !(Number.isInteger(maxDepth) && maxDepth >= 1)) {
    throw new RangeError(
      `maxDepth is ${String(maxDepth)}: expected a whole number ≥ 1, or null for unlimited`,
    );
  }
  if (!(Number.isInteger(minSamplesSplit) && minSamplesSplit >= 2)) {
    throw new RangeError(`minSamplesSplit is ${String(minSamplesSplit)}: expected a whole number ≥ 2`);
  }
  if (!(Number.isInteger(minSamplesLeaf) && minSamplesLeaf >= 1)) {
    throw new RangeError(`minSamplesLeaf is ${String(minSamplesLeaf)}: expected a whole number ≥ 1`);
  }
  return { criterion, maxDepth: maxDepth ?? Infinity, minSamplesSplit, minSamplesLeaf };
}

/**
 * Validates sample weights: one finite, non-negative number per row, not all zero. Missing → all ones.
 *
 * @throws RangeError / TypeError naming the offending position and value.
 */
export function resolveSampleWeight(sampleWeight: ArrayLike<number> | undefined, n: number): Float64Array {
  const w = new Float64Array(n);
  if (sampleWeight === undefined) return w.fill(1);
  if (sampleWeight.length !== n) {
    throw new RangeError(`sampleWeight has length ${sampleWeight.length}, expected ${n} (rows of X)`);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = sampleWeight[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`sampleWeight[${i}] is ${String(v)}: weights must be finite and ≥ 0`);
    }
    w[i] = v;
    sum += v;
  }
  if (!(sum > 0)) throw new RangeError('sampleWeight sums to 0: at least one row needs a positive weight');
  return w;
}

/** `toMatrix` plus the check that `x` has the model's columns. */
export function toModelMatrix(x: MatrixLike, nFeatures: number): Matrix {
  const m = toMatrix(x);
  if (m.cols !== nFeatures) {
    throw new RangeError(`X has ${m.cols} columns, but the model was fitted on ${nFeatures}`);
  }
  return m;
}

/**
 * Fits a classification tree (CART; Breiman et al. 1984) as scikit-learn's `DecisionTreeClassifier` does: each node
 * takes the split with the largest weighted impurity decrease (gini or entropy) over all features (or `maxFeatures`
 * of them, visited in a seeded random order), thresholds at midpoints between consecutive distinct values, until a
 * node is pure or `maxDepth`, `minSamplesSplit` or `minSamplesLeaf` stop it. The tree is in scikit-learn's `tree_`
 * layout and numbering, with weighted class counts as `value`.
 *
 * Differences from scikit-learn, on purpose: values are compared in float64 (scikit-learn rounds X to float32, so
 * values equal in float32 are one value to it); and between equally good splits, the first found in a seeded
 * permutation of the features is kept, where scikit-learn uses its own RNG — the same rule, different draws, so
 * trees agree wherever no two candidate splits tie (see `buildTree`).
 *
 * From 50,000 rows the features are spread over worker threads (all cores; `threads` sets how many); the tree
 * does not depend on it.
 *
 * @param X - n × d numeric features, finite.
 * @param y - class label per row (numbers or strings).
 * @throws RangeError / TypeError naming the offending value: empty or non-finite X, y of another length, a bad
 *   option or weight. A single class gives a single leaf.
 *
 * @example
 * const model = decisionTree([[1, 10], [2, 12], [8, 1], [9, 3]], ['a', 'a', 'b', 'b'], { maxDepth: 3 });
 * model.predict([[1.5, 11]]); // ['a']
 */
export function decisionTree(
  X: MatrixLike,
  y: ArrayLike<ClassLabel>,
  opts: DecisionTreeOptions = {},
): DecisionTreeModel {
  const m = toMatrix(X);
  const { rows: n, cols: d } = m;
  const { classes, codes } = encodeClasses(y, n);
  const resolved = resolveTreeOptions(opts);
  const maxFeatures = resolveMaxFeatures(opts.maxFeatures, d);
  const seed = opts.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`seed is ${String(seed)}: expected a finite number`);
  const weight = resolveSampleWeight(opts.sampleWeight, n);
  const threads = opts.threads ?? (n >= PARALLEL_ROWS && isMainThread ? defaultThreads() : 1);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be an integer ≥ 1, got ${String(threads)}`);
  }
  const tree = buildTree({
    x: m.data,
    n,
    d,
    y: codes,
    nClasses: classes.length,
    weight,
    ...resolved,
    maxFeatures,
    seed,
    threads,
  });
  const importances = featureImportances(tree, d);
  return {
    classes,
    nFeatures: d,
    tree,
    featureImportances: importances,
    predict(x) {
      const p = predictTreeProba(tree, toModelMatrix(x, d));
      return Array.from(argmaxRows(p, classes.length), (c) => classes[c]!);
    },
    predictProba: (x) => predictTreeProba(tree, toModelMatrix(x, d)),
    apply: (x) => applyTree(tree, toModelMatrix(x, d)),
  };
}
