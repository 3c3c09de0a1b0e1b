/**
 * Internal EM steps for `gaussianMixture`: parameter estimation from responsibilities (M-step), precision Cholesky
 * factors, and per-component log densities (E-step), all on flat Float64 arrays, ported from the formulas of
 * scikit-learn's `sklearn/mixture/_gaussian_mixture.py` (1.x) so both sides round alike.
 * @module
 */

import { assertNever } from '../util/errors.js';
import { choleskyLower, invertLowerTransposed } from './gaussian-mixture-cholesky.js';
import { choleskyLogProbKernel, fullCovarianceKernel, momentKernel } from './gaussian-mixture-kernels.js';

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
 * Responsibilities the M-step reads: all n × k of them (`Float64Array`, row-major), or hard ones as labels
 * (`Int32Array`: row i has 1 in column labels[i] and 0 elsewhere; −1 gives a row of zeros), which cost 4 bytes a
 * row instead of 8k. The M-step reads labels through a one-hot block of `ROW_BLOCK` rows; 0 and 1 are exact, so the
 * sums equal those over the n × k one-hot array bit for bit.
 */
export type Responsibilities = Float64Array | Int32Array;

/**
 * Rows [i0, i1) of `resp` as an array the kernels read at `(i − r0)·k + c`, with r0 = `blockOrigin(resp, i0)`:
 * `resp` itself when dense, else its rows one-hot in `block`.
 */
function respBlock(
  resp: Responsibilities,
  i0: number,
  i1: number,
  k: number,
  block: Float64Array,
): Float64Array {
  if (resp instanceof Float64Array) return resp;
  block.fill(0, 0, (i1 - i0) * k);
  for (let i = i0; i < i1; i++) {
    const c = resp[i]!;
    if (c >= 0) block[(i - i0) * k + c] = 1;
  }
  return block;
}

function blockOrigin(resp: Responsibilities, i0: number): number {
  return resp instanceof Float64Array ? 0 : i0;
}

/**
 * M-step, first pass: nk = Σ_i r_ic and S_c = Σ_i r_ic x_i (both without scikit-learn's 10·eps, which
 * `finishMeans` adds), accumulated row by row. `block`: ROW_BLOCK × k scratch (used for labels).
 */
export function accumulateMoments(
  x: Float64Array,
  n: number,
  d: number,
  resp: Responsibilities,
  k: number,
  nk: Float64Array,
  sums: Float64Array,
  block: Float64Array,
): void {
  nk.fill(0);
  sums.fill(0);
  const moments = momentKernel(d);
  // Blocks of rows, every component per block: each sum still runs over the rows in order.
  for (let i0 = 0; i0 < n; i0 += ROW_BLOCK) {
    const i1 = Math.min(n, i0 + ROW_BLOCK);
    const r = respBlock(resp, i0, i1, k, block);
    const r0 = blockOrigin(resp, i0);
    for (let c = 0; c < k; c++) moments(x, i0, i1, r, r0, k, c, nk, sums);
  }
}

/** nk += 10·eps and means = S / nk (scikit-learn's `_estimate_gaussian_parameters`); `sums` may be `means`. */
export function finishMeans(
  nk: Float64Array,
  sums: Float64Array,
  k: number,
  d: number,
  means: Float64Array,
): void {
  for (let c = 0; c < k; c++) {
    nk[c]! += 10 * EPS;
    for (let t = 0; t < d; t++) means[c * d + t] = sums[c * d + t]! / nk[c]!;
  }
}

/**
 * M-step estimates (scikit-learn's `_estimate_gaussian_parameters`): nk = Σ resp + 10·eps, means = respᵀX / nk,
 * covariances per type plus `regCovar` on the diagonal. Writes the unnormalised masses nk into `out.weights`.
 * Used for the initial parameters; EM's own M-steps take their sums from `eStep`.
 */
