// Calinski–Harabasz: values from scikit-learn, a textbook reference, invariants and validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { assertLabelAndRowInvariant, relClose } from './test-support.js';
import { calinskiHarabaszScore } from './calinski-harabasz.js';

/** Textbook variance ratio, written from the definition with Maps and plain arrays. */
function reference(X: number[][], labels: number[]): number {
  const n = X.length;
  const d = X[0]!.length;
  const groups = new Map<number, number[][]>();
  X.forEach((r, i) => groups.set(labels[i]!, [...(groups.get(labels[i]!) ?? []), r]));
  const meanOf = (rows: number[][]) =>
    Array.from({ length: d }, (_, t) => rows.reduce((s, r) => s + r[t]!, 0) / rows.length);
  const all = meanOf(X);
  let between = 0;
  let within = 0;
  for (const rows of groups.values()) {
    const c = meanOf(rows);
    between += rows.length * c.reduce((s, v, t) => s + (v - all[t]!) ** 2, 0);
    for (const r of rows) within += r.reduce((s, v, t) => s + (v - c[t]!) ** 2, 0);
  }
  const L = groups.size;
  return (between / (L - 1)) * ((n - L) / within);
}

describe('calinskiHarabaszScore', () => {
  it("matches scikit-learn's calinski_harabasz_score", () => {
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
    relClose(calinskiHarabaszScore(X, [2, 2, 2, -1, -1, -1, 5, 5]), 54.59239130434783, 1e-12, 'score');
    relClose(calinskiHarabaszScore([[0], [2], [1], [1], [5], [6]], [0, 0, 1, 1, 2, 2]), 16.2, 1e-12, '1-d');
    assert.equal(
      calinskiHarabaszScore(
        [
          [0, 0],
          [0, 1],
          [5, 0],
          [5, 1],
        ],
        [0, 0, 1, 1],
      ),
      50,
    );
  });
  it('is 1 when every cluster is one point repeated (zero within dispersion)', () => {
    assert.equal(calinskiHarabaszScore([[0], [0], [3], [3]], [0, 0, 1, 1]), 1);
  });
  it('matches the definition on random data, Float32 too, and ignores label names and row order', () => {
    const rng = new Random(3);
    const X = Array.from({ length: 300 }, () => [rng.normal(), rng.normal(2), rng.normal(-1, 3)]);
    const labels = X.map((r) => (r[0]! > 0 ? 1 : 0) + (r[1]! > 2 ? 2 : 0));
    const ref = reference(X, labels);
    assertLabelAndRowInvariant(calinskiHarabaszScore, X, labels, ref, 4);
    const f32: Matrix = { data: Float32Array.from(X.flat()), rows: 300, cols: 3 };
    const f64Rows = Array.from({ length: 300 }, (_, i) => Array.from(f32.data.subarray(i * 3, i * 3 + 3)));
    relClose(calinskiHarabaszScore(f32, labels), reference(f64Rows, labels), 1e-12, 'float32');
  });
  it('rejects 1 or n labels and bad input, naming the value', () => {
    assert.throws(() => calinskiHarabaszScore([[0], [1], [2]], [0, 0, 0]), /1 distinct label among 3 rows/);
    assert.throws(() => calinskiHarabaszScore([[0], [1], [2]], [0, 1, 2]), RangeError);
    assert.throws(() => calinskiHarabaszScore([[0], [1], [2]], [0, 1]), /labels has length 2, expected 3/);
    assert.throws(() => calinskiHarabaszScore([[0], [1], [2]], [0, 1, 1.5]), TypeError);
    assert.throws(() => calinskiHarabaszScore([[0], [Infinity], [2]], [0, 1, 1]), /X\[1\]\[0\] is Infinity/);
  });
});
