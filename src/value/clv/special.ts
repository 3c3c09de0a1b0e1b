/**
 * Special functions the lifetime-value models need: log Γ (shared with src/metrics), log B, the digamma function
 * for analytic gradients, log(1 + eˣ), and the Gauss hypergeometric function ₂F₁ on the real line left of 1.
 * @module
 */
import { logGamma } from '../../util/log-gamma.js';

export { logGamma };

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * Bernoulli-number coefficients B₂ₖ / (2k) of ψ's asymptotic series (A&S 6.3.18), k = 1..7. From x = 10 on,
 * the first omitted term, 3617 / (8160 x¹⁶), is below 5e-17.
 */
const DIGAMMA_SERIES = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12] as const;
const DIGAMMA_FROM = 10;

/**
 * ψ(x) = d/dx log Γ(x), the digamma function, for the gradients of likelihoods with log Γ terms.
 *
 * x ≥ 10: the asymptotic series log x − 1/(2x) − Σ B₂ₖ / (2k x²ᵏ) (A&S 6.3.18); 0 < x < 10: the recurrence
 * ψ(x) = ψ(x + 1) − 1/x (6.3.5) up to 10; x < 0: the reflection ψ(1 − x) − ψ(x) = π cot(πx) (6.3.7). Poles (0, −1,
 * …) give NaN. Absolute error about 1e-15 near the positive zero at 1.4616…, relative error a few ulps elsewhere.
 *
 * @example
 * digamma(1); // −0.5772156649015329 (−γ)
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN;
    const frac = x - Math.floor(x);
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * frac);
  }
  let shift = 0;
  while (x < DIGAMMA_FROM) {
    shift += 1 / x;
    x += 1;
  }
  const r2 = 1 / (x * x);
  let s = DIGAMMA_SERIES[6];
  for (let k = 5; k >= 0; k--) s = s * r2 + DIGAMMA_SERIES[k]!;
  return Math.log(x) - 0.5 / x - s * r2 - shift;
}

/** log(1 + eˣ) without overflow or loss for large |x|. */
export function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Terms past which a ₂F₁ series gives up (its cost is O(1 / (1 − z)) terms near z = 1). */
const HYP2F1_MAX_TERMS = 10_000_000;
/** Rescale the running sum when a term passes this, so series with huge middle terms do not overflow. */
const HYP2F1_RESCALE = 1e280;

/**
 * log ₂F₁(a, b; c; z), the Gauss hypergeometric function, for z < 1 and c ∉ {0, −1, −2, …}, from its power series
 * (A&S 15.1.1) in the better of two equivalent forms:
 *
 * - 0 ≤ z < 1: the series as given, or Euler's ₂F₁(a, b; c; z) = (1 − z)^(c − a − b) ₂F₁(c − a, c − b; c; z)
 *   (A&S 15.3.3). In BG/NBD's conditional expectation with frequency x the direct form has a, b ≈ x and its
 *   terms grow like xⁿ before they fall (lifetimes falls back to Euler's form when scipy's value overflows);
 *   Euler's has numerators independent of x.
 * - z < 0: Pfaff's ₂F₁(a, b; c; z) = (1 − z)^(−b) ₂F₁(c − a, b; c; z / (z − 1)) (A&S 15.3.5), or the same with a
 *   and b swapped, which bring the argument into (0, 1) where the terms do not alternate.
 *
 * A form is used only if its terms cannot cancel: both numerators ≥ 0, or the terms before the signs settle
 * (n < −numerator) stay below 100 in size. Among those, the one with the smaller |numerator product| (the
 * shorter climb to the peak term) is summed, with a running log-scale so huge middle terms do not overflow, until
 * the tail is below 1e-17 of the sum. The cost is O(1 / (1 − z)) terms near z = 1 (10⁷ at most).
 *
 * Domain: accurate wherever a, b, c > 0 and 0 ≤ z < 1 (every use by the lifetime-value models; a negative c, as
 * BG/NBD's a + b − 1 with a + b < 1, works while its leading terms stay small), and for z < 0
 * when c ≥ min(a, b) or one transform's leading terms are small. Elsewhere (z < 0 with c well below a and b) no
 * form is free of cancellation and it throws a RangeError rather than return a wrong value, as does a series
 * that needs more than 10⁷ terms. A negative value (possible when c < 0) gives NaN, or, when `sign` is passed,
 * log |₂F₁| with `sign.sign` set to −1 (else 1).
 *
 * @example
 * logHyp2f1(1, 1, 2, 0.5); // log(−log(1 − z) / z) = log(2 log 2) = 0.32663425997828094
 */
