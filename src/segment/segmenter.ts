/**
 * The segmentation contract: a method takes the scaled customer matrix and returns labels plus a model that can
 * score new customers. `kmeans` is the first; later methods (mixtures, hierarchical, RFM…) register here.
 * @module
 */
import type { Matrix } from '../util/matrix.js';
import type { Config } from '../config/index.js';

/** How k was chosen, for the report and run.json. */
export interface KSelection {
  criterion: 'silhouette';
  ks: number[];
  silhouette: number[];
  inertia: number[];
  chosen: number;
  /** Customers the sweep fitted on / silhouette was estimated on. */
  fittedOn: number;
  silhouetteOn: number;
  total: number;
}

/** What a saved model needs to assign new customers (model.json's `model`). */
export interface SavedKMeans {
  method: 'kmeans';
  k: number;
  /** k × d centroids in the scaled feature space, row-major as nested arrays for readability. */
  centroids: number[][];
  inertia: number;
}

export type SavedModel = SavedKMeans;

export interface SegmentationResult {
  /** Segment index per customer, 0..k−1, largest segment first. */
  labels: Int32Array;
  k: number;
  model: SavedModel;
  kSelection: KSelection | null;
  /** Sentence on how k was chosen. */
  kReason: string;
  /** Silhouette of the final segmentation (estimated on a sample on large data); NaN when k = 1. */
  silhouette: number;
}

export type SegmentationOptions = Config['segmentation'];

export interface Segmenter {
  readonly method: SegmentationOptions['method'];
  fit(
    x: Matrix,
    options: SegmentationOptions,
    onProgress?: (message: string, fraction: number) => void,
  ): Promise<SegmentationResult>;
  assign(model: SavedModel, x: Matrix): Int32Array;
}
