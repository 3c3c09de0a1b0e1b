// Davies–Bouldin: values from scikit-learn, a textbook reference, its zero conventions, invariants, validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { assertLabelAndRowInvariant, relClose } from './test-support.js';
import { daviesBouldinScore } from './davies-bouldin.js';

/** Davies & Bouldin's R̄ (q = 1, p = 2) from the definition, with Maps and plain arrays. */
function reference(X: number[][], labels: number[]): number {
  const groups = new Map<number, number[][]>();
  X.forEach((r, i) => groups.set(labels[i]!, [...(groups.get(labels[i]!) ?? []), r]));
  const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, t) => v - b[t]!));
  const cs = [...groups.values()].map((rows) =>
    rows[0]!.map((_, t) => rows.reduce((s, r) => s + r[t]!, 0) / rows.length),
  );
  const ss = [...groups.values()].map(
    (rows, k) => rows.reduce((s, r) => s + dist(r, cs[k]!), 0) / rows.length,
  );
  let total = 0;
  for (let k = 0; k < cs.length; k++) {
    let worst = -Infinity;
    for (let j = 0; j < cs.length; j++)
      if (j !== k) worst = Math.max(worst, (ss[k]! + ss[j]!) / dist(cs[k]!, cs[j]!));
    total += worst;
  }
  return total / cs.length;
}

describe('daviesBouldinScore', () => {
  it("matches scikit-learn's davies_bouldin_score", () => {
    const X = [
      [0, 0],
      [1, 0],
      [0, 2],
      [7, 1],
      [8, 3],
      [9, 1],
      [3, 9],
      [4, 9.5],
    ];
    relClose(daviesBouldinScore(X, [2, 2, 2, -1, -1, -1, 5, 5]), 0.26365365348400255, 1e-12, 'score');
    relClose(
      daviesBouldinScore(
        [
          [0, 0],
          [0, 1],
          [5, 0],
          [5, 1],
        ],
        [0, 0, 1, 1],
      ),
      0.2,
      1e-12,
      'two pairs',
    );
  });
  it("follows scikit-learn's zero conventions", () => {
    // Clusters 0 and 1 share a centroid: their distance counts as infinite, so their ratio drops out.
    relClose(
      daviesBouldinScore([[0], [2], [1], [1], [5], [6]], [0, 0, 1, 1, 2, 2]),
      0.25925925925925924,
      1e-12,
      'coincident',
    );
    // Every cluster one point repeated: all spreads 0.
    assert.equal(daviesBouldinScore([[0], [0], [3], [3]], [0, 0, 1, 1]), 0);
  });
  it('matches the definition on random data and ignores label names and row order', () => {
    const rng = new Random(5);
    const X = Array.from({ length: 400 }, () => [rng.normal(), rng.normal(1, 2), rng.normal(), rng.normal()]);
    const labels = X.map((r, i) => (r[0]! > 0 ? 1 : 0) + (r[1]! > 1 ? 2 : 0) + (i % 7 === 0 ? 4 : 0));
    const ref = reference(X, labels);
    assertLabelAndRowInvariant(daviesBouldinScore, X, labels, ref, 4);
  });
  it('rejects 1 or n labels and bad input, naming the value', () => {
    assert.throws(() => daviesBouldinScore([[0], [1], [2]], [4, 4, 4]), /1 distinct label among 3 rows/);
    assert.throws(() => daviesBouldinScore([[0], [1], [2]], [0, 1, 2]), RangeError);
    assert.throws(() => daviesBouldinScore([[0], [1]], [0, 1, 1]), /labels has length 3, expected 2/);
  });
});
