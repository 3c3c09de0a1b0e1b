/**
 * The BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): fit by maximum
 * likelihood and its predictions, in the conventions of lifetimes' `BetaGeoFitter`. The fitting core also serves
 * the modified model (MBG/NBD, `modified-beta-geo.ts`), whose likelihood has the same shape.
 * @module
 */
import { minimize } from './optimize.js';
import { distinctRows } from './distinct-rows.js';
import { type RepeatGroups, checkRepeatData, groupRepeatData } from './repeat-data.js';
import { digamma, logGamma, logHyp2f1 } from './special.js';
import type { BetaGeoParams, FitOptions, FitReport, PurchaseModel, RepeatData } from './types.js';

/** A fitted (or given) BG/NBD model. */
export type BetaGeoModel = PurchaseModel<BetaGeoParams>;

/** Which of the two beta-geometric models a likelihood is for. */
export type BetaGeoVariant = 'bg-nbd' | 'mbg-nbd';

/** lifetimes' start: every log-parameter 0.1 (r, α in time scaled to max T = 1, a, b). */
const DEFAULT_LOG_START = 0.1;
const PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;
/** Parameters (α in scaled time) beyond this are taken for a maximum at infinity, not an estimate. */
const DIVERGED = 1e6;

/**
 * Fits BG/NBD by maximum likelihood, as lifetimes' `BetaGeoFitter.fit`.
 *
 * Customers with identical (frequency, recency, T) are grouped first (exact; lifetimes' users do it through
 * `weights`). The log-likelihood is FHL 2005 eq. 6 in log space (lifetimes' form, from Hardie's note 004):
 * log Γ(r + x) − log Γ(r) + r log α + log B(a, b + x) − log B(a, b) + log(e^{A₃} + [x > 0] e^{A₄}) with
 * A₃ = −(r + x) log(α + T) and A₄ = log a − log(b + x − 1) − (r + x) log(α + tₓ), summed as log(1 + e^{A₄ − A₃})
 * so a frequency of thousands stays finite. It is maximised over log-parameters by BFGS with its analytic
 * gradient, with time rescaled so the largest T is 1 (as lifetimes does, for conditioning).
 *
 * The objective is lifetimes' exactly: the mean negative log-likelihood (over customers, weights included) plus
 * `penalizer × (r² + α² + a² + b²)`, where α is in the rescaled time (α / max T) — so a penalised fit matches
 * lifetimes' for the same `penalizer_coef`. `logLikelihood` is the total (not the mean) in the data's own time
 * unit, without the penalty.
 *
 * When no customer made a repeat purchase, the likelihood −r Σ log(1 + T/α) has no maximum (it grows as r → 0)
 * and a, b do not enter it: the fit throws a RangeError. With a penalizer the problem is well-posed. Data whose
 * likelihood peaks at infinity in another way (a single customer: r, α, b → ∞) return the last iterate with
 * `converged: false` (any parameter, α in scaled time, above 1e6); a penalizer makes them well-posed too.
 *
 * @example
 * const m = fitBetaGeo({ frequency: [2, 0, 5], recency: [30.4, 0, 60], T: [38.9, 40, 61.1] }, { penalizer: 0.01 });
 * m.params.r; m.probabilityAlive({ frequency: [2], recency: [30.4], T: [38.9] });
 */
export function fitBetaGeo(data: RepeatData, opts: FitOptions = {}): BetaGeoModel {
  const fit = fitBetaGeoFamily('bg-nbd', data, opts);
  return betaGeoModel(fit.params, fit.report);
}

/** The fitted parameters and report of either beta-geometric model. */
export interface BetaGeoFit {
  params: BetaGeoParams;
  report: FitReport;
}

