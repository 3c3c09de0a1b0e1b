// The generated distance kernel must equal the plain loop for every dimension, unrolled or not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { squaredDistanceKernel } from './squared-distance.js';

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
  });
});
