/**
 * The built-in `PartitionFitter`s: the k-based methods of `src/cluster`, each with settings chosen so that the
 * hundreds of fits a k sweep makes stay fast, and a `predict` that assigns rows the fit did not see.
 * @module
 */
import {
  agglomerative,
  bisectingKMeans,
  cutLinkage,
  gaussianMixture,
  kmeans,
  miniBatchKMeans,
  predictKMeans,
} from '../cluster/index.js';
import { assertNever } from '../util/errors.js';
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { gatherRows } from './partition-tools.js';
import type { FittedPartition, PartitionFitter, SelectKMethod } from './types.js';

/** Seedings per k-means fit: a sweep makes ~25 fits per k, so 3 instead of scikit-learn's 10 (see CONTEXT.md). */
export const SWEEP_KMEANS_N_INIT = 3;
/**
 * Rows ward linkage is built on in the agglomerative fitter (the rest go to the nearest cluster mean): the tree
 * costs O(n²) time — measured 0.07 s at 2,000 × 5, 0.3 s at 5,000, 1.9 s at 10,000 — and a sweep builds one per
 * data set it sees (1 + gap references + stability runs + 2), about 7 s at 5,000 rows.
 */
export const AGGLOMERATIVE_FIT_ROWS = 5000;

/** Display names of the built-in methods, for messages. */
export const METHOD_NAMES: Record<SelectKMethod, string> = {
  kmeans: 'k-means',
  'minibatch-kmeans': 'mini-batch k-means',
  'bisecting-kmeans': 'bisecting k-means',
  'gaussian-mixture': 'Gaussian mixture',
  agglomerative: 'agglomerative (ward)',
};

/**
 * The fitter of a built-in method:
 * - `'kmeans'`: `kmeans` with `nInit` = 3; predicts the nearest centroid.
 * - `'minibatch-kmeans'`: `miniBatchKMeans` with its defaults; nearest centroid.
 * - `'bisecting-kmeans'`: `bisectingKMeans` with its defaults; nearest leaf centroid (scikit-learn's `predict`
 *   descends the tree instead, which can differ for rows near a boundary).
 * - `'gaussian-mixture'`: `gaussianMixture` with full covariances; most probable component, with BIC and AIC of
 *   the fitted rows.
 * - `'agglomerative'`: ward linkage on at most 5,000 rows of x (a fixed seeded subset, so the tree is built once
 *   per data set and cut for every k), the other rows and `predict` by the nearest cluster mean.
 *
 * @example
 * const fit = builtInFitter('kmeans')(x, 4, 7);
 * fit.predict(newRows); // nearest of the 4 centroids
 */
export function builtInFitter(method: SelectKMethod): PartitionFitter {
  switch (method) {
    case 'kmeans':
      return (x, k, seed) => {
        const r = kmeans(x, { k, nInit: SWEEP_KMEANS_N_INIT, seed });
        return { labels: r.labels, predict: (y) => predictKMeans(r.centroids, k, y) };
      };
    case 'minibatch-kmeans':
      return (x, k, seed) => {
        const r = miniBatchKMeans(x, { k, seed });
        return { labels: r.labels, predict: (y) => predictKMeans(r.centroids, k, y) };
      };
    case 'bisecting-kmeans':
      return (x, k, seed) => {
        const r = bisectingKMeans(x, { k, seed });
        return { labels: r.labels, predict: (y) => predictKMeans(r.centroids, k, y) };
      };
    case 'gaussian-mixture':
      return (x, k, seed) => {
        const r = gaussianMixture(x, { k, seed });
        return { labels: r.labels, predict: (y) => r.predict(y), bic: r.bic(x), aic: r.aic(x) };
      };
    case 'agglomerative':
      return wardFitter;
    default:
      return assertNever(method, 'method');
  }
}

/** The ward tree of a data set's fitted subset: SciPy's linkage matrix over the rows `idx` of x. */
interface WardTree {
  idx: Int32Array | null;
  linkage: Float64Array;
}

/** Trees by data set: a sweep cuts the same data set's tree for every k. */
const wardTrees = new WeakMap<Matrix, WardTree>();

function wardFitter(x: Matrix, k: number): FittedPartition {
  let tree = wardTrees.get(x);
  if (tree === undefined) {
    // Ward is deterministic, so the subset is too (seed 0): the fit does not depend on the seed it is given.
    const idx =
      x.rows > AGGLOMERATIVE_FIT_ROWS ? new Random(0).sampleIndices(x.rows, AGGLOMERATIVE_FIT_ROWS) : null;
    const r = agglomerative(idx ? gatherRows(x, idx) : x, { nClusters: 1, linkage: 'ward' });
    tree = { idx, linkage: r.linkageMatrix };
    wardTrees.set(x, tree);
  }
  const treeLabels = cutLinkage(tree.linkage, k);
  const fitted = tree.idx ? gatherRows(x, tree.idx) : x;
  const centroids = clusterMeans(fitted, treeLabels, k);
  const labels = tree.idx ? predictKMeans(centroids, k, x) : treeLabels;
  // The tree's own rows keep the tree's labels.
  if (tree.idx) tree.idx.forEach((row, i) => (labels[row] = treeLabels[i]!));
  return { labels, predict: (y) => predictKMeans(centroids, k, y) };
}

/** k × d means of the clusters (all non-empty after a tree cut). */
function clusterMeans(x: Matrix, labels: Int32Array, k: number): Float64Array {
  const d = x.cols;
  const means = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    counts[labels[i]!]!++;
    for (let t = 0; t < d; t++) means[labels[i]! * d + t]! += x.data[i * d + t]!;
  }
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) means[c * d + t]! /= Math.max(1, counts[c]!);
  return means;
}

/** A fitter and its name for messages, from `fitter` / `method` / `methodLabel` options. */
export function resolveFitter(options: {
  fitter?: PartitionFitter;
  method?: SelectKMethod;
  methodLabel?: string;
}): { fit: PartitionFitter; label: string } {
  if (options.fitter !== undefined) {
    if (typeof options.fitter !== 'function') {
      throw new TypeError(
        `fitter must be a function (x, k, seed) => FittedPartition, got ${typeof options.fitter}`,
      );
    }
    return { fit: options.fitter, label: options.methodLabel ?? options.method ?? 'custom' };
  }
  const method = options.method ?? 'kmeans';
  if (!(method in METHOD_NAMES)) {
    throw new TypeError(
      `method must be one of ${Object.keys(METHOD_NAMES).join(', ')} (or give a fitter), got '${String(method)}'`,
    );
  }
  return { fit: builtInFitter(method), label: options.methodLabel ?? method };
}

/** Calls a fitter and checks what it returns: one label per row, each in [0, k). */
export function fitChecked(fit: PartitionFitter, x: Matrix, k: number, seed: number): FittedPartition {
  const r = fit(x, k, seed);
  if (
    r === null ||
    typeof r !== 'object' ||
    !(r.labels instanceof Int32Array) ||
    typeof r.predict !== 'function'
  ) {
    throw new TypeError('the fitter must return { labels: Int32Array, predict(x) }');
  }
  if (r.labels.length !== x.rows) {
    throw new RangeError(`the fitter returned ${r.labels.length} labels for ${x.rows} rows (k = ${k})`);
  }
  for (let i = 0; i < r.labels.length; i++) {
    const l = r.labels[i]!;
    if (l < 0 || l >= k)
      throw new RangeError(`the fitter's labels[${i}] is ${l}: expected a cluster in [0, ${k})`);
  }
  return r;
}
