/**
 * Silhouette from precomputed pairwise distances, for scoring many labelings of the same points (the k sweep):
 * the distances are measured once, and each labeling then costs one pass of additions.
 * @module
 */
import { squaredDistanceKernel } from '../cluster/squared-distance.js';
import type { Matrix } from '../util/matrix.js';

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
 * `silhouetteScore` on those points (Rousseeuw 1987): a singleton's silhouette is 0. Needs 2 ≤ labels ≤ n − 1.
 */
export function silhouetteScoreCondensed(dist: Float64Array, labels: ArrayLike<number>): number {
  const n = labels.length;
  if (dist.length !== (n * (n - 1)) / 2) {
    throw new RangeError(
      `dist has length ${dist.length}, expected n(n−1)/2 = ${(n * (n - 1)) / 2} for ${n} labels`,
    );
  }
  // Recode labels to 0..L−1.
  const index = new Map<number, number>();
  const codes = new Int32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    let c = index.get(labels[i]!);
    if (c === undefined) {
      c = counts.length;
      index.set(labels[i]!, c);
      counts.push(0);
    }
    codes[i] = c;
    counts[c]!++;
  }
  const L = counts.length;
  if (L < 2 || L > n - 1)
    throw new RangeError(`silhouette needs 2 ≤ number of labels ≤ n − 1, got ${L} labels for ${n} points`);
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
  for (let i = 0; i < n; i++) {
    const own = codes[i]!;
    const nOwn = counts[own]!;
    if (nOwn <= 1) continue; // s = 0
    const a = sums[i * L + own]! / (nOwn - 1);
    let b = Infinity;
    for (let l = 0; l < L; l++) if (l !== own) b = Math.min(b, sums[i * L + l]! / counts[l]!);
    const den = Math.max(a, b);
    if (den > 0) total += (b - a) / den;
  }
  return total / n;
}
