/**
 * The Pareto/NBD purchase model (Schmittlein, Morrison & Colombo 1987, "Counting your customers: who are they and
 * what will they do next?", Management Science 33(1)): its maximum-likelihood fit and its predictions, as
 * lifetimes' `ParetoNBDFitter` computes them.
 * @module
 */

import { checkHorizon, checkParams } from './beta-geo.js';
import { minimize } from './optimize.js';
import { hyp2f1OneLog } from './pareto-nbd-special.js';
import {
  type CheckedRepeatData,
  type RepeatGroups,
  checkRepeatData,
  groupRepeatData,
} from './repeat-data.js';
import { digamma, logGamma } from './special.js';
import type { FitOptions, FitReport, ParetoNbdParams, PurchaseModel, RepeatData } from './types.js';

const PARAM_NAMES = ['r', 'alpha', 's', 'beta'] as const;

/**
 * Grouped repeat data (see {@link groupRepeatData}) plus the distinct points at which the likelihood's
 * antiderivative F is needed — (x, recency) and (x, T) of every group with recency < T — so each is evaluated once
 * per parameter value however many groups share it: all one-time buyers share (0, 0), a cohort shares (x, T).
 */
interface ParetoGroups {
  g: RepeatGroups;
  /** Per group: its point in `rec` and in `end`, −1 when recency = T (no time to die unseen). */
  atRecency: Int32Array;
  atT: Int32Array;
  /** Distinct (x, recency) and (x, T) points. */
  rec: { x: Float64Array; u: Float64Array };
  end: { x: Float64Array; u: Float64Array };
  /** Rows given, for lifetimes' objective scale rows / Σ weights. */
  rows: number;
}

/** Distinct (x, u) pairs from coded columns, keyed by xCode · (codes of u) + uCode. */
function pointSet(xValues: Float64Array, uValues: Float64Array) {
  const key = new Map<number, number>();
  const x: number[] = [];
  const u: number[] = [];
  return {
    add(xCode: number, uCode: number): number {
      const k = xCode * uValues.length + uCode;
      let j = key.get(k);
      if (j === undefined) {
        j = x.length;
        key.set(k, j);
        x.push(xValues[xCode]!);
        u.push(uValues[uCode]!);
      }
      return j;
    },
    done: () => ({ x: Float64Array.from(x), u: Float64Array.from(u) }),
  };
}

/** Checks, groups (exact: the likelihood depends on nothing but (x, recency, T)) and finds the points. */
function prepare(data: RepeatData): ParetoGroups {
  const checked = checkRepeatData(data);
  const g = groupRepeatData(checked);
  const atRecency = new Int32Array(g.size);
  const atT = new Int32Array(g.size);
  const rec = pointSet(g.x.values, g.recency.values);
  const end = pointSet(g.x.values, g.T.values);
  for (let i = 0; i < g.size; i++) {
    const xi = g.x.index[i]!;
    const ri = g.recency.index[i]!;
    const ti = g.T.index[i]!;
    if (g.recency.values[ri]! < g.T.values[ti]!) {
      atRecency[i] = rec.add(xi, ri);
      atT[i] = end.add(xi, ti);
    } else {
      atRecency[i] = -1;
      atT[i] = -1;
    }
  }
  return { g, atRecency, atT, rec: rec.done(), end: end.done(), rows: checked.n };
}

/**
 * log F(u) for F(u) = ∫ᵤ^∞ (α + τ)^−(r+x) (β + τ)^−(s+1) dτ, the probability weight (up to the factor s and the
 * front terms of eq. 18) of dying unseen after time u. Fader & Hardie (2005, eqs. 19–20) write it as
 * ₂F₁(r+s+x, b; r+s+x+1; z) / ((r+s+x) (m + u)^(r+s+x)), with m = max(α, β), z = |α − β| / (m + u) and b = s + 1
 * when α ≥ β, else b = r + x — the choice that keeps 0 ≤ z < 1. After Euler's transformation this is
 *
 *   F(u) = (α + u)^−(r+x) (β + u)^−s · K / (r+s+x),
 *   K = ₂F₁(1, r+x; r+s+x+1; z)                          (α ≥ β)
 *   K = (α + u)/(β + u) · ₂F₁(1, s+1; r+s+x+1; z)          (α < β)
 *
 * with every factor in log space, so thousands of purchases neither overflow nor cancel. When `grad` is given,
 * ∂ log F / ∂(r, α, s, β) are written to grad[at..at+3]; `h` is scratch for the ₂F₁'s own partials.
 */