/** Checks, groups and fits BG/NBD or MBG/NBD (their likelihoods differ only in the per-frequency terms). */
export function fitBetaGeoFamily(variant: BetaGeoVariant, data: RepeatData, opts: FitOptions): BetaGeoFit {
  const checked = checkRepeatData(data);
  const penalizer = opts.penalizer ?? 0;
  if (!(penalizer >= 0) || penalizer === Infinity) {
    throw new RangeError(`penalizer must be finite and ≥ 0, got ${opts.penalizer}`);
  }
  const groups = groupRepeatData(checked);
  const name = variant === 'bg-nbd' ? 'BG/NBD' : 'MBG/NBD';
  if (groups.totalFrequency === 0 && penalizer === 0) {
    throw new RangeError(
      `${name} cannot be fitted when no customer made a repeat purchase (every frequency is 0): the likelihood ` +
        'grows without bound as r → 0 and does not depend on a and b; add a penalizer or more history',
    );
  }
  if (!(groups.maxT > 0))
    throw new RangeError(`${name} needs some customer with T > 0, got max T = ${groups.maxT}`);
  const scale = 1 / groups.maxT;
  const x0 = startingPoint(opts.initial, scale);
  const objective = betaGeoObjective(variant, groups, scale, penalizer);
  const result = minimize(objective, x0, {
    gradient: true,
    maxIter: opts.maxIter ?? 1000,
    gradTol: opts.tol ?? 1e-9,
  });
  const p = Array.from(result.x, Math.exp);
  const params: BetaGeoParams = { r: p[0]!, alpha: p[1]! / scale, a: p[2]!, b: p[3]! };
  const penalty = penalizer * (p[0]! ** 2 + p[1]! ** 2 + p[2]! ** 2 + p[3]! ** 2);
  // Back from the mean penalised objective to the total log-likelihood, then from scaled time to the data's:
  // each purchase's density gains a factor 1 / scale (see betaGeoObjective).
  const logLikelihood = -(result.value - penalty) * groups.total + Math.log(scale) * groups.totalFrequency;
  return {
    params,
    report: {
      logLikelihood,
      n: groups.total,
      iterations: result.iterations,
      // A parameter running off to infinity means the likelihood has no finite maximum (one customer, or data a
      // Poisson process without dropout fits best); the gradient vanishes there, so BFGS alone would call it a
      // success.
      converged: result.converged && p.every((v) => v < DIVERGED),
    },
  };
}

function startingPoint(initial: Record<string, number> | undefined, scale: number): Float64Array {
  const x0 = new Float64Array(4).fill(DEFAULT_LOG_START);
  if (initial === undefined) return x0;
  for (const [k, v] of Object.entries(initial)) {
    const j = PARAM_NAMES.indexOf(k as (typeof PARAM_NAMES)[number]);
    if (j < 0) throw new RangeError(`initial.${k} is not a parameter of the model (r, alpha, a, b)`);
    if (!(v > 0) || v === Infinity) throw new RangeError(`initial.${k} must be finite and > 0, got ${v}`);
    x0[j] = Math.log(k === 'alpha' ? v * scale : v);
  }
  return x0;
}

/**
 * The penalised mean negative log-likelihood of BG/NBD or MBG/NBD over θ = log(r, α, a, b) (α in scaled time)
 * and its gradient. Both are, per customer, c(x) + r log α − (r + x) log(α + T) + log(1 + [active] e^d) with
 * d = log a − log(b + x′) + (r + x)(log(α + T) − log(α + tₓ)), where (Batislam et al. 2007, eq. 4, as lifetimes):
 *
 * - BG/NBD: c(x) = log Γ(r + x) − log Γ(r) + log B(a, b + x) − log B(a, b), x′ = max(x, 1) − 1, active when x > 0;
 * - MBG/NBD: c(x) = log Γ(r + x) − log Γ(r) + log B(a, b + x + 1) − log B(a, b), x′ = x, always active (a
 *   customer may drop out at time 0).
 *
 * c(x) and its derivatives are computed once per distinct frequency, logarithms once per distinct T and
 * recency; the per-group loop costs one exp and one log1p. Scratch tables are allocated once here.
 */
