export { buildFeatures, snake, type FeatureContext, type FeaturesResult } from './customer-features.js';
export { fitTransforms, featureMatrix, transformedExpr, FEATURE_ORDER } from './transform.js';
export {
  BEHAVIOUR_FEATURES,
  DEFAULT_CLUSTER,
  DEFAULT_CLUSTER_ENGAGEMENT,
  DEFAULT_LOG1P,
  type FeatureDef,
  type FeatureSpec,
  type ClusterFeature,
  type FeatureSource,
  type Transform,
  type Scaling,
} from './feature-spec.js';