function logTail(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  u: number,
  grad: Float64Array | null,
  at: number,
  h: Float64Array,
): number {
  const a = r + s + x;
  const au = alpha + u;
  const bu = beta + u;
  const logAu = Math.log(au);
  const logBu = Math.log(bu);
  let value = -(r + x) * logAu - s * logBu - Math.log(a);
  if (alpha >= beta) {
    const z = (alpha - beta) / au;
    value += hyp2f1OneLog(r + x, a + 1, z, grad ? h : undefined);
    if (grad) {
      // z depends on α and β; p = r + x and c = r + s + x + 1 on r and s.
      grad[at] = -logAu - 1 / a + h[0]! + h[1]!;
      grad[at + 1] = -(r + x) / au + (h[2]! * bu) / (au * au);
      grad[at + 2] = -logBu - 1 / a + h[1]!;
      grad[at + 3] = -s / bu - h[2]! / au;
    }
  } else {
    const z = (beta - alpha) / bu;
    value += logAu - logBu + hyp2f1OneLog(s + 1, a + 1, z, grad ? h : undefined);
    if (grad) {
      grad[at] = -logAu - 1 / a + h[1]!;
      grad[at + 1] = -(r + x) / au + 1 / au - h[2]! / bu;
      grad[at + 2] = -logBu - 1 / a + h[0]! + h[1]!;
      grad[at + 3] = -s / bu - 1 / bu + (h[2]! * au) / (bu * bu);
    }
  }
  return value;
}

/**
 * log(e^B + s (F(recency) − F(T))) — the likelihood without its front factor Γ(r+x) αʳ βˢ / Γ(r) (Fader & Hardie
 * 2005, eq. 18; lifetimes' `A_2`): alive at T (e^B, B = −(r+x) log(α+T) − s log(β+T)), or died unseen between the
 * last purchase and T. `lfRec`/`lfT` are log F at recency and T (−∞ when recency = T). The difference is formed as
 * F(recency) · (1 − F(T)/F(recency)) with expm1, and both terms are added by log-sum-exp.
 *
 * With `grad`, writes ∂/∂(r, α, s, β) given the partials of B (`dB`) and of the two log F (`dRec` from `atRec`, `dT` from `atT`).
 */
function logAliveOrDead(
  s: number,
  B: number,
  lfRec: number,
  lfT: number,
  grad: Float64Array | null,
  dB: Float64Array,
  dRec: Float64Array,
  atRec: number,
  dT: Float64Array,
  atT: number,
): number {
  if (lfRec === -Infinity) {
    if (grad) grad.set(dB);
    return B;
  }
  const logS = Math.log(s);
  // F(T) ≤ F(recency) exactly; rounding can only make them equal, which means "no time to die unseen".
  const ratio = Math.exp(lfT - lfRec);
  const dead = ratio < 1 ? logS + lfRec + Math.log(-Math.expm1(lfT - lfRec)) : -Infinity;
  const top = Math.max(B, dead);
  const total = top + Math.log(Math.exp(B - top) + Math.exp(dead - top));
  if (grad) {
    const wB = Math.exp(B - total);
    const wRec = Math.exp(logS + lfRec - total);
    const wT = Math.exp(logS + lfT - total);
    for (let k = 0; k < 4; k++) grad[k] = wB * dB[k]! + wRec * dRec[atRec + k]! - wT * dT[atT + k]!;
    grad[2]! += (wRec - wT) / s; // the factor s in front of the difference
  }
  return total;
}

