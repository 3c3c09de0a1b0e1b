/**
 * Every segmentation method other than k-means, on one frame:
 * 1. on more customers than the method fits on, a seeded sample;
 * 2. k: set, or chosen over kMin..kMax by silhouette (by BIC for Gaussian mixtures), each k scored on the same
 *    sample with distances measured once; density methods find k themselves;
 * 3. the rest of the customers: k-based methods refit on every customer with the chosen k (a mixture starts from
 *    the sample's parameters); agglomerative and density methods assign them with the saved model;
 * 4. segments numbered largest first, noise (−1) kept apart; silhouette of the result on the clustered customers.
 * @module
 */
import {
  agglomerative,
  bisectingKMeans,
  dbscan,
  gaussianMixture,
  hdbscan,
  KDTree,
  kModes,
  kPrototypes,
  miniBatchKMeans,
  cutLinkage,
} from '../cluster/index.js';
import { silhouetteScoreCondensed } from '../metrics/index.js';
import { InputError, assertNever } from '../util/errors.js';
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { assignWithModel, permuteModel } from './assign-models.js';
import {
  condensedDissimilarities,
  distinctCount,
  orderBySize,
  partitionInertia,
  relabel,
  sampledSilhouette,
  segmentMeans,
  takeInput,
  type Dissimilarity,
} from './partition.js';
import { METHOD_LABELS } from './segmenter.js';
import { AGGLOMERATIVE_SWEEP_ROWS, chooseK, kReasonOf } from './choose-k.js';
import type { PartitionFitter } from '../validate/types.js';
import type {
  KSelection,
  SavedModel,
  ClusterMethod,
  SegmentationOptions,
  SegmentationResult,
  SegmentInput,
  Segmenter,
} from './segmenter.js';

/** One fit of a method for one k (or the density method's own k). */
interface Fit {
  labels: Int32Array;
  model: SavedModel;
  /** Within-segment cost (sum of squares; k-prototypes/k-modes: their cost). */
  cost: number;
  bic?: number;
  aic?: number;
}

interface Method {
  /** Fits for every k asked (agglomerative builds one tree and cuts it; others fit each k). */
  fitKs(input: SegmentInput, ks: number[], o: SegmentationOptions): Fit[];
  /** Customers the method fits on at most. */
  sampleSize(o: SegmentationOptions): number;
  /** After fitting on a sample: fit again on everyone with the chosen k, or assign the rest with the model. */
  rest: 'refit' | 'assign';
  refit?(input: SegmentInput, chosen: Fit, o: SegmentationOptions): Fit;
  /** How k is found: a sweep scored by silhouette or BIC, or the method itself (density). */
  k: 'silhouette' | 'bic' | 'density';
  dissimilarity(input: SegmentInput, o: SegmentationOptions, fit?: Fit): Dissimilarity;
}

const EUCLIDEAN: Dissimilarity = { gamma: 0, numeric: true };
const flat2 = (a: Float64Array, rows: number, cols: number): number[][] =>
  Array.from({ length: rows }, (_, r) => Array.from(a.subarray(r * cols, r * cols + cols)));

function centroidFit(
  method: 'minibatch-kmeans' | 'bisecting-kmeans' | 'agglomerative',
  x: Matrix,
  labels: Int32Array,
  k: number,
  centroids = segmentMeans(x, labels, k),
): Fit {
  const cost = partitionInertia(x, labels, k);
  return { labels, cost, model: { method, k, centroids: flat2(centroids, k, x.cols), inertia: cost } };
}

const perK =
  (one: (input: SegmentInput, k: number, o: SegmentationOptions) => Fit) =>
  (input: SegmentInput, ks: number[], o: SegmentationOptions): Fit[] =>
    ks.map((k) => one(input, k, o));

const miniBatch: Method = {
  k: 'silhouette',
  rest: 'refit',
  sampleSize: (o) => o.sweepSampleSize,
  fitKs: perK((input, k, o) => {
    const r = miniBatchKMeans(input.x, { k, batchSize: o.miniBatch.batchSize, seed: o.seed + k });
    return centroidFit('minibatch-kmeans', input.x, r.labels, k, r.centroids);
  }),
  refit: (input, chosen, o) => miniBatch.fitKs(input, [chosen.model.k], o)[0]!,
  dissimilarity: () => EUCLIDEAN,
};

