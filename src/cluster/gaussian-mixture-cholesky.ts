/**
 * Cholesky factors for Gaussian mixtures: the lower factor of a small SPD matrix and the transposed inverse that
 * turns a covariance factor into a precision factor, on flat row-major blocks inside larger arrays.
 * @module
 */

/**
 * Lower Cholesky factor L (A = L Lᵀ) of the d × d symmetric matrix at `a[ao…]`, reading its lower triangle, written
 * to `out[oo…]` with zeros above the diagonal. Cholesky–Banachiewicz order (row by row), Golub & Van Loan,
 * "Matrix Computations", 4th ed., §4.2.5, Algorithm 4.2.1 (gaxpy Cholesky, rows instead of columns).
 *
 * @returns false (leaving `out` partly written) when A is not positive definite to working precision.
 *
 * @example
 * const l = new Float64Array(4);
 * choleskyLower(new Float64Array([4, 2, 2, 5]), 0, 2, l, 0); // true; l = [2, 0, 1, 2]
 */
export function choleskyLower(
  a: Float64Array,
  ao: number,
  d: number,
  out: Float64Array,
  oo: number,
): boolean {
  for (let i = 0; i < d; i++) {
    const ri = oo + i * d;
    for (let j = 0; j <= i; j++) {
      const rj = oo + j * d;
      let s = a[ao + i * d + j]!;
      for (let t = 0; t < j; t++) s -= out[ri + t]! * out[rj + t]!;
      if (i === j) {
        // `!(s > 0)` also rejects NaN.
        if (!(s > 0)) return false;
        out[ri + i] = Math.sqrt(s);
      } else {
        out[ri + j] = s / out[rj + j]!;
      }
    }
    for (let j = i + 1; j < d; j++) out[ri + j] = 0;
  }
  return true;
}

/**
 * U = L⁻ᵀ for the d × d lower-triangular L at `l[lo…]`, written to `out[oo…]` (upper triangular; must not overlap
 * `l`). Forward substitution L M = I column by column (Golub & Van Loan §3.1.1), stored transposed. If
 * Σ = L Lᵀ then Σ⁻¹ = U Uᵀ: U is scikit-learn's `precisions_cholesky_` for one component.
 *
 * @example
 * const u = new Float64Array(4);
 * invertLowerTransposed(new Float64Array([2, 0, 1, 2]), 0, 2, u, 0); // u = [0.5, -0.25, 0, 0.5]
 */
export function invertLowerTransposed(
  l: Float64Array,
  lo: number,
  d: number,
  out: Float64Array,
  oo: number,
): void {
  for (let c = 0; c < d; c++) {
    // Column c of M = L⁻¹ is row c of U: M[i][c] lives at out[oo + c·d + i].
    const rc = oo + c * d;
    for (let i = 0; i < c; i++) out[rc + i] = 0;
    for (let i = c; i < d; i++) {
      let s = i === c ? 1 : 0;
      const li = lo + i * d;
      for (let t = c; t < i; t++) s -= l[li + t]! * out[rc + t]!;
      out[rc + i] = s / l[li + i]!;
    }
  }
}