/** B = log((α + T)^−(r+x) (β + T)^−s), the log-probability weight of being alive at T, and its partials. */
function logAliveAtT(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  T: number,
  grad: Float64Array | null,
): number {
  const logAT = Math.log(alpha + T);
  const logBT = Math.log(beta + T);
  if (grad) {
    grad[0] = -logAT;
    grad[1] = -(r + x) / (alpha + T);
    grad[2] = -logBT;
    grad[3] = -s / (beta + T);
  }
  return -(r + x) * logAT - s * logBT;
}

/**
 * Neumaier's compensated sum, acc[0] + acc[1] ← acc[0] + acc[1] + term: error ~ε |result| + n ε² Σ|terms|,
 * instead of ~n ε Σ|terms| for a plain sum.
 */
function addCompensated(acc: Float64Array, term: number): void {
  const sum = acc[0]!;
  const next = sum + term;
  acc[1]! += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
  acc[0] = next;
}

/**
 * Σ w log L − `offset` over grouped data at (r, α, s, β), with the gradient of Σ w log L (∂/∂ each parameter) in
 * `grad` when given. The front terms log Γ(r + x) − log Γ(r) + r log α + s log β are summed once per distinct
 * frequency; log F once per distinct point; the per-group loop is a log-sum-exp.
 *
 * The sum is compensated and starts from −offset, so that a fit, passing the total at its start as the offset,
 * sees differences of the objective down to ~1e-20 of it: with a plain sum over 10⁵ customers the rounding noise
 * (~1e-13 of the per-customer objective) exceeds what BFGS's last steps gain, and the fit stalls above its
 * gradient tolerance after hundreds of fruitless line-search evaluations.
 */
function totalLogLikelihood(
  P: ParetoGroups,
  r: number,
  alpha: number,
  s: number,
  beta: number,
  grad: Float64Array | null,
  scratch: Scratch,
  offset = 0,
): number {
  const { g, atRecency, atT } = P;
  const { lfRec, dRec, lfT, dT, h, dB, part, acc } = scratch;
  for (let k = 0; k < P.rec.x.length; k++) {
    lfRec[k] = logTail(r, alpha, s, beta, P.rec.x[k]!, P.rec.u[k]!, grad ? dRec : null, 4 * k, h);
  }
  for (let k = 0; k < P.end.x.length; k++) {
    lfT[k] = logTail(r, alpha, s, beta, P.end.x[k]!, P.end.u[k]!, grad ? dT : null, 4 * k, h);
  }
  const W = g.total;
  const lgr = logGamma(r);
  const dgr = grad ? digamma(r) : 0;
  acc[0] = -offset;
  acc[1] = 0;
  addCompensated(acc, W * r * Math.log(alpha));
  addCompensated(acc, W * s * Math.log(beta));
  let g0 = 0;
  for (let k = 0; k < g.x.values.length; k++) {
    const rx = r + g.x.values[k]!;
    addCompensated(acc, g.weightByX[k]! * (logGamma(rx) - lgr));
    if (grad) g0 += g.weightByX[k]! * (digamma(rx) - dgr);
  }
  let g1 = 0;
  let g2 = 0;
  let g3 = 0;
  for (let i = 0; i < g.size; i++) {
    const x = g.x.values[g.x.index[i]!]!;
    const w = g.weight[i]!;
    const B = logAliveAtT(r, alpha, s, beta, x, g.T.values[g.T.index[i]!]!, grad ? dB : null);
    const kr = atRecency[i]!;
    const kt = atT[i]!;
    const rest =
      kr < 0
        ? logAliveOrDead(s, B, -Infinity, -Infinity, grad ? part : null, dB, dRec, 0, dT, 0)
        : logAliveOrDead(s, B, lfRec[kr]!, lfT[kt]!, grad ? part : null, dB, dRec, 4 * kr, dT, 4 * kt);
    addCompensated(acc, w * rest);
    if (grad) {
      g0 += w * part[0]!;
      g1 += w * part[1]!;
      g2 += w * part[2]!;
      g3 += w * part[3]!;
    }
  }
  if (grad) {
    grad[0] = g0 + W * Math.log(alpha);
    grad[1] = g1 + (W * r) / alpha;
    grad[2] = g2 + W * Math.log(beta);
    grad[3] = g3 + (W * s) / beta;
  }
  return acc[0]! + acc[1]!;
}