const bisecting: Method = {
  k: 'silhouette',
  rest: 'refit',
  sampleSize: (o) => o.sweepSampleSize,
  fitKs: perK((input, k, o) => {
    const r = bisectingKMeans(input.x, { k, maxIter: o.maxIter, seed: o.seed + k });
    return centroidFit('bisecting-kmeans', input.x, r.labels, k, r.centroids);
  }),
  refit: (input, chosen, o) => bisecting.fitKs(input, [chosen.model.k], o)[0]!,
  dissimilarity: () => EUCLIDEAN,
};

const mixture: Method = {
  k: 'bic',
  rest: 'refit',
  sampleSize: (o) => o.sweepSampleSize,
  fitKs: perK((input, k, o) => gmmFit(input.x, gaussianMixture(input.x, gmmOptions(k, o, o.seed + k)), o)),
  refit: (input, chosen, o) => {
    const m = chosen.model;
    if (m.method !== 'gaussian-mixture') throw new Error('refit expects a mixture');
    // Start EM from the sample's fit: weights, means and precisions (P = U Uᵀ from the saved factors).
    const d = input.x.cols;
    const r = gaussianMixture(input.x, {
      ...gmmOptions(m.k, o, o.seed + m.k),
      weightsInit: m.weights,
      meansInit: m.means,
      precisionsInit: precisionsFromFactors(m.precisionsCholesky, m.covarianceType, m.k, d),
    });
    return gmmFit(input.x, r, o);
  },
  dissimilarity: () => EUCLIDEAN,
};

function gmmOptions(k: number, o: SegmentationOptions, seed: number) {
  return { k, covarianceType: o.gaussianMixture.covarianceType, maxIter: Math.max(100, o.maxIter), seed };
}

function gmmFit(x: Matrix, r: ReturnType<typeof gaussianMixture>, _o: SegmentationOptions): Fit {
  return {
    labels: r.labels,
    cost: partitionInertia(x, r.labels, r.k),
    bic: r.bic(x),
    aic: r.aic(x),
    model: {
      method: 'gaussian-mixture',
      k: r.k,
      covarianceType: r.covarianceType,
      weights: Array.from(r.weights),
      means: flat2(r.means, r.k, r.cols),
      covariances: Array.from(r.covariances),
      precisionsCholesky: Array.from(r.precisionsCholesky),
    },
  };
}

/** P = U Uᵀ per component (full/tied) or U² (diag/spherical), in the covariances' layout. */
function precisionsFromFactors(u: number[], type: string, k: number, d: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return Float64Array.from(u, (v) => v * v);
  const blocks = type === 'tied' ? 1 : k;
  const out = new Float64Array(blocks * d * d);
  for (let c = 0; c < blocks; c++) {
    const o = c * d * d;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += u[o + a * d + t]! * u[o + b * d + t]!;
        out[o + a * d + b] = s;
      }
  }
  return out;
}

/** Merge trees by the data they were built on (and linkage), while that data is alive. */
const treeCache = new WeakMap<object, Map<string, ReturnType<typeof agglomerative>>>();

const hierarchical: Method = {
  k: 'silhouette',
  rest: 'assign',
  sampleSize: (o) => o.agglomerative.sampleSize,
  fitKs(input, ks, o) {
    const x = input.x;
    // Choosing k cuts the trees of the same sample and subsamples for every k: build each tree once.
    const key = `${o.agglomerative.linkage}`;
    let byLinkage = treeCache.get(x.data);
    if (!byLinkage) treeCache.set(x.data, (byLinkage = new Map()));
    let tree = byLinkage.get(key);
    if (!tree)
      byLinkage.set(key, (tree = agglomerative(x, { nClusters: 1, linkage: o.agglomerative.linkage })));
    return ks.map((k) => centroidFit('agglomerative', x, cutLinkage(tree.linkageMatrix, k), k));
  },
  dissimilarity: () => EUCLIDEAN,
};

