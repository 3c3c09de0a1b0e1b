// customerLifetimeValue against lifetimes' GammaGammaFitter.customer_lifetime_value (BG/NBD and MBG/NBD on CDNOW,
// weekly data: 4.345 weeks a month), and its defining identities.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { betaGeoModel } from './beta-geo.js';
import { gammaGammaModel } from './gamma-gamma.js';
import { customerLifetimeValue } from './lifetime-value.js';
import { modifiedBetaGeoModel } from './modified-beta-geo.js';
import { predictions, readFixture, relClose } from './test-support.js';

const spend = readFixture<{ spend: { params: { p: number; q: number; v: number } } }>(
  'predictions.json',
).spend;
const clvs = readFixture<{ purchase: { model: string; clv: (number | null)[] }[] }>(
  'predictions.json',
).purchase;

describe('customerLifetimeValue', () => {
  predictions.purchase.forEach((p, k) => {
    it(`matches lifetimes with ${p.model}, penalizer ${p.penalizer}`, () => {
      const model = p.model === 'bg-nbd' ? betaGeoModel(p.params) : modifiedBetaGeoModel(p.params);
      const got = customerLifetimeValue(model, gammaGammaModel(spend.params), predictions.customers, {
        months: 12,
        discountRate: 0.01,
        periodsPerMonth: 4.345,
      });
      clvs[k]!.clv.forEach((v, i) => {
        if (v === null) assert.ok(Number.isFinite(got[i]), `lifetimes NaN, ours ${got[i]}`);
        else relClose(got[i]!, v, 1e-9, `CLV customer ${i}`);
      });
    });
  });
  it('is E[M] × E[X(T, T + one month)] for one undiscounted month, and 0 for no months', () => {
    const p = predictions.purchase[0]!;
    const m = betaGeoModel(p.params);
    const gg = gammaGammaModel(spend.params);
    const c = predictions.customers;
    const one = customerLifetimeValue(m, gg, c, { months: 1, discountRate: 0, periodsPerMonth: 30 });
    const x = m.conditionalExpectedPurchases(30, c);
    const e = gg.conditionalExpectedAverageProfit(c);
    one.forEach((v, i) => relClose(v, x[i]! * e[i]!, 1e-14, `customer ${i}`));
    assert.deepEqual(
      Array.from(customerLifetimeValue(m, gg, c, { months: 0 })),
      new Array(c.frequency.length).fill(0),
    );
    assert.throws(() => customerLifetimeValue(m, gg, c, { months: 1.5 }), /months must be a whole number/);
    assert.throws(() => customerLifetimeValue(m, gg, c, { periodsPerMonth: 0 }), /periodsPerMonth/);
  });
});