export function estimateParameters(
  x: Float64Array,
  n: number,
  d: number,
  resp: Responsibilities,
  k: number,
  type: CovarianceType,
  regCovar: number,
  out: GMMParams,
  block: Float64Array,
): void {
  accumulateMoments(x, n, d, resp, k, out.weights, out.means, block);
  finishMeans(out.weights, out.means, k, d, out.means);
  estimateCovariances(x, n, d, resp, k, type, regCovar, out, block);
}

/**
 * M-step, second pass: covariances per type from responsibilities, `out.weights` = nk (with 10·eps) and
 * `out.means`, plus `regCovar` on the diagonal (scikit-learn's `_estimate_gaussian_covariances_*`).
 */
export function estimateCovariances(
  x: Float64Array,
  n: number,
  d: number,
  resp: Responsibilities,
  k: number,
  type: CovarianceType,
  regCovar: number,
  out: GMMParams,
  block: Float64Array,
): void {
  const { weights: nk, means, covariances: cov } = out;
  cov.fill(0);
  switch (type) {
    case 'full': {
      // Σ_c = Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ / nk_c + reg·I (`_estimate_gaussian_covariances_full`). Blocks of
      // rows, all components per block, so the block's rows and responsibilities are read from cache k times;
      // each sum still runs over the rows in order.
      const sumsOf = fullCovarianceKernel(d);
      for (let i0 = 0; i0 < n; i0 += ROW_BLOCK) {
        const i1 = Math.min(n, i0 + ROW_BLOCK);
        const r = respBlock(resp, i0, i1, k, block);
        const r0 = blockOrigin(resp, i0);
        for (let c = 0; c < k; c++) sumsOf(x, i0, i1, r, r0, k, c, means, cov);
      }
      finishFullCovariances(cov, nk, k, d, regCovar);
      return;
    }
    case 'tied':
      tiedCovariance(x, n, d, k, regCovar, out);
      return;
    case 'diag':
    case 'spherical': {
      // σ²_ct = Σ_i r_ic x_it² / nk_c − μ_ct² + reg (`_estimate_gaussian_covariances_diag`).
      const squares = new Float64Array(k * d);
      for (let i0 = 0; i0 < n; i0 += ROW_BLOCK) {
        const i1 = Math.min(n, i0 + ROW_BLOCK);
        squareSums(x, i0, i1, d, respBlock(resp, i0, i1, k, block), blockOrigin(resp, i0), k, squares);
      }
      finishDiagonal(squares, type, k, d, regCovar, out);
      return;
    }
    default:
      assertNever(type, 'covarianceType');
  }
}

/** Lower triangles of Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ (k × d × d) → symmetric covariances: ÷ nk_c, + reg·I. */
function finishFullCovariances(
  cov: Float64Array,
  nk: Float64Array,
  k: number,
  d: number,
  regCovar: number,
): void {
  const dd = d * d;
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
}

/** Adds Σ_i r_ic x_it² over rows [i0, i1) to squares[c·d + t], in row order (r_ic at resp[(i − r0)·k + c]). */
function squareSums(
  x: Float64Array,
  i0: number,
  i1: number,
  d: number,
  resp: Float64Array,
  r0: number,
  k: number,
  squares: Float64Array,
): void {
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    const ro = (i - r0) * k;
    for (let c = 0; c < k; c++) {
      const r = resp[ro + c]!;
      const mo = c * d;
      for (let t = 0; t < d; t++) {
        const v = x[xo + t]!;
        squares[mo + t]! += r * (v * v);
      }
    }
  }
}

/**
 * Diagonal variances from Σ_i r_ic x_it² (`squares`, k × d): σ²_ct = squares / nk_c − μ_ct² + reg; spherical
 * averages each component's d variances. `out.weights` = nk, `out.means` the new means.
 */
