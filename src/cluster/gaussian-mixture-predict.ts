/**
 * Scoring with saved Gaussian-mixture parameters (e.g. read back from a model file) without refitting.
 * @module
 */
import { toMatrix, type MatrixLike } from '../util/matrix.js';
import { covarianceSize, weightedLogProb, type CovarianceType } from './gaussian-mixture-steps.js';

/** The parameters `predictGaussianMixture` needs: those of a `GaussianMixtureResult`. */
export interface GaussianMixtureParameters {
  covarianceType: CovarianceType;
  /** k mixing weights. */
  weights: ArrayLike<number>;
  /** k × d means, row-major. */
  means: ArrayLike<number>;
  /** Flat precision factors in the layout of `GaussianMixtureResult.precisionsCholesky`. */
  precisionsCholesky: ArrayLike<number>;
}

/**
 * Most probable component of each row of X under the given parameters (ties → lowest index), the same as the
 * fitted result's `predict`.
 *
 * @throws RangeError when the parameter sizes do not fit each other or X's columns.
 */
export function predictGaussianMixture(params: GaussianMixtureParameters, X: MatrixLike): Int32Array {
  const m = toMatrix(X, 'X');
  const k = params.weights.length;
  const d = m.cols;
  if (k < 1) throw new RangeError('weights is empty: the mixture needs at least one component');
  if (params.means.length !== k * d) {
    throw new RangeError(`means has length ${params.means.length}, expected k × X.cols = ${k} × ${d}`);
  }
  const size = covarianceSize(params.covarianceType, k, d);
  if (params.precisionsCholesky.length !== size) {
    throw new RangeError(
      `precisionsCholesky has length ${params.precisionsCholesky.length}, expected ${size} for ${params.covarianceType}`,
    );
  }
  const p = {
    weights: Float64Array.from(params.weights),
    means: Float64Array.from(params.means),
    covariances: new Float64Array(size),
    precisionsCholesky: Float64Array.from(params.precisionsCholesky),
  };
  const labels = new Int32Array(m.rows);
  const block = 4096;
  const lp = new Float64Array(block * k);
  const y = new Float64Array(d);
  for (let start = 0; start < m.rows; start += block) {
    const rows = Math.min(block, m.rows - start);
    weightedLogProb(
      m.data.subarray(start * d, (start + rows) * d),
      rows,
      d,
      p,
      params.covarianceType,
      k,
      lp,
      y,
    );
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (lp[i * k + c]! > lp[i * k + best]!) best = c;
      labels[start + i] = best;
    }
  }
  return labels;
}