/** Buffers for {@link totalLogLikelihood}, allocated once per fit. */
interface Scratch {
  lfRec: Float64Array;
  dRec: Float64Array;
  lfT: Float64Array;
  dT: Float64Array;
  h: Float64Array;
  dB: Float64Array;
  part: Float64Array;
  /** The compensated sum and its carry. */
  acc: Float64Array;
}

function scratchFor(P: ParetoGroups): Scratch {
  return {
    lfRec: new Float64Array(P.rec.x.length),
    dRec: new Float64Array(4 * P.rec.x.length),
    lfT: new Float64Array(P.end.x.length),
    dT: new Float64Array(4 * P.end.x.length),
    h: new Float64Array(3),
    dB: new Float64Array(4),
    part: new Float64Array(4),
    acc: new Float64Array(2),
  };
}

/**
 * Total log-likelihood Σ w log L(r, α, s, β | frequency, recency, T) of the Pareto/NBD model (Fader & Hardie
 * 2005, eq. 18), in the data's time unit, weights included. When `grad` (length ≥ 4) is given, its partial
 * derivatives with respect to r, α, s and β are written to it (analytic, as the fit uses them).
 *
 * @throws RangeError on a bad parameter or input row (see {@link checkRepeatData}).
 * @example
 * const data = { frequency: [2, 0], recency: [30.43, 0], T: [38.86, 38.86] };
 * paretoNbdLogLikelihood({ r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 }, data); // ≈ −9.8
 */
export function paretoNbdLogLikelihood(
  params: ParetoNbdParams,
  data: RepeatData,
  grad?: Float64Array,
): number {
  checkParams(params);
  if (grad !== undefined && !(grad instanceof Float64Array && grad.length >= 4)) {
    throw new TypeError(`grad must be a Float64Array of length ≥ 4, got ${String(grad)}`);
  }
  const P = prepare(data);
  return totalLogLikelihood(P, params.r, params.alpha, params.s, params.beta, grad ?? null, scratchFor(P));
}

/**
 * (1 − y^(s−1)) / (s − 1) for 0 < y ≤ 1, by expm1 so that s near 1 keeps its digits; −log y at s = 1 (the limit,
 * where lifetimes' formula divides 0 by 0).
 */
function powerDifference(y: number, s: number): number {
  if (y === 1) return 0; // no time ahead (and not −0)
  const k = s - 1;
  const logY = Math.log(y);
  return k === 0 ? -logY : -Math.expm1(k * logY) / k;
}

/**
 * Per customer, log P(alive at T | frequency, recency, T) = B − log(e^B + s (F(recency) − F(T))) (Fader & Hardie
 * 2005, eq. 36; lifetimes' `conditional_probability_alive`), with the checked columns it read.
 */
function logProbabilityAlive(
  params: ParetoNbdParams,
  data: RepeatData,
): CheckedRepeatData & { out: Float64Array } {
  const d = checkRepeatData(data);
  const { r, alpha, s, beta } = params;
  const out = new Float64Array(d.n);
  const h = new Float64Array(3);
  const none = new Float64Array(0);
  for (let i = 0; i < d.n; i++) {
    const x = d.frequency[i]!;
    const tx = d.recency[i]!;
    const t = d.T[i]!;
    const B = logAliveAtT(r, alpha, s, beta, x, t, null);
    const lfRec = tx < t ? logTail(r, alpha, s, beta, x, tx, null, 0, h) : -Infinity;
    const lfT = tx < t ? logTail(r, alpha, s, beta, x, t, null, 0, h) : -Infinity;
    out[i] = B - logAliveOrDead(s, B, lfRec, lfT, null, none, none, 0, none, 0);
  }
  return { ...d, out };
}

