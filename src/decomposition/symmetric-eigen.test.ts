// Jacobi eigen-solver: A v = λ v, orthonormality and ordering on random symmetric matrices.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { symmetricEigen } from './symmetric-eigen.js';

describe('symmetricEigen', () => {
  it('solves A v = λ v with orthonormal v, largest λ first', () => {
    const rng = new Random(7);
    for (const d of [1, 2, 5, 17, 50]) {
      const a = new Float64Array(d * d);
      for (let p = 0; p < d; p++) {
        for (let q = p; q < d; q++) {
          const v = rng.normal();
          a[p * d + q] = v;
          a[q * d + p] = v;
        }
      }
      const { values, vectors } = symmetricEigen(a, d);
      let norm = 0;
      for (const v of a) norm = Math.max(norm, Math.abs(v));
      for (let r = 0; r < d; r++) {
        if (r > 0) assert.ok(values[r]! <= values[r - 1]!, `d=${d}: values not sorted`);
        for (let p = 0; p < d; p++) {
          let av = 0;
          for (let q = 0; q < d; q++) av += a[p * d + q]! * vectors[r * d + q]!;
          assert.ok(Math.abs(av - values[r]! * vectors[r * d + p]!) < 1e-11 * d * norm, `d=${d}: residual`);
        }
        for (let s = 0; s < d; s++) {
          let dot = 0;
          for (let q = 0; q < d; q++) dot += vectors[r * d + q]! * vectors[s * d + q]!;
          assert.ok(Math.abs(dot - (r === s ? 1 : 0)) < 1e-12, `d=${d}: not orthonormal`);
        }
      }
      let trace = 0;
      for (let p = 0; p < d; p++) trace += a[p * d + p]!;
      assert.ok(Math.abs(values.reduce((x, y) => x + y, 0) - trace) < 1e-10 * d);
    }
  });
  it('knows a 2 × 2 by heart and rejects bad shapes', () => {
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    assert.ok(Math.abs(values[0]! - 3) < 1e-15 && Math.abs(values[1]! - 1) < 1e-15);
    assert.ok(Math.abs(Math.abs(vectors[0]!) - Math.SQRT1_2) < 1e-15);
    assert.throws(() => symmetricEigen(new Float64Array(3), 2), /got length 3 for d = 2/);
    assert.throws(() => symmetricEigen(new Float64Array([NaN]), 1), /matrix\[0\]\[0\] is NaN/);
  });
});
