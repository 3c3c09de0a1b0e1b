// Gamma–Gamma against lifetimes 0.11.3 on CDNOW's repeat buyers (with and without a penalizer), expected average
// profit on lifetimes' parameters, and the handling of one-time buyers and bad monetary values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitGammaGamma, gammaGammaModel } from './gamma-gamma.js';
import { fits, readFixture, relClose } from './test-support.js';

const fixture = fits();
const cdnow = fixture.data['cdnow']!;
const spendData = { frequency: cdnow.frequency, monetaryValue: cdnow.monetaryValue! };
const pred = readFixture<{
  customers: { frequency: number[]; monetaryValue: number[] };
  spend: { params: { p: number; q: number; v: number }; expectedAverageProfit: number[] };
}>('predictions.json');

describe('fitGammaGamma: parity with lifetimes', () => {
  for (const c of fixture.cases.filter((k) => k.model === 'gamma-gamma')) {
    it(`CDNOW, penalizer ${c.penalizer}`, () => {
      // lifetimes is given the repeat buyers only; we are given every customer and leave out the others.
      const m = fitGammaGamma(spendData, { penalizer: c.penalizer });
      assert.equal(m.converged, true);
      assert.equal(m.n, c.n);
      assert.equal(m.excluded, c.excluded);
      for (const k of ['p', 'q', 'v'] as const) {
        relClose(m.params[k], c.lifetimes[k]!, 1e-3, `${k} vs lifetimes`);
        relClose(m.params[k], c.tight[k]!, 1e-6, `${k} vs tight refit`);
      }
      // Penalised, the log-likelihood is not stationary at the estimate: first-order in the 1e-6 parameter error.
      relClose(m.logLikelihood, c.tightLogLikelihood, 1e-8, 'log-likelihood');
    });
  }
  it('expected average profit on lifetimes parameters (one-time buyers get the population mean)', () => {
    const m = gammaGammaModel(pred.spend.params);
    const got = m.conditionalExpectedAverageProfit(pred.customers);
    pred.spend.expectedAverageProfit.forEach((v, i) => relClose(got[i]!, v, 1e-12, `E[M] customer ${i}`));
    const { p, q, v } = pred.spend.params;
    relClose(
      m.conditionalExpectedAverageProfit({ frequency: [0], monetaryValue: [0] })[0]!,
      (v * p) / (q - 1),
      1e-15,
      'mean',
    );
  });
  it('weights count customers', () => {
    const a = fitGammaGamma({ frequency: [1, 2, 2, 3, 5], monetaryValue: [10, 20, 20, 15, 30] });
    const b = fitGammaGamma({
      frequency: [1, 2, 3, 5],
      monetaryValue: [10, 20, 15, 30],
      weights: [1, 2, 1, 1],
    });
    for (const k of ['p', 'q', 'v'] as const) relClose(a.params[k], b.params[k], 1e-6, k);
    relClose(a.logLikelihood, b.logLikelihood, 1e-9, 'log-likelihood');
  });
  it('names bad monetary values and refuses data without repeat buyers', () => {
    assert.throws(
      () => fitGammaGamma({ frequency: [1, 2, 0], monetaryValue: [10, 0, 0] }),
      /monetaryValue\[1\] must be > 0 for a customer with repeat purchases \(frequency 2\), got 0/,
    );
    assert.throws(
      () => fitGammaGamma({ frequency: [1, 2], monetaryValue: [10, -3] }),
      /monetaryValue\[1\].*got -3/,
    );
    assert.throws(
      () => fitGammaGamma({ frequency: [1, 2], monetaryValue: [NaN, 3] }),
      /monetaryValue\[0\] must be finite, got NaN/,
    );
    assert.throws(
      () => fitGammaGamma({ frequency: [0, 0], monetaryValue: [0, 0] }),
      /at least one customer with a repeat purchase/,
    );
    assert.throws(
      () => fitGammaGamma({ frequency: [1, 2.5], monetaryValue: [1, 1] }),
      /frequency\[1\].*got 2.5/,
    );
  });
});
