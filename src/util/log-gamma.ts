/**
 * The logarithm of the gamma function, for the hypergeometric probabilities of the expected mutual information.
 * @module
 */

/** ½ log(2π). */
const HALF_LOG_2PI = 0.9189385332046728; // 0.91893853320467274178…
/**
 * Stirling's series' coefficients B₂ₖ / (2k(2k − 1)), k = 1..7 (Abramowitz & Stegun 6.1.40). From x = 15 on the
 * first omitted term, 3617 / (122400 x¹⁵), is below 1e-19: the series is exact to double precision there.
 */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156] as const;
/** Where the series takes over; below, Γ's recurrence shifts the argument up to it. */
const SERIES_FROM = 15;
/** `(k − 1)!` is exact in a double up to k = 23 and within a few ulps up to 171; log((k − 1)!) then beats the series. */
const FACTORIAL_TABLE_MAX = 171;

/** log((k − 1)!) for k = 1..171, from products of integers (each rounded once). */
const LOG_FACTORIAL = ((): Float64Array => {
  const t = new Float64Array(FACTORIAL_TABLE_MAX + 1);
  let f = 1;
  for (let k = 2; k <= FACTORIAL_TABLE_MAX; k++) {
    f *= k - 1;
    t[k] = Math.log(f);
  }
  return t;
})();

/** log Γ(x) for x ≥ 15 from Stirling's series (A&S 6.1.41), summed from the smallest term up. */
function stirling(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  let s = STIRLING[6];
  for (let k = 5; k >= 0; k--) s = s * r2 + STIRLING[k]!;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + s * r;
}

/**
 * log |Γ(x)|, the natural logarithm of the absolute value of the gamma function (C's `lgamma`).
 *
 * Positive integers up to 171 come from a table of log-factorials (within an ulp or two); x ≥ 15 from Stirling's
 * asymptotic series with seven terms (truncation error below 1e-19); 0 < x < 15 from the recurrence
 * Γ(x) = Γ(x + m) / (x (x + 1) … (x + m − 1)); negative non-integers from the reflection formula
 * Γ(x) Γ(1 − x) = π / sin(πx) (A&S 6.1.17). Poles (0, −1, −2, …) give +∞, as C's does.
 *
 * Near its zeros at 1 and 2 the result is accurate in absolute terms (about 2e-15), not
 * relative ones; integers and x ≥ 15 are within an ulp or two.
 *
 * @example
 * logGamma(5); // log(24) = 3.1780538303479458
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x)) return Infinity;
    // |Γ(x)| = π / (|sin(πx)| · Γ(1 − x)); sin(π·frac) keeps the argument small for large |x|.
    const frac = x - Math.floor(x);
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * frac))) - logGamma(1 - x);
  }
  if (x <= FACTORIAL_TABLE_MAX && Number.isInteger(x)) return LOG_FACTORIAL[x]!;
  if (x >= SERIES_FROM) return stirling(x);
  // Shift up: log Γ(x) = log Γ(x + m) − log(x (x + 1) … (x + m − 1)); the product stays below 15!/1 ≈ 1.3e12.
  let p = 1;
  let y = x;
  while (y < SERIES_FROM) {
    p *= y;
    y += 1;
  }
  return stirling(y) - Math.log(p);
}

/** log(k!) for a non-negative integer k: `logGamma(k + 1)`. */
export function logFactorial(k: number): number {
  return k < FACTORIAL_TABLE_MAX ? LOG_FACTORIAL[k + 1]! : stirling(k + 1);
}
