// The report's CLV block per segment against a direct computation: each segment's customers filtered, sorted and
// read at numpy's linear quantiles, with a noise segment (label −1) and a segment that has no customer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Profiles } from '../profile/index.js';
import type { SegmentationResult } from '../segment/index.js';
import { Random } from '../util/random.js';
import type { CustomerValue } from '../value/index.js';
import { reportValue } from './report-value.js';

function numpyQuantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

describe('reportValue: CLV per segment', () => {
  it('matches filtering, sorting and numpy quantiles per segment, noise and an empty segment included', () => {
    const rng = new Random(3);
    const n = 5_000;
    const labels = Int32Array.from({ length: n }, () => rng.int(4) - 1); // −1 (noise), 0, 1, 2
    const clv = Float64Array.from({ length: n }, () => Math.exp(3 * rng.next()) * 100);
    const pAlive = Float64Array.from({ length: n }, () => rng.next());
    const value = {
      saved: {
        clv: { model: 'bg-nbd', params: {}, spendParams: null, unit: 'days', months: 12, discountRate: 0.01 },
      },
      rfm: null,
      composite: null,
      clv: {
        clv,
        pAlive,
        expectedPurchases: pAlive,
        modelLabel: 'BG/NBD',
        clvNote: null,
        holdout: null,
        holdoutNote: null,
      },
    } as unknown as CustomerValue;
    const segments = [
      { segment: 0, name: 'noise', noise: true },
      { segment: 1, name: 'a', noise: false },
      { segment: 2, name: 'b', noise: false },
      { segment: 3, name: 'c', noise: false },
      { segment: 4, name: 'empty', noise: false },
    ];
    const got = reportValue(
      value,
      { labels } as unknown as SegmentationResult,
      { segments } as unknown as Profiles,
    )!.clv!;
    assert.equal(got.perSegment.length, segments.length);
    for (const [s, p] of segments.entries()) {
      const label = p.noise ? -1 : p.segment - 1;
      const mine: number[] = [];
      let alive = 0;
      for (let i = 0; i < n; i++) {
        if (labels[i] !== label) continue;
        mine.push(clv[i]!);
        alive += pAlive[i]!;
      }
      mine.sort((a, b) => a - b);
      const row = got.perSegment[s]!;
      if (mine.length === 0) {
        assert.ok(Number.isNaN(row.p50) && Number.isNaN(row.meanProbabilityAlive), p.name);
        assert.equal(row.total, 0);
        continue;
      }
      const sum = mine.reduce((a, b) => a + b, 0);
      for (const [q, key] of [
        [0.1, 'p10'],
        [0.25, 'p25'],
        [0.5, 'p50'],
        [0.75, 'p75'],
        [0.9, 'p90'],
      ] as const) {
        assert.equal(row[key], numpyQuantile(mine, q), `${p.name} ${key}`);
      }
      assert.equal(row.total, sum);
      assert.equal(row.mean, sum / mine.length);
      assert.equal(row.meanProbabilityAlive, alive / mine.length);
    }
  });
});
