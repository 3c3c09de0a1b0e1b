/**
 * The Gamma–Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves for customer base
 * analysis"; Hardie's note 025): the value of a customer's purchases, independent of how often they buy. Fit and
 * predictions in the conventions of lifetimes' `GammaGammaFitter`.
 * @module
 */
import { checkParams } from './beta-geo.js';
import { minimize } from './optimize.js';
import { checkWeights } from './repeat-data.js';
import { digamma, logGamma } from './special.js';
import type { FitOptions, FitReport, GammaGammaParams, SpendData, SpendModel } from './types.js';

/** lifetimes' start: every log-parameter 0.1. */
const DEFAULT_LOG_START = 0.1;
const PARAM_NAMES = ['p', 'q', 'v'] as const;

/** Spend data after checking, as typed arrays. */
interface CheckedSpendData {
  n: number;
  frequency: Float64Array;
  monetaryValue: Float64Array;
  weights: Float64Array | null;
}

/**
 * Checks spend data: equal lengths; frequency a whole number ≥ 0; monetary value finite, and > 0 wherever
 * frequency > 0 (a mean spend of 0 or less has no Gamma likelihood; lifetimes rejects it too). A customer with
 * frequency 0 may have any finite monetary value (usually 0): it is not used.
 */
function checkSpendData(data: SpendData, what = 'data'): CheckedSpendData {
  for (const c of ['frequency', 'monetaryValue'] as const) {
    const v = data[c] as ArrayLike<number> | undefined;
    if (v === undefined || v === null || typeof v.length !== 'number') {
      throw new TypeError(`${what}.${c} must be an array of numbers, got ${String(v)}`);
    }
  }
  const n = data.frequency.length;
  if (data.monetaryValue.length !== n) {
    throw new RangeError(
      `${what}: frequency and monetaryValue must have the same length, got ${n} and ${data.monetaryValue.length}`,
    );
  }
  if (data.weights !== undefined && data.weights.length !== n) {
    throw new RangeError(
      `${what}.weights must have one entry per customer (${n}), got ${data.weights.length}`,
    );
  }
  if (n === 0) throw new RangeError(`${what} has no customers`);
  const frequency = Float64Array.from(data.frequency);
  const monetaryValue = Float64Array.from(data.monetaryValue);
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const m = monetaryValue[i]!;
    if (!(x >= 0) || !Number.isInteger(x)) {
      throw new RangeError(`${what}.frequency[${i}] must be a whole number ≥ 0, got ${data.frequency[i]}`);
    }
    if (!Number.isFinite(m)) throw new RangeError(`${what}.monetaryValue[${i}] must be finite, got ${m}`);
    if (x > 0 && !(m > 0)) {
      throw new RangeError(
        `${what}.monetaryValue[${i}] must be > 0 for a customer with repeat purchases (frequency ${x}), got ${m}`,
      );
    }
  }
  return { n, frequency, monetaryValue, weights: checkWeights(data.weights, n, what) };
}

/**
 * Fits the Gamma–Gamma model by maximum likelihood, as lifetimes' `GammaGammaFitter.fit`: a customer's x repeat
 * purchases have mean value m, each purchase's value is Gamma(p, ν) and ν is Gamma(q, v) across customers, so
 * (note 025, eq. 3) log L = log Γ(px + q) − log Γ(px) − log Γ(q) + q log v + (px − 1) log m + px log x
 * − (px + q) log(xm + v). Minimised over log(p, q, v) by BFGS with the analytic gradient; the objective is
 * lifetimes' (mean negative log-likelihood + `penalizer × (p² + q² + v²)`, no time scaling).
 *
 * Customers with frequency 0 are left out of the fit (they have no repeat purchase whose value could be
 * averaged; lifetimes' documentation asks the caller to drop them, and its likelihood would be NaN for them):
 * `excluded` counts them, `n` counts the customers fitted. Monetary values must be > 0 for frequency > 0
 * (RangeError naming the first bad index and value). `logLikelihood` is the total, without the penalty.
 *
 * @example
 * const m = fitGammaGamma({ frequency: [2, 1, 0, 4], monetaryValue: [20.5, 11, 0, 35.2] });
 * m.excluded; // 1
 * m.conditionalExpectedAverageProfit({ frequency: [2], monetaryValue: [20.5] });
 */
export function fitGammaGamma(data: SpendData, opts: FitOptions = {}): SpendModel {
  const d = checkSpendData(data);
  const penalizer = opts.penalizer ?? 0;
  if (!(penalizer >= 0) || penalizer === Infinity) {
    throw new RangeError(`penalizer must be finite and ≥ 0, got ${opts.penalizer}`);
  }
  // Keep the repeat buyers; per distinct frequency, the weight and the indices of its rows.
  const keep: number[] = [];
  let excluded = 0;
  for (let i = 0; i < d.n; i++) {
    const w = d.weights === null ? 1 : d.weights[i]!;
    if (d.frequency[i] === 0) excluded += w;
    else if (w > 0) keep.push(i);
  }
  if (keep.length === 0) {
    throw new RangeError(
      'Gamma–Gamma needs at least one customer with a repeat purchase (frequency > 0), got none',
    );
  }
  const objective = gammaGammaObjective(d, Int32Array.from(keep), penalizer);
  const x0 = new Float64Array(3).fill(DEFAULT_LOG_START);
  for (const [k, v] of Object.entries(opts.initial ?? {})) {
    const j = PARAM_NAMES.indexOf(k as (typeof PARAM_NAMES)[number]);
    if (j < 0) throw new RangeError(`initial.${k} is not a parameter of the model (p, q, v)`);
    if (!(v > 0) || v === Infinity) throw new RangeError(`initial.${k} must be finite and > 0, got ${v}`);
    x0[j] = Math.log(v);
  }
  const result = minimize(objective.f, x0, {
    gradient: true,
    maxIter: opts.maxIter ?? 1000,
    gradTol: opts.tol ?? 1e-9,
  });
  const [p, q, v] = Array.from(result.x, Math.exp) as [number, number, number];
  const penalty = penalizer * (p * p + q * q + v * v);
  return gammaGammaModel(
    { p, q, v },
    {
      logLikelihood: -(result.value - penalty) * objective.total,
      n: objective.total,
      iterations: result.iterations,
      converged: result.converged,
    },
    excluded,
  );
}

