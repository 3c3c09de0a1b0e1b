import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../util/random.js';
import { adjustedRandScore } from './adjusted-rand.js';

test("scikit-learn's documented values", () => {
  // From scikit-learn's adjusted_rand_score docstring.
  assert.equal(adjustedRandScore([0, 0, 1, 1], [0, 0, 1, 1]), 1);
  assert.equal(adjustedRandScore([0, 0, 1, 1], [1, 1, 0, 0]), 1);
  assert.ok(Math.abs(adjustedRandScore([0, 0, 1, 2], [0, 0, 1, 1]) - 0.5714285714285714) < 1e-15);
  assert.ok(Math.abs(adjustedRandScore([0, 0, 1, 1], [0, 0, 1, 2]) - 0.5714285714285714) < 1e-15);
  assert.ok(Math.abs(adjustedRandScore([0, 0, 0, 0], [0, 1, 2, 3]) - 0) < 1e-15);
  assert.ok(Math.abs(adjustedRandScore([0, 0, 1, 1], [0, 1, 0, 1]) - -0.5) < 1e-15);
});

test('invariants: symmetric, renaming-invariant, near 0 for independent labelings', () => {
  const rng = new Random(7);
  const a = Int32Array.from({ length: 5000 }, () => rng.int(5));
  const b = Int32Array.from({ length: 5000 }, () => rng.int(4));
  assert.equal(adjustedRandScore(a, b), adjustedRandScore(b, a));
  assert.equal(
    adjustedRandScore(
      a,
      Array.from(a, (x) => `s${(x * 3) % 5}`),
    ),
    1,
  );
  assert.ok(Math.abs(adjustedRandScore(a, b)) < 0.01);
  assert.throws(() => adjustedRandScore([1, 2], [1]), RangeError);
});
