// BG/NBD against lifetimes 0.11.3 (fixtures from scripts/fixtures/make_clv_fixtures.py): fitted parameters and
// log-likelihood on CDNOW (weeks), CDNOW condensed with weights, simulated daily data and one customer, with and
// without a penalizer; predictions on lifetimes' parameters; edge cases and input errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { betaGeoModel, fitBetaGeo } from './beta-geo.js';
import { checkFit, fits, predictions, relClose } from './test-support.js';

const fixture = fits();
const cdnow = fixture.data['cdnow']!;

describe('fitBetaGeo: parity with lifetimes', () => {
  for (const c of fixture.cases.filter((k) => k.model === 'bg-nbd')) {
    it(`${c.dataset}, penalizer ${c.penalizer}`, () => checkFit(c, fitBetaGeo));
  }
});

describe('betaGeoModel: predictions on lifetimes parameters', () => {
  for (const p of predictions.purchase.filter((k) => k.model === 'bg-nbd')) {
    it(`CDNOW fit, penalizer ${p.penalizer}`, () => {
      const m = betaGeoModel(p.params);
      for (const [t, v] of Object.entries(p.expectedPurchases))
        relClose(m.expectedPurchases(Number(t)), v, 1e-9, `E[X(${t})]`);
      for (const [t, vs] of Object.entries(p.conditionalExpectedPurchases)) {
        const got = m.conditionalExpectedPurchases(Number(t), predictions.customers);
        vs.forEach((v, i) => relClose(got[i]!, v, 1e-9, `conditional E[X] t=${t} customer ${i}`));
      }
      const alive = m.probabilityAlive(predictions.customers);
      p.probabilityAlive.forEach((v, i) => relClose(alive[i]!, v, 1e-9, `P(alive) customer ${i}`));
    });
  }
});

describe('fitBetaGeo: edge cases', () => {
  it('grouping is exact: CDNOW as rows and as weighted distinct histories give the same fit', () => {
    const a = fitBetaGeo(cdnow);
    const b = fitBetaGeo(fixture.data['cdnowGrouped']!);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) relClose(a.params[k], b.params[k], 1e-7, k);
    relClose(a.logLikelihood, b.logLikelihood, 1e-12, 'log-likelihood');
  });
  it('is invariant to the time unit: CDNOW in days gives α × 7 and the same r, a, b', () => {
    const w = fitBetaGeo(cdnow);
    const d = fitBetaGeo({
      ...cdnow,
      recency: cdnow.recency.map((v) => v * 7),
      T: cdnow.T.map((v) => v * 7),
    });
    relClose(d.params.alpha, 7 * w.params.alpha, 1e-6, 'alpha');
    for (const k of ['r', 'a', 'b'] as const) relClose(d.params[k], w.params[k], 1e-6, k);
    // Each purchase's density is in per-day instead of per-week units.
    const purchases = cdnow.frequency.reduce((s, v) => s + v, 0);
    relClose(d.logLikelihood, w.logLikelihood - purchases * Math.log(7), 1e-9, 'log-likelihood');
  });
  it('rejects data with only one-time buyers (no maximum) unless penalised', () => {
    const d = { frequency: [0, 0, 0], recency: [0, 0, 0], T: [10, 20, 30] };
    assert.throws(() => fitBetaGeo(d), /no customer made a repeat purchase/);
    const m = fitBetaGeo(d, { penalizer: 0.1 });
    assert.ok(Object.values(m.params).every((v) => v > 0 && v < Infinity));
  });
  it('one customer: no finite maximum (converged false) unless penalised', () => {
    const one = { frequency: [3], recency: [20.5], T: [38] };
    const m = fitBetaGeo(one);
    assert.equal(m.converged, false);
    assert.ok(Number.isFinite(m.logLikelihood));
    assert.equal(fitBetaGeo(one, { penalizer: 0.1 }).converged, true);
  });
  it('stays finite for a frequency of 5,000', () => {
    const d = {
      frequency: [...cdnow.frequency, 5000],
      recency: [...cdnow.recency, 38.86],
      T: [...cdnow.T, 38.86],
    };
    const m = fitBetaGeo(d);
    assert.ok(Number.isFinite(m.logLikelihood) && m.converged);
    const x = { frequency: [5000], recency: [38.86], T: [38.86] };
    const e = m.conditionalExpectedPurchases(10, x)[0]!;
    // About 5000 / 38.86 purchases a week for 10 weeks: bought at T, so surely alive.
    assert.ok(e > 1000 && e < 1400, `E = ${e}`);
    assert.ok(m.probabilityAlive(x)[0]! > 0.99);
  });
  it('names the offending row and value', () => {
    const base = { frequency: [1, 2], recency: [3, 4], T: [5, 6] };
    assert.throws(
      () => fitBetaGeo({ ...base, frequency: [1, NaN] }),
      /frequency\[1\] must be a whole number ≥ 0, got NaN/,
    );
    assert.throws(() => fitBetaGeo({ ...base, frequency: [-1, 2] }), /frequency\[0\].*got -1/);
    assert.throws(() => fitBetaGeo({ ...base, frequency: [1.5, 2] }), /frequency\[0\].*got 1.5/);
    assert.throws(
      () => fitBetaGeo({ ...base, recency: [3, -4] }),
      /recency\[1\] must be finite and ≥ 0, got -4/,
    );
    assert.throws(() => fitBetaGeo({ ...base, recency: [3, 7] }), /recency\[1\] = 7 exceeds T\[1\] = 6/);
    assert.throws(() => fitBetaGeo({ ...base, T: [5, Infinity] }), /T\[1\] must be finite/);
    assert.throws(
      () => fitBetaGeo({ frequency: [0], recency: [2], T: [5] }),
      /recency\[0\] must be 0 when frequency\[0\] is 0/,
    );
    assert.throws(() => fitBetaGeo({ ...base, T: [5] }), /same length/);
    assert.throws(() => fitBetaGeo({ frequency: [], recency: [], T: [] }), /no customers/);
    assert.throws(
      () => fitBetaGeo({ ...base, weights: [1, -1] }),
      /weights\[1\] must be finite and ≥ 0, got -1/,
    );
    assert.throws(() => fitBetaGeo(base, { penalizer: -1 }), /penalizer/);
    assert.throws(() => betaGeoModel({ r: 1, alpha: 0, a: 1, b: 1 }), /alpha must be finite and > 0, got 0/);
    assert.throws(() => betaGeoModel({ r: 1, alpha: 1, a: 2, b: 1 }).expectedPurchases(-1), /t must be/);
  });
});
