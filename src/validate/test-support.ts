/**
 * Generated data for the tests of `src/validate`: well-separated Gaussian blobs with a known number of clusters, and
 * uniform noise without any.
 * @module
 */
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';

/**
 * n rows in d dimensions around `clusters` centres (round-robin, so sizes differ by at most 1), unit standard
 * deviation, centres drawn in [0, 12·clusters^(1/d)·√d]^d at least `separation` apart (default 10 standard deviations).
 */
export function blobs(
  n: number,
  d: number,
  clusters: number,
  seed: number,
  separation = 10,
): { x: Matrix; truth: Int32Array } {
  const rng = new Random(seed);
  const side = 12 * Math.pow(clusters, 1 / d) * Math.sqrt(d);
  const centres: number[][] = [];
  while (centres.length < clusters) {
    const c = Array.from({ length: d }, () => rng.next() * side);
    if (centres.every((o) => Math.hypot(...o.map((v, j) => v - c[j]!)) >= separation)) centres.push(c);
  }
  const data = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = i % clusters;
    for (let j = 0; j < d; j++) data[i * d + j] = rng.normal(centres[truth[i]!]![j]!, 1);
  }
  return { x: { data, rows: n, cols: d }, truth };
}

/** n rows uniform in the unit hypercube [0, 1]^d: no clusters. */
export function uniformNoise(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  return { data: Float64Array.from({ length: n * d }, () => rng.next()), rows: n, cols: d };
}
