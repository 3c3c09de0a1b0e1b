/**
 * The one hypergeometric function the Pareto/NBD likelihood needs, ₂F₁(1, p; c; z) on 0 ≤ z < 1, in log space and
 * with its partial derivatives, by Gauss's continued fraction.
 * @module
 */

/** Relative change of a convergent below which the continued fraction has converged. */
const CF_EPS = 1e-16;
/**
 * Most continued-fraction steps. The count grows like 1/√(1 − z): ~50 at z = 0.9, ~500 at 0.999, ~5,000 at
 * 1 − 1e-5 (measured against mpmath); past the cap (z within ~1e-7 of 1, a ratio of α to β beyond 10⁷) the
 * convergent reached is returned, still within ~1e-8 relative.
 */
const CF_MAX_STEPS = 50_000;
/** Lentz's guard against a zero denominator. */
const TINY = 1e-300;

/**
 * log ₂F₁(1, p; c; z) for c > 0, p > 0, 0 ≤ z < 1, and when `grad` is given its partial derivatives
 * ∂/∂p, ∂/∂c, ∂/∂z of the log, written to grad[0..2].
 *
 * Why this function: the Pareto/NBD likelihood (Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD Model and
 * Related Expressions", eqs. 19–20) needs ₂F₁(r+s+x, b; r+s+x+1; z) with b = s+1 or r+x, whose series has terms
 * that grow like (b)ₙ before they shrink and a value that overflows for thousands of purchases. Euler's
 * transformation (A&S 15.3.3) turns it into (1 − z)^(1−b) ₂F₁(1, r+s+x+1−b; r+s+x+1; z), so the prefactor goes to
 * log space and what is left is this function, which lies between 1 and 1/(1 − z).
 *
 * Evaluated by Gauss's continued fraction for ₂F₁(1, p; c; z) — the incomplete beta function's
 * (B_z(a, b) = zᵃ(1 − z)ᵇ/a · ₂F₁(1, a+b; a+1; z) with a = c − 1, b = p − c + 1; Numerical Recipes 3rd ed.
 * eq. 6.4.5) — by the modified Lentz method. Unlike the power series, whose term count grows like 1/(1 − z)
 * (39,000 terms at z = 0.999), it needs O(1/√(1 − z)) steps, and z near 1 is what a fit meets when α ≫ β or β ≫ α.
 * The derivatives are propagated through the recurrence (forward mode), so they cost one pass too. Here b may be
 * negative (b = −s or 1 − r − x), outside the incomplete beta's usual domain; the fraction still converges, and the
 * tests check it against mpmath there.
 *
 * @example
 * hyp2f1OneLog(1, 2, 0.5); // log(−2 log(0.5)) = 0.3266… (₂F₁(1, 1; 2; z) = −log(1 − z)/z)
 */
export function hyp2f1OneLog(p: number, c: number, z: number, grad?: Float64Array): number {
  if (z === 0) {
    if (grad) {
      grad[0] = 0;
      grad[1] = 0;
      grad[2] = p / c; // the series' first term, p z / c
    }
    return 0;
  }
  const a = c - 1; // the incomplete beta's a; a + b = p
  // g = 1 + d₁/(1 + d₂/(1 + …)) = 1/₂F₁, by Lentz: C_j = 1 + d_j / C_{j−1}, D_j = 1/(1 + d_j D_{j−1}), g = Π C_j D_j.
  let C = 1;
  let D = 0;
  let logG = 0;
  // Forward-mode partials of C, D and log g with respect to (p, c, z).
  let Cp = 0;
  let Cc = 0;
  let Cz = 0;
  let Dp = 0;
  let Dc = 0;
  let Dz = 0;
  let gp = 0;
  let gc = 0;
  let gz = 0;
  const wantGrad = grad !== undefined;
  let product = 1; // Π C_j D_j since the last log, folded into logG now and then (no log per step)
  for (let j = 1; j <= CF_MAX_STEPS; j++) {
    const m = j >> 1;
    // d_j = e_j z and its partials (NR eq. 6.4.6 with a = c − 1, b = p − c + 1).
    let e: number;
    let ep: number;
    let ec: number;
    if (j & 1) {
      // d_{2m+1} = −(a + m)(a + b + m) z / ((a + 2m)(a + 2m + 1))
      const den = (a + 2 * m) * (a + 2 * m + 1);
      e = (-(a + m) * (p + m)) / den;
      ep = -(a + m) / den;
      ec = e * (1 / (a + m) - 1 / (a + 2 * m) - 1 / (a + 2 * m + 1));
    } else {
      // d_{2m} = m (b − m) z / ((a + 2m − 1)(a + 2m))
      const den = (a + 2 * m - 1) * (a + 2 * m);
      const bm = p - c + 1 - m;
      e = (m * bm) / den;
      ep = m / den;
      ec = -m / den - e * (1 / (a + 2 * m - 1) + 1 / (a + 2 * m));
    }
    const d = e * z;
    let Dn = 1 + d * D;
    if (Math.abs(Dn) < TINY) Dn = TINY;
    Dn = 1 / Dn;
    let Cn = 1 + d / C;
    if (Math.abs(Cn) < TINY) Cn = TINY;
    if (wantGrad) {
      const dp = ep * z;
      const dc = ec * z;
      // ∂D_j = −D_j² (∂d_j D_{j−1} + d_j ∂D_{j−1});  ∂C_j = ∂d_j / C_{j−1} − d_j ∂C_{j−1} / C_{j−1}²
      const D2 = Dn * Dn;
      const nDp = -D2 * (dp * D + d * Dp);
      const nDc = -D2 * (dc * D + d * Dc);
      const nDz = -D2 * (e * D + d * Dz);
      const invC = 1 / C;
      const nCp = (dp - d * Cp * invC) * invC;
      const nCc = (dc - d * Cc * invC) * invC;
      const nCz = (e - d * Cz * invC) * invC;
      const invCn = 1 / Cn;
      const stepP = nCp * invCn + nDp / Dn;
      const stepC = nCc * invCn + nDc / Dn;
      const stepZ = nCz * invCn + nDz / Dn;
      gp += stepP;
      gc += stepC;
      gz += stepZ;
      Dp = nDp;
      Dc = nDc;
      Dz = nDz;
      Cp = nCp;
      Cc = nCc;
      Cz = nCz;
      D = Dn;
      C = Cn;
      const delta = C * D;
      product *= delta;
      if (
        Math.abs(delta - 1) < CF_EPS &&
        Math.abs(stepP) <= CF_EPS * (1 + Math.abs(gp)) &&
        Math.abs(stepC) <= CF_EPS * (1 + Math.abs(gc)) &&
        Math.abs(stepZ) <= CF_EPS * (1 + Math.abs(gz))
      )
        break;
    } else {
      D = Dn;
      C = Cn;
      const delta = C * D;
      product *= delta;
      if (Math.abs(delta - 1) < CF_EPS) break;
    }
    if ((j & 63) === 0) {
      logG += Math.log(product);
      product = 1;
    }
  }
  logG += Math.log(product);
  if (grad) {
    grad[0] = -gp;
    grad[1] = -gc;
    grad[2] = -gz;
  }
  return -logG;
}
