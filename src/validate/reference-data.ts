/**
 * Reference data sets for the gap statistic: uniform draws over a box aligned with the features or with the data's
 * principal components (Tibshirani, Walther & Hastie 2001, §3, methods (a) and (b)).
 * @module
 */
import { pca } from '../decomposition/index.js';
import { assertNever } from '../util/errors.js';
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { Stream, deriveSeed } from './partition-tools.js';

/**
 * - `'uniform-box'`: each feature uniform over its observed range (method (a)).
 * - `'pca-box'`: uniform over the box of the data's ranges along its principal axes, rotated back (method (b)). It
 *   follows the shape of the data, so an elongated cloud without clusters is not mistaken for structure; the
 *   paper recommends it.
 */
export type ReferenceDistribution = 'uniform-box' | 'pca-box';

/**
 * `count` reference data sets of x's shape from the distribution; set b is drawn from its own seed, so it does not
 * depend on `count`.
 */
export function referenceSets(
  x: Matrix,
  count: number,
  distribution: ReferenceDistribution,
  seed: number,
): Matrix[] {
  const { rows: n, cols: d } = x;
  // Per axis: low end and width of the box, and the d × d rotation back to features (null: the features).
  let axes: Float64Array | null;
  let offset: Float64Array;
  let projected: Matrix;
  switch (distribution) {
    case 'uniform-box':
      axes = null;
      offset = new Float64Array(d);
      projected = x;
      break;
    case 'pca-box': {
      // Method (b): X' = X V on centred X; draw Z' over the box of X''s columns; Z = Z' Vᵀ (+ the mean).
      const p = pca(x, d);
      axes = p.components;
      offset = p.mean;
      projected = p.transform(x);
      break;
    }
    default:
      return assertNever(distribution, 'referenceDistribution');
  }
  const low = new Float64Array(d).fill(Infinity);
  const high = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const v = projected.data[i * d + t]!;
      if (v < low[t]!) low[t] = v;
      if (v > high[t]!) high[t] = v;
    }
  }
  const sets: Matrix[] = [];
  const z = new Float64Array(d);
  for (let b = 0; b < count; b++) {
    const rng = new Random(deriveSeed(seed, Stream.gapReference, b));
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < d; t++) z[t] = low[t]! + rng.next() * (high[t]! - low[t]!);
      if (axes === null) data.set(z, i * d);
      else {
        // Row r of `axes` is the r-th principal axis: feature t = mean_t + Σ_r z_r · axes[r][t].
        for (let t = 0; t < d; t++) {
          let s = offset[t]!;
          for (let r = 0; r < d; r++) s += z[r]! * axes[r * d + t]!;
          data[i * d + t] = s;
        }
      }
    }
    sets.push({ data, rows: n, cols: d });
  }
  return sets;
}
