/**
 * Prediction with a fitted tree in scikit-learn's `tree_` layout (`TreeStructure`), shared by the decision tree
 * and the random forest: leaf per row (`apply`), leaf class fractions (`predict_proba`), and the leaves as rules.
 * @module
 */
import type { Matrix } from '../util/matrix.js';
import type { ClassLabel, TreeStructure } from './types.js';

/**
 * Leaf reached by each row of `x` (scikit-learn's `apply`): from the root, left when `x[feature] <= threshold`.
 * Internal fast path: trusts that `x` is a validated matrix with the tree's features (see `toMatrix`).
 *
 * @example
 * const leaves = applyTree(model.tree, toMatrix([[1, 2], [3, 4]]));
 */
export function applyTree(tree: TreeStructure, x: Matrix, out = new Int32Array(x.rows)): Int32Array {
  const { left, right, feature, threshold } = tree;
  const { data, rows, cols } = x;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let node = 0;
    let l = left[0]!;
    while (l !== -1) {
      node = data[base + feature[node]!]! <= threshold[node]! ? l : right[node]!;
      l = left[node]!;
    }
    out[i] = node;
  }
  return out;
}

/**
 * Class probabilities per row, n × nClasses row-major: the weighted class fractions of the leaf each row reaches
 * (scikit-learn's `predict_proba`). With `accumulate`, adds them into `out` instead of overwriting, so a forest
 * sums its trees' fractions into one buffer.
 */
export function predictTreeProba(
  tree: TreeStructure,
  x: Matrix,
  out: Float64Array = new Float64Array(x.rows * tree.nClasses),
  accumulate = false,
): Float64Array {
  const { left, right, feature, threshold, value, nClasses: k } = tree;
  const { data, rows, cols } = x;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let node = 0;
    let l = left[0]!;
    while (l !== -1) {
      node = data[base + feature[node]!]! <= threshold[node]! ? l : right[node]!;
      l = left[node]!;
    }
    const v = node * k;
    let total = 0;
    for (let c = 0; c < k; c++) total += value[v + c]!;
    const o = i * k;
    // scikit-learn divides by the row sum, treating a zero-weight leaf as sum 1 (all-zero probabilities).
    const scale = total === 0 ? 1 : 1 / total;
    if (accumulate) for (let c = 0; c < k; c++) out[o + c]! += value[v + c]! * scale;
    else for (let c = 0; c < k; c++) out[o + c] = value[v + c]! * scale;
  }
  return out;
}

/**
 * Index of the largest entry per row of an n × k row-major matrix, the first on ties (numpy's `argmax`, which is
 * how scikit-learn turns probabilities into a class).
 */
