/**
 * Principal component analysis of a few dozen features, for the 2-D map of customers in the report.
 * @module
 */

import { type Matrix, type MatrixLike, toMatrix } from '../util/matrix.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** A fitted PCA: the axes, how much variance each explains, and the projection onto them. */
export interface PcaResult {
  nComponents: number;
  /** Number of input features (columns). */
  cols: number;
  /** nComponents × cols, row-major: row r is the r-th principal axis (unit length). */
  components: Float64Array;
  /** Variance of the data along each component (eigenvalues of the covariance, divisor n − 1). */
  explainedVariance: Float64Array;
  /** Each component's share of the total variance of all cols features (0 when the data has no variance). */
  explainedVarianceRatio: Float64Array;
  /** Column means subtracted before projecting. */
  mean: Float64Array;
  /** Projects rows (cols features each) onto the components: a rows × nComponents matrix. */
  transform(X: MatrixLike): Matrix;
}

/**
 * Fits PCA by eigen-decomposing the d × d covariance matrix (scikit-learn's `svd_solver='covariance_eigh'`): one
 * pass over the data, then a Jacobi solve independent of n, so it costs O(n·d²) and suits millions of customers
 * with d ≲ 50. (Pearson 1901; Hotelling 1933. Covariance from centred data, two passes, for accuracy.)
 *
 * Signs are deterministic as in scikit-learn (`svd_flip` on components): each component's entry of largest
 * absolute value is positive. Components beyond the data's rank are arbitrary unit vectors orthogonal to the rest.
 *
 * @param nComponents - integer in [1, cols].
 * @throws RangeError for fewer than 2 rows, a bad `nComponents`, or non-finite values.
 *
 * @example
 * const p = pca(features, 2);
 * const xy = p.transform(features); // rows × 2, for the scatter plot
 * p.explainedVarianceRatio; // e.g. Float64Array [0.46, 0.21]
 */
export function pca(X: MatrixLike, nComponents: number): PcaResult {
  const m = toMatrix(X, 'X');
  const { data, rows: n, cols: d } = m;
  if (n < 2) throw new RangeError(`PCA needs at least 2 rows to estimate a covariance, got ${n}`);
  if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > d) {
    throw new RangeError(
      `nComponents must be an integer in [1, ${d}] (the number of columns), got ${nComponents}`,
    );
  }

  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t]! += data[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t]! /= n;

  // Upper triangle of Σ (x − μ)(x − μ)ᵀ, one row at a time through a small centred buffer.
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) row[t] = data[i * d + t]! - mean[t]!;
    for (let p = 0; p < d; p++) {
      const rp = row[p]!;
      if (rp === 0) continue;
      const o = p * d;
      for (let q = p; q < d; q++) cov[o + q]! += rp * row[q]!;
    }
  }
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const v = cov[p * d + q]! / (n - 1);
      cov[p * d + q] = v;
      cov[q * d + p] = v;
    }
  }

  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (let r = 0; r < d; r++) {
    // Covariance is positive semi-definite; rounding can leave tiny negative eigenvalues.
    if (values[r]! < 0) values[r] = 0;
    total += values[r]!;
  }

  const components = new Float64Array(nComponents * d);
  const explainedVariance = new Float64Array(nComponents);
  const explainedVarianceRatio = new Float64Array(nComponents);
  for (let r = 0; r < nComponents; r++) {
    let argMax = 0;
    for (let q = 1; q < d; q++) {
      if (Math.abs(vectors[r * d + q]!) > Math.abs(vectors[r * d + argMax]!)) argMax = q;
    }
    const sign = vectors[r * d + argMax]! < 0 ? -1 : 1;
    for (let q = 0; q < d; q++) components[r * d + q] = sign * vectors[r * d + q]!;
    explainedVariance[r] = values[r]!;
    explainedVarianceRatio[r] = total > 0 ? values[r]! / total : 0;
  }

  const transform = (Y: MatrixLike): Matrix => {
    const y = toMatrix(Y, 'X');
    if (y.cols !== d) throw new RangeError(`X has ${y.cols} columns but the PCA was fitted on ${d}`);
    const out = new Float64Array(y.rows * nComponents);
    for (let i = 0; i < y.rows; i++) {
      for (let t = 0; t < d; t++) row[t] = y.data[i * d + t]! - mean[t]!;
      for (let r = 0; r < nComponents; r++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += row[t]! * components[r * d + t]!;
        out[i * nComponents + r] = s;
      }
    }
    return { data: out, rows: y.rows, cols: nComponents };
  };

  return { nComponents, cols: d, components, explainedVariance, explainedVarianceRatio, mean, transform };
}