const density = (which: 'dbscan' | 'hdbscan'): Method => ({
  k: 'density',
  rest: 'assign',
  sampleSize: (o) => (which === 'dbscan' ? o.dbscan.sampleSize : o.hdbscan.sampleSize),
  fitKs(input, _ks, o) {
    const x = input.x;
    const n = x.rows;
    let labels: Int32Array;
    let reference: Int32Array;
    let radius: Float64Array;
    if (which === 'dbscan') {
      const r = dbscan(x, { eps: o.dbscan.eps, minSamples: o.dbscan.minSamples });
      labels = r.labels;
      reference = r.coreSampleIndices;
      radius = new Float64Array(reference.length).fill(o.dbscan.eps);
    } else {
      const minClusterSize = Math.min(n, o.hdbscan.minClusterSize ?? Math.max(5, Math.round(0.01 * n)));
      const minSamples = Math.min(n - 1, o.hdbscan.minSamples ?? minClusterSize);
      labels = hdbscan(x, {
        minClusterSize: Math.max(2, minClusterSize),
        minSamples: Math.max(1, minSamples),
        clusterSelectionMethod: o.hdbscan.clusterSelectionMethod,
      }).labels;
      reference = Int32Array.from(Array.from(labels.keys()).filter((i) => labels[i]! >= 0));
      radius = coreDistances(x, reference, Math.max(1, minSamples));
    }
    const k = labels.reduce((m, l) => Math.max(m, l + 1), 0);
    return [
      {
        labels,
        cost: partitionInertia(x, labels, k),
        model: {
          method: which,
          k,
          reference: Array.from(reference, (i) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols))),
          referenceLabels: Array.from(reference, (i) => labels[i]!),
          radius: Array.from(radius),
        },
      },
    ];
  },
  dissimilarity: () => EUCLIDEAN,
});

/**
 * Distance from each of `rows` to its m-th nearest other row of x (HDBSCAN's core distance with minSamples m), by
 * the KD-tree's exact k-nearest search (the row itself is the first of its m + 1 nearest).
 */
function coreDistances(x: Matrix, rows: Int32Array, m: number): Float64Array {
  const data = x.data instanceof Float64Array ? x.data : Float64Array.from(x.data);
  const tree = new KDTree(data, x.rows, x.cols);
  const k = Math.min(m + 1, x.rows);
  return Float64Array.from(rows, (i) => Math.sqrt(tree.kthNearest(data, i * x.cols, k)));
}

const prototypes = (which: 'kprototypes' | 'kmodes'): Method => ({
  k: 'silhouette',
  rest: 'refit',
  sampleSize: (o) => o.sweepSampleSize,
  fitKs: perK((input, k, o) => protoFit(which, input, k, o)),
  refit: (input, chosen, o) => protoFit(which, input, chosen.model.k, o),
  dissimilarity: (_input, _o, fit) => ({
    numeric: which === 'kprototypes',
    gamma: fit?.model.method === 'kprototypes' ? fit.model.gamma : 1,
  }),
});

function protoFit(
  which: 'kprototypes' | 'kmodes',
  input: SegmentInput,
  k: number,
  o: SegmentationOptions,
): Fit {
  const c = input.categorical;
  if (!c || c.cols === 0) {
    throw new InputError(
      `${which} needs categorical attributes: give a customers file with text attributes (or list them in segmentation.categorical)`,
    );
  }
  const codes = { data: c.codes, rows: c.rows, cols: c.cols };
  const r =
    which === 'kprototypes'
      ? kPrototypes({ numeric: input.x, categorical: codes }, { k, maxIter: o.maxIter, seed: o.seed + k })
      : kModes(codes, { k, maxIter: o.maxIter, seed: o.seed + k });
  const cen = r.centroids;
  const p = which === 'kprototypes' ? input.x.cols : 0;
  const numeric = 'numeric' in cen ? flat2(cen.numeric, k, p) : Array.from({ length: k }, () => []);
  const modes = Array.from({ length: k }, (_, s) =>
    Array.from({ length: cen.q }, (_, j) => Number(cen.categories[j]![cen.categorical[s * cen.q + j]!])),
  );
  return {
    labels: r.labels,
    cost: r.cost,
    model: {
      method: which,
      k,
      numeric,
      modes,
      attributes: c.attributes,
      gamma: 'gamma' in r ? r.gamma : 1,
      cost: r.cost,
    },
  };
}

function methodOf(name: Exclude<ClusterMethod, 'kmeans'>): Method {
  switch (name) {
    case 'minibatch-kmeans':
      return miniBatch;
    case 'bisecting-kmeans':
      return bisecting;
    case 'gaussian-mixture':
      return mixture;
    case 'agglomerative':
      return hierarchical;
    case 'dbscan':
    case 'hdbscan':
      return density(name);
    case 'kprototypes':
    case 'kmodes':
      return prototypes(name);
    default:
      return assertNever(name, 'segmentation method');
  }
}

/** The segmenter of a method other than k-means. */
export function methodSegmenter(name: Exclude<ClusterMethod, 'kmeans'>): Segmenter {
  const method = methodOf(name);
  return {
    method: name,
    fit: async (input, o, onProgress) => fitMethod(name, method, input, o, onProgress),
    assign: (model, input) => assignWithModel(model, input),
    refitter: (o, k) => (train, score, seed) => {
      const fit = method.fitKs(train, [k], { ...o, k, seed })[0]!;
      return assignWithModel(fit.model, score);
    },
  };
}

