/**
 * k-means segmentation with k fixed or chosen by silhouette. On large data the k sweep fits on a sample and the
 * chosen model is then refined on every customer from the sample's centroids (one Lloyd/Elkan run), so every
 * customer is assigned by a model fitted to all of them.
 * @module
 */
import { kmeans } from '../cluster/index.js';
import { silhouetteScore } from '../metrics/index.js';
import { sweepK } from './k-sweep.js';
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
    let chosen: { k: number; centroids: Float64Array; labels: Int32Array; inertia: number };
    let kReason: string;
    const silN = Math.min(fitData.rows, o.silhouetteSampleSize);

    if (o.k === 'auto') {
      const kMax = Math.min(o.kMax, fitData.rows - 1);
      if (kMax < o.kMin) {
        throw new InputError(
          `only ${n} customers with a valid purchase: too few to choose k between ${o.kMin} and ${o.kMax}; set segmentation.k (--k) to a number`,
        );
      }
      const ks = Array.from({ length: kMax - o.kMin + 1 }, (_, i) => o.kMin + i);
      onProgress?.(`k-means for k = ${o.kMin}..${kMax}`, 0);
      const fits = await sweepK(
        fitData,
        ks,
        { nInit: o.nInit, maxIter: o.maxIter, seed: o.seed, silhouetteSampleSize: silN },
        (done, total) => onProgress?.(`k-means: ${done} of ${total} values of k`, done / total),
      );
      const sil = fits.map((f) => f.silhouette);
      const inert = fits.map((f) => f.inertia);
      let best = 0;
      for (let i = 1; i < ks.length; i++) if (sil[i]! > sil[best]! + 1e-12) best = i;
      chosen = fits[best]!;
      kSelection = {
        criterion: 'silhouette',
        ks,
        silhouette: sil,
        inertia: inert,
        chosen: chosen.k,
        fittedOn: fitData.rows,
        silhouetteOn: silN,
        total: n,
      };
      const runnerUp = sil
        .map((s, i) => ({ s, k: ks[i]! }))
        .filter((e) => e.k !== chosen.k)
        .sort((a, b) => b.s - a.s)[0];
      kReason =
        `k = ${chosen.k} had the highest silhouette (${sil[best]!.toFixed(3)}) among k = ${ks[0]}..${ks[ks.length - 1]}` +
        (runnerUp ? `; next best k = ${runnerUp.k} (${runnerUp.s.toFixed(3)})` : '') +
        (sampleIdx
          ? `; the sweep fitted ${fitData.rows.toLocaleString('en-US')} sampled customers of ${n.toLocaleString('en-US')}`
          : '') +
        (silN < fitData.rows ? `; silhouette estimated on ${silN.toLocaleString('en-US')} customers` : '');
    } else {
      onProgress?.(`k-means k=${o.k}`, 0);
      const r = kmeans(fitData, { k: o.k, nInit: o.nInit, maxIter: o.maxIter, seed: o.seed + o.k });
      chosen = { k: o.k, centroids: r.centroids, labels: r.labels, inertia: r.inertia };
      kReason = `k = ${o.k} was set in the configuration`;
    }

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
    const k = chosen.k;
    // When the sweep scored every customer with these very labels, its silhouette is the answer already.
    const swept = !sampleIdx && kSelection ? kSelection.silhouette[kSelection.ks.indexOf(k)] : undefined;
    const silhouette =
      swept !== undefined && swept >= -1 && silN === n
        ? swept
        : k >= 2 && k < n && distinctCount(labels) >= 2
          ? silhouetteScore(
              x,
              labels,
              n > o.silhouetteSampleSize ? { sampleSize: o.silhouetteSampleSize, seed: o.seed } : {},
            )
          : NaN;
    const model: SavedModel = { method: 'kmeans', k, centroids: toRows(centroids, k, x.cols), inertia };
    return { labels, k, noise: 0, model, kSelection, kReason, silhouette };
  },

  assign: (model, input) => assignWithModel(model, input),
};

function toRows(c: Float64Array, k: number, d: number): number[][] {
  return Array.from({ length: k }, (_, j) => Array.from(c.subarray(j * d, j * d + d)));
}

function reorderRows(c: Float64Array, order: Int32Array, d: number): Float64Array {
  const out = new Float64Array(c.length);
  order.forEach((old, neu) => out.set(c.subarray(old * d, old * d + d), neu * d));
  return out;
}

export type { SegmentationOptions };
