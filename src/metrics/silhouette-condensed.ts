/**
 * Silhouette from precomputed pairwise distances, for scoring many labelings of the same points (the k sweep):
 * the distances are measured once, and each labeling then costs one pass of additions.
 * @module
 */
import { squaredDistanceKernel } from '../cluster/squared-distance.js';
import type { Matrix } from '../util/matrix.js';
import { checkLabelCount, encodeLabels } from './labels.js';
import { silhouetteOfRow } from './silhouette-kernels.js';

/**
 * Euclidean distances between every pair of rows, condensed as SciPy's `pdist` lays them out: pairs (i, j),
 * i < j, row by row. n rows take n(n−1)/2 doubles (5,000 rows: 100 MB). `out` may be a view of shared memory.
 */
export function condensedDistances(x: Matrix, out?: Float64Array): Float64Array {
  const { rows: n, cols: d } = x;
  const size = (n * (n - 1)) / 2;
  const dist = out ?? new Float64Array(size);
  if (dist.length !== size)
    throw new RangeError(`out has length ${dist.length}, expected n(n−1)/2 = ${size}`);
  const data = x.data instanceof Float64Array ? x.data : Float64Array.from(x.data);
  const dist2 = squaredDistanceKernel(d);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    for (let j = i + 1; j < n; j++) dist[k++] = Math.sqrt(dist2(data, xo, data, j * d));
  }
  return dist;
}

/**
 * Mean silhouette of `labels` (length n) over points whose condensed distances are `dist`; the same value as
 * `silhouetteScore` on those points (Rousseeuw 1987): a singleton's silhouette is 0. Needs integer labels,
 * 2 ≤ distinct ≤ n − 1.
 */
export function silhouetteScoreCondensed(dist: Float64Array, labels: ArrayLike<number>): number {
  const n = labels.length;
  if (dist.length !== (n * (n - 1)) / 2) {
    throw new RangeError(
      `dist has length ${dist.length}, expected n(n−1)/2 = ${(n * (n - 1)) / 2} for ${n} labels`,
    );
  }
  const { codes, counts } = encodeLabels(labels, n);
  const L = counts.length;
  checkLabelCount(L, n, 'labels');
  // sums[i·L + l]: total distance from point i to the members of label l; each pair is read once and credited to
  // both ends (row i's share accumulates in a small buffer that stays in cache).
  const sums = new Float64Array(n * L);
  const row = new Float64Array(L);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const ci = codes[i]!;
    row.fill(0);
    for (let j = i + 1; j < n; j++) {
      const v = dist[k++]!;
      row[codes[j]!]! += v;
      sums[j * L + ci]! += v;
    }
    for (let l = 0; l < L; l++) sums[i * L + l]! += row[l]!;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += silhouetteOfRow(codes[i]!, counts, sums, i * L);
  return total / n;
}