/**
 * A Pareto/NBD model from given parameters (in the data's time unit; for predictions with parameters fitted
 * elsewhere, e.g. by lifetimes), or from a fit. Without a report, `logLikelihood` is NaN and `n`, `iterations` 0.
 *
 * Predictions are lifetimes' `ParetoNBDFitter` formulas (Fader & Hardie 2005): `expectedPurchases` eq. 27,
 * `probabilityAlive` eqs. 36–37 (lifetimes' `conditional_probability_alive`), `conditionalExpectedPurchases`
 * eq. 41 — computed as P(alive) times the expected purchases of a customer alive at T, the same expression
 * rearranged so that the likelihood is not evaluated twice. At s = 1, where lifetimes divides 0 by 0, the
 * expectations take their limit.
 *
 * @throws RangeError when a parameter is not a finite positive number.
 * @example
 * const m = paretoNbdModel({ r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 }); // CDNOW, weeks
 * m.expectedPurchases(52); // ≈ 1.47 repeat purchases in a year for a new customer
 * m.probabilityAlive({ frequency: [2], recency: [30.43], T: [38.86] }); // ≈ [0.87]
 */
export function paretoNbdModel(params: ParetoNbdParams, report?: FitReport): PurchaseModel<ParetoNbdParams> {
  checkParams(params);
  const { r, alpha, s, beta } = params;
  return {
    model: 'pareto-nbd',
    params: { r, alpha, s, beta },
    ...(report ?? { logLikelihood: NaN, n: 0, iterations: 0, converged: false }),
    expectedPurchases(t: number): number {
      checkHorizon(t);
      // E[X(t)] = (r β / α) (1 − (β / (β + t))^(s−1)) / (s − 1)   (eq. 27)
      return ((r * beta) / alpha) * powerDifference(beta / (beta + t), s);
    },
    probabilityAlive(data: RepeatData): Float64Array {
      const { out } = logProbabilityAlive(params, data);
      for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]!);
      return out;
    },
    conditionalExpectedPurchases(t: number, data: RepeatData): Float64Array {
      checkHorizon(t);
      const { out, frequency, T } = logProbabilityAlive(params, data);
      for (let i = 0; i < out.length; i++) {
        // P(alive) (r + x)(β + T) / (α + T) · (1 − ((β + T)/(β + T + t))^(s−1)) / (s − 1)   (eq. 41)
        const bT = beta + T[i]!;
        out[i] =
          (Math.exp(out[i]!) * (r + frequency[i]!) * bT * powerDifference(bT / (bT + t), s)) /
          (alpha + T[i]!);
      }
      return out;
    },
  };
}

/**
 * Fits the Pareto/NBD model by maximum likelihood, as lifetimes' `ParetoNBDFitter.fit`. The objective is
 * lifetimes' exactly (its `_negative_log_likelihood`, which differs from BG/NBD's):
 *
 *   −(Σ w log L) · rows / Σ w  +  penalizer · (r² + (α/τ)² + s² + (β/τ)²),   τ = max T,
 *
 * — the weighted total divided by the mean weight (so, unlike BG/NBD, the penalty is weighed against the total,
 * not the mean, log-likelihood, and against fewer rows when they come grouped), with α and β in time rescaled so
 * the longest T is 1. It is minimised divided by Σ w, so that `tol` means the same for any data size. Without a
 * penalizer the estimate is the plain MLE.
 *
 * Rows with identical (frequency, recency, T) are grouped first (exact); the hypergeometric part of the
 * likelihood is evaluated once per distinct (frequency, recency) and (frequency, T). BFGS over the parameters'
 * logs ({@link minimize}) with the analytic gradient; default start r = s = 1, α = β = max T (lifetimes' start,
 * without its random jitter). lifetimes' own Nelder–Mead at tol 1e-4 stops up to ~2e-4 (relative) short of the
 * optimum; this fit reaches it (see the parity fixtures).
 *
 * `logLikelihood` in the result is Σ w log L in the data's time unit (penalty excluded); `converged` is false when
 * BFGS stopped short, e.g. on so little data that the estimate runs off to infinity (one customer).
 *
 * @throws RangeError naming the row and value on a bad input (NaN, negative, recency > T, fractional frequency,
 *   recency ≠ 0 with frequency 0), a bad penalizer or start, when every T is 0, or when no customer made a repeat
 *   purchase (the likelihood has no maximum).
 * @example
 * const m = fitParetoNbd({ frequency, recency, T }); // CDNOW's summary in weeks
 * m.params; // { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 }
 * m.conditionalExpectedPurchases(39, { frequency: [2], recency: [30.43], T: [38.86] }); // ≈ [1.46]
 */
