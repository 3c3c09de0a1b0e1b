/**
 * The feature specification saved in model.json: which features exist, how each is computed, imputed,
 * transformed and scaled — everything needed to compute the same matrix for new customers.
 * @module
 */

/** Where a feature comes from; 'value' columns (RFM scores, P(alive), predicted CLV) are added by src/value. */
export type FeatureSource = 'behaviour' | 'engagement' | 'attribute' | 'value';
export type Transform = 'none' | 'log1p';
export type Scaling = 'standard' | 'robust' | 'minmax';

export interface FeatureDef {
  /** Column name in the features table and segments.csv. */
  name: string;
  /** Human label for reports. */
  label: string;
  source: FeatureSource;
  /** Value used where a customer has none (e.g. a missing age): the training median. */
  impute?: number;
  /** For one-hot attribute columns: the attribute and the level this column encodes. */
  oneHot?: { attribute: string; level: string | null };
  /** For ordinal attributes: levels in order. */
  ordinal?: { attribute: string; levels: string[] };
  /** For numeric or date attributes: the source column. */
  attribute?: { column: string; kind: 'numeric' | 'date' };
  /** For engagement counts: the event type, or '*' for all. */
  eventType?: string;
}

export interface ClusterFeature {
  name: string;
  transform: Transform;
  /** x' = (transform(x) − center) / scale. */
  center: number;
  scale: number;
}

export interface FeatureSpec {
  /** Reference date for recency and tenure, ISO. */
  asOf: string;
  /** Whether asOf was fixed by the user or derived from the data (the day after the last purchase). */
  asOfFrom: 'config' | 'data';
  features: FeatureDef[];
  /** Features the model clusters on, in matrix column order, with their transform parameters. */
  cluster: ClusterFeature[];
  scaling: Scaling;
}

/** Behavioural features computed from transactions. */
export const BEHAVIOUR_FEATURES: readonly { name: string; label: string }[] = [
  { name: 'recency_days', label: 'Days since last purchase' },
  { name: 'frequency', label: 'Orders' },
  { name: 'monetary', label: 'Net spend' },
  { name: 'avg_order_value', label: 'Average order value' },
  { name: 'tenure_days', label: 'Days since first purchase' },
  { name: 'interpurchase_days', label: 'Mean days between orders' },
  { name: 'distinct_products', label: 'Distinct products' },
  { name: 'return_rate', label: 'Share of spend returned' },
];

/**
 * Features clustered by default: recency, frequency and monetary value, the RFM model marketers know (Hughes
 * 1994). Every other feature is profiled; list more in `features.cluster` to cluster on them too. On the demo
 * data, adding the five other behavioural and two engagement features made silhouette prefer k = 2–3 over the
 * five planted segments that RFM alone finds.
 */
export const DEFAULT_CLUSTER = ['recency_days', 'frequency', 'monetary'];
/** Skewed money, count and duration features get log(1 + x) by default (signed for money). */
export const DEFAULT_LOG1P = [
  'recency_days',
  'frequency',
  'monetary',
  'avg_order_value',
  'distinct_products',
  'interpurchase_days',
  'engagement_events',
  'engagement_active_days',
  'engagement_recency_days',
];
