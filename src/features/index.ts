export {
  buildFeatures,
  snake,
  CUSTOMER_ORDER,
  type FeatureContext,
  type FeaturesResult,
} from './customer-features.js';
export {
  fetchFeatures,
  fitTransforms,
  scaleMatrix,
  featureMatrix,
  signedLog1p,
  categoricalAttributes,
  fetchCategoryCodes,
  type CategoricalAttribute,
  type FeatureColumns,
} from './transform.js';
export {
  BEHAVIOUR_FEATURES,
  DEFAULT_CLUSTER,
  DEFAULT_LOG1P,
  type FeatureDef,
  type FeatureSpec,
  type ClusterFeature,
  type FeatureSource,
  type Transform,
  type Scaling,
} from './feature-spec.js';
