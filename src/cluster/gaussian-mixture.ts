/**
 * Gaussian mixture models fitted by expectation–maximisation, with scikit-learn's `GaussianMixture` semantics: soft
 * segments with full, tied, diagonal or spherical covariances, per-customer membership probabilities, BIC and AIC.
 * @module
 */

import { assertNever } from '../util/errors.js';
import { type Matrix, type MatrixLike, toMatrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { createPlusPlusScratch, kmeansPlusPlus } from './k-means-init.js';
import { readKMeansLabels } from './k-means.js';
import {
  type CovarianceType,
  type GMMParams,
  type Responsibilities,
  copyParams,
  covarianceSize,
  createEStepScratch,
  createParams,
  eStep,
  estimateParameters,
  mStep,
  normalizeLogProb,
  parameterCount,
  precisionCholeskyFromCovariances,
  precisionCholeskyFromPrecisions,
  logConstants,
  weightedLogProb,
  weightedLogProbRange,
} from './gaussian-mixture-steps.js';

export type { CovarianceType } from './gaussian-mixture-steps.js';

/** How the initial responsibilities are drawn (scikit-learn's `init_params`). */
export type GaussianMixtureInit = 'kmeans' | 'k-means++' | 'random';

/** Options for `gaussianMixture`; everything but `k` has a default (see `GAUSSIAN_MIXTURE_DEFAULTS`). */
export interface GaussianMixtureOptions {
  /** Number of components, an integer in [1, rows]. */
  k: number;
  /** Default `'full'`. */
  covarianceType?: CovarianceType;
  /** Non-negative value added to the diagonal of every covariance, keeping it positive definite. Default 1e-6. */
  regCovar?: number;
  /** Independent initialisations, keeping the one with the highest lower bound. Default 1. */
  nInit?: number;
  /** Maximum EM iterations per initialisation. Default 100. */
  maxIter?: number;
  /** A run stops when its lower bound changes by less than `tol`. Default 1e-3. */
  tol?: number;
  /**
   * Initial responsibilities: one-hot k-means labels (`'kmeans'`, one k-means run), one-hot k-means++ seed rows
   * (`'k-means++'`), or uniform random rows normalised to sum 1 (`'random'`). Default `'kmeans'`.
   */
  init?: GaussianMixtureInit;
  /** Seed for the initialisation draws; the same seed gives the same result. Default 0. */
  seed?: number;
  /** k initial weights summing to 1 (scikit-learn's `weights_init`); overrides those of `init`. */
  weightsInit?: ArrayLike<number>;
  /** k × d initial means (scikit-learn's `means_init`). */
  meansInit?: MatrixLike;
  /**
   * Initial precisions (inverse covariances, scikit-learn's `precisions_init`), flat in the layout of
   * `GaussianMixtureResult.covariances` for the covariance type.
   */
  precisionsInit?: ArrayLike<number>;
}

/** The documented defaults merged into `GaussianMixtureOptions`. */
export const GAUSSIAN_MIXTURE_DEFAULTS = {
  covarianceType: 'full',
  regCovar: 1e-6,
  nInit: 1,
  maxIter: 100,
  tol: 1e-3,
  init: 'kmeans',
  seed: 0,
} as const satisfies Partial<GaussianMixtureOptions>;

/** A fitted mixture: the best run of `gaussianMixture`, and how to score new rows with it. */
export interface GaussianMixtureResult {
  k: number;
  cols: number;
  covarianceType: CovarianceType;
  /** k mixing weights, summing to 1. */
  weights: Float64Array;
  /** k × cols means, row-major. */
  means: Float64Array;
  /**
   * Covariances, as scikit-learn's `covariances_` flattened row-major: `'full'` k × d × d (component c, entry
   * (a, b) at `c·d² + a·d + b`); `'tied'` one d × d; `'diag'` k × d variances; `'spherical'` k variances.
   */
  covariances: Float64Array;
  /** Factors U with precision = U Uᵀ, same layout as `covariances` (scikit-learn's `precisions_cholesky_`). */
  precisionsCholesky: Float64Array;
  /** Most probable component of each training row under the returned parameters (a final E-step). */
  labels: Int32Array;
  /** Whether the best run stopped on `tol` rather than at `maxIter`. */
  converged: boolean;
  /** EM iterations of the best run (scikit-learn's `n_iter_`). */
  nIter: number;
  /** Best run's final lower bound: mean log-likelihood per row before its last M-step (`lower_bound_`). */
  lowerBound: number;
  /** The best run's lower bound after each iteration (`lower_bounds_`); non-decreasing up to rounding. */
  lowerBounds: Float64Array;
  /** Most probable component per row of X. */
  predict(X: MatrixLike): Int32Array;
  /** n × k membership probabilities, row-major; each row sums to 1. */
  predictProba(X: MatrixLike): Float64Array;
  /** Log-likelihood log p(x) of each row of X. */
  scoreSamples(X: MatrixLike): Float64Array;
  /** Mean log-likelihood per row of X. */
  score(X: MatrixLike): number;
  /** Bayesian information criterion −2·n·score(X) + p·ln n (lower is better). */
  bic(X: MatrixLike): number;
  /** Akaike information criterion −2·n·score(X) + 2p (lower is better). */
  aic(X: MatrixLike): number;
  /** Free parameters p used by `bic` and `aic`. */
  nParameters: number;
}

const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const INITS: readonly GaussianMixtureInit[] = ['kmeans', 'k-means++', 'random'];

function checkInteger(value: unknown, name: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

function checkVector(value: unknown, name: string, length: number): Float64Array {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as ArrayLike<number>).length !== 'number'
  ) {
    throw new TypeError(`${name} must be an array of numbers, got ${String(value)}`);
  }
  const a = value as ArrayLike<number>;
  if (a.length !== length) throw new RangeError(`${name} has length ${a.length}, expected ${length}`);
  const out = new Float64Array(length);
  for (let q = 0; q < length; q++) {
    const v = a[q];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${name}[${q}] is ${String(v)}: values must be finite numbers`);
    }
    out[q] = v;
  }
  return out;
}

/** Validated explicit starting parameters (each may be absent). */
interface ExplicitInit {
  weights: Float64Array | null;
  means: Float64Array | null;
  precisions: Float64Array | null;
}

function checkExplicitInit(
  options: GaussianMixtureOptions,
  type: CovarianceType,
  k: number,
  d: number,
): ExplicitInit {
  let weights: Float64Array | null = null;
  if (options.weightsInit !== undefined) {
    weights = checkVector(options.weightsInit, 'weightsInit', k);
    let s = 0;
    for (let c = 0; c < k; c++) {
      if (weights[c]! < 0 || weights[c]! > 1) {
        throw new RangeError(`weightsInit[${c}] is ${weights[c]}: weights must be in [0, 1]`);
      }
      s += weights[c]!;
    }
    // scikit-learn's `_check_weights`: np.allclose(|1 − Σw|, 0), i.e. within 1e-8.
    if (!(Math.abs(1 - s) <= 1e-8)) throw new RangeError(`weightsInit must sum to 1, got sum ${s}`);
  }
  let means: Float64Array | null = null;
  if (options.meansInit !== undefined) {
    const m = toMatrix(options.meansInit, 'meansInit');
    if (m.rows !== k || m.cols !== d) {
      throw new RangeError(`meansInit is ${m.rows} × ${m.cols}, expected k × d = ${k} × ${d}`);
    }
    means = Float64Array.from(m.data);
  }
  let precisions: Float64Array | null = null;
  if (options.precisionsInit !== undefined) {
    precisions = checkVector(options.precisionsInit, 'precisionsInit', covarianceSize(type, k, d));
    if (type === 'full' || type === 'tied') {
      for (let o = 0; o < precisions.length; o += d * d) {
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < a; b++) {
            const p = precisions[o + a * d + b]!;
            const q = precisions[o + b * d + a]!;
            // scikit-learn's `_check_precision_matrix`: np.allclose(P, Pᵀ).
            if (!(Math.abs(p - q) <= 1e-8 + 1e-5 * Math.abs(q))) {
              throw new RangeError(
                `precisionsInit is not symmetric: entry ${o + a * d + b} is ${p}, its mirror ${q}`,
              );
            }
          }
        }
      }
    } else {
      for (let q = 0; q < precisions.length; q++) {
        if (!(precisions[q]! > 0)) {
          throw new RangeError(`precisionsInit[${q}] is ${precisions[q]}: precisions must be positive`);
        }
      }
    }
  }
  return { weights, means, precisions };
}

/** Every run's initial parameters, and a label array of the fit's own that the final labels may reuse. */
interface InitialParameters {
  /** Per run: weights (normalised), means and covariances estimated from its initial responsibilities. */
  starts: GMMParams[];
  /** k-means++'s one-hot labels, no longer needed once the starts are estimated; null for the other inits. */
  spareLabels: Int32Array | null;
}

/**
 * The initial parameters of all `nInit` runs (scikit-learn's `_initialize_parameters` and `_initialize`), each
 * estimated from its initial responsibilities: one-hot ones as labels (k-means' labels; the k-means++ rows, every
 * other row all zeros), random ones as an n × k array. The runs draw from `rng` in run order, as they would one by
 * one (EM itself draws nothing), and share their scratch: one k-means workspace for all the k-means runs, one
 * k-means++ workspace, one n × k array for `'random'` — rather than one per run, each left for the garbage collector
 * (2M × 5, k = 6, nInit = 3: three 120 MB k-means workspaces alive at once).
 */
function initialParameters(
  m: Matrix,
  x: Float64Array,
  k: number,
  init: GaussianMixtureInit,
  nInit: number,
  rng: Random,
  type: CovarianceType,
  regCovar: number,
  block: Float64Array,
): InitialParameters {
  const { rows: n, cols: d } = m;
  const starts = Array.from({ length: nInit }, () => createParams(type, k, d));
  const estimate = (resp: Responsibilities, run: number): void => {
    const start = starts[run]!;
    estimateParameters(x, n, d, resp, k, type, regCovar, start, block);
    for (let c = 0; c < k; c++) start.weights[c]! /= n;
  };
  switch (init) {
    case 'kmeans': {
      // One k-means run each (scikit-learn: KMeans(n_init=1, random_state)), its seed from this call's stream. The
      // labels are read where they lie, in the k-means workspace: no n-row copy beside it at the fit's peak.
      const seeds = starts.map(() => rng.nextUint32());
      readKMeansLabels(m, { k, nInit: 1 }, seeds, estimate);
      return { starts, spareLabels: null };
    }
    case 'k-means++': {
      const data = { x, n, d, w: null };
      const scratch = createPlusPlusScratch(n, d, k);
      const centres = new Float64Array(k * d);
      const labels = new Int32Array(n);
      for (let run = 0; run < nInit; run++) {
        const chosen = kmeansPlusPlus(data, k, rng, centres, scratch);
        labels.fill(-1);
        let twice = false;
        for (let c = 0; c < k && !twice; c++) {
          twice = labels[chosen[c]!] !== -1;
          labels[chosen[c]!] = c;
        }
        if (twice) {
          // A row chosen twice (only possible with fewer distinct rows than k) has two ones: dense, as numpy's.
          const resp = new Float64Array(n * k);
          for (let q = 0; q < k; q++) resp[chosen[q]! * k + q] = 1;
          estimate(resp, run);
        } else {
          estimate(labels, run);
        }
      }
      return { starts, spareLabels: labels };
    }
    case 'random': {
      const resp = new Float64Array(n * k);
      for (let run = 0; run < nInit; run++) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let c = 0; c < k; c++) {
            const v = rng.next();
            resp[i * k + c] = v;
            s += v;
          }
          for (let c = 0; c < k; c++) resp[i * k + c]! /= s;
        }
        estimate(resp, run);
      }
      return { starts, spareLabels: null };
    }
    default:
      return assertNever(init, 'init');
  }
}

/**
 * Fits a mixture of k Gaussians to the rows of X by EM, with the semantics of scikit-learn's `GaussianMixture`
 * (1.x): initial responsibilities from one k-means run (or k-means++ seeds, or random), then alternating E-steps
 * (log responsibilities, in log space with Cholesky factors of the precisions) and M-steps; a run stops when its
 * lower bound — the mean log-likelihood per row — changes by less than `tol`. The best of `nInit` runs by lower
 * bound is kept, and a final E-step makes `labels` agree with the returned parameters. From the same starting
 * parameters (`weightsInit`, `meansInit`, `precisionsInit`) it reproduces scikit-learn's fit; seeded
 * initialisations use segmint's own generator, so they match scikit-learn in quality, not bit for bit.
 *
 * Algorithm: Dempster, Laird & Rubin 1977, "Maximum likelihood from incomplete data via the EM algorithm"; for
 * Gaussian mixtures Bishop 2006, "Pattern Recognition and Machine Learning", §9.2.2; BIC Schwarz 1978, AIC
 * Akaike 1974. Memory: no n × k buffer (the E-step hands each block's responsibilities to the M-step's sums;
 * `'random'` init alone draws n × k, one for all runs), besides X widened to Float64 when it is not, the labels,
 * and the default init's k-means workspace (a centred copy of X and ≈ 24 bytes a row; one for all runs, its
 * labels read in place) — which the garbage collector may not have reclaimed while EM runs; O(n·k·d²) per
 * iteration for `'full'`/`'tied'`.
 *
 * @throws TypeError for a wrong type (unknown `covarianceType` or `init`); RangeError for a bad value (non-finite
 * or empty X, k outside [1, rows], bad `regCovar`/`tol`/`maxIter`/`nInit`, initial parameters of the wrong shape,
 * or a covariance that stops being positive definite), naming the value.
 *
 * @example
 * const gm = gaussianMixture(
 *   [[1, 1], [1.2, 0.8], [0.9, 1.1], [8, 8], [8.1, 7.9], [7.8, 8.2]],
 *   { k: 2, covarianceType: 'diag', regCovar: 1e-3 },
 * );
 * gm.labels; // e.g. Int32Array [0, 0, 0, 1, 1, 1]
 * gm.predictProba([[1, 1]]); // ≈ [1, 0]
 * gm.bic([[1, 1], [8, 8]]);
 */
export function gaussianMixture(X: MatrixLike, options: GaussianMixtureOptions): GaussianMixtureResult {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`gaussianMixture options must be an object with at least k, got ${String(options)}`);
  }
  const m = toMatrix(X, 'X');
  const { rows: n, cols: d } = m;
  const k = checkInteger(options.k, 'k', 1, n);
  const type = options.covarianceType ?? GAUSSIAN_MIXTURE_DEFAULTS.covarianceType;
  if (!COVARIANCE_TYPES.includes(type)) {
    throw new TypeError(
      `covarianceType must be 'full', 'tied', 'diag' or 'spherical', got '${String(type)}'`,
    );
  }
  const init = options.init ?? GAUSSIAN_MIXTURE_DEFAULTS.init;
  if (!INITS.includes(init)) {
    throw new TypeError(`init must be 'kmeans', 'k-means++' or 'random', got '${String(init)}'`);
  }
  const regCovar = checkNonNegative(options.regCovar ?? GAUSSIAN_MIXTURE_DEFAULTS.regCovar, 'regCovar');
  const tol = checkNonNegative(options.tol ?? GAUSSIAN_MIXTURE_DEFAULTS.tol, 'tol');
  const nInit = checkInteger(options.nInit ?? GAUSSIAN_MIXTURE_DEFAULTS.nInit, 'nInit', 1);
  const maxIter = checkInteger(options.maxIter ?? GAUSSIAN_MIXTURE_DEFAULTS.maxIter, 'maxIter', 1);
  const seed = options.seed ?? GAUSSIAN_MIXTURE_DEFAULTS.seed;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
  }
  const explicit = checkExplicitInit(options, type, k, d);
  const allExplicit = explicit.weights !== null && explicit.means !== null && explicit.precisions !== null;

  const x = m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
  const rng = new Random(seed);
  const params = createParams(type, k, d);
  const best = createParams(type, k, d);
  // No n × k responsibilities: the E-step sums each block's into the M-step's statistics (see `eStep`).
  const eScratch = createEStepScratch(type, k, d);
  const cholScratch = new Float64Array(d * d);
  let bestLowerBound = -Infinity;
  let bestNIter = 0;
  let bestConverged = false;
  let bestLowerBounds = new Float64Array(0);
  const lowerBounds = new Float64Array(maxIter);
  // Initialisation (scikit-learn's `_initialize`): parameters from the initial responsibilities, weights / n,
  // then any explicit ones override. With all three given the draws would be discarded, so they are skipped.
  const initial = allExplicit
    ? null
    : initialParameters(m, x, k, init, nInit, rng, type, regCovar, eScratch.block);

  for (let run = 0; run < nInit; run++) {
    const start = initial?.starts[run];
    if (start !== undefined) {
      params.weights.set(start.weights);
      params.means.set(start.means);
      params.covariances.set(start.covariances);
    }
    if (explicit.weights !== null) params.weights.set(explicit.weights);
    if (explicit.means !== null) params.means.set(explicit.means);
    if (explicit.precisions !== null) {
      precisionCholeskyFromPrecisions(explicit.precisions, type, k, d, params.precisionsCholesky);
    } else {
      precisionCholeskyFromCovariances(
        params.covariances,
        type,
        k,
        d,
        params.precisionsCholesky,
        cholScratch,
      );
    }

    let lowerBound = -Infinity;
    let converged = false;
    let nIter = 0;
    for (let iter = 1; iter <= maxIter; iter++) {
      const previous = lowerBound;
      // E-step with the current parameters; its mean log-likelihood is this iteration's lower bound. It also
      // sums what the M-step needs (scikit-learn's `_m_step`: weights, means, covariances) from each block.
      lowerBound = eStep(x, n, d, params, type, k, eScratch);
      mStep(x, n, d, params, type, k, regCovar, eScratch);
      precisionCholeskyFromCovariances(
        params.covariances,
        type,
        k,
        d,
        params.precisionsCholesky,
        cholScratch,
      );
      lowerBounds[iter - 1] = lowerBound;
      nIter = iter;
      if (Math.abs(lowerBound - previous) < tol) {
        converged = true;
        break;
      }
    }
    if (lowerBound > bestLowerBound || bestLowerBound === -Infinity) {
      bestLowerBound = lowerBound;
      copyParams(params, best);
      bestNIter = nIter;
      bestConverged = converged;
      bestLowerBounds = lowerBounds.slice(0, nIter);
    }
  }

  // Final E-step so the labels agree with the returned parameters (scikit-learn's `fit_predict`).
  const labels = predictLabels(x, n, d, best, type, k, initial?.spareLabels ?? new Int32Array(n));
  return fittedMixture(best, type, k, d, labels, bestConverged, bestNIter, bestLowerBound, bestLowerBounds);
}

/** argmax of the weighted log densities of every row into `labels`, block by block (no n × k buffer). */
function predictLabels(
  x: Float64Array,
  n: number,
  d: number,
  params: GMMParams,
  type: CovarianceType,
  k: number,
  labels: Int32Array,
): Int32Array {
  const block = 1024;
  const lp = new Float64Array(block * k);
  const logConst = new Float64Array(k);
  logConstants(params, type, k, d, logConst);
  for (let i0 = 0; i0 < n; i0 += block) {
    const i1 = Math.min(n, i0 + block);
    weightedLogProbRange(x, i0, i1, d, params, type, k, logConst, lp);
    argmaxRows(lp, i1 - i0, k, labels, i0);
  }
  return labels;
}

/** First index of the largest entry of each row (numpy's `argmax`). */
function argmaxRows(
  a: Float64Array,
  n: number,
  k: number,
  labels: Int32Array = new Int32Array(n),
  offset = 0,
): Int32Array {
  for (let i = 0; i < n; i++) {
    let bestC = 0;
    for (let c = 1; c < k; c++) if (a[i * k + c]! > a[i * k + bestC]!) bestC = c;
    labels[offset + i] = bestC;
  }
  return labels;
}

function fittedMixture(
  params: GMMParams,
  type: CovarianceType,
  k: number,
  d: number,
  labels: Int32Array,
  converged: boolean,
  nIter: number,
  lowerBound: number,
  lowerBounds: Float64Array,
): GaussianMixtureResult {
  const nParameters = parameterCount(type, k, d);
  const logProb = (
    X: MatrixLike,
    rowLogLik?: Float64Array,
  ): { lp: Float64Array; n: number; mean: number } => {
    const mx = toMatrix(X, 'X');
    if (mx.cols !== d) throw new RangeError(`X has ${mx.cols} columns but the mixture was fitted on ${d}`);
    const lp = new Float64Array(mx.rows * k);
    weightedLogProb(mx.data, mx.rows, d, params, type, k, lp);
    return { lp, n: mx.rows, mean: normalizeLogProb(lp, mx.rows, k, rowLogLik) };
  };
  const score = (X: MatrixLike): number => logProb(X).mean;
  return {
    k,
    cols: d,
    covarianceType: type,
    weights: params.weights,
    means: params.means,
    covariances: params.covariances,
    precisionsCholesky: params.precisionsCholesky,
    labels,
    converged,
    nIter,
    lowerBound,
    lowerBounds,
    nParameters,
    predict(X) {
      const { lp, n } = logProb(X);
      return argmaxRows(lp, n, k);
    },
    predictProba(X) {
      const { lp } = logProb(X);
      for (let q = 0; q < lp.length; q++) lp[q] = Math.exp(lp[q]!);
      return lp;
    },
    scoreSamples(X) {
      const mx = toMatrix(X, 'X');
      const out = new Float64Array(mx.rows);
      logProb(mx, out);
      return out;
    },
    score,
    bic(X) {
      const { n, mean } = logProb(X);
      return -2 * mean * n + nParameters * Math.log(n);
    },
    aic(X) {
      const { n, mean } = logProb(X);
      return -2 * mean * n + 2 * nParameters;
    },
  };
}
