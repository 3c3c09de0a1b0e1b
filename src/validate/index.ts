/**
 * Choosing the number of segments and showing that they are real: the public API of `src/validate`, re-exported
 * by name.
 * @module
 */

export { selectK, SELECT_K_DEFAULTS } from './select-k.js';
export { kneedle, type KneedleOptions } from './kneedle.js';
export {
  gapStatistic,
  type GapStatisticOptions,
  type GapStatisticResult,
  type GapValue,
} from './gap-statistic.js';
export type { ReferenceDistribution } from './reference-data.js';
export {
  clusteringStability,
  JACCARD_STABLE,
  JACCARD_DISSOLVED,
  type ClusteringStabilityOptions,
  type ClusteringStabilityResult,
} from './stability.js';
export {
  predictionStrength,
  PREDICTION_STRENGTH_THRESHOLD,
  type PredictionStrengthOptions,
  type PredictionStrengthResult,
} from './prediction-strength.js';
export { STABLE_ARI, CRITERION_NAMES } from './recommend.js';
export { builtInFitter, METHOD_NAMES } from './fitters.js';
export type {
  SelectKMethod,
  FittedPartition,
  PartitionFitter,
  SelectKOptions,
  KEvaluation,
  CriterionVote,
  SelectKResult,
} from './types.js';
