/**
 * The segmentation contract: a method takes the scaled customer matrix (and, for kprototypes / kmodes, the
 * customers' categorical attributes as codes) and returns labels plus a model that can score new customers.
 * Labels are 0..k−1, largest segment first; density methods label customers in no dense region −1 (noise).
 * @module
 */
import type { Matrix } from '../util/matrix.js';
import type { Config } from '../config/index.js';
import type { SelectKResult } from '../validate/types.js';
import type { RefitAndAssign, SegmentStability } from './segment-stability.js';

export type SegmentationOptions = Config['segmentation'];
export type SegmentationMethod = SegmentationOptions['method'];
/** Methods that cluster the scaled features (the rest are the value methods: rfm, predictive, composite). */
export type ClusterMethod = Exclude<SegmentationMethod, ValueMethod | 'supervised'>;
export type ValueMethod = 'rfm' | 'predictive' | 'composite';

/** How messages and the report name each method. */
export const METHOD_LABELS: Record<SegmentationMethod, string> = {
  kmeans: 'k-means',
  'minibatch-kmeans': 'mini-batch k-means',
  'bisecting-kmeans': 'bisecting k-means',
  'gaussian-mixture': 'Gaussian mixture',
  agglomerative: 'agglomerative clustering',
  dbscan: 'DBSCAN',
  hdbscan: 'HDBSCAN',
  kprototypes: 'k-prototypes',
  kmodes: 'k-modes',
  rfm: 'RFM segment map',
  predictive: 'predicted value and churn risk',
  composite: 'weighted composite score',
  supervised: 'random forest on known segments',
};

/** Categorical attributes as codes: row i, attribute j is `codes[i * cols + j]`, an index into `levels`, or −1. */
export interface CategoricalColumns {
  codes: Int32Array;
  rows: number;
  cols: number;
  /** Per attribute: its name and levels (null = missing; "other" groups the rare ones). */
  attributes: { name: string; levels: (string | null)[] }[];
}

/** What a method segments: the scaled numeric features, and categorical attributes when it uses them. */
export interface SegmentInput {
  x: Matrix;
  categorical?: CategoricalColumns | null;
}

/** How k was chosen (every criterion per k, votes, recommendation), for the report and run.json. */
export type KSelection = SelectKResult;

/** Methods whose model is k centroids; a new customer joins the nearest one. */
export interface SavedCentroids {
  method: 'kmeans' | 'minibatch-kmeans' | 'bisecting-kmeans' | 'agglomerative';
  k: number;
  /** k × d centroids in the scaled feature space, row-major as nested arrays for readability. */
  centroids: number[][];
  /** Sum of squared distances of the training customers to their centroids. */
  inertia: number;
}

/** A Gaussian mixture; a new customer joins its most probable component. */
export interface SavedGaussianMixture {
  method: 'gaussian-mixture';
  k: number;
  covarianceType: 'full' | 'tied' | 'diag' | 'spherical';
  weights: number[];
  means: number[][];
  /** Flat, in the layout of `GaussianMixtureResult.covariances`. */
  covariances: number[];
  /** Flat factors U with precision = U Uᵀ (scikit-learn's `precisions_cholesky_`), used to score. */
  precisionsCholesky: number[];
}

/**
 * DBSCAN / HDBSCAN: reference customers of the fit (DBSCAN's core customers, HDBSCAN's clustered ones) with their
 * segment and reach; a new customer joins the segment of the nearest reference customer it is within reach of,
 * else it is noise (−1).
 */
export interface SavedDensity {
  method: 'dbscan' | 'hdbscan';
  k: number;
  reference: number[][];
  referenceLabels: number[];
  /** Reach of each reference customer: DBSCAN's eps for all, HDBSCAN's core distance per customer. */
  radius: number[];
}

/** k-prototypes / k-modes: numeric means (empty for k-modes) and modes; mismatches weigh `gamma` each. */
export interface SavedPrototypes {
  method: 'kprototypes' | 'kmodes';
  k: number;
  /** k × p numeric means in the scaled space (k × 0 for k-modes). */
  numeric: number[][];
  /** k × q modes as level indices into `attributes[j].levels`. */
  modes: number[][];
  attributes: { name: string; levels: (string | null)[] }[];
  gamma: number;
  cost: number;
}

/**
 * Value methods: segments are named bands of the value columns (RFM map, predicted CLV × P(alive), composite
 * score); scoring new customers recomputes those columns with the saved `value` model of model.json.
 */
export interface SavedValueSegments {
  method: ValueMethod;
  k: number;
  /** Segment names in label order (label i is `names[i]`). */
  names: string[];
}

/** Supervised: the random forest trained on the customers whose segment was known; a customer joins its vote. */
export interface SavedForest {
  method: 'supervised';
  k: number;
  /** Segment names in label order (the known labels, largest first). */
  names: string[];
  /** Trees in scikit-learn's tree_ layout; `value` has k columns, in `names` order. */
  trees: { left: number[]; right: number[]; feature: number[]; threshold: number[]; value: number[] }[];
}

export type SavedModel =
  SavedCentroids | SavedGaussianMixture | SavedDensity | SavedPrototypes | SavedValueSegments | SavedForest;
/** The k-means model (kept by name for the API of earlier versions). */
export type SavedKMeans = SavedCentroids;

export interface SegmentationResult {
  /** Segment index per customer, 0..k−1, largest segment first; −1 for noise (density methods). */
  labels: Int32Array;
  k: number;
  /** Customers labelled noise (−1). */
  noise: number;
  model: SavedModel;
  kSelection: KSelection | null;
  /** Sentence on how k was chosen. */
  kReason: string;
  /**
   * Silhouette of the final segmentation, on the clustered customers (noise left out), estimated on a sample on
   * large data; NaN when fewer than 2 segments.
   */
  silhouette: number;
  /** Per segment, how well refits on subsamples reproduce it; null when stability is off. */
  stability: SegmentStability | null;
}

export interface Segmenter {
  readonly method: ClusterMethod;
  fit(
    input: SegmentInput,
    options: SegmentationOptions,
    onProgress?: (message: string, fraction: number) => void,
  ): Promise<SegmentationResult>;
  assign(model: SavedModel, input: SegmentInput): Int32Array;
  /** Fits the method with k segments on some customers and assigns others: the stability check's refit. */
  refitter(o: SegmentationOptions, k: number): RefitAndAssign;
}
