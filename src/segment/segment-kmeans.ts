/**
 * k-means segmentation with k fixed or chosen by silhouette. On large data the k sweep fits on a sample and the
 * chosen model is then refined on every customer from the sample's centroids (one Lloyd/Elkan run), so every
 * customer is assigned by a model fitted to all of them.
 * @module
 */
import { kmeans, predictKMeans } from '../cluster/index.js';
import { silhouetteScore } from '../metrics/index.js';
import { chooseK, kReasonOf } from './choose-k.js';
import type { PartitionFitter } from '../validate/types.js';
import { Random } from '../util/random.js';
import { InputError } from '../util/errors.js';
import { assignWithModel } from './assign-models.js';
import { distinctCount, orderBySize, relabel, takeRows } from './partition.js';
import type {
  KSelection,
  SavedModel,
  SegmentationOptions,
  SegmentationResult,
  Segmenter,
} from './segmenter.js';

export const kmeansSegmenter: Segmenter = {
  method: 'kmeans',

  async fit(input, o, onProgress): Promise<SegmentationResult> {
    const x = input.x;
    const n = x.rows;
    if (n < 2)
      throw new InputError(`only ${n} customer with a valid purchase: segmentation needs at least 2`);
    if (o.k !== 'auto' && o.k > n) {
      throw new InputError(
        `segmentation.k is ${o.k} but there are only ${n} customers with a valid purchase; use a k of at most ${n} or k: auto`,
      );
    }
    const rng = new Random(o.seed);
    const sampleIdx = n > o.sweepSampleSize ? rng.sampleIndices(n, o.sweepSampleSize) : null;
    const fitData = sampleIdx ? takeRows(x, sampleIdx) : x;
    let kSelection: KSelection | null = null;
    let k: number;
    let kReason: string;
    if (o.k === 'auto') {
      if (Math.min(o.kMax, n - 1) < o.kMin) {
        throw new InputError(
          `only ${n} customers with a valid purchase: too few to choose k between ${o.kMin} and ${o.kMax}; set segmentation.k (--k) to a number`,
        );
      }
      const sel = chooseK(x, kmeansFitter(o), 'k-means', o, o.sweepSampleSize, (m, f) =>
        onProgress?.(m, 0.9 * f),
      );
      kSelection = sel;
      k = sel.recommended;
      kReason = kReasonOf(sel);
    } else {
      k = o.k;
      kReason = `k = ${o.k} was set in the configuration`;
    }
    onProgress?.(`k-means k=${k}`, 0.9);
    const first = kmeans(fitData, { k, nInit: o.nInit, maxIter: o.maxIter, seed: o.seed + k });
    const chosen = { k, centroids: first.centroids, labels: first.labels, inertia: first.inertia };

    // Refine on every customer when the fit used a sample.
    let labels = chosen.labels;
    let centroids = chosen.centroids;
    let inertia = chosen.inertia;
    if (sampleIdx) {
      onProgress?.(`k-means k=${chosen.k} on all ${n} customers`, 0.95);
      const r = kmeans(x, {
        k: chosen.k,
        init: toRows(centroids, chosen.k, x.cols),
        nInit: 1,
        maxIter: o.maxIter,
        seed: o.seed,
      });
      labels = r.labels;
      centroids = r.centroids;
      inertia = r.inertia;
    }
    const order = orderBySize(labels, chosen.k);
    labels = relabel(labels, order);
    centroids = reorderRows(centroids, order, x.cols);
    const silhouette =
      k >= 2 && k < n && distinctCount(labels) >= 2
        ? silhouetteScore(
            x,
            labels,
            n > o.silhouetteSampleSize ? { sampleSize: o.silhouetteSampleSize, seed: o.seed } : {},
          )
        : NaN;
    const model: SavedModel = { method: 'kmeans', k, centroids: toRows(centroids, k, x.cols), inertia };
    return { labels, k, noise: 0, model, kSelection, kReason, silhouette, stability: null };
  },

  assign: (model, input) => assignWithModel(model, input),

  refitter: (o, k) => {
    const fit = kmeansFitter(o);
    return (train, score, seed) => fit(train.x, k, seed).predict(score.x);
  },
};

/** k-means for validation refits: at most 3 initialisations (the sweep fits each k many times). */
export function kmeansFitter(o: SegmentationOptions): PartitionFitter {
  return (x, k, seed) => {
    const r = kmeans(x, { k, nInit: Math.min(o.nInit, 3), maxIter: o.maxIter, seed });
    return { labels: r.labels, predict: (y) => predictKMeans(r.centroids, k, y) };
  };
}

function toRows(c: Float64Array, k: number, d: number): number[][] {
  return Array.from({ length: k }, (_, j) => Array.from(c.subarray(j * d, j * d + d)));
}

function reorderRows(c: Float64Array, order: Int32Array, d: number): Float64Array {
  const out = new Float64Array(c.length);
  order.forEach((old, neu) => out.set(c.subarray(old * d, old * d + d), neu * d));
  return out;
}

export type { SegmentationOptions };