export function logHyp2f1(a: number, b: number, c: number, z: number, sign?: { sign: number }): number {
  if (!(z < 1)) throw new RangeError(`hyp2f1 needs z < 1, got z = ${z}`);
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || (c <= 0 && Number.isInteger(c))) {
    throw new RangeError(`hyp2f1 needs finite a, b and c not 0, −1, −2, …, got a = ${a}, b = ${b}, c = ${c}`);
  }
  if (sign) sign.sign = 1;
  if (z === 0 || a === 0 || b === 0) return 0;
  let p1: number, q1: number, p2: number, q2: number, w: number, pre1: number, pre2: number;
  if (z > 0) {
    [p1, q1, pre1, w] = [a, b, 0, z];
    [p2, q2, pre2] = [c - a, c - b, (c - a - b) * Math.log1p(-z)];
  } else {
    w = z / (z - 1);
    [p1, q1, pre1] = [c - a, b, -b * Math.log1p(-z)];
    [p2, q2, pre2] = [a, c - b, -a * Math.log1p(-z)];
  }
  const ok1 = cancellationFree(p1, q1, c, w);
  const ok2 = cancellationFree(p2, q2, c, w);
  if (ok1 && (!ok2 || Math.abs(p1 * q1) <= Math.abs(p2 * q2))) return pre1 + logSeries(p1, q1, c, w, sign);
  if (ok2) return pre2 + logSeries(p2, q2, c, w, sign);
  throw new RangeError(
    `hyp2f1(${a}, ${b}; ${c}; ${z}) is outside the supported domain: every series form's leading terms cancel (z < 0 with c well below a and b, or c well below 0)`,
  );
}

/** Largest size the terms may reach before their signs settle (n < −numerator): loses at most 2 of 16 digits. */
const MAX_PREFIX_TERM = 100;

/** Whether Σ (p)ₙ (q)ₙ / ((c)ₙ n!) wⁿ, 0 < w < 1, sums without cancellation (see {@link logHyp2f1}). */
function cancellationFree(p: number, q: number, c: number, w: number): boolean {
  const settle = Math.max(0, -p, -q, -c);
  if (settle === 0) return true;
  let term = 1;
  for (let n = 0; n < settle; n++) {
    term *= (((p + n) * (q + n)) / ((c + n) * (n + 1))) * w;
    if (Math.abs(term) > MAX_PREFIX_TERM) return false;
  }
  return true;
}

/** ₂F₁(a, b; c; z) itself, as exp({@link logHyp2f1}); +∞ where it overflows a double. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  return Math.exp(logHyp2f1(a, b, c, z));
}

/**
 * log Σₙ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ for 0 ≤ z < 1. A negative sum gives NaN, or, when `sign` is given, log |sum| with
 * sign.sign = −1.
 */
function logSeries(a: number, b: number, c: number, z: number, sign?: { sign: number }): number {
  if (z === 0 || a === 0 || b === 0) return 0;
  let sum = 1;
  let term = 1;
  let logScale = 0;
  let prevRatio = Infinity;
  // Numerators (and a negative c) change sign until n passes −a, −b, −c; after that every term has one sign.
  const signsSettle = Math.max(0, -a, -b, -c);
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) break;
    // The ratio tends to z < 1. Once it is below 1 and falling (or below z, approaching it from beneath), every
    // later ratio is at most r = max(ratio, z), so the tail is at most |term| · r / (1 − r).
    const absRatio = Math.abs(ratio);
    if (absRatio < 1 && n > signsSettle && (absRatio <= prevRatio || absRatio <= z)) {
      const r = Math.max(absRatio, z);
      if ((Math.abs(term) * r) / (1 - r) <= 1e-17 * Math.abs(sum)) break;
    }
    prevRatio = absRatio;
    if (Math.abs(sum) > HYP2F1_RESCALE) {
      sum /= HYP2F1_RESCALE;
      term /= HYP2F1_RESCALE;
      logScale += Math.log(HYP2F1_RESCALE);
    }
    if (n === HYP2F1_MAX_TERMS - 1) {
      throw new RangeError(
        `hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge in ${HYP2F1_MAX_TERMS} terms (z too close to 1)`,
      );
    }
  }
  if (sign) {
    sign.sign = sum < 0 ? -1 : 1;
    return Math.log(Math.abs(sum)) + logScale;
  }
  return sum > 0 ? Math.log(sum) + logScale : NaN;
}
