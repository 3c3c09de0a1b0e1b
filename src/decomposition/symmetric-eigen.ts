/**
 * Eigen-decomposition of a small dense symmetric matrix by the cyclic Jacobi method: accurate to working precision
 * (also for small eigenvalues) and simple, which suits the d ≤ ~50 covariance matrices of customer features.
 * @module
 */

/** Eigenvalues in decreasing order with their unit eigenvectors. */
export interface SymmetricEigen {
  /** d eigenvalues, largest first. */
  values: Float64Array;
  /** d × d, row r is the eigenvector of `values[r]` (row-major). */
  vectors: Float64Array;
}

/** Sweeps are quadratically convergent; 60 is far beyond what a d ≤ 100 matrix needs (typically 6–10). */
const MAX_SWEEPS = 60;

/**
 * Cyclic Jacobi eigenvalue algorithm (Jacobi 1846; Golub & Van Loan, "Matrix Computations", 4th ed., §8.5.2–8.5.3,
 * Algorithms 8.5.1–8.5.3, with Rutishauser's stable update of the rotated diagonal, Wilkinson & Reinsch 1971,
 * contribution II/1). Each rotation zeroes one off-diagonal pair; sweeps repeat until the off-diagonal mass is at
 * rounding level relative to the matrix.
 *
 * Eigenvectors are returned as rows, sorted by decreasing eigenvalue (ties keep the lower original index).
 *
 * @param a - d × d symmetric matrix, row-major; not modified. Only its upper triangle is read.
 * @throws RangeError when `a.length` is not d², or the iteration fails to converge (non-finite input).
 *
 * @example
 * const { values } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2); // values: [3, 1]
 */
export function symmetricEigen(a: Float64Array, d: number): SymmetricEigen {
  if (!Number.isInteger(d) || d < 1 || a.length !== d * d) {
    throw new RangeError(`symmetricEigen needs a d × d matrix: got length ${a.length} for d = ${d}`);
  }
  const m = new Float64Array(d * d);
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const v = a[p * d + q]!;
      if (!Number.isFinite(v)) throw new RangeError(`matrix[${p}][${q}] is ${v}: values must be finite`);
      m[p * d + q] = v;
      m[q * d + p] = v;
    }
  }
  // v holds the accumulated rotations: column c of v is the eigenvector for diagonal entry c.
  const v = new Float64Array(d * d);
  for (let p = 0; p < d; p++) v[p * d + p] = 1;

  let scale = 0;
  for (let q = 0; q < d * d; q++) scale += m[q]! * m[q]!;
  const threshold = scale * 1e-32; // off-diagonal Σ a_pq² below (1e-16 · ‖A‖_F)² counts as converged

  let sweep = 0;
  for (; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! * m[p * d + q]!;
    if (off <= threshold || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (apq === 0) continue;
        const app = m[p * d + p]!;
        const aqq = m[q * d + q]!;
        // Rotation angle: t = tan θ is the smaller root of t² + 2τt − 1 = 0, τ = (a_qq − a_pp) / (2 a_pq),
        // which keeps |θ| ≤ π/4 (Golub & Van Loan, Algorithm 8.5.1).
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        m[p * d + p] = app - t * apq;
        m[q * d + q] = aqq + t * apq;
        m[p * d + q] = 0;
        m[q * d + p] = 0;
        for (let r = 0; r < d; r++) {
          if (r !== p && r !== q) {
            const arp = m[r * d + p]!;
            const arq = m[r * d + q]!;
            const np = c * arp - s * arq;
            const nq = s * arp + c * arq;
            m[r * d + p] = np;
            m[p * d + r] = np;
            m[r * d + q] = nq;
            m[q * d + r] = nq;
          }
          const vrp = v[r * d + p]!;
          const vrq = v[r * d + q]!;
          v[r * d + p] = c * vrp - s * vrq;
          v[r * d + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  if (sweep === MAX_SWEEPS) {
    throw new RangeError(`symmetricEigen did not converge in ${MAX_SWEEPS} sweeps (d = ${d})`);
  }

  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[j * d + j]! - m[i * d + i]! || i - j);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    const c = order[r]!;
    values[r] = m[c * d + c]!;
    for (let q = 0; q < d; q++) vectors[r * d + q] = v[q * d + c]!;
  }
  return { values, vectors };
}
