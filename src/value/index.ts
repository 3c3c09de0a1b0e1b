// The value stage (the pipeline's entry) and the customer-value library, exported from 'segmint'.
export {
  computeCustomerValue,
  type CustomerValue,
  type SavedValue,
  type ValueSegments,
  type HoldoutCheck,
} from './customer-value.js';
export {
  PREDICTIVE_DESCRIPTIONS,
  PREDICTIVE_SEGMENTS,
  fitPredictiveCuts,
  predictiveLabels,
  type PredictiveCuts,
  type PredictiveOptions,
} from './predictive.js';
export {
  rfmSummary,
  type RfmSummary,
  type RfmSummaryOptions,
  type RfmUnit,
  type TransactionInput,
} from './rfm-summary.js';
export { rfmSummarySql, type RfmSummarySqlOptions, type RfmSummarySqlResult } from './rfm-summary-sql.js';
export { rfmScores, scoreWithCuts, type RfmScores, type RfmCuts, type RfmValues } from './rfm-scores.js';
export { rfmScoresSql } from './rfm-scores-sql.js';
export { DEFAULT_RFM_MAP, assignRfmSegments, checkRfmMap, type RfmRule, type RfmMap } from './rfm-map.js';
export {
  compositeScore,
  scoreComposite,
  segmentByScore,
  type CompositeNormalisation,
  type CompositeResult,
} from './composite.js';
export { fitBetaGeo, betaGeoModel, type BetaGeoModel } from './clv/beta-geo.js';
export {
  fitModifiedBetaGeo,
  modifiedBetaGeoModel,
  type ModifiedBetaGeoModel,
} from './clv/modified-beta-geo.js';
export { fitParetoNbd, paretoNbdModel } from './clv/pareto-nbd.js';
export { fitGammaGamma, gammaGammaModel } from './clv/gamma-gamma.js';
export { customerLifetimeValue } from './clv/lifetime-value.js';
export {
  holdoutComparison,
  expectedCumulativeTransactions,
  type HoldoutComparison,
  type CumulativeTransactions,
} from './clv/holdout.js';
export {
  simulateBetaGeo,
  simulateModifiedBetaGeo,
  simulateParetoNbd,
  simulateGammaGamma,
} from './clv/simulate.js';
export type * from './clv/types.js';