function finishDiagonal(
  squares: Float64Array,
  type: 'diag' | 'spherical',
  k: number,
  d: number,
  regCovar: number,
  out: GMMParams,
): void {
  const { weights: nk, means, covariances: cov } = out;
  const diag = type === 'diag' ? cov : squares;
  for (let c = 0; c < k; c++) {
    for (let t = 0; t < d; t++) {
      const m = means[c * d + t]!;
      diag[c * d + t] = squares[c * d + t]! / nk[c]! - m * m + regCovar;
    }
  }
  if (type === 'spherical') {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += diag[c * d + t]!;
      cov[c] = s / d;
    }
  }
}

/** Σ = (XᵀX − Σ_c nk_c μ_c μ_cᵀ) / Σ nk + reg·I (`_estimate_gaussian_covariances_tied`): no responsibilities. */
function tiedCovariance(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  regCovar: number,
  out: GMMParams,
): void {
  const { weights: nk, means, covariances: cov } = out;
  cov.fill(0);
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
 * Per-component constant of the weighted log density, log w_c + log det U_c − ½·d·log 2π (scikit-learn's
 * `_compute_log_det_cholesky` plus `_estimate_log_weights`), into `out` (length k).
 */
export function logConstants(
  params: GMMParams,
  type: CovarianceType,
  k: number,
  d: number,
  out: Float64Array,
): void {
  const { weights, precisionsCholesky: pc } = params;
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
    out[c] = s - 0.5 * d * LOG_2PI + Math.log(weights[c]!);
  }
}

/** Whether the d × d block at `o` has only zeros below its diagonal (factors computed from covariances do). */
function isUpperTriangular(u: Float64Array, o: number, d: number): boolean {
  for (let a = 1; a < d; a++) for (let b = 0; b < a; b++) if (u[o + a * d + b] !== 0) return false;
  return true;
}

/**
 * Rows [i0, i1) of log w_c − ½‖(x − μ_c)ᵀU_c‖² + log det U_c − ½·d·log 2π into `out` (row i at (i − i0)·k),
 * for `'full'` (`shared` false: U_c at c·d²) and `'tied'` (`shared`: one U), by the generated kernel of
 * `gaussian-mixture-kernels.ts`, which skips the zeros of upper-triangular factors (every factor EM computes).
 */
function logProbCholesky(
  x: Float64Array,
  i0: number,
  i1: number,
  d: number,
  means: Float64Array,
  pc: Float64Array,
  shared: boolean,
  k: number,
  logConst: Float64Array,
  out: Float64Array,
): void {
  let upper = true;
  for (let c = 0; c < (shared ? 1 : k); c++) upper &&= isUpperTriangular(pc, c * d * d, d);
  choleskyLogProbKernel(d, upper)(x, i0, i1, means, pc, shared ? 0 : d * d, k, logConst, out);
}

/** As `logProbCholesky` for `'diag'`: maha = Σ_t ((x_t − μ_ct) · u_ct)². */
function logProbDiag(
  x: Float64Array,
  i0: number,
  i1: number,
  d: number,
  means: Float64Array,
  pc: Float64Array,
  k: number,
  logConst: Float64Array,
  out: Float64Array,
): void {
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    const oo = (i - i0) * k;
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      let maha = 0;
      for (let t = 0; t < d; t++) {
        const v = (x[xo + t]! - means[mo + t]!) * pc[mo + t]!;
        maha += v * v;
      }
      out[oo + c] = logConst[c]! - 0.5 * maha;
    }
  }
}

/** As `logProbCholesky` for `'spherical'`: maha = ‖x − μ_c‖² · u_c². */
function logProbSpherical(
  x: Float64Array,
  i0: number,
  i1: number,
  d: number,
  means: Float64Array,
  pc: Float64Array,
  k: number,
  logConst: Float64Array,
  out: Float64Array,
): void {
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    const oo = (i - i0) * k;
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      const p = pc[c]!;
      let maha = 0;
      for (let t = 0; t < d; t++) {
        const v = x[xo + t]! - means[mo + t]!;
        maha += v * v;
      }
      out[oo + c] = logConst[c]! - 0.5 * (maha * (p * p));
    }
  }
}

