/**
 * Value methods (rfm, predictive, composite) as segmentations: their segments are bands of the value columns, so
 * nothing is fitted here — the labels come from the value stage, and this adds what every segmentation reports:
 * k, why, and the silhouette of the bands in the scaled feature space (how distinct the customers of each band are
 * on the clustered features, for comparison with a clustering).
 * @module
 */
import { sampledSilhouette } from './partition.js';
import type { SegmentationOptions, SegmentationResult, SegmentInput, ValueMethod } from './segmenter.js';

/** Why these segments, in one sentence per method. */
const REASONS: Record<ValueMethod, (k: number) => string> = {
  rfm: (k) =>
    `${k} named segment${k === 1 ? '' : 's'} of the RFM map: each customer's recency, frequency and monetary scores (by quantile) pick the first rule that matches`,
  predictive: (k) =>
    `${k} segment${k === 1 ? '' : 's'} by predicted lifetime value (low, medium, high) and probability of still being a customer`,
  composite: (k) => `${k} band${k === 1 ? '' : 's'} of the weighted composite score`,
};

export function valueSegmentation(
  method: ValueMethod,
  segments: { labels: Int32Array; names: string[] },
  input: SegmentInput,
  o: SegmentationOptions,
): SegmentationResult {
  const k = segments.names.length;
  return {
    labels: segments.labels,
    k,
    noise: 0,
    model: { method, k, names: segments.names },
    kSelection: null,
    kReason: REASONS[method](k),
    silhouette:
      k >= 2
        ? sampledSilhouette(
            input,
            segments.labels,
            { gamma: 0, numeric: true },
            o.silhouetteSampleSize,
            o.seed,
          )
        : NaN,
    stability: null,
  };
}
