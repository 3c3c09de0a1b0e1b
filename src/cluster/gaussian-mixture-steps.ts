/**
 * Internal EM steps for `gaussianMixture`: parameter estimation from responsibilities (M-step), precision Cholesky
 * factors, and per-component log densities (E-step), all on flat Float64 arrays, ported from the formulas of
 * scikit-learn's `sklearn/mixture/_gaussian_mixture.py` (1.x) so both sides round alike.
 * @module
 */

import { assertNever } from '../util/errors.js';
import { choleskyLower, invertLowerTransposed } from './gaussian-mixture-cholesky.js';

/**
 * Shape of each component's covariance (scikit-learn's `covariance_type`):
 * - `'full'`: each component its own d × d matrix;
 * - `'tied'`: one d × d matrix shared by all components;
 * - `'diag'`: each component a diagonal (d variances);
 * - `'spherical'`: each component a single variance.
 */
export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';

/** The parameters EM iterates on. Layouts of `covariances` / `precisionsCholesky` follow `covarianceSize`. */
export interface GMMParams {
  /** k mixing weights. */
  weights: Float64Array;
  /** k × d means, row-major. */
  means: Float64Array;
  covariances: Float64Array;
  /**
   * A factor U of each precision matrix P = U Uᵀ (scikit-learn's `precisions_cholesky_`): upper triangular when
   * computed from a covariance, lower when from a given precision; both give the same densities.
   */
  precisionsCholesky: Float64Array;
}

/** Number of stored values of a covariance (or precision) of this type: k·d², d², k·d or k. */
export function covarianceSize(type: CovarianceType, k: number, d: number): number {
  switch (type) {
    case 'full':
      return k * d * d;
    case 'tied':
      return d * d;
    case 'diag':
      return k * d;
    case 'spherical':
      return k;
    default:
      return assertNever(type, 'covarianceType');
  }
}

export function createParams(type: CovarianceType, k: number, d: number): GMMParams {
  const size = covarianceSize(type, k, d);
  return {
    weights: new Float64Array(k),
    means: new Float64Array(k * d),
    covariances: new Float64Array(size),
    precisionsCholesky: new Float64Array(size),
  };
}

export function copyParams(from: GMMParams, to: GMMParams): void {
  to.weights.set(from.weights);
  to.means.set(from.means);
  to.covariances.set(from.covariances);
  to.precisionsCholesky.set(from.precisionsCholesky);
}

/** numpy's float64 machine epsilon; scikit-learn adds 10·eps to every component's mass to avoid division by 0. */
const EPS = 2.220446049250313e-16;
const LOG_2PI = Math.log(2 * Math.PI);

function illDefined(c: number | null): RangeError {
  const which = c === null ? 'the tied covariance' : `component ${c}`;
  return new RangeError(
    `Gaussian mixture fit failed: ${which} has an ill-defined (not positive definite) covariance, e.g. from ` +
      'collapsed samples. Try fewer components, a larger regCovar, or scaling the input data.',
  );
}

/**
 * M-step estimates (scikit-learn's `_estimate_gaussian_parameters`): nk = Σ resp + 10·eps, means = respᵀX / nk,
 * covariances per type plus `regCovar` on the diagonal. Writes the unnormalised masses nk into `out.weights`.
 */
