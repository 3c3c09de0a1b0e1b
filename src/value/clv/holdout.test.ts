// Holdout validation against lifetimes on its CDNOW_sample transactions: per-customer predictions, the binned
// table of plot_calibration_purchases_vs_holdout_purchases (by frequency, recency and T), and
// expected_cumulative_transactions daily and weekly; the aggregate errors against a direct computation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { betaGeoModel } from './beta-geo.js';
import { expectedCumulativeTransactions, holdoutComparison } from './holdout.js';
import { readFixture, relClose } from './test-support.js';
import type { BetaGeoParams } from './types.js';

interface Series {
  value: number[];
  actual: number[];
  predicted: number[];
}
const h = readFixture<{
  calibration: { frequency: number[]; recency: number[]; T: number[] };
  frequencyHoldout: number[];
  durationHoldout: number;
  params: BetaGeoParams;
  predicted: number[];
  bins: Record<'frequency' | 'recency' | 'T', Series>;
  tracking: {
    params: BetaGeoParams;
    periods: number;
    firstPurchaseDay: number[];
    repeatPerDay: number[];
    byMultiplier: Record<string, { predicted: number[]; actual: number[] }>;
  };
}>('holdout.json');

describe('holdoutComparison', () => {
  const model = betaGeoModel(h.params);
  for (const by of ['frequency', 'recency', 'T'] as const) {
    it(`matches lifetimes' calibration-vs-holdout table by ${by}`, () => {
      const c = holdoutComparison(model, h.calibration, h.frequencyHoldout, h.durationHoldout, { by });
      h.predicted.forEach((v, i) => relClose(c.predicted[i]!, v, 1e-9, `prediction ${i}`));
      const ref = h.bins[by];
      assert.deepEqual(
        c.bins.map((b) => b.value),
        ref.value,
      );
      c.bins.forEach((b, i) => {
        relClose(b.actual, ref.actual[i]!, 1e-12, `actual mean, ${by} ${b.value}`);
        relClose(b.predicted, ref.predicted[i]!, 1e-9, `predicted mean, ${by} ${b.value}`);
      });
    });
  }
  it('aggregates: sums, MAE, RMSE and correlation', () => {
    const c = holdoutComparison(model, h.calibration, h.frequencyHoldout, h.durationHoldout);
    const p = h.predicted;
    const a = h.frequencyHoldout;
    const n = p.length;
    const sp = p.reduce((s, v) => s + v, 0);
    const sa = a.reduce((s, v) => s + v, 0);
    relClose(c.sumPredicted, sp, 1e-9, 'sum predicted');
    assert.equal(c.sumActual, sa);
    relClose(c.mae, p.reduce((s, v, i) => s + Math.abs(v - a[i]!), 0) / n, 1e-9, 'MAE');
    relClose(c.rmse, Math.sqrt(p.reduce((s, v, i) => s + (v - a[i]!) ** 2, 0) / n), 1e-9, 'RMSE');
    const [mp, ma] = [sp / n, sa / n];
    const cov = p.reduce((s, v, i) => s + (v - mp) * (a[i]! - ma), 0);
    const vp = p.reduce((s, v) => s + (v - mp) ** 2, 0);
    const va = a.reduce((s, v) => s + (v - ma) ** 2, 0);
    relClose(c.correlation, cov / Math.sqrt(vp * va), 1e-9, 'correlation');
    assert.equal(c.customers, n);
  });
  it('checks its inputs', () => {
    assert.throws(() => holdoutComparison(model, h.calibration, [1, 2], 10), /one entry per customer/);
    assert.throws(() => holdoutComparison(model, h.calibration, h.frequencyHoldout, 0), /durationHoldout/);
    const bad = h.frequencyHoldout.slice();
    bad[3] = -1;
    assert.throws(() => holdoutComparison(model, h.calibration, bad, 10), /frequencyHoldout\[3\].*got -1/);
  });
});

describe('expectedCumulativeTransactions', () => {
  const t = h.tracking;
  const model = betaGeoModel(t.params);
  for (const [mult, ref] of Object.entries(t.byMultiplier)) {
    it(`matches lifetimes' expected_cumulative_transactions with freq_multiplier ${mult}`, () => {
      const got = expectedCumulativeTransactions(model, t.firstPurchaseDay, t.periods, {
        actualPerPeriod: t.repeatPerDay,
        periodsPerUnit: Number(mult),
      });
      assert.equal(got.predicted.length, ref.predicted.length);
      ref.predicted.forEach((v, i) => relClose(got.predicted[i]!, v, 1e-9, `predicted ${i}`));
      assert.deepEqual(Array.from(got.actual!), ref.actual);
    });
  }
});