export function betaGeoObjective(
  variant: BetaGeoVariant,
  g: RepeatGroups,
  scale: number,
  penalizer: number,
): (theta: Float64Array, grad: Float64Array | null) => number {
  const modified = variant === 'mbg-nbd';
  const nX = g.x.values.length;
  const nR = g.recency.values.length;
  const nT = g.T.values.length;
  const xs = g.x.values;
  const recScaled = g.recency.values.map((v) => v * scale);
  const TScaled = g.T.values.map((v) => v * scale);
  // Per distinct frequency: c(x) and ∂c/∂(r, a, b), log(b + x′) and 1 / (b + x′).
  const cX = new Float64Array(nX);
  const dcR = new Float64Array(nX);
  const dcA = new Float64Array(nX);
  const dcB = new Float64Array(nX);
  const logBx = new Float64Array(nX);
  const invBx = new Float64Array(nX);
  // Per distinct T and recency: log(α + ·) and 1 / (α + ·).
  const logT = new Float64Array(nT);
  const invT = new Float64Array(nT);
  const logR = new Float64Array(nR);
  const invR = new Float64Array(nR);
  const { weight, size } = g;
  const gx = g.x.index;
  const gr = g.recency.index;
  const gT = g.T.index;
  const shift = modified ? 1 : 0;

  return (theta, grad) => {
    const r = Math.exp(theta[0]!);
    const alpha = Math.exp(theta[1]!);
    const a = Math.exp(theta[2]!);
    const b = Math.exp(theta[3]!);
    if (![r, alpha, a, b].every((v) => v > 0 && v < Infinity)) return NaN;
    const logA = Math.log(a);
    const logAlpha = Math.log(alpha);
    const lgR = logGamma(r);
    const lgB = logGamma(b);
    const lgAB = logGamma(a + b);
    const psiR = digamma(r);
    const psiB = digamma(b);
    const psiAB = digamma(a + b);
    // Σ over customers of the terms that depend on frequency alone, weighted by W(x).
    let ll = 0;
    let gR = 0;
    let gA = 0;
    let gB = 0;
    for (let k = 0; k < nX; k++) {
      const x = xs[k]!;
      const bx = b + x + shift;
      const abx = a + b + x + shift;
      cX[k] = logGamma(r + x) - lgR + lgAB + logGamma(bx) - lgB - logGamma(abx);
      const xp = modified ? x : Math.max(x, 1) - 1;
      logBx[k] = Math.log(b + xp);
      invBx[k] = 1 / (b + xp);
      const wx = g.weightByX[k]!;
      ll += wx * cX[k]!;
      if (grad) {
        dcR[k] = digamma(r + x) - psiR;
        dcA[k] = psiAB - digamma(abx);
        dcB[k] = psiAB + digamma(bx) - psiB - digamma(abx);
        gR += wx * dcR[k]!;
        gA += wx * dcA[k]!;
        gB += wx * dcB[k]!;
      }
    }
    ll += g.total * r * logAlpha;
    gR += g.total * logAlpha;
    let gAlpha = (g.total * r) / alpha;
    for (let j = 0; j < nT; j++) {
      logT[j] = Math.log(alpha + TScaled[j]!);
      invT[j] = 1 / (alpha + TScaled[j]!);
    }
    for (let j = 0; j < nR; j++) {
      logR[j] = Math.log(alpha + recScaled[j]!);
      invR[j] = 1 / (alpha + recScaled[j]!);
    }
    // Per group: −(r + x) log(α + T) + log(1 + e^d), and the gradient through the weight σ(d) of the second
    // branch (lifetimes' log-sum-exp of A₃ and A₄).
    for (let i = 0; i < size; i++) {
      const k = gx[i]!;
      const x = xs[k]!;
      const w = weight[i]!;
      const rx = r + x;
      const lt = logT[gT[i]!]!;
      ll -= w * rx * lt;
      if (!modified && x === 0) {
        if (grad) {
          gR -= w * lt;
          gAlpha -= w * rx * invT[gT[i]!]!;
        }
        continue;
      }
      const lr = logR[gr[i]!]!;
      const d = logA - logBx[k]! + rx * (lt - lr);
      // log(1 + e^d) and σ(d) from one exponential: e = e^{−|d|} ≤ 1 never overflows.
      const e = Math.exp(-Math.abs(d));
      ll += w * ((d > 0 ? d : 0) + Math.log1p(e));
      if (grad) {
        const s = d >= 0 ? 1 / (1 + e) : e / (1 + e);
        const it = invT[gT[i]!]!;
        gR -= w * (lt - s * (lt - lr));
        gAlpha -= w * rx * (it - s * (it - invR[gr[i]!]!));
        gA += (w * s) / a;
        gB -= w * s * invBx[k]!;
      }
    }
    const W = g.total;
    if (grad) {
      // Chain rule to log-parameters (∂/∂θ = p ∂/∂p), the mean, and the penalty's 2 penalizer p².
      grad[0] = (-gR * r) / W + 2 * penalizer * r * r;
      grad[1] = (-gAlpha * alpha) / W + 2 * penalizer * alpha * alpha;
      grad[2] = (-gA * a) / W + 2 * penalizer * a * a;
      grad[3] = (-gB * b) / W + 2 * penalizer * b * b;
    }
    return -ll / W + penalizer * (r * r + alpha * alpha + a * a + b * b);
  };
}

/**
 * A BG/NBD model from given parameters (for predictions with parameters fitted elsewhere, e.g. by lifetimes), or
 * from a fit. Without a report, `logLikelihood` is NaN and `n`, `iterations` 0.
 *
 * Predictions, all in the data's time unit (FHL 2005 eqs. 9 and 10; P(alive) from Hardie's note 021):
 * - `expectedPurchases(t)` = (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b; a + b − 1; t/(α + t))];
 * - `conditionalExpectedPurchases(t, data)` = (a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + t))^{r+x}
 *   ₂F₁(r + x, b + x; a + b + x − 1; t/(α + T + t))] / (1 + [x > 0] a/(b + x − 1) · ((α + T)/(α + tₓ))^{r+x});
 * - `probabilityAlive(data)` = 1 for x = 0, else 1 / (1 + a/(b + x − 1) · ((α + T)/(α + tₓ))^{r+x}).
 * The bracket 1 − e^{…} is computed with expm1, and ₂F₁ in log space (see logHyp2f1), so large frequencies stay
 * finite. These need a ≠ 1 (the expectation's pole) and a + b > 1.
 *
 * @example
 * const m = betaGeoModel({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
 * m.expectedPurchases(39); // ≈ 1.53 (CDNOW, weeks)
 */
