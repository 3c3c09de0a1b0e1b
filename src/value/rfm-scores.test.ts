// rfmScores: cuts equal an independent inverse-ECDF reference (smallest value whose share at or below reaches k/bins)
// and numpy's quantile(method='inverted_cdf') on a fixed example; ties share a score; scores do not depend on row
// order; distinct values fill bins evenly; heavy ties leave the documented empty bins; directions mirror;
// scoreWithCuts reproduces the fit; errors name the value and position.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { quantileCuts, rfmScores, scoreWithCuts, type RfmValues } from './rfm-scores.js';

/** Inverse ECDF, written from the definition: cut k is the smallest value v with #{w ≤ v} · bins ≥ k · n. */
function referenceCuts(values: ArrayLike<number>, bins: number): number[] {
  const n = values.length;
  const out: number[] = [];
  const distinct = [...new Set(Array.from(values))].sort((a, b) => a - b);
  for (let k = 1; k < bins; k++) {
    const x = distinct.find((v) => Array.from(values).filter((w) => w <= v).length * bins >= k * n);
    out.push(x!);
  }
  return out;
}

function generated(seed: number, n: number): RfmValues {
  const rnd = new Random(seed);
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    recency[i] = rnd.int(365);
    // Heavy ties: about 35% bought once.
    frequency[i] = rnd.next() < 0.35 ? 1 : 1 + rnd.int(12);
    monetary[i] = Math.round(Math.exp(rnd.normal(4, 1)) * 100) / 100;
  }
  return { recency, frequency, monetary };
}

describe('rfmScores', () => {
  it('cuts are the inverse empirical CDF at k/bins (independent reference)', () => {
    for (const [seed, n, bins] of [
      [1, 1, 5],
      [2, 7, 5],
      [3, 10, 5],
      [4, 999, 5],
      [5, 1000, 3],
      [6, 523, 10],
    ] as const) {
      const v = generated(seed, n);
      const s = rfmScores(v, { bins });
      for (const dim of ['recency', 'frequency', 'monetary'] as const) {
        assert.deepEqual(s.cuts[dim], referenceCuts(v[dim], bins), `${dim}, n=${n}, bins=${bins}`);
      }
    }
    // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], [0.2, 0.4, 0.6, 0.8], method='inverted_cdf') → [1, 3, 4, 5]
    assert.deepEqual(quantileCuts([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], 5), [1, 3, 4, 5]);
  });

  it('scores: 1 + cuts strictly below; equal values share a score; row order does not matter', () => {
    const v = generated(11, 2000);
    const s = rfmScores(v);
    for (let i = 0; i < 2000; i++) {
      const below = (x: number, c: number[]) => c.filter((cut) => x > cut).length;
      assert.equal(s.r[i], 5 - below(v.recency[i]!, s.cuts.recency));
      assert.equal(s.f[i], 1 + below(v.frequency[i]!, s.cuts.frequency));
      assert.equal(s.m[i], 1 + below(v.monetary[i]!, s.cuts.monetary));
      assert.equal(s.cell[i], `${s.r[i]}${s.f[i]}${s.m[i]}`);
    }
    const perm = new Random(3).shuffle(Array.from({ length: 2000 }, (_, i) => i));
    const pick = (a: ArrayLike<number>) => perm.map((i) => a[i]!);
    const p = rfmScores({
      recency: pick(v.recency),
      frequency: pick(v.frequency),
      monetary: pick(v.monetary),
    });
    assert.deepEqual(p.cuts, s.cuts);
    assert.deepEqual(Array.from(p.f), pick(s.f));
    assert.deepEqual(Array.from(p.r), pick(s.r));
  });

  it('distinct values fill the bins evenly', () => {
    for (const n of [10, 11, 14, 1003]) {
      const x = Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation of 0..n-1
      const s = rfmScores({ recency: x, frequency: x, monetary: x });
      const sizes = [1, 2, 3, 4, 5].map((b) => s.f.filter((f) => f === b).length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `n=${n}: ${sizes}`);
      assert.deepEqual(
        Array.from(s.r),
        Array.from(s.f, (f) => 6 - f),
        'lower mirrors higher',
      );
    }
  });

  it('heavy ties: 35% buying once leaves F2 empty, as documented', () => {
    const frequency = [...Array(35).fill(1), ...Array.from({ length: 65 }, (_, i) => 2 + (i % 13))];
    const s = rfmScores({ recency: frequency, frequency, monetary: frequency });
    assert.deepEqual(s.cuts.frequency.slice(0, 1), [1]);
    assert.equal(s.f.filter((f) => f === 1).length, 35);
    // 40% cut: the 40th smallest value is 2, so F2 holds the 2s; 20% and 40% share nothing here, but with 45% ones:
    const heavy = [...Array(45).fill(1), ...Array.from({ length: 55 }, (_, i) => 2 + (i % 11))];
    const h = rfmScores({ recency: heavy, frequency: heavy, monetary: heavy });
    assert.deepEqual(h.cuts.frequency.slice(0, 2), [1, 1]);
    assert.equal(h.f.filter((f) => f === 2).length, 0, 'F2 is empty');
    assert.equal(h.f.filter((f) => f === 1).length, 45);
  });

  it('scoreWithCuts reproduces the fit and scores new values by the same cuts', () => {
    const v = generated(21, 500);
    const s = rfmScores(v, { bins: 4, direction: { monetary: 'lower' } });
    const again = scoreWithCuts(v, JSON.parse(JSON.stringify(s.cuts)), { direction: s.direction });
    assert.deepEqual(again, s);
    const fresh = scoreWithCuts({ recency: [-1, 1e9], frequency: [0, 1e9], monetary: [-5, 1e9] }, s.cuts, {
      direction: s.direction,
    });
    assert.deepEqual([...fresh.r, ...fresh.f, ...fresh.m], [4, 1, 1, 4, 4, 1]);
  });

  it('cells of more than 9 bins are joined by "-"', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const s = rfmScores({ recency: x, frequency: x, monetary: x }, { bins: 10 });
    assert.equal(s.cell[19], '1-10-10');
    assert.equal(s.cell[0], '10-1-1');
  });

  it('errors name the offending value and position', () => {
    const ok = { recency: [1, 2], frequency: [1, 2], monetary: [1, 2] };
    assert.throws(
      () => rfmScores({ ...ok, monetary: [1, NaN] }),
      /values\.monetary\[1\] must be a finite number, got NaN/,
    );
    assert.throws(
      () => rfmScores({ ...ok, frequency: [1] }),
      /values\.frequency has 1 entries, values\.recency has 2/,
    );
    assert.throws(() => rfmScores(ok, { bins: 1 }), /bins must be a whole number ≥ 2, got 1/);
    assert.throws(
      () => rfmScores(ok, { direction: { recency: 'up' as never } }),
      /direction\.recency must be 'lower' or 'higher', got "up"/,
    );
    assert.throws(() => rfmScores({ recency: [], frequency: [], monetary: [] }), /at least one customer/);
    const cuts = { recency: [1], frequency: [1], monetary: [3, 2] };
    assert.throws(() => scoreWithCuts(ok, cuts), /cuts\.monetary must have 1 cut points/);
    assert.throws(
      () => scoreWithCuts(ok, { ...cuts, monetary: [NaN] }),
      /cuts\.monetary\[0\] must be a finite number/,
    );
    assert.throws(
      () => scoreWithCuts(ok, { ...cuts, monetary: [2] }, { bins: 5 }),
      /bins is 5 but the cuts are for 2 bins/,
    );
  });
});
