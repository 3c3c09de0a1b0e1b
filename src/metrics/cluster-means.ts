/**
 * Per-cluster means of points, the centroids that Calinski–Harabasz and Davies–Bouldin compare.
 * @module
 */

/**
 * Mean of each label's rows, `means[l * d + t]`, from coded labels 0..L−1 with their sizes (all > 0).
 *
 * Internal fast path: trusts its arguments.
 */
export function clusterMeansCore(
  x: Float64Array | Float32Array,
  n: number,
  d: number,
  codes: Int32Array,
  counts: Float64Array,
): Float64Array {
  const L = counts.length;
  const means = new Float64Array(L * d);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const mo = codes[i]! * d;
    for (let t = 0; t < d; t++) means[mo + t]! += x[xo + t]!;
  }
  for (let l = 0; l < L; l++) {
    const c = counts[l]!;
    for (let t = 0; t < d; t++) means[l * d + t]! /= c;
  }
  return means;
}
