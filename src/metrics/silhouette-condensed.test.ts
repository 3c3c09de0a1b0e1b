import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../util/random.js';
import { silhouetteScore } from './silhouette.js';
import { condensedDistances, silhouetteScoreCondensed } from './silhouette-condensed.js';

test('silhouette from condensed distances equals silhouetteScore on the same points', () => {
  const rng = new Random(3);
  for (const [n, d, k] of [
    [50, 2, 2],
    [300, 5, 4],
    [701, 3, 9],
  ] as const) {
    const data = Float64Array.from({ length: n * d }, () => rng.normal());
    const x = { data, rows: n, cols: d };
    const labels = Int32Array.from({ length: n }, (_, i) => (i < k ? i : rng.int(k))); // every label used
    const expected = silhouetteScore(x, labels);
    const got = silhouetteScoreCondensed(condensedDistances(x), labels);
    assert.ok(Math.abs(got - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${got} vs ${expected}`);
  }
});

test('condensed layout is SciPy pdist order, and bad lengths are rejected', () => {
  const x = { data: Float64Array.from([0, 0, 3, 4, 6, 8]), rows: 3, cols: 2 };
  assert.deepEqual(Array.from(condensedDistances(x)), [5, 10, 5]);
  assert.throws(() => silhouetteScoreCondensed(new Float64Array(2), [0, 1, 1]), RangeError);
  assert.throws(() => silhouetteScoreCondensed(new Float64Array(3), [0, 0, 0]), RangeError);
});