/** A numeric k-based method as `selectK` fits it (for `segmint evaluate`). */
export function partitionFitterOf(
  name: 'minibatch-kmeans' | 'bisecting-kmeans' | 'gaussian-mixture' | 'agglomerative',
  o: SegmentationOptions,
): PartitionFitter {
  return methodFitter(methodOf(name), o);
}

/** A method as `selectK` fits it: one k on a matrix, and its model's assignment of other customers. */
function methodFitter(method: Method, o: SegmentationOptions): PartitionFitter {
  return (x, k, seed) => {
    const fit = method.fitKs({ x }, [k], { ...o, k, seed })[0]!;
    const m = fit.model;
    return {
      labels: fit.labels,
      predict: (y) => assignWithModel(m, { x: y }),
      ...(fit.bic !== undefined ? { bic: fit.bic } : {}),
      ...(fit.aic !== undefined ? { aic: fit.aic } : {}),
    };
  };
}

/**
 * k chosen by the highest silhouette under the method's own dissimilarity (k-prototypes, k-modes), every k scored
 * on the same customers with their dissimilarities measured once.
 */
function silhouetteSweep(
  method: Method,
  fitInput: SegmentInput,
  o: SegmentationOptions,
  kMax: number,
  label: string,
  onProgress?: (message: string, fraction: number) => void,
): { chosen: Fit; kSelection: KSelection } {
  const m = fitInput.x.rows;
  const ks = Array.from({ length: kMax - o.kMin + 1 }, (_, i) => o.kMin + i);
  onProgress?.(`${label} for k = ${o.kMin}..${kMax}`, 0);
  const fits = method.fitKs(fitInput, ks, o);
  const silN = Math.min(m, o.silhouetteSampleSize);
  const silIdx = new Random(o.seed).sampleIndices(m, silN);
  const silInput = silN < m ? takeInput(fitInput, silIdx) : fitInput;
  const dist = condensedDissimilarities(silInput, method.dissimilarity(fitInput, o, fits[0]));
  const silhouette = fits.map((f) => {
    const sub = silN < m ? Int32Array.from(silIdx, (i) => f.labels[i]!) : f.labels;
    const distinct = new Set(sub).size;
    return distinct < 2 || distinct > sub.length - 1 ? NaN : silhouetteScoreCondensed(dist, sub);
  });
  let best = 0;
  for (let i = 1; i < ks.length; i++) if (silhouette[i]! > silhouette[best]! + 1e-12) best = i;
  return {
    chosen: fits[best]!,
    kSelection: {
      method: label,
      ks,
      evaluations: fits.map((f, i) => ({
        k: ks[i]!,
        inertia: f.cost,
        silhouette: silhouette[i]!,
        calinskiHarabasz: NaN,
        daviesBouldin: NaN,
        bic: null,
        aic: null,
        gap: null,
        gapSE: null,
        stability: null,
        stabilitySD: null,
        predictionStrength: null,
        clusterJaccard: null,
      })),
      gapAtOne: null,
      elbow: null,
      votes: [
        {
          criterion: 'silhouette',
          k: ks[best]!,
          rule: `highest silhouette (${silhouette[best]!.toFixed(3)}) under ${label}'s own dissimilarity`,
        },
      ],
      recommended: ks[best]!,
      structure: silhouette[best]! >= 0.25 ? 'clear' : 'weak',
      reasons: [
        `${label} mixes categories and numbers, so k is chosen by silhouette under its own dissimilarity; the other criteria need numeric features.`,
      ],
      fittedOn: m,
      total: m,
      silhouetteOn: silN,
      sampled: false,
    },
  };
}

