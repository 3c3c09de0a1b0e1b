/**
 * Segmentation methods by name, as the config's `segmentation.method` selects them.
 * @module
 */
import { assertNever } from '../util/errors.js';
import { kmeansSegmenter } from './segment-kmeans.js';
import type { SegmentationOptions, Segmenter } from './segmenter.js';

export function getSegmenter(method: SegmentationOptions['method']): Segmenter {
  switch (method) {
    case 'kmeans':
      return kmeansSegmenter;
    default:
      return assertNever(method, 'segmentation method');
  }
}
