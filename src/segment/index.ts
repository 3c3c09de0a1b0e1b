export { kmeansSegmenter } from './segment-kmeans.js';
export { getSegmenter } from './registry.js';
export type {
  Segmenter,
  SegmentationResult,
  SegmentationOptions,
  SavedModel,
  SavedKMeans,
  KSelection,
} from './segmenter.js';
