import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import {
  type ZeroDivision,
  accuracyScore,
  confusionMatrix,
  precisionRecallFscoreSupport,
} from './metrics.js';
import type { ClassLabel } from './types.js';

interface MetricCase {
  name: string;
  yTrue: ClassLabel[];
  yPred: ClassLabel[];
  accuracy: number;
  correct: number;
  labels: ClassLabel[];
  confusionMatrix: number[][];
  prfs: {
    zeroDivision: 'warn' | '0' | '1' | 'nan';
    average: 'micro' | 'macro' | 'weighted' | null;
    precision: (number | null)[] | number | null;
    recall: (number | null)[] | number | null;
    fscore: (number | null)[] | number | null;
    support: number[] | null;
  }[];
  fbeta2: (number | null)[];
}

const { cases } = JSON.parse(
  readFileSync(new URL('../../test/fixtures/supervised/forest-metrics.json', import.meta.url), 'utf8'),
) as { cases: MetricCase[] };

/** The fixture's values as arrays, null (JSON's stand-in for NaN) back to NaN. */
const asArray = (v: (number | null)[] | number | null): number[] =>
  (Array.isArray(v) ? v : [v]).map((x) => (x === null ? NaN : x));

describe('classification metrics equal scikit-learn’s (forest-metrics.json)', () => {
  for (const c of cases) {
    it(`${c.name}: accuracy, confusion matrix`, () => {
      assert.equal(accuracyScore(c.yTrue, c.yPred), c.accuracy);
      assert.equal(accuracyScore(c.yTrue, c.yPred, { normalize: false }), c.correct);
      assert.deepEqual(confusionMatrix(c.yTrue, c.yPred), { labels: c.labels, matrix: c.confusionMatrix });
    });
    it(`${c.name}: precision, recall, F1, support for every zeroDivision and average`, () => {
      for (const e of c.prfs) {
        const zeroDivision: ZeroDivision =
          e.zeroDivision === '0' ? 0 : e.zeroDivision === '1' ? 1 : e.zeroDivision;
        const got = precisionRecallFscoreSupport(c.yTrue, c.yPred, { zeroDivision, average: e.average });
        const where = `zeroDivision ${e.zeroDivision}, average ${e.average}`;
        assert.deepEqual(got.precision, asArray(e.precision), where);
        assert.deepEqual(got.recall, asArray(e.recall), where);
        assert.deepEqual(got.fscore, asArray(e.fscore), where);
        assert.deepEqual(got.support, e.support, where);
        assert.deepEqual(got.labels, c.labels);
      }
      const f2 = precisionRecallFscoreSupport(c.yTrue, c.yPred, { beta: 2, zeroDivision: 0 });
      assert.deepEqual(f2.fscore, asArray(c.fbeta2));
    });
  }
});

describe('classification metrics options and errors', () => {
  it('given labels choose and order the rows and columns; other labels are left out', () => {
    const m = confusionMatrix(['a', 'b', 'c', 'b'], ['a', 'c', 'c', 'b'], { labels: ['c', 'b'] });
    assert.deepEqual(m, {
      labels: ['c', 'b'],
      matrix: [
        [1, 0],
        [1, 1],
      ],
    });
    const s = precisionRecallFscoreSupport(['a', 'b', 'c', 'b'], ['a', 'c', 'c', 'b'], { labels: ['b'] });
    assert.deepEqual(s.precision, [1]);
    assert.deepEqual(s.recall, [0.5]);
  });

  it('names the offending input', () => {
    assert.throws(() => accuracyScore([1, 2], [1]), /yTrue has 2 labels but yPred has 1/);
    assert.throws(() => accuracyScore([1, NaN], [1, 2]), /yTrue\[1\] is NaN/);
    assert.throws(() => confusionMatrix([1], [{} as never]), /yPred\[0\] is \[object Object\]/);
    assert.throws(
      () => precisionRecallFscoreSupport([1], [1], { beta: -1 }),
      /beta must be a number ≥ 0, got -1/,
    );
    assert.throws(
      () => precisionRecallFscoreSupport([1], [1], { zeroDivision: 2 as never }),
      /zeroDivision must be .* got 2/,
    );
    assert.throws(
      () => precisionRecallFscoreSupport([1], [1], { average: 'binary' as never }),
      /average must be .* got "binary"/,
    );
    assert.throws(() => confusionMatrix([1], [1], { labels: [1, 1] }), /labels has duplicates/);
  });
});
