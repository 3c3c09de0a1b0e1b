// compositeScore: each normalisation against its formula computed directly (rank: average ranks by brute force,
// (rank − ½)/n), negative weights, re-scoring with the saved (JSON) normalisation reproduces the fit, knot-reduced
// ranks stay within a knot's step; segmentByScore: inverse-ECDF quantile cuts, ties, thresholds, names; errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { compositeScore, scoreComposite, segmentByScore, type CompositeNormalisation } from './composite.js';

function columns(seed: number, n: number) {
  const rnd = new Random(seed);
  return {
    recency_days: Float64Array.from({ length: n }, () => rnd.int(365)),
    frequency: Float64Array.from({ length: n }, () => (rnd.next() < 0.4 ? 1 : 1 + rnd.int(20))),
    monetary: Float64Array.from({ length: n }, () => Math.exp(rnd.normal(4, 1))),
    unused: Float64Array.from({ length: n }, () => NaN),
  };
}

/** Average 1-based rank of each value, counting by brute force. */
function averageRanks(x: ArrayLike<number>): number[] {
  const v = Array.from(x);
  return v.map((a) => {
    const less = v.filter((b) => b < a).length;
    const equal = v.filter((b) => b === a).length;
    return less + (equal + 1) / 2;
  });
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

describe('compositeScore', () => {
  const cols = columns(1, 600);
  const weights = { recency_days: -1, frequency: 0.5, monetary: 2 };
  const n = 600;

  it('minmax: Σ w (x − min)/(max − min)', () => {
    const { score, normalisation } = compositeScore(cols, weights, { normalise: 'minmax' });
    const mm = (x: Float64Array) => {
      const lo = Math.min(...x);
      const hi = Math.max(...x);
      return Array.from(x, (v) => (v - lo) / (hi - lo));
    };
    const [r, f, m] = [mm(cols.recency_days), mm(cols.frequency), mm(cols.monetary)];
    close(
      score,
      r.map((_, i) => -r[i]! + 0.5 * f[i]! + 2 * m[i]!),
      1e-12,
      'score',
    );
    assert.deepEqual(Object.keys(normalisation.features), ['recency_days', 'frequency', 'monetary']);
  });

  it('zscore: population sd (ddof 0)', () => {
    const { score } = compositeScore(cols, { monetary: 1 }, { normalise: 'zscore' });
    const x = Array.from(cols.monetary);
    const mean = x.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    close(
      score,
      x.map((v) => (v - mean) / sd),
      1e-12,
      'z',
    );
  });

  it('rank: (average rank − ½) / n, ties sharing a value', () => {
    const { score } = compositeScore(cols, { frequency: 1, recency_days: -2 });
    const rf = averageRanks(cols.frequency);
    const rr = averageRanks(cols.recency_days);
    close(
      score,
      rf.map((_, i) => (rf[i]! - 0.5) / n - (2 * (rr[i]! - 0.5)) / n),
      1e-12,
      'rank score',
    );
  });

  it('re-scoring with the saved normalisation (through JSON) reproduces the fit; new customers', () => {
    for (const normalise of ['minmax', 'zscore', 'rank'] as const) {
      const fit = compositeScore(cols, weights, { normalise });
      const saved = JSON.parse(JSON.stringify(fit.normalisation)) as CompositeNormalisation;
      assert.deepEqual(scoreComposite(cols, weights, saved), fit.score, normalise);
    }
    const fit = compositeScore({ x: [10, 20, 20, 40] }, { x: 1 });
    // Knots 10, 20, 40 at 1/8, 1/2, 7/8; 30 interpolates; beyond the ends 0 and 1.
    assert.deepEqual(Array.from(fit.score), [1 / 8, 1 / 2, 1 / 2, 7 / 8]);
    const fresh = scoreComposite({ x: [5, 10, 30, 40, 99] }, { x: 1 }, fit.normalisation);
    assert.deepEqual(Array.from(fresh), [0, 1 / 8, 11 / 16, 7 / 8, 1]);
    const mm = compositeScore({ x: [0, 10] }, { x: 1 }, { normalise: 'minmax' });
    assert.deepEqual(Array.from(scoreComposite({ x: [-10, 20] }, { x: 1 }, mm.normalisation)), [-1, 2]);
  });

  it('rank with more distinct values than knots: within one knot step of the exact rank', () => {
    const x = columns(2, 5000).monetary;
    const { score, normalisation } = compositeScore({ x }, { x: 1 }, { maxKnots: 101 });
    const knots = normalisation.features['x'] as { values: number[] };
    assert.equal(knots.values.length, 101);
    const exact = averageRanks(x).map((r) => (r - 0.5) / 5000);
    close(score, exact, 1 / 100, 'approximate rank');
    assert.deepEqual(scoreComposite({ x }, { x: 1 }, normalisation), score);
  });

  it('constant features normalise to 0', () => {
    for (const normalise of ['minmax', 'zscore'] as const) {
      assert.deepEqual(
        Array.from(compositeScore({ c: [3, 3, 3] }, { c: 1 }, { normalise }).score),
        [0, 0, 0],
      );
    }
    assert.deepEqual(Array.from(compositeScore({ c: [3, 3] }, { c: 1 }).score), [0.5, 0.5]);
  });

  it('errors name the missing feature, the bad weight, the bad value', () => {
    assert.throws(
      () => compositeScore(cols, { recency: -1 }),
      /weights name feature "recency", which is not among the columns \("recency_days", "frequency", "monetary", "unused"\)/,
    );
    assert.throws(
      () => compositeScore(cols, { frequency: NaN }),
      /weight of "frequency" must be a finite number, got NaN/,
    );
    assert.throws(
      () => compositeScore(cols, { unused: 1 }),
      /feature "unused"\[0\] must be a finite number, got NaN/,
    );
    assert.throws(() => compositeScore(cols, {}), /at least one feature/);
    assert.throws(
      () => compositeScore({ a: [1], b: [1, 2] }, { a: 1, b: 1 }),
      /feature "b" has 2 values, "a" has 1/,
    );
    assert.throws(
      () => compositeScore(cols, { frequency: 1 }, { normalise: 'max' as never }),
      /normalise must be/,
    );
    const fit = compositeScore(cols, { frequency: 1 });
    assert.throws(
      () => scoreComposite(cols, { monetary: 1 }, fit.normalisation),
      /no parameters for feature "monetary" \(it has "frequency"\)/,
    );
  });
});

describe('segmentByScore', () => {
  it('quantile cuts are the ⌈n·p⌉-th smallest score; a score equal to a cut stays below', () => {
    const score = Array.from({ length: 100 }, (_, i) => (i * 37) % 100); // 0..99 shuffled
    const b = segmentByScore(score, { quantiles: [0.3, 0.5, 0.9] });
    assert.deepEqual(b.cuts, [29, 49, 89]); // 0.3 · 100 = 30.000000000000004 still picks the 30th
    assert.deepEqual(b.names, ['Score band 1', 'Score band 2', 'Score band 3', 'Score band 4']);
    const sizes = [0, 1, 2, 3].map((k) => b.labels.filter((l) => l === k).length);
    assert.deepEqual(sizes, [30, 20, 40, 10]);
    score.forEach((s, i) => assert.equal(b.labels[i], [29, 49, 89].filter((c) => s > c).length));
  });

  it('ties share a band; coinciding cuts leave an empty band', () => {
    const score = [...Array(60).fill(0), ...Array.from({ length: 40 }, (_, i) => i + 1)];
    const b = segmentByScore(score, { quantiles: [0.25, 0.5, 0.75], names: ['D', 'C', 'B', 'A'] });
    assert.deepEqual(b.cuts, [0, 0, 15]);
    assert.equal(b.labels.filter((l) => l === 1).length, 0);
    assert.equal(b.labels.filter((l) => l === 0).length, 60);
  });

  it('thresholds, and the example', () => {
    const b = segmentByScore([-1, 0, 0.5, 2], { thresholds: [0, 1] });
    assert.deepEqual(Array.from(b.labels), [0, 0, 1, 2]);
    const e = segmentByScore([0.1, 0.9, 0.5, 0.7], { quantiles: [0.5], names: ['Low', 'High'] });
    assert.deepEqual(e, { labels: Int32Array.from([0, 1, 0, 1]), cuts: [0.5], names: ['Low', 'High'] });
  });

  it('errors', () => {
    assert.throws(() => segmentByScore([1], { quantiles: [0.5], thresholds: [1] }), /not both/);
    assert.throws(
      () => segmentByScore([1], { quantiles: [0.5, 0.5] }),
      /quantiles\[1\] must be a finite number in \(0, 1\), above the one before it, got 0\.5/,
    );
    assert.throws(() => segmentByScore([1], { quantiles: [1] }), /quantiles\[0\]/);
    assert.throws(() => segmentByScore([1], { thresholds: [2, 1] }), /thresholds\[1\]/);
    assert.throws(() => segmentByScore([1, NaN]), /score\[1\] must be a finite number, got NaN/);
    assert.throws(() => segmentByScore([1], { quantiles: [0.5], names: ['a'] }), /names must give 2 bands/);
    assert.throws(
      () => segmentByScore([1], { quantiles: [0.5], names: ['a', ' '] }),
      /names\[1\] must be a non-empty string/,
    );
  });
});
