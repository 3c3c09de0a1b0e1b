/**
 * The contract of the supervised models (issue 6): decision trees and random forests for classification, in
 * scikit-learn's semantics and names (camelCase). A fitted tree is flat typed arrays in scikit-learn's `tree_`
 * layout, so a tree from either builder (the exact CART builder, or the forest's) is predicted, printed as rules
 * and saved the same way.
 * @module
 */
import type { MatrixLike } from '../util/matrix.js';

/** Class labels as given: numbers or strings; stored sorted (numbers ascending, then strings), as `classes_`. */
export type ClassLabel = number | string;

/**
 * One fitted tree, node 0 the root. Node i is a leaf when `left[i] === -1` (then `right[i] === -1`,
 * `feature[i] === -2`, `threshold[i] === -2`, as scikit-learn marks leaves). A sample goes left when
 * `x[feature] <= threshold`.
 */
export interface TreeStructure {
  nodeCount: number;
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** Weighted class counts of the training samples reaching each node: `value[i * nClasses + c]`. */
  value: Float64Array;
  /** Impurity (gini or entropy) of each node. */
  impurity: Float64Array;
  /** Training samples reaching each node, and their total sample weight. */
  nNodeSamples: Int32Array;
  weightedNNodeSamples: Float64Array;
  nClasses: number;
  /** Depth of the deepest leaf (root alone = 0). */
  maxDepth: number;
}

export interface DecisionTreeOptions {
  criterion?: 'gini' | 'entropy';
  /** Default unlimited. */
  maxDepth?: number | null;
  /** Default 2. */
  minSamplesSplit?: number;
  /** Default 1. */
  minSamplesLeaf?: number;
  /** Features considered per split: all (default), 'sqrt', 'log2', a count, or a fraction in (0, 1). */
  maxFeatures?: 'sqrt' | 'log2' | number | null;
  /** Order features are tried in (ties between equally good splits go to the first found, as in scikit-learn). */
  seed?: number;
  sampleWeight?: ArrayLike<number>;
  /**
   * Worker threads the features are spread over. Default: all cores from 50,000 rows, else 1 (and 1 inside a worker
   * thread, whose caller is parallel already). The tree does not depend on it.
   */
  threads?: number;
}

export interface DecisionTreeModel {
  classes: ClassLabel[];
  nFeatures: number;
  tree: TreeStructure;
  /** Mean decrease in impurity per feature, normalised to sum 1 (scikit-learn's `feature_importances_`). */
  featureImportances: Float64Array;
  predict(x: MatrixLike): ClassLabel[];
  /** n × nClasses probabilities, row-major. */
  predictProba(x: MatrixLike): Float64Array;
  /** Leaf index per row (scikit-learn's `apply`). */
  apply(x: MatrixLike): Int32Array;
}

export interface RandomForestOptions {
  /** Default 100. */
  nEstimators?: number;
  criterion?: 'gini' | 'entropy';
  maxDepth?: number | null;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  /** Default 'sqrt', as scikit-learn's RandomForestClassifier. */
  maxFeatures?: 'sqrt' | 'log2' | number | null;
  /** Default true. */
  bootstrap?: boolean;
  /** Compute the out-of-bag accuracy (needs bootstrap). Default false. */
  oobScore?: boolean;
  seed?: number;
  /** Worker threads; default all cores. The result does not depend on it. */
  threads?: number;
}

export interface RandomForestModel {
  classes: ClassLabel[];
  nFeatures: number;
  trees: TreeStructure[];
  featureImportances: Float64Array;
  /** Out-of-bag accuracy when `oobScore` was set, else null. */
  oobScore: number | null;
  predict(x: MatrixLike): ClassLabel[];
  /** Mean of the trees' leaf class fractions, n × nClasses row-major (scikit-learn's soft voting). */
  predictProba(x: MatrixLike): Float64Array;
}