/**
 * The penalised mean negative log-likelihood over θ = log(p, q, v) and its gradient, on the kept customers.
 * Terms in x alone (log Γ(px), log Γ(px + q), px log x and their derivatives) are computed once per distinct
 * frequency; the per-customer loop costs one log.
 */
function gammaGammaObjective(
  d: CheckedSpendData,
  keep: Int32Array,
  penalizer: number,
): { f: (theta: Float64Array, grad: Float64Array | null) => number; total: number } {
  const n = keep.length;
  const x = new Float64Array(n);
  const m = new Float64Array(n);
  const logM = new Float64Array(n);
  const w = new Float64Array(n);
  // Distinct frequencies and the weight of each.
  const distinct = new Map<number, number>();
  const xValues: number[] = [];
  const wByX: number[] = [];
  let total = 0;
  let sumWLogM = 0;
  let sumWXLogM = 0;
  for (let j = 0; j < n; j++) {
    const i = keep[j]!;
    x[j] = d.frequency[i]!;
    m[j] = d.monetaryValue[i]!;
    logM[j] = Math.log(m[j]!);
    w[j] = d.weights === null ? 1 : d.weights[i]!;
    let k = distinct.get(x[j]!);
    if (k === undefined) {
      k = xValues.length;
      distinct.set(x[j]!, k);
      xValues.push(x[j]!);
      wByX.push(0);
    }
    wByX[k]! += w[j]!;
    total += w[j]!;
    sumWLogM += w[j]! * logM[j]!;
    sumWXLogM += w[j]! * x[j]! * logM[j]!;
  }
  const f = (theta: Float64Array, grad: Float64Array | null): number => {
    const p = Math.exp(theta[0]!);
    const q = Math.exp(theta[1]!);
    const v = Math.exp(theta[2]!);
    if (![p, q, v].every((u) => u > 0 && u < Infinity)) return NaN;
    const logV = Math.log(v);
    const lgQ = logGamma(q);
    const psiQ = digamma(q);
    // Per distinct x: log Γ(px + q) − log Γ(px) − log Γ(q) + px log x, and ∂/∂p, ∂/∂q of it.
    let ll = total * q * logV - sumWLogM + p * sumWXLogM;
    let gP = sumWXLogM;
    let gQ = total * (logV - psiQ);
    let gV = (total * q) / v;
    for (let k = 0; k < xValues.length; k++) {
      const xk = xValues[k]!;
      const px = p * xk;
      const wk = wByX[k]!;
      ll += wk * (logGamma(px + q) - logGamma(px) - lgQ + px * Math.log(xk));
      if (grad) {
        const psiPxq = digamma(px + q);
        gP += wk * xk * (psiPxq - digamma(px) + Math.log(xk));
        gQ += wk * psiPxq;
      }
    }
    // Per customer: −(px + q) log(xm + v).
    for (let j = 0; j < n; j++) {
      const xj = x[j]!;
      const xmv = xj * m[j]! + v;
      const c = w[j]! * (p * xj + q);
      ll -= c * Math.log(xmv);
      if (grad) {
        const l = w[j]! * Math.log(xmv);
        gP -= xj * l;
        gQ -= l;
        gV -= c / xmv;
      }
    }
    if (grad) {
      grad[0] = (-gP * p) / total + 2 * penalizer * p * p;
      grad[1] = (-gQ * q) / total + 2 * penalizer * q * q;
      grad[2] = (-gV * v) / total + 2 * penalizer * v * v;
    }
    return -ll / total + penalizer * (p * p + q * q + v * v);
  };
  return { f, total };
}

/**
 * A Gamma–Gamma model from given parameters (for predictions with parameters fitted elsewhere), or from a fit.
 *
 * `conditionalExpectedAverageProfit(data)` is E[M | x, m] = (1 − w) · v p/(q − 1) + w · m with
 * w = p x/(p x + q − 1) (note 025, eq. 5): a weighted average of the population mean v p/(q − 1) and the
 * customer's own mean spend, the latter weighing more the more purchases it rests on. Frequency 0 gives the
 * population mean. It needs q > 1 (otherwise the mean spend is infinite and the formula's value meaningless).
 *
 * @example
 * gammaGammaModel({ p: 6.25, q: 3.74, v: 15.45 }).conditionalExpectedAverageProfit({ frequency: [2], monetaryValue: [20] });
 */
export function gammaGammaModel(params: GammaGammaParams, report?: FitReport, excluded = 0): SpendModel {
  checkParams(params);
  const { p, q, v } = params;
  return {
    model: 'gamma-gamma',
    params: { p, q, v },
    excluded,
    ...(report ?? { logLikelihood: NaN, n: 0, iterations: 0, converged: false }),
    conditionalExpectedAverageProfit(data) {
      const d = checkSpendData(data);
      const population = (v * p) / (q - 1);
      const out = new Float64Array(d.n);
      for (let i = 0; i < d.n; i++) {
        const px = p * d.frequency[i]!;
        const w = px / (px + q - 1);
        out[i] = (1 - w) * population + w * d.monetaryValue[i]!;
      }
      return out;
    },
  };
}