export function estimateParameters(
  x: Float64Array,
  n: number,
  d: number,
  resp: Float64Array,
  k: number,
  type: CovarianceType,
  regCovar: number,
  out: GMMParams,
): void {
  const { weights: nk, means, covariances: cov } = out;
  nk.fill(0);
  means.fill(0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c]!;
      nk[c]! += r;
      for (let t = 0; t < d; t++) means[c * d + t]! += r * x[i * d + t]!;
    }
  }
  for (let c = 0; c < k; c++) {
    nk[c]! += 10 * EPS;
    for (let t = 0; t < d; t++) means[c * d + t]! /= nk[c]!;
  }
  cov.fill(0);
  switch (type) {
    case 'full': {
      // Σ_c = Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ / nk_c + reg·I (`_estimate_gaussian_covariances_full`).
      const dd = d * d;
      for (let i = 0; i < n; i++) {
        const xo = i * d;
        for (let c = 0; c < k; c++) {
          const r = resp[i * k + c]!;
          if (r === 0) continue;
          const mo = c * d;
          const co = c * dd;
          for (let a = 0; a < d; a++) {
            const da = r * (x[xo + a]! - means[mo + a]!);
            for (let b = 0; b <= a; b++) cov[co + a * d + b]! += da * (x[xo + b]! - means[mo + b]!);
          }
        }
      }
      for (let c = 0; c < k; c++) {
        const co = c * dd;
        for (let a = 0; a < d; a++) {
          for (let b = 0; b <= a; b++) {
            const v = cov[co + a * d + b]! / nk[c]!;
            cov[co + a * d + b] = v;
            cov[co + b * d + a] = v;
          }
          cov[co + a * d + a]! += regCovar;
        }
      }
      return;
    }
    case 'tied': {
      // Σ = (XᵀX − Σ_c nk_c μ_c μ_cᵀ) / Σ nk + reg·I (`_estimate_gaussian_covariances_tied`).
      for (let i = 0; i < n; i++) {
        const xo = i * d;
        for (let a = 0; a < d; a++) {
          const xa = x[xo + a]!;
          for (let b = 0; b <= a; b++) cov[a * d + b]! += xa * x[xo + b]!;
        }
      }
      let total = 0;
      for (let c = 0; c < k; c++) {
        total += nk[c]!;
        for (let a = 0; a < d; a++) {
          const ma = nk[c]! * means[c * d + a]!;
          for (let b = 0; b <= a; b++) cov[a * d + b]! -= ma * means[c * d + b]!;
        }
      }
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          const v = cov[a * d + b]! / total;
          cov[a * d + b] = v;
          cov[b * d + a] = v;
        }
        cov[a * d + a]! += regCovar;
      }
      return;
    }
    case 'diag':
    case 'spherical': {
      // σ²_ct = Σ_i r_ic x_it² / nk_c − μ_ct² + reg (`_estimate_gaussian_covariances_diag`); spherical averages
      // the d variances of each component.
      const diag = type === 'diag' ? cov : new Float64Array(k * d);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          const r = resp[i * k + c]!;
          for (let t = 0; t < d; t++) {
            const v = x[i * d + t]!;
            diag[c * d + t]! += r * (v * v);
          }
        }
      }
      for (let c = 0; c < k; c++) {
        for (let t = 0; t < d; t++) {
          const m = means[c * d + t]!;
          diag[c * d + t] = diag[c * d + t]! / nk[c]! - m * m + regCovar;
        }
      }
      if (type === 'spherical') {
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += diag[c * d + t]!;
          cov[c] = s / d;
        }
      }
      return;
    }
    default:
      assertNever(type, 'covarianceType');
  }
}

/**
 * Precision Cholesky factors from covariances (scikit-learn's `_compute_precision_cholesky`): U = L⁻ᵀ for
 * Σ = L Lᵀ, or 1/√σ² for diagonal and spherical variances.
 *
 * @param scratch - d × d buffer for L.
 * @throws RangeError when a covariance is not positive definite.
 */
export function precisionCholeskyFromCovariances(
  cov: Float64Array,
  type: CovarianceType,
  k: number,
  d: number,
  out: Float64Array,
  scratch: Float64Array,
): void {
  switch (type) {
    case 'full':
    case 'tied': {
      const blocks = type === 'full' ? k : 1;
      for (let c = 0; c < blocks; c++) {
        if (!choleskyLower(cov, c * d * d, d, scratch, 0)) throw illDefined(type === 'full' ? c : null);
        invertLowerTransposed(scratch, 0, d, out, c * d * d);
      }
      return;
    }
    case 'diag':
    case 'spherical':
      for (let q = 0; q < cov.length; q++) {
        const v = cov[q]!;
        if (!(v > 0)) throw illDefined(type === 'diag' ? Math.floor(q / d) : q);
        out[q] = 1 / Math.sqrt(v);
      }
      return;
    default:
      assertNever(type, 'covarianceType');
  }
}

/**
 * Precision Cholesky factors from given precisions (scikit-learn's `_compute_precision_cholesky_from_precisions`):
 * the lower Cholesky factor of each precision, or √precision.
 *
 * @throws RangeError when a precision is not positive definite, naming the component.
 */