/** Weighted log densities of rows [i0, i1) into `out` ((i1 − i0) × k); `logConst` from `logConstants`. */
export function weightedLogProbRange(
  x: Float64Array,
  i0: number,
  i1: number,
  d: number,
  params: GMMParams,
  type: CovarianceType,
  k: number,
  logConst: Float64Array,
  out: Float64Array,
): void {
  const { means, precisionsCholesky: pc } = params;
  switch (type) {
    case 'full':
    case 'tied':
      logProbCholesky(x, i0, i1, d, means, pc, type === 'tied', k, logConst, out);
      return;
    case 'diag':
      logProbDiag(x, i0, i1, d, means, pc, k, logConst, out);
      return;
    case 'spherical':
      logProbSpherical(x, i0, i1, d, means, pc, k, logConst, out);
      return;
    default:
      assertNever(type, 'covarianceType');
  }
}

/**
 * log w_c + log N(x_i | μ_c, Σ_c) for every row and component into `out` (n × k), as scikit-learn's
 * `_estimate_weighted_log_prob`: −½(d·log 2π + ‖(x − μ)ᵀU‖²) + log det U + log w. Float32 input is widened to
 * Float64 first (a copy), so the hot loops see one array type.
 *
 * @param _scratch - no longer needed (the kernels keep their temporaries in locals); accepted for older callers.
 */
export function weightedLogProb(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  params: GMMParams,
  type: CovarianceType,
  k: number,
  out: Float64Array,
  _scratch?: Float64Array,
): void {
  const logConst = new Float64Array(k);
  logConstants(params, type, k, d, logConst);
  const x64 = x instanceof Float64Array ? x : Float64Array.from(x);
  weightedLogProbRange(x64, 0, n, d, params, type, k, logConst, out);
}

/** Rows per block of the E- and M-step loops: a block's rows, responsibilities and log densities stay in cache. */
const ROW_BLOCK = 1024;

/** Scratch and sums for `eStep` / `mStep`, allocated once per fit. */
export interface EStepScratch {
  /** ROW_BLOCK × k weighted log densities, then responsibilities, of one block. */
  block: Float64Array;
  logConst: Float64Array;
  /** Σ_i r_ic (raw, without 10·eps) and Σ_i r_ic x_i, k and k × d. */
  nk: Float64Array;
  sums: Float64Array;
  /**
   * The type's second moments: `'full'` Σ_i r_ic (x_i − s_c)(x_i − s_c)ᵀ about the E-step's means s (lower
   * triangles, k × d × d); `'diag'` / `'spherical'` Σ_i r_ic x_it² (k × d); `'tied'` none (it needs no
   * responsibilities).
   */
  moments: Float64Array;
  /** The means the E-step ran with (the shift s of the full moments). */
  shift: Float64Array;
}

export function createEStepScratch(type: CovarianceType, k: number, d: number): EStepScratch {
  const size = type === 'full' ? k * d * d : type === 'tied' ? 0 : k * d;
  return {
    block: new Float64Array(ROW_BLOCK * k),
    logConst: new Float64Array(k),
    nk: new Float64Array(k),
    sums: new Float64Array(k * d),
    moments: new Float64Array(size),
    shift: new Float64Array(k * d),
  };
}

/**
 * E-step fused with the M-step's sums, block by block, so no n × k array is kept: each block's responsibilities
 * go straight into nk = Σ_i r_ic, S_c = Σ_i r_ic x_i (as `accumulateMoments`) and the type's second moments (see
 * `EStepScratch.moments`). Returns the mean log-likelihood per row (the lower bound). As scikit-learn's
 * `_estimate_log_prob_resp`, log p(x_i) = m + log Σ_c exp(ℓ_ic − m) with m the row's largest weighted log density
 * ℓ_ic; the responsibility is exp(ℓ_ic − m) / Σ_c exp(ℓ_ic − m), the same quantity as scikit-learn's
 * exp(ℓ_ic − log p(x_i)) with one exponential per entry instead of two (they differ in the last bits;
 * exponentials were a third of the E-step).
 */
