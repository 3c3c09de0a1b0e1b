/**
 * The contract of `src/validate` (choosing k and showing that segments are real): what `selectK`, the gap
 * statistic and the stability measures take and return. The pipeline (`src/segment`, `segmint evaluate`) and the
 * report are written against these types.
 * @module
 */
import type { Matrix } from '../util/matrix.js';

/** Built-in methods `selectK` can sweep (every k-based numeric method of `src/cluster`). */
export type SelectKMethod =
  'kmeans' | 'minibatch-kmeans' | 'bisecting-kmeans' | 'gaussian-mixture' | 'agglomerative';

/** One fit for one k, as the validation measures need it. */
export interface FittedPartition {
  /** Cluster of each fitted row, 0..k−1. */
  labels: Int32Array;
  /** Cluster of each row of another matrix with the same columns (nearest centroid, most probable component, …). */
  predict(x: Matrix): Int32Array;
  /** Mixtures only: Bayesian and Akaike information criteria of the fit. */
  bic?: number;
  aic?: number;
}

/** Fits k clusters to `x` with a seed; the same seed gives the same fit. */
export type PartitionFitter = (x: Matrix, k: number, seed: number) => FittedPartition;

/** Options for `selectK`. */
export interface SelectKOptions {
  /** Smallest and largest k to try; defaults 2 and 10. The gap statistic also fits k = 1. */
  kMin?: number;
  kMax?: number;
  /** A built-in method (default 'kmeans'), or `fitter` for any other. */
  method?: SelectKMethod;
  /** Fits k clusters; overrides `method` (the pipeline passes its configured method this way). */
  fitter?: PartitionFitter;
  /** Name of the method for messages when `fitter` is given. */
  methodLabel?: string;
  /** Fit on a seeded sample of this many rows when there are more (default 20,000); the result says so. */
  sampleSize?: number;
  /** Rows the silhouette is scored on, among the fitted ones (default 5,000). */
  silhouetteSampleSize?: number;
  /** Reference data sets of the gap statistic (default 10); 0 leaves the gap statistic out. */
  gapReferences?: number;
  /** Refits per k on subsamples for stability (default 10); 0 leaves stability out. */
  stabilityRuns?: number;
  /** Fraction of the fitted rows each stability refit sees (default 0.8, without replacement). */
  stabilityFraction?: number;
  /** Prediction strength on a seeded half/half split (default true). */
  predictionStrength?: boolean;
  seed?: number;
  /** Called as work proceeds, fraction in [0, 1]. */
  onProgress?: (message: string, fraction: number) => void;
}

/** Every measure for one k, on the fitted rows. */
export interface KEvaluation {
  k: number;
  /** Within-cluster sum of squared distances to the cluster means. */
  inertia: number;
  /** Mean silhouette (estimated on `silhouetteOn` rows); NaN when the fit has fewer than 2 clusters. */
  silhouette: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
  /** Mixtures only, else null. */
  bic: number | null;
  aic: number | null;
  /** Gap(k) and its standard error s_k (Tibshirani, Walther & Hastie 2001); null when the gap is off. */
  gap: number | null;
  gapSE: number | null;
  /** Mean adjusted Rand index between refits on subsamples, and its standard deviation; null when off. */
  stability: number | null;
  stabilitySD: number | null;
  /** Prediction strength (Tibshirani & Walther 2005): the worst test cluster's co-membership; null when off. */
  predictionStrength: number | null;
  /** Per cluster of this k's fit: mean Jaccard similarity with its best-matched cluster across refits. */
  clusterJaccard: number[] | null;
}

/** What one criterion says k should be. */
export interface CriterionVote {
  criterion:
    | 'elbow'
    | 'silhouette'
    | 'calinski-harabasz'
    | 'davies-bouldin'
    | 'bic'
    | 'gap'
    | 'stability'
    | 'prediction-strength';
  /** The k it picks; null when it picks none in range (e.g. no knee found); 1 = no structure (gap). */
  k: number | null;
  /** The rule in words, e.g. "highest silhouette (0.41)", "smallest k with Gap(k) ≥ Gap(k+1) − s(k+1)". */
  rule: string;
}

export interface SelectKResult {
  method: string;
  ks: number[];
  evaluations: KEvaluation[];
  /** Gap(1) and s_1, for the "no clear structure" test; null when the gap is off. */
  gapAtOne: { gap: number; gapSE: number } | null;
  /** The knee of the inertia curve (Kneedle), or null when none. */
  elbow: number | null;
  votes: CriterionVote[];
  /** The recommended k; when there is no clear structure, the best k anyway (see `structure`). */
  recommended: number;
  /** 'none' when the data show no clear clusters (e.g. the gap picks k = 1 and no k is stable). */
  structure: 'clear' | 'weak' | 'none';
  /** Plain sentences: which criteria agree, which do not, sampling. */
  reasons: string[];
  /** Rows fitted (a sample when `sampled`), rows of X, rows the silhouette was scored on. */
  fittedOn: number;
  total: number;
  silhouetteOn: number;
  sampled: boolean;
}