export function fitParetoNbd(data: RepeatData, opts: FitOptions = {}): PurchaseModel<ParetoNbdParams> {
  const penalizer = opts.penalizer ?? 0;
  if (!(penalizer >= 0) || penalizer === Infinity) {
    throw new RangeError(`penalizer must be finite and ≥ 0, got ${opts.penalizer}`);
  }
  const P = prepare(data);
  const { maxT, total: W } = P.g;
  if (!(maxT > 0)) throw new RangeError(`Pareto/NBD needs some customer with T > 0, got max T = ${maxT}`);
  if (P.g.totalFrequency === 0) {
    // Every likelihood term is P(no purchase by T) < 1, which tends to 1 as r → 0: there is no maximum, and a
    // penalty (pulling every parameter to 0 as well) does not create one.
    throw new RangeError(
      'Pareto/NBD cannot be fitted when no customer made a repeat purchase (every frequency is 0): the ' +
        'likelihood tends to 1 as r → 0 without a maximum; fit on more history',
    );
  }
  const x0 = Float64Array.of(0, Math.log(maxT), 0, Math.log(maxT));
  for (const [k, v] of Object.entries(opts.initial ?? {})) {
    const j = PARAM_NAMES.indexOf(k as (typeof PARAM_NAMES)[number]);
    if (j < 0) throw new RangeError(`initial.${k} is not a parameter of the model (r, alpha, s, beta)`);
    if (!(v > 0) || v === Infinity) throw new RangeError(`initial.${k} must be finite and > 0, got ${v}`);
    x0[j] = Math.log(v);
  }
  const scratch = scratchFor(P);
  const dp = new Float64Array(4);
  // lifetimes' objective over Σ w, −Σ w log L · rows / (Σ w)² + penalty / Σ w, less its value at the start
  // (a constant: see totalLogLikelihood's offset).
  const llScale = P.rows / (W * W);
  const offset = totalLogLikelihood(
    P,
    Math.exp(x0[0]!),
    Math.exp(x0[1]!),
    Math.exp(x0[2]!),
    Math.exp(x0[3]!),
    null,
    scratch,
  );
  const penScale = penalizer / W;
  const timeScale = 1 / maxT;
  const objective = (theta: Float64Array, grad: Float64Array | null): number => {
    const r = Math.exp(theta[0]!);
    const alpha = Math.exp(theta[1]!);
    const s = Math.exp(theta[2]!);
    const beta = Math.exp(theta[3]!);
    if (![r, alpha, s, beta].every((v) => v > 0 && v < Infinity)) return NaN;
    const ll = totalLogLikelihood(P, r, alpha, s, beta, grad ? dp : null, scratch, offset);
    const as = alpha * timeScale;
    const bs = beta * timeScale;
    if (grad) {
      // Chain rule to log-parameters (∂/∂θ = p ∂/∂p); the penalty's p² gives 2 p².
      grad[0] = -llScale * r * dp[0]! + 2 * penScale * r * r;
      grad[1] = -llScale * alpha * dp[1]! + 2 * penScale * as * as;
      grad[2] = -llScale * s * dp[2]! + 2 * penScale * s * s;
      grad[3] = -llScale * beta * dp[3]! + 2 * penScale * bs * bs;
    }
    return -llScale * ll + penScale * (r * r + as * as + s * s + bs * bs);
  };
  const res = minimize(objective, x0, {
    gradient: true,
    maxIter: opts.maxIter ?? 1000,
    gradTol: opts.tol ?? 1e-9,
  });
  const [r, alpha, s, beta] = Array.from(res.x, Math.exp) as [number, number, number, number];
  return paretoNbdModel(
    { r, alpha, s, beta },
    {
      logLikelihood: totalLogLikelihood(P, r, alpha, s, beta, null, scratch),
      n: W,
      iterations: res.iterations,
      converged: res.converged,
    },
  );
}
