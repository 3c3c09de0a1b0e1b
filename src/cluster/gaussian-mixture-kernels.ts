/**
 * The hot loops of Gaussian-mixture EM for full and tied covariances, generated fully unrolled for the data's
 * dimension d: the Mahalanobis terms of the E-step, the responsibility-weighted sums and the covariance sums of
 * the M-step.
 * @module
 */

/**
 * Why generated: V8 does not unroll loops whose trip count is only known at run time, and these loops are d or
 * d(d + 1)/2 long with d ≈ 5–10, so loop control, bounds checks and the store of every partial sum cost more than
 * the arithmetic. Unrolled, the row's coordinates and the running sums live in locals. Measured on 200k × 5,
 * k = 6: Mahalanobis terms 100 → 30 ms per E-step, covariance sums 120 → 25 ms per M-step. Every generated body
 * performs the same operations in the same order as the plain loop quoted next to it, so results are bit for
 * bit those of the loops. Bodies are built from the integer d only; no caller-supplied text reaches `Function`.
 */

/** Beyond this d the generated bodies grow large (d² terms) and the loops are used instead. */
const MAX_UNROLLED = 16;

/**
 * Rows [i0, i1) of log w_c − ½‖(x − μ_c)ᵀU_c‖² + log det U_c − ½·d·log 2π into `out` (row i at (i − i0)·k + c),
 * with the constant part precomputed in `logConst` and U_c at c·`uStride` in `pc` (0 for one shared factor).
 */
export type CholeskyLogProb = (
  x: Float64Array,
  i0: number,
  i1: number,
  means: Float64Array,
  pc: Float64Array,
  uStride: number,
  k: number,
  logConst: Float64Array,
  out: Float64Array,
) => void;

/**
 * Adds Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ over rows [i0, i1) to the lower triangle of component c's block of `cov`
 * (at c·d²), skipping rows with r_ic = 0, summing in row order. r_ic is `resp[(i − r0)·k + c]`: r0 = 0 for all
 * n × k responsibilities, i0 for a block of them.
 */
export type CovarianceSums = (
  x: Float64Array,
  i0: number,
  i1: number,
  resp: Float64Array,
  r0: number,
  k: number,
  c: number,
  means: Float64Array,
  cov: Float64Array,
) => void;

/**
 * Adds Σ_i r_ic to nk[c] and Σ_i r_ic x_i to sums[c·d …] over rows [i0, i1), summing in row order; r_ic at
 * `resp[(i − r0)·k + c]` as in `CovarianceSums`.
 */
export type MomentSums = (
  x: Float64Array,
  i0: number,
  i1: number,
  resp: Float64Array,
  r0: number,
  k: number,
  c: number,
  nk: Float64Array,
  sums: Float64Array,
) => void;

const logProbKernels = new Map<string, CholeskyLogProb>();
const covarianceKernels = new Map<number, CovarianceSums>();
const momentKernels = new Map<number, MomentSums>();

function checkD(d: number): void {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
}

/**
 * The E-step's weighted log densities for full / tied covariances. With `upper` (every factor EM computes from a
 * covariance is upper triangular) y_b = Σ_{a ≤ b} (x − μ)_a U_ab skips the products with zeros below the diagonal,
 * the same sums without their +0 terms.
 *
 * Plain version: for each row i and component c: e = x_i − μ_c; maha = 0; for b < d { y = 0; for a ≤ b (or a < d)
 * y += e[a]·U[a][b]; maha += y·y }; out = logConst[c] − 0.5·maha.
 *
 * @example
 * const f = choleskyLogProbKernel(2, true);
 * const out = new Float64Array(1);
 * f(new Float64Array([1, 2]), 0, 1, new Float64Array([0, 0]), new Float64Array([1, 0, 0, 1]), 4, 1,
 *   new Float64Array([0]), out); // out[0] = −2.5
 */
export function choleskyLogProbKernel(d: number, upper: boolean): CholeskyLogProb {
  checkD(d);
  const key = `${d}${upper ? 'u' : 'g'}`;
  let kernel = logProbKernels.get(key);
  if (kernel !== undefined) return kernel;
  if (d > MAX_UNROLLED) {
    const e = new Float64Array(d);
    kernel = (x, i0, i1, means, pc, uStride, k, logConst, out) => {
      for (let i = i0; i < i1; i++) {
        const xo = i * d;
        const oo = (i - i0) * k;
        for (let c = 0; c < k; c++) {
          const mo = c * d;
          const uo = c * uStride;
          for (let a = 0; a < d; a++) e[a] = x[xo + a]! - means[mo + a]!;
          let maha = 0;
          for (let b = 0; b < d; b++) {
            const aEnd = upper ? b + 1 : d;
            let y = 0;
            for (let a = 0; a < aEnd; a++) y += e[a]! * pc[uo + a * d + b]!;
            maha += y * y;
          }
          out[oo + c] = logConst[c]! - 0.5 * maha;
        }
      }
    };
  } else {
    const L: string[] = [
      'for (let i = i0; i < i1; i++) {',
      `const xo = i * ${d};`,
      'const oo = (i - i0) * k;',
    ];
    for (let t = 0; t < d; t++) L.push(`const x${t} = x[xo + ${t}];`);
    L.push('for (let c = 0; c < k; c++) {', `const mo = c * ${d};`, 'const uo = c * uStride;');
    for (let t = 0; t < d; t++) L.push(`const e${t} = x${t} - means[mo + ${t}];`);
    L.push('let maha = 0;', 'let y = 0;');
    for (let b = 0; b < d; b++) {
      const terms: string[] = [];
      for (let a = 0; a < (upper ? b + 1 : d); a++) terms.push(`e${a} * pc[uo + ${a * d + b}]`);
      // 0 + p is p (for p = −0 it is +0, squared alike), so starting from the first product matches the loop.
      L.push(`y = ${terms.join(' + ')};`, 'maha += y * y;');
    }
    L.push('out[oo + c] = logConst[c] - 0.5 * maha;', '}', '}');
    kernel = new Function(
      'x',
      'i0',
      'i1',
      'means',
      'pc',
      'uStride',
      'k',
      'logConst',
      'out',
      L.join('\n'),
    ) as CholeskyLogProb;
  }
  logProbKernels.set(key, kernel);
  return kernel;
}

