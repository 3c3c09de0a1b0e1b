/**
 * segmint's public API: the pipeline, its configuration, and the numeric building blocks.
 * @module
 */
export {
  runPipeline,
  assignPipeline,
  qualityCheck,
  readModelFile,
  MODEL_FORMAT,
  MODEL_VERSION,
} from './pipeline/index.js';
export type {
  RunOptions,
  RunResult,
  ProgressFn,
  AssignOptions,
  AssignResult,
  ModelFile,
} from './pipeline/index.js';
export { ConfigSchema, loadConfig, parseConfig } from './config/index.js';
export type { Config, ConfigInput } from './config/index.js';
export {
  kmeans,
  predictKMeans,
  KMEANS_DEFAULTS,
  dbscan,
  DBSCAN_DEFAULTS,
  agglomerative,
  cutLinkage,
  AGGLOMERATIVE_DEFAULTS,
  gaussianMixture,
  GAUSSIAN_MIXTURE_DEFAULTS,
  miniBatchKMeans,
  MiniBatchKMeans,
  bisectingKMeans,
  kModes,
  kPrototypes,
  hdbscan,
} from './cluster/index.js';
export type {
  KMeansAlgorithm,
  KMeansIteration,
  KMeansOptions,
  KMeansResult,
  DBSCANMetric,
  DBSCANOptions,
  DBSCANResult,
  AgglomerativeLinkage,
  AgglomerativeOptions,
  AgglomerativeResult,
  CovarianceType,
  GaussianMixtureOptions,
  GaussianMixtureResult,
  MiniBatchKMeansOptions,
  MiniBatchKMeansResult,
  BisectingKMeansOptions,
  BisectingKMeansResult,
  KModesOptions,
  KPrototypesInput,
  KPrototypesOptions,
  KPrototypesResult,
} from './cluster/index.js';
export {
  inertia,
  silhouetteSamples,
  silhouetteScore,
  silhouetteEstimate,
  calinskiHarabaszScore,
  daviesBouldinScore,
  adjustedRandScore,
  mutualInfoScore,
  normalizedMutualInfoScore,
  adjustedMutualInfoScore,
} from './metrics/index.js';
export type {
  SilhouetteOptions,
  SilhouetteEstimate,
  SilhouetteEstimateOptions,
  AverageMethod,
  MutualInfoOptions,
} from './metrics/index.js';
export {
  selectK,
  SELECT_K_DEFAULTS,
  kneedle,
  gapStatistic,
  clusteringStability,
  predictionStrength,
  builtInFitter,
} from './validate/index.js';
export type {
  SelectKMethod,
  SelectKOptions,
  SelectKResult,
  KEvaluation,
  CriterionVote,
  FittedPartition,
  PartitionFitter,
  KneedleOptions,
  GapStatisticOptions,
  GapStatisticResult,
  GapValue,
  ReferenceDistribution,
  ClusteringStabilityOptions,
  ClusteringStabilityResult,
  PredictionStrengthOptions,
  PredictionStrengthResult,
} from './validate/index.js';
export {
  rfmSummary,
  rfmSummarySql,
  rfmScores,
  scoreWithCuts,
  rfmScoresSql,
  DEFAULT_RFM_MAP,
  assignRfmSegments,
  checkRfmMap,
  compositeScore,
  scoreComposite,
  segmentByScore,
  fitBetaGeo,
  betaGeoModel,
  fitModifiedBetaGeo,
  modifiedBetaGeoModel,
  fitParetoNbd,
  paretoNbdModel,
  fitGammaGamma,
  gammaGammaModel,
  customerLifetimeValue,
  holdoutComparison,
  expectedCumulativeTransactions,
  simulateBetaGeo,
  simulateModifiedBetaGeo,
  simulateParetoNbd,
  simulateGammaGamma,
} from './value/index.js';
export type {
  RepeatData,
  SpendData,
  PurchaseModel,
  SpendModel,
  BetaGeoParams,
  ParetoNbdParams,
  GammaGammaParams,
  FitOptions,
  LifetimeValueOptions,
  RfmSummary,
  RfmSummaryOptions,
  RfmScores,
  RfmCuts,
  RfmRule,
  HoldoutComparison,
  CumulativeTransactions,
} from './value/index.js';
export {
  decisionTree,
  randomForest,
  applyTree,
  predictTree,
  predictTreeProba,
  treeRules,
  accuracyScore,
  confusionMatrix,
  precisionRecallFscoreSupport,
  trainTestSplit,
} from './supervised/index.js';
export type {
  DecisionTreeModel,
  DecisionTreeOptions,
  RandomForestModel,
  RandomForestOptions,
  TreeStructure,
  TreeRule,
  ClassLabel,
} from './supervised/index.js';
export { explainSegments } from './interpret/index.js';
export type { SegmentRules, SegmentRule } from './interpret/index.js';
export { pca } from './decomposition/index.js';
export type { PcaResult } from './decomposition/index.js';
export { DuckDBEngine, DuckDBDialect, Dialect } from './engine/index.js';
export type { Engine, FileSource } from './engine/index.js';
export { renderReport } from './report/index.js';
export type { ReportData } from './report/index.js';
export { generateDemoData } from './demo/index.js';
export type { DemoFiles, GenerateDemoDataOptions } from './demo/index.js';
export { getSegmenter, kmeansSegmenter } from './segment/index.js';
export type { Segmenter, SegmentationResult, SavedModel, KSelection } from './segment/index.js';
export type { QualityReport, InputQuality } from './quality/index.js';
export type { Profiles, SegmentProfile } from './profile/index.js';
export type { FeatureSpec, FeatureDef, ClusterFeature } from './features/index.js';
export type { Matrix, MatrixLike } from './util/matrix.js';
export { Random } from './util/random.js';
export { InputError, UsageError } from './util/errors.js';
export { VERSION } from './version.js';
