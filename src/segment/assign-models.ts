/**
 * Scoring customers with a saved model, and renumbering a model's segments. Every model type says how a new
 * customer joins a segment: the nearest centroid, the most probable mixture component, the nearest reference
 * customer within reach (density methods; else noise, −1), or the nearest prototype under k-prototypes' cost.
 * @module
 */
import { KDTree, predictGaussianMixture, predictKMeans } from '../cluster/index.js';
import { InputError, assertNever } from '../util/errors.js';
import type { Matrix } from '../util/matrix.js';
import type { SavedCentroids, SavedDensity, SavedModel, SavedPrototypes, SegmentInput } from './segmenter.js';
import { predictForest } from './segment-supervised.js';

/** Segment of each customer of `input` under `model` (−1: noise, for density models). */
export function assignWithModel(model: SavedModel, input: SegmentInput): Int32Array {
  const d = input.x.cols;
  const expect = (have: number | undefined, what: string) => {
    if (have !== d) {
      throw new InputError(`the model has ${have} features per ${what} but the data has ${d}`);
    }
  };
  switch (model.method) {
    case 'kmeans':
    case 'minibatch-kmeans':
    case 'bisecting-kmeans':
    case 'agglomerative':
      expect(model.centroids[0]?.length, 'centroid');
      return predictKMeans(Float64Array.from(model.centroids.flat()), model.k, input.x);
    case 'gaussian-mixture':
      expect(model.means[0]?.length, 'component mean');
      return predictGaussianMixture(
        {
          covarianceType: model.covarianceType,
          weights: model.weights,
          means: model.means.flat(),
          precisionsCholesky: model.precisionsCholesky,
        },
        input.x,
      );
    case 'dbscan':
    case 'hdbscan':
      if (model.reference.length > 0) expect(model.reference[0]!.length, 'reference customer');
      return assignDensity(model, input.x);
    case 'kprototypes':
    case 'kmodes':
      if (model.method === 'kprototypes') expect(model.numeric[0]?.length, 'prototype');
      return assignPrototypes(model, input);
    case 'supervised': {
      let top = -1;
      for (const t of model.trees) for (const f of t.feature) top = Math.max(top, f);
      if (top >= d)
        throw new InputError(`the model's trees split on feature ${top + 1} but the data has ${d}`);
      return predictForest(model, input.x);
    }
    case 'rfm':
    case 'predictive':
    case 'composite':
      // Value segments are bands of the value columns, which the value stage recomputes for new customers.
      throw new Error(
        `${model.method} segments are assigned from the value columns, not from the feature matrix`,
      );
    default:
      return assertNever(model, 'model method');
  }
}

/** Nearest reference customer q with ‖x − q‖ ≤ radius(q); −1 when none. */
function assignDensity(model: SavedDensity, x: Matrix): Int32Array {
  const labels = new Int32Array(x.rows).fill(-1);
  const m = model.reference.length;
  if (m === 0) return labels;
  const d = x.cols;
  const ref = Float64Array.from(model.reference.flat());
  const radius = Float64Array.from(model.radius);
  const tree = new KDTree(ref, m, d);
  const rr = tree.reduce(Math.max(...radius));
  const q = x.data instanceof Float64Array ? x.data : Float64Array.from(x.data);
  for (let i = 0; i < x.rows; i++) {
    const found = tree.radius(q, i * d, rr);
    let best = -1;
    let bestD = Infinity;
    for (let f = 0; f < found; f++) {
      const r = tree.found[f]!;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = q[i * d + t]! - ref[r * d + t]!;
        s += v * v;
      }
      if (s <= radius[r]! * radius[r]! && (s < bestD || (s === bestD && r < best))) {
        bestD = s;
        best = r;
      }
    }
    if (best >= 0) labels[i] = model.referenceLabels[best]!;
  }
  return labels;
}

/** Nearest prototype by Σ (x − μ)² + γ · mismatches (ties → lowest segment); an unseen level (−1) never matches. */
function assignPrototypes(model: SavedPrototypes, input: SegmentInput): Int32Array {
  const { k, gamma } = model;
  const x = input.x;
  const p = model.method === 'kprototypes' ? x.cols : 0;
  const c = input.categorical;
  const q = model.attributes.length;
  if ((c?.cols ?? 0) !== q) {
    throw new InputError(`the model has ${q} categorical attributes but the data has ${c?.cols ?? 0}`);
  }
  const labels = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestCost = Infinity;
    for (let s = 0; s < k; s++) {
      let cost = 0;
      const mu = model.numeric[s]!;
      for (let t = 0; t < p; t++) {
        const v = x.data[i * p + t]! - mu[t]!;
        cost += v * v;
      }
      const mode = model.modes[s]!;
      let mismatches = 0;
      for (let t = 0; t < q; t++) {
        const code = c!.codes[i * q + t]!;
        if (code < 0 || code !== mode[t]) mismatches++;
      }
      cost += (model.method === 'kprototypes' ? gamma : 1) * mismatches;
      if (cost < bestCost) {
        bestCost = cost;
        best = s;
      }
    }
    labels[i] = best;
  }
  return labels;
}

/** The model with its segments renumbered: segment `order[new]` becomes `new`. */
export function permuteModel<M extends SavedModel>(model: M, order: Int32Array): M {
  const pick = <T>(rows: T[]): T[] => Array.from(order, (old) => rows[old]!);
  const m: SavedModel = model;
  switch (m.method) {
    case 'kmeans':
    case 'minibatch-kmeans':
    case 'bisecting-kmeans':
    case 'agglomerative':
      return { ...m, centroids: pick(m.centroids) } satisfies SavedCentroids as M;
    case 'gaussian-mixture': {
      const per = m.covariances.length / m.k;
      const chunk = (flat: number[]) =>
        m.covarianceType === 'tied'
          ? flat
          : Array.from(order, (old) => flat.slice(old * per, old * per + per)).flat();
      return {
        ...m,
        weights: pick(m.weights),
        means: pick(m.means),
        covariances: chunk(m.covariances),
        precisionsCholesky: chunk(m.precisionsCholesky),
      } as M;
    }
    case 'dbscan':
    case 'hdbscan': {
      const map = new Int32Array(order.length);
      order.forEach((old, neu) => (map[old] = neu));
      return { ...m, referenceLabels: m.referenceLabels.map((l) => (l < 0 ? l : map[l]!)) } as M;
    }
    case 'kprototypes':
    case 'kmodes':
      return { ...m, numeric: pick(m.numeric), modes: pick(m.modes) } as M;
    case 'rfm':
    case 'predictive':
    case 'composite':
      return { ...m, names: pick(m.names) } as M;
    case 'supervised':
      throw new Error('supervised segments are numbered by their known labels and never renumbered');
    default:
      return assertNever(m, 'model method');
  }
}
