/**
 * Segmentation methods by name, as the config's `segmentation.method` selects them.
 * @module
 */
import { kmeansSegmenter } from './segment-kmeans.js';
import { methodSegmenter } from './segment-methods.js';
import type { SegmentationMethod, Segmenter } from './segmenter.js';

export function getSegmenter(method: SegmentationMethod): Segmenter {
  return method === 'kmeans' ? kmeansSegmenter : methodSegmenter(method);
}
