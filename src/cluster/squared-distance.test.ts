// The generated distance kernels: the plain-order kernel equals the plain loop; the grouped kernels equal
// scikit-learn's `_euclidean_dense_dense` bit for bit (fixture), and each other, unrolled or looped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import {
  groupedDistanceKernel,
  nearestTwoKernel,
  rowDistancesKernel,
  squaredDistanceKernel,
} from './squared-distance.js';

describe('squaredDistanceKernel', () => {
  it('matches the plain loop at offsets, for d = 1..70 (unrolled up to 64, looped beyond)', () => {
    const rng = new Random(1);
    for (let d = 1; d <= 70; d++) {
      const x = Float64Array.from({ length: 3 * d }, () => rng.normal());
      const c = Float64Array.from({ length: 2 * d }, () => rng.normal());
      let expected = 0;
      for (let t = 0; t < d; t++) expected += (x[2 * d + t]! - c[d + t]!) ** 2;
      const kernel = squaredDistanceKernel(d);
      assert.equal(kernel(x, 2 * d, c, d), expected, `d = ${d}`);
      assert.equal(squaredDistanceKernel(d), kernel, 'cached per d');
    }
  });
  it('rejects a dimension that is not a positive integer', () => {
    assert.throws(() => squaredDistanceKernel(0), /got 0/);
    assert.throws(() => squaredDistanceKernel(2.5), /got 2\.5/);
    assert.throws(() => groupedDistanceKernel(-1), /got -1/);
    assert.throws(() => rowDistancesKernel(3, 0), /got 0/);
  });
});

describe('groupedDistanceKernel', () => {
  interface DistanceFixture {
    cases: { a: number[]; b: number[]; squared: number }[];
  }
  const fx = JSON.parse(
    readFileSync(new URL('../../test/fixtures/cluster/kmeans-distances.json', import.meta.url), 'utf8'),
  ) as DistanceFixture;

  it("equals scikit-learn's _euclidean_dense_dense bit for bit (d = 1..24, 31..70)", () => {
    for (const { a, b, squared } of fx.cases) {
      const d = a.length;
      // At an offset, to check the indexing too.
      const x = new Float64Array(2 * d);
      x.set(a, d);
      const got = groupedDistanceKernel(d)(x, d, Float64Array.from(b), 0);
      assert.equal(got, squared, `d = ${d}`);
    }
  });
});

describe('rowDistancesKernel and nearestTwoKernel', () => {
  const rng = new Random(7);
  // (d, m): unrolled (m·d ≤ 1024) and looped bodies.
  const shapes = [
    [1, 1],
    [3, 5],
    [10, 8],
    [7, 150],
    [40, 30],
    [70, 3],
  ] as const;

  it('each row distance equals groupedDistanceKernel', () => {
    for (const [d, m] of shapes) {
      const x = Float64Array.from({ length: 2 * d }, () => rng.normal() * 5);
      const c = Float64Array.from({ length: (m + 1) * d }, () => rng.normal() * 5);
      const out = new Float64Array(m + 2);
      rowDistancesKernel(d, m)(x, d, c, d, out, 2);
      const dist2 = groupedDistanceKernel(d);
      for (let j = 0; j < m; j++)
        assert.equal(out[2 + j], dist2(x, d, c, d + j * d), `d = ${d}, m = ${m}, row ${j}`);
    }
  });

  it('finds the nearest and second-nearest as the plain loop does, ties to the lowest index', () => {
    for (const [d, k] of shapes) {
      const c = Float64Array.from({ length: k * d }, () => rng.normal());
      // Duplicate centroids make exact ties.
      if (k > 2) c.copyWithin(2 * d, 0, d);
      const dist2 = groupedDistanceKernel(d);
      const nearest = nearestTwoKernel(d, k);
      const out = new Float64Array(2);
      for (let r = 0; r < 50; r++) {
        const x = Float64Array.from({ length: d }, (_, t) => (r === 0 ? c[t]! : rng.normal()));
        let d1 = Infinity;
        let d2 = Infinity;
        let best = 0;
        for (let j = 0; j < k; j++) {
          const s = dist2(x, 0, c, j * d);
          if (s < d1) [d2, d1, best] = [d1, s, j];
          else if (s < d2) d2 = s;
        }
        assert.equal(nearest(x, 0, c, out), best, `d = ${d}, k = ${k}, row ${r}`);
        assert.deepEqual([out[0], out[1]], [d1, d2]);
      }
    }
  });
});
