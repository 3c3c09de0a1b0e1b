// Supervised models (decision tree, random forest) and classification metrics, exported from 'segmint'.
export { decisionTree } from './decision-tree.js';
export { randomForest } from './random-forest.js';
export {
  applyTree,
  predictTree,
  predictTreeProba,
  treeRules,
  type TreeRule,
  type RuleCondition,
} from './tree-predict.js';
export { encodeClasses } from './labels.js';
export {
  accuracyScore,
  confusionMatrix,
  precisionRecallFscoreSupport,
  type ConfusionMatrix,
  type PrecisionRecallFscoreSupport,
} from './metrics.js';
export { trainTestSplit, type TrainTestSplit, type TrainTestSplitOptions } from './train-test-split.js';
export type * from './types.js';