export function precisionCholeskyFromPrecisions(
  prec: Float64Array,
  type: CovarianceType,
  k: number,
  d: number,
  out: Float64Array,
): void {
  if (type === 'full' || type === 'tied') {
    const blocks = type === 'full' ? k : 1;
    for (let c = 0; c < blocks; c++) {
      if (!choleskyLower(prec, c * d * d, d, out, c * d * d)) {
        throw new RangeError(
          `precisionsInit${type === 'full' ? `[${c}]` : ''} is not symmetric positive definite`,
        );
      }
    }
    return;
  }
  for (let q = 0; q < prec.length; q++) out[q] = Math.sqrt(prec[q]!);
}

/**
 * log w_c + log N(x_i | μ_c, Σ_c) for every row and component into `out` (n × k), as scikit-learn's
 * `_estimate_weighted_log_prob`: −½(d·log 2π + ‖(x − μ)ᵀU‖²) + log det U + log w.
 *
 * @param y - scratch of length d.
 */
export function weightedLogProb(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  params: GMMParams,
  type: CovarianceType,
  k: number,
  out: Float64Array,
  y: Float64Array,
): void {
  const { weights, means, precisionsCholesky: pc } = params;
  const logDet = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    switch (type) {
      case 'full':
      case 'tied': {
        const o = type === 'full' ? c * d * d : 0;
        for (let t = 0; t < d; t++) s += Math.log(pc[o + t * d + t]!);
        break;
      }
      case 'diag':
        for (let t = 0; t < d; t++) s += Math.log(pc[c * d + t]!);
        break;
      case 'spherical':
        s = d * Math.log(pc[c]!);
        break;
      default:
        assertNever(type, 'covarianceType');
    }
    logDet[c] = s - 0.5 * d * LOG_2PI + Math.log(weights[c]!);
  }
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      let maha = 0;
      if (type === 'full' || type === 'tied') {
        const o = type === 'full' ? c * d * d : 0;
        y.fill(0);
        for (let a = 0; a < d; a++) {
          const diff = x[xo + a]! - means[mo + a]!;
          const ro = o + a * d;
          for (let b = 0; b < d; b++) y[b]! += diff * pc[ro + b]!;
        }
        for (let b = 0; b < d; b++) maha += y[b]! * y[b]!;
      } else if (type === 'diag') {
        for (let t = 0; t < d; t++) {
          const v = (x[xo + t]! - means[mo + t]!) * pc[mo + t]!;
          maha += v * v;
        }
      } else {
        const p = pc[c]!;
        for (let t = 0; t < d; t++) {
          const v = x[xo + t]! - means[mo + t]!;
          maha += v * v;
        }
        maha *= p * p;
      }
      out[i * k + c] = logDet[c]! - 0.5 * maha;
    }
  }
}

/**
 * Turns weighted log densities (n × k, in place) into log responsibilities and returns the per-row log-likelihoods
 * log Σ_c exp(·) (a stable log-sum-exp) summed into the mean (scikit-learn's `_estimate_log_prob_resp`).
 *
 * @param rowLogLik - optional n-length output of the per-row log-likelihoods.
 */
export function normalizeLogProb(
  logProb: Float64Array,
  n: number,
  k: number,
  rowLogLik?: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (logProb[o + c]! > max) max = logProb[o + c]!;
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(logProb[o + c]! - max);
    const lse = max === -Infinity ? -Infinity : max + Math.log(s);
    for (let c = 0; c < k; c++) logProb[o + c]! -= lse;
    if (rowLogLik !== undefined) rowLogLik[i] = lse;
    total += lse;
  }
  return total / n;
}

/** Number of free parameters (scikit-learn's `_n_parameters`), for BIC and AIC. */
export function parameterCount(type: CovarianceType, k: number, d: number): number {
  let covParams: number;
  switch (type) {
    case 'full':
      covParams = (k * d * (d + 1)) / 2;
      break;
    case 'tied':
      covParams = (d * (d + 1)) / 2;
      break;
    case 'diag':
      covParams = k * d;
      break;
    case 'spherical':
      covParams = k;
      break;
    default:
      return assertNever(type, 'covarianceType');
  }
  return covParams + k * d + k - 1;
}
