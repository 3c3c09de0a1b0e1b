import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { trainTestSplit } from './train-test-split.js';

describe('trainTestSplit', () => {
  it('splits every row exactly once with scikit-learn’s sizes (test = ⌈testSize·n⌉)', () => {
    for (const [n, testSize, nTest] of [
      [10, 0.25, 3],
      [101, 0.3, 31],
      [50, 7, 7],
    ] as const) {
      const { train, test } = trainTestSplit(n, { testSize, seed: 1 });
      assert.equal(test.length, nTest);
      assert.equal(train.length, n - nTest);
      const all = [...train, ...test].sort((a, b) => a - b);
      assert.deepEqual(
        all,
        Array.from({ length: n }, (_, i) => i),
      );
    }
  });

  it('is seeded: the same seed gives the same split, another seed another', () => {
    assert.deepEqual(trainTestSplit(100, { seed: 3 }), trainTestSplit(100, { seed: 3 }));
    assert.notDeepEqual(trainTestSplit(100, { seed: 3 }).test, trainTestSplit(100, { seed: 4 }).test);
  });

  it('stratified: per-class counts as scikit-learn’s approximate mode gives them', () => {
    // 70 / 20 / 10 rows, test 0.3: train 70 → 49, 14, 7 and test 30 → 21, 6, 3 (scikit-learn's counts).
    const y = [
      ...Array<string>(70).fill('a'),
      ...Array<string>(20).fill('b'),
      ...Array<string>(10).fill('c'),
    ];
    for (const seed of [0, 1, 2]) {
      const { train, test } = trainTestSplit(100, { testSize: 0.3, seed, stratify: y });
      const count = (rows: Int32Array, l: string): number =>
        Array.from(rows).filter((i) => y[i] === l).length;
      assert.deepEqual(
        ['a', 'b', 'c'].map((l) => count(test, l)),
        [21, 6, 3],
      );
      assert.deepEqual(
        ['a', 'b', 'c'].map((l) => count(train, l)),
        [49, 14, 7],
      );
    }
    // Remainders: 3 classes of 5 rows, test 4 of 15 → floors 1 each, one more to a tied class at random.
    const z = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
    const { test } = trainTestSplit(15, { testSize: 4, seed: 5, stratify: z });
    const per = [0, 1, 2].map((c) => Array.from(test).filter((i) => z[i] === c).length).sort();
    assert.deepEqual(per, [1, 1, 2]);
  });

  it('names the offending input', () => {
    assert.throws(() => trainTestSplit(10, { testSize: 1.5 }), /testSize must be .* \[1, 9\], got 1.5/);
    assert.throws(() => trainTestSplit(10, { testSize: 10 }), /got 10/);
    assert.throws(() => trainTestSplit(1), /n must be an integer ≥ 2, got 1/);
    assert.throws(
      () => trainTestSplit(4, { stratify: ['a', 'a', 'a', 'b'] }),
      /class "b" has only 1 row; every class needs at least 2/,
    );
    assert.throws(() => trainTestSplit(3, { stratify: ['a', 'b'] }), /stratify has length 2, expected 3/);
    assert.throws(
      () => trainTestSplit(6, { testSize: 1, stratify: [0, 0, 1, 1, 2, 2] }),
      /5 training and 1 test rows cannot each hold all 3 classes/,
    );
  });
});
