/**
 * The expected mutual information of two random labelings with fixed cluster sizes, the chance baseline that the
 * adjusted mutual information subtracts (Vinh, Epps & Bailey 2010, JMLR 11, §2.1, eq. 24a).
 * @module
 */

import { logFactorial } from '../util/log-gamma.js';

/**
 * Terms whose hypergeometric probability is below e⁻¹⁰⁰ (≈ 4e-44) times the largest of their cell are not summed:
 * with at most N of them, each weighted by at most log N, they cannot change a double's result.
 */
const NEGLIGIBLE_LOG_RATIO = 100;

/**
 * E[MI] under the permutation model (both labelings' cluster sizes `a` and `b` fixed, summing to `n`):
 *
 *   Σ_i Σ_j Σ_{n_ij} (n_ij / N) log(N n_ij / (a_i b_j)) · P(n_ij)
 *
 * with P the hypergeometric probability `a! b! (N−a)! (N−b)! / (N! n_ij! (a−n_ij)! (b−n_ij)! (N−a−b+n_ij)!)`,
 * evaluated in log space from log-gammas (Vinh et al. 2010, eq. 24a, and scikit-learn's
 * `expected_mutual_information`), with n_ij from max(1, a_i + b_j − N) to min(a_i, b_j).
 *
 * The hypergeometric distribution is log-concave, so each cell's sum starts at the mode and walks outwards, and
 * stops once a term's probability falls below e⁻¹⁰⁰ of the mode's: the terms left out cannot change the double
 * result, and a cell costs O(√(a b / N)) terms rather than O(min(a, b)) — O(R · C · √N) in all instead of
 * O(N · min(R, C)). Tested against the full sum.
 *
 * 0 when either labeling has a single label. Internal fast path: trusts its arguments.
 */
export function expectedMutualInfoCore(a: Float64Array, b: Float64Array, n: number): number {
  const R = a.length;
  const C = b.length;
  if (R === 1 || C === 1) return 0;
  const logN = Math.log(n);
  const lfN = logFactorial(n);
  const logA = Float64Array.from(a, Math.log);
  const logB = Float64Array.from(b, Math.log);
  const lfA = Float64Array.from(a, (v) => logFactorial(v) + logFactorial(n - v));
  const lfB = Float64Array.from(b, (v) => logFactorial(v) + logFactorial(n - v));
  let emi = 0;
  for (let i = 0; i < R; i++) {
    const ai = a[i]!;
    for (let j = 0; j < C; j++) {
      const bj = b[j]!;
      const lo = Math.max(1, ai + bj - n);
      const hi = Math.min(ai, bj);
      if (lo > hi) continue;
      const fixed = lfA[i]! + lfB[j]! - lfN;
      const logAB = logA[i]! + logB[j]!;
      // log P(k) and the term it weights.
      const logP = (k: number): number =>
        fixed - logFactorial(k) - logFactorial(ai - k) - logFactorial(bj - k) - logFactorial(n - ai - bj + k);
      const term = (k: number, lp: number): number => (k / n) * (logN + Math.log(k) - logAB) * Math.exp(lp);
      // The mode of the hypergeometric distribution, clamped into [lo, hi].
      let mode = Math.floor(((ai + 1) * (bj + 1)) / (n + 2));
      mode = mode < lo ? lo : mode > hi ? hi : mode;
      const top = logP(mode);
      const floor = top - NEGLIGIBLE_LOG_RATIO;
      let cell = term(mode, top);
      for (let k = mode + 1; k <= hi; k++) {
        const lp = logP(k);
        if (lp < floor) break;
        cell += term(k, lp);
      }
      for (let k = mode - 1; k >= lo; k--) {
        const lp = logP(k);
        if (lp < floor) break;
        cell += term(k, lp);
      }
      emi += cell;
    }
  }
  return emi;
}
