export { kmeansSegmenter } from './segment-kmeans.js';
export { getSegmenter, partitionFitter, K_METHODS, type KMethod } from './registry.js';
export { AGGLOMERATIVE_SWEEP_ROWS, chooseK } from './choose-k.js';
export { assignWithModel } from './assign-models.js';
export { METHOD_LABELS } from './segmenter.js';
export { CRITERION_LABELS, kReasonOf } from './choose-k.js';
export { segmentStability, type SegmentStability } from './segment-stability.js';
export { valueSegmentation } from './segment-value.js';
export type {
  CategoricalColumns,
  Segmenter,
  SegmentationMethod,
  ClusterMethod,
  ValueMethod,
  SavedValueSegments,
  SegmentationResult,
  SegmentationOptions,
  SegmentInput,
  SavedModel,
  SavedKMeans,
  SavedCentroids,
  SavedGaussianMixture,
  SavedDensity,
  SavedPrototypes,
  KSelection,
} from './segmenter.js';