export function argmaxRows(p: Float64Array, k: number): Int32Array {
  const n = p.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let best = 0;
    let bestV = p[o]!;
    for (let c = 1; c < k; c++) {
      const v = p[o + c]!;
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Predicted class index per row: the leaf's heaviest class, the first on ties (scikit-learn's `predict`). */
export function predictTree(tree: TreeStructure, x: Matrix): Int32Array {
  const leaves = applyTree(tree, x);
  const { value, nClasses: k } = tree;
  const out = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    const v = leaves[i]! * k;
    let best = 0;
    for (let c = 1; c < k; c++) if (value[v + c]! > value[v + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** One condition of a rule: `feature op threshold`, as a sample goes left (`<=`) or right (`>`) at a split. */
export interface RuleCondition {
  /** The feature's name (or `x{j}` when no names were given). */
  feature: string;
  /** Its column index in X. */
  featureIndex: number;
  op: '<=' | '>';
  threshold: number;
}

/** One leaf as a rule: the conditions on the path to it, and who it holds. */
export interface TreeRule {
  leaf: number;
  /**
   * The path's conditions, simplified: at most one `<=` and one `>` per feature (the tightest bounds), features in
   * order of their first split on the path.
   */
  conditions: RuleCondition[];
  /** Weighted training counts per class at the leaf, in `classes` order. */
  classCounts: Record<string, number>;
  /** Heaviest class at the leaf (the first in `classes` order on ties). */
  prediction: ClassLabel;
  /** Training samples at the leaf, and their total weight. */
  samples: number;
  weight: number;
}

/**
 * The tree's leaves as rules, in the order a depth-first walk from the root meets them (left before right).
 * Repeated conditions on one feature along a path are merged into the tightest bound: `x ≤ 5 and x ≤ 3` → `x ≤ 3`,
 * `x > 1 and x > 2` → `x > 2`.
 *
 * @param featureNames - a name per column (default `x0, x1, …`).
 * @param classes - the model's `classes` (default `0, 1, …`).
 * @throws RangeError when `featureNames` or `classes` are too short for the tree.
 *
 * @example
 * for (const r of treeRules(model.tree, ['recency', 'orders'], model.classes)) {
 *   console.log(r.conditions.map((c) => `${c.feature} ${c.op} ${c.threshold}`).join(' and '), '→', r.prediction);
 * }
 */
export function treeRules(
  tree: TreeStructure,
  featureNames?: readonly string[],
  classes?: readonly ClassLabel[],
): TreeRule[] {
  const { left, right, feature, threshold, value, nClasses: k } = tree;
  let maxFeature = -1;
  for (let i = 0; i < tree.nodeCount; i++) maxFeature = Math.max(maxFeature, feature[i]!);
  if (featureNames !== undefined && featureNames.length <= maxFeature) {
    throw new RangeError(
      `featureNames has ${featureNames.length} names but the tree splits on feature ${maxFeature}`,
    );
  }
  if (classes !== undefined && classes.length !== k) {
    throw new RangeError(`classes has ${classes.length} labels, expected the tree's ${k}`);
  }
  const name = (j: number): string => featureNames?.[j] ?? `x${j}`;
  const cls = (c: number): ClassLabel => classes?.[c] ?? c;
  const rules: TreeRule[] = [];
  // Path as (node, went left) pairs; a stack of [node, depth, wentLeft] for an iterative depth-first walk.
  const pathNode: number[] = [];
  const pathLeft: boolean[] = [];
  const stack: [number, number, boolean][] = [[0, 0, true]];
  while (stack.length > 0) {
    const [node, depth, wentLeft] = stack.pop()!;
    pathNode.length = depth;
    pathLeft.length = depth;
    if (depth > 0) {
      pathLeft[depth - 1] = wentLeft;
    }
    if (left[node] === -1) {
      rules.push(leafRule(node));
      continue;
    }
    pathNode[depth] = node;
    stack.push([right[node]!, depth + 1, false], [left[node]!, depth + 1, true]);
  }
  return rules;

  function leafRule(leaf: number): TreeRule {
    const conditions: RuleCondition[] = [];
    const upper = new Map<number, RuleCondition>();
    const lower = new Map<number, RuleCondition>();
    for (let s = 0; s < pathNode.length; s++) {
      const node = pathNode[s]!;
      const j = feature[node]!;
      const t = threshold[node]!;
      if (pathLeft[s]) {
        const c = upper.get(j);
        if (c === undefined) {
          const nc: RuleCondition = { feature: name(j), featureIndex: j, op: '<=', threshold: t };
          upper.set(j, nc);
          conditions.push(nc);
        } else if (t < c.threshold) c.threshold = t;
      } else {
        const c = lower.get(j);
        if (c === undefined) {
          const nc: RuleCondition = { feature: name(j), featureIndex: j, op: '>', threshold: t };
          lower.set(j, nc);
          conditions.push(nc);
        } else if (t > c.threshold) c.threshold = t;
      }
    }
    const classCounts: Record<string, number> = {};
    let best = 0;
    for (let c = 0; c < k; c++) {
      const v = value[leaf * k + c]!;
      classCounts[String(cls(c))] = v;
      if (v > value[leaf * k + best]!) best = c;
    }
    return {
      leaf,
      conditions,
      classCounts,
      prediction: cls(best),
      samples: tree.nNodeSamples[leaf]!,
      weight: tree.weightedNNodeSamples[leaf]!,
    };
  }
}