/**
 * The M-step's covariance sums for one component (scikit-learn's `_estimate_gaussian_covariances_full`, before the
 * division by nk). The running sums stay in locals over the rows and are stored once.
 *
 * Plain version: for each row i with r = resp[(i − r0)·k + c] ≠ 0: e = x_i − μ_c; for a < d { da = r·e[a]; for b ≤ a
 * cov[c·d² + a·d + b] += da·e[b] }.
 */
export function fullCovarianceKernel(d: number): CovarianceSums {
  checkD(d);
  let kernel = covarianceKernels.get(d);
  if (kernel !== undefined) return kernel;
  if (d > MAX_UNROLLED) {
    const e = new Float64Array(d);
    kernel = (x, i0, i1, resp, r0, k, c, means, cov) => {
      const mo = c * d;
      const co = c * d * d;
      for (let i = i0; i < i1; i++) {
        const r = resp[(i - r0) * k + c]!;
        if (r === 0) continue;
        const xo = i * d;
        for (let a = 0; a < d; a++) e[a] = x[xo + a]! - means[mo + a]!;
        for (let a = 0; a < d; a++) {
          const da = r * e[a]!;
          const ao = co + a * d;
          for (let b = 0; b <= a; b++) cov[ao + b]! += da * e[b]!;
        }
      }
    };
  } else {
    const L: string[] = [`const mo = c * ${d};`, `const co = c * ${d * d};`];
    for (let t = 0; t < d; t++) L.push(`const m${t} = means[mo + ${t}];`);
    for (let a = 0; a < d; a++)
      for (let b = 0; b <= a; b++) L.push(`let s${a}_${b} = cov[co + ${a * d + b}];`);
    L.push('for (let i = i0; i < i1; i++) {', 'const r = resp[(i - r0) * k + c];', 'if (r === 0) continue;');
    L.push(`const xo = i * ${d};`);
    for (let t = 0; t < d; t++) L.push(`const e${t} = x[xo + ${t}] - m${t};`);
    for (let a = 0; a < d; a++) {
      L.push(`const d${a} = r * e${a};`);
      for (let b = 0; b <= a; b++) L.push(`s${a}_${b} += d${a} * e${b};`);
    }
    L.push('}');
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) L.push(`cov[co + ${a * d + b}] = s${a}_${b};`);
    kernel = new Function(
      'x',
      'i0',
      'i1',
      'resp',
      'r0',
      'k',
      'c',
      'means',
      'cov',
      L.join('\n'),
    ) as CovarianceSums;
  }
  covarianceKernels.set(d, kernel);
  return kernel;
}

/**
 * The M-step's first sums for one component: nk[c] += Σ r_ic, sums[c·d + t] += Σ r_ic x_it.
 *
 * Plain version: for each row i: r = resp[(i − r0)·k + c]; nk[c] += r; for t < d sums[c·d + t] += r·x[i·d + t].
 */
export function momentKernel(d: number): MomentSums {
  checkD(d);
  let kernel = momentKernels.get(d);
  if (kernel !== undefined) return kernel;
  if (d > MAX_UNROLLED) {
    kernel = (x, i0, i1, resp, r0, k, c, nk, sums) => {
      const so = c * d;
      for (let i = i0; i < i1; i++) {
        const r = resp[(i - r0) * k + c]!;
        nk[c]! += r;
        const xo = i * d;
        for (let t = 0; t < d; t++) sums[so + t]! += r * x[xo + t]!;
      }
    };
  } else {
    const L: string[] = [`const so = c * ${d};`, 'let w = nk[c];'];
    for (let t = 0; t < d; t++) L.push(`let s${t} = sums[so + ${t}];`);
    L.push(
      'for (let i = i0; i < i1; i++) {',
      'const r = resp[(i - r0) * k + c];',
      'w += r;',
      `const xo = i * ${d};`,
    );
    for (let t = 0; t < d; t++) L.push(`s${t} += r * x[xo + ${t}];`);
    L.push('}', 'nk[c] = w;');
    for (let t = 0; t < d; t++) L.push(`sums[so + ${t}] = s${t};`);
    kernel = new Function('x', 'i0', 'i1', 'resp', 'r0', 'k', 'c', 'nk', 'sums', L.join('\n')) as MomentSums;
  }
  momentKernels.set(d, kernel);
  return kernel;
}