export function eStep(
  x: Float64Array,
  n: number,
  d: number,
  params: GMMParams,
  type: CovarianceType,
  k: number,
  scratch: EStepScratch,
): number {
  const { block, logConst, nk, sums, moments: second, shift } = scratch;
  logConstants(params, type, k, d, logConst);
  nk.fill(0);
  sums.fill(0);
  second.fill(0);
  shift.set(params.means);
  const moments = momentKernel(d);
  const scatter = type === 'full' ? fullCovarianceKernel(d) : null;
  const squares = type === 'diag' || type === 'spherical';
  let total = 0;
  for (let i0 = 0; i0 < n; i0 += ROW_BLOCK) {
    const i1 = Math.min(n, i0 + ROW_BLOCK);
    weightedLogProbRange(x, i0, i1, d, params, type, k, logConst, block);
    for (let i = i0; i < i1; i++) {
      const o = (i - i0) * k;
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (block[o + c]! > max) max = block[o + c]!;
      let s = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(block[o + c]! - max);
        block[o + c] = e;
        s += e;
      }
      total += max === -Infinity ? -Infinity : max + Math.log(s);
      for (let c = 0; c < k; c++) block[o + c] = block[o + c]! / s;
    }
    for (let c = 0; c < k; c++) moments(x, i0, i1, block, i0, k, c, nk, sums);
    if (scatter !== null) for (let c = 0; c < k; c++) scatter(x, i0, i1, block, i0, k, c, shift, second);
    else if (squares) squareSums(x, i0, i1, d, block, i0, k, second);
  }
  return total / n;
}

/**
 * M-step from `eStep`'s sums (scikit-learn's `_m_step`): weights, means, covariances (+ `regCovar` on the
 * diagonal), weights normalised; writes `params`.
 *
 * Full covariances come from the moments about the E-step's means s rather than a second pass over the rows
 * with the new means μ: with g = Σ r (x − s) = S − nk·s and δ = μ − s,
 * Σ r (x − μ)(x − μ)ᵀ = Σ r (x − s)(x − s)ᵀ − g δᵀ − δ gᵀ + nk δδᵀ (exact; Σ r = nk). Shifting by the previous
 * means keeps the terms small (δ → 0 as EM converges), so no cancellation of large second moments; the result
 * equals the two-pass one to rounding (≈ 1e-15 relative), not bit for bit.
 */
export function mStep(
  x: Float64Array,
  n: number,
  d: number,
  params: GMMParams,
  type: CovarianceType,
  k: number,
  regCovar: number,
  scratch: EStepScratch,
): void {
  const { nk, sums, moments: second, shift } = scratch;
  const { weights, means, covariances: cov } = params;
  weights.set(nk);
  finishMeans(weights, sums, k, d, means);
  switch (type) {
    case 'full': {
      const dd = d * d;
      cov.fill(0);
      for (let c = 0; c < k; c++) {
        const w = nk[c]!;
        const co = c * dd;
        const mo = c * d;
        for (let a = 0; a < d; a++) {
          const ga = sums[mo + a]! - w * shift[mo + a]!;
          const da = means[mo + a]! - shift[mo + a]!;
          for (let b = 0; b <= a; b++) {
            const gb = sums[mo + b]! - w * shift[mo + b]!;
            const db = means[mo + b]! - shift[mo + b]!;
            cov[co + a * d + b] = second[co + a * d + b]! - ga * db - da * gb + w * da * db;
          }
        }
      }
      finishFullCovariances(cov, weights, k, d, regCovar);
      break;
    }
    case 'tied':
      tiedCovariance(x, n, d, k, regCovar, params);
      break;
    case 'diag':
    case 'spherical':
      finishDiagonal(second, type, k, d, regCovar, params);
      break;
    default:
      assertNever(type, 'covarianceType');
  }
  let total = 0;
  for (let c = 0; c < k; c++) total += weights[c]!;
  for (let c = 0; c < k; c++) weights[c]! /= total;
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