async function fitMethod(
  name: Exclude<ClusterMethod, 'kmeans'>,
  method: Method,
  input: SegmentInput,
  o: SegmentationOptions,
  onProgress?: (message: string, fraction: number) => void,
): Promise<SegmentationResult> {
  const n = input.x.rows;
  const label = METHOD_LABELS[name];
  const fmt = (v: number) => v.toLocaleString('en-US');
  if (n < 2) throw new InputError(`only ${n} customer to segment: segmentation needs at least 2`);
  if (o.k !== 'auto' && o.k > n) {
    throw new InputError(
      `segmentation.k is ${o.k} but there are only ${n} customers; use a k of at most ${n} or k: auto`,
    );
  }
  const rng = new Random(o.seed);
  const cap0 = method.sampleSize(o);
  const sampleIdx = n > cap0 ? rng.sampleIndices(n, cap0) : null;
  const fitInput = sampleIdx ? takeInput(input, sampleIdx) : input;
  const m = fitInput.x.rows;
  const sampleNote = sampleIdx ? `; fitted on a sample of ${fmt(m)} of ${fmt(n)} customers` : '';

  let chosen: Fit;
  let kSelection: KSelection | null = null;
  let kReason: string;
  if (method.k === 'density') {
    onProgress?.(label, 0);
    chosen = method.fitKs(fitInput, [], o)[0]!;
    if (chosen.model.k === 0) {
      throw new InputError(
        name === 'dbscan'
          ? `DBSCAN found no dense segment (eps ${o.dbscan.eps}, minSamples ${o.dbscan.minSamples}): every customer is noise; raise segmentation.dbscan.eps or lower minSamples`
          : `HDBSCAN found no dense segment: every customer is noise; lower segmentation.hdbscan.minClusterSize`,
      );
    }
    const noise = chosen.labels.reduce((s, l) => s + (l < 0 ? 1 : 0), 0);
    const settings =
      name === 'dbscan'
        ? `eps ${o.dbscan.eps}, minSamples ${o.dbscan.minSamples}`
        : `minClusterSize ${o.hdbscan.minClusterSize ?? `${Math.max(5, Math.round(0.01 * m))} (1% of the customers fitted)`}`;
    kReason = `${label} (${settings}) found ${chosen.model.k} dense segment${chosen.model.k === 1 ? '' : 's'} and ${fmt(noise)} noise customers among ${fmt(m)}${sampleNote}`;
  } else if (o.k === 'auto') {
    const kMax = Math.min(o.kMax, m - 1);
    if (kMax < o.kMin) {
      throw new InputError(
        `only ${n} customers: too few to choose k between ${o.kMin} and ${o.kMax}; set segmentation.k (--k) to a number`,
      );
    }
    if (name === 'kprototypes' || name === 'kmodes') {
      // Categorical methods: the measures of src/validate need numeric features, so silhouette (under the
      // method's own dissimilarity) alone chooses k.
      const swept = silhouetteSweep(method, fitInput, o, kMax, label, onProgress);
      chosen = swept.chosen;
      kSelection = swept.kSelection;
      kReason = kReasonOf(swept.kSelection) + sampleNote;
    } else {
      const cap = name === 'agglomerative' ? Math.min(cap0, AGGLOMERATIVE_SWEEP_ROWS) : cap0;
      const sel = chooseK(input.x, methodFitter(method, o), label, o, cap, (msg, f) =>
        onProgress?.(msg, 0.9 * f),
      );
      kSelection = sel;
      onProgress?.(`${label} k=${sel.recommended}`, 0.9);
      chosen = method.fitKs(fitInput, [sel.recommended], o)[0]!;
      kReason = kReasonOf(sel) + (sel.sampled ? '' : sampleNote);
    }
  } else {
    onProgress?.(`${label} k=${o.k}`, 0);
    chosen = method.fitKs(fitInput, [o.k], o)[0]!;
    kReason = `k = ${o.k} was set in the configuration${sampleNote}`;
  }

  // Every customer: refit on all, or assign the ones outside the sample.
  let labels = chosen.labels;
  let model = chosen.model;
  if (sampleIdx) {
    if (method.rest === 'refit' && method.refit) {
      onProgress?.(`${label} k=${model.k} on all ${fmt(n)} customers`, 0.95);
      const all = method.refit(input, chosen, o);
      labels = all.labels;
      model = all.model;
    } else {
      onProgress?.(`assigning the other ${fmt(n - m)} customers`, 0.95);
      labels = assignWithModel(model, input);
      sampleIdx.forEach((i, s) => (labels[i] = chosen.labels[s]!));
    }
  }
  const order = orderBySize(labels, model.k);
  labels = relabel(labels, order);
  model = permuteModel(model, order);
  const noise = labels.reduce((s, l) => s + (l < 0 ? 1 : 0), 0);
  const silhouette =
    distinctCount(labels) >= 2
      ? sampledSilhouette(
          input,
          labels,
          method.dissimilarity(input, o, { ...chosen, model }),
          o.silhouetteSampleSize,
          o.seed,
        )
      : NaN;
  return { labels, k: model.k, noise, model, kSelection, kReason, silhouette, stability: null };
}
