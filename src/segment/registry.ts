/**
 * Segmentation methods by name, as the config's `segmentation.method` selects them.
 * @module
 */
import type { PartitionFitter } from '../validate/types.js';
import { kmeansFitter, kmeansSegmenter } from './segment-kmeans.js';
import { methodSegmenter, partitionFitterOf } from './segment-methods.js';
import type { ClusterMethod, SegmentationOptions, Segmenter } from './segmenter.js';

/** Methods with a number of segments k that `selectK` can sweep on numeric features. */
export const K_METHODS = [
  'kmeans',
  'minibatch-kmeans',
  'bisecting-kmeans',
  'gaussian-mixture',
  'agglomerative',
] as const;
export type KMethod = (typeof K_METHODS)[number];

/** The method as the validation measures refit it: k segments on a matrix, and assignment of other rows. */
export function partitionFitter(method: KMethod, o: SegmentationOptions): PartitionFitter {
  return method === 'kmeans' ? kmeansFitter(o) : partitionFitterOf(method, o);
}

export function getSegmenter(method: ClusterMethod): Segmenter {
  return method === 'kmeans' ? kmeansSegmenter : methodSegmenter(method);
}