export function betaGeoModel(params: BetaGeoParams, report?: FitReport): BetaGeoModel {
  return betaGeometricModel('bg-nbd', params, report);
}

/**
 * The predictions of either beta-geometric model. With s = 0 for BG/NBD and 1 for MBG/NBD (whose customers get
 * one more chance to drop out, at time 0), the conditional expectation is
 * (a + b + x − 1 + s)/(a − 1) · [1 − ((α + T)/(α + T + t))^{r+x} ₂F₁(r + x, b + x + s; a + b + x − 1 + s; z)]
 * / (1 + [x > 0 or s = 1] · odds) with odds = a/(b + x − 1 + s) · ((α + T)/(α + tₓ))^{r+x}, and P(alive) =
 * 1 / (1 + odds) under the same condition.
 */
export function betaGeometricModel(
  variant: BetaGeoVariant,
  params: BetaGeoParams,
  report?: FitReport,
): BetaGeoModel {
  checkParams(params);
  const { r, alpha, a, b } = params;
  const s = variant === 'mbg-nbd' ? 1 : 0;
  /** log odds that a customer has dropped out; −∞ where the model says they cannot have (BG/NBD, x = 0). */
  const logOddsDead = (x: number, tx: number, T: number): number =>
    s === 0 && x === 0
      ? -Infinity
      : Math.log(a / (b + x - 1 + s)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return {
    model: variant,
    params: { r, alpha, a, b },
    ...(report ?? { logLikelihood: NaN, n: 0, iterations: 0, converged: false }),
    expectedPurchases(t) {
      checkHorizon(t);
      const z = t / (alpha + t);
      // With a + b < 1 the ₂F₁ (and the leading ratio) may be negative, as lifetimes' formula allows.
      return s === 0
        ? ((a + b - 1) / (a - 1)) * oneMinusPowerTimesHyp(r, b, a + b - 1, z, r)
        : (b / (a - 1)) * oneMinusPowerTimesHyp(r, b + 1, a + b, z, r);
    },
    conditionalExpectedPurchases(t, data) {
      checkHorizon(t);
      const d = checkRepeatData(data);
      const out = new Float64Array(d.n);
      // The numerator (with its ₂F₁, most of the cost) depends on x and T only: once per distinct pair (2M
      // customers of daily data have a few tens of thousands), the same doubles as per customer.
      const pairs = distinctRows([d.frequency, d.T]);
      const num = new Float64Array(pairs.size);
      for (let k = 0; k < pairs.size; k++) {
        const x = d.frequency[pairs.first[k]!]!;
        const z = t / (alpha + d.T[pairs.first[k]!]! + t);
        const c = a + b + x - 1 + s;
        num[k] = (c / (a - 1)) * oneMinusPowerTimesHyp(r + x, b + x + s, c, z, r + x);
      }
      for (let i = 0; i < d.n; i++) {
        out[i] = num[pairs.index[i]!]! / (1 + Math.exp(logOddsDead(d.frequency[i]!, d.recency[i]!, d.T[i]!)));
      }
      return out;
    },
    probabilityAlive(data) {
      const d = checkRepeatData(data);
      const out = new Float64Array(d.n);
      for (let i = 0; i < d.n; i++)
        out[i] = 1 / (1 + Math.exp(logOddsDead(d.frequency[i]!, d.recency[i]!, d.T[i]!)));
      return out;
    },
  };
}

const hypSign = { sign: 1 };

/**
 * 1 − (1 − z)^k ₂F₁(p, q; c; z), the bracket of every beta-geometric expectation: through expm1 when ₂F₁ > 0 (no
 * cancellation for small t), directly when it is negative (c < 0).
 */
export function oneMinusPowerTimesHyp(p: number, q: number, c: number, z: number, k: number): number {
  const l = logHyp2f1(p, q, c, z, hypSign) + k * Math.log1p(-z);
  return hypSign.sign > 0 ? -Math.expm1(l) : 1 + Math.exp(l);
}

/** Throws a RangeError unless every parameter is finite and > 0. */
export function checkParams(params: object): void {
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'number' || !(v > 0) || v === Infinity) {
      throw new RangeError(`parameter ${k} must be finite and > 0, got ${String(v)}`);
    }
  }
}

/** Throws a RangeError unless t is a finite time ≥ 0. */
export function checkHorizon(t: number): void {
  if (!(t >= 0) || t === Infinity) throw new RangeError(`t must be a finite time ≥ 0, got ${t}`);
}
