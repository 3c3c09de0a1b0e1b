export { kmeansSegmenter } from './segment-kmeans.js';
export { getSegmenter } from './registry.js';
export { assignWithModel } from './assign-models.js';
export { METHOD_LABELS } from './segmenter.js';
export type {
  CategoricalColumns,
  Segmenter,
  SegmentationMethod,
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
