// MBG/NBD against lifetimes 0.11.3: fits (CDNOW, weighted CDNOW, simulated days, with and without a penalizer)
// and predictions on lifetimes' parameters, where lifetimes' own conditional expectation overflows to NaN at a
// frequency of 5,000 (a null in the fixture) and ours stays finite.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitModifiedBetaGeo, modifiedBetaGeoModel } from './modified-beta-geo.js';
import { checkFit, fits, predictions, relClose } from './test-support.js';

const fixture = fits();

describe('fitModifiedBetaGeo: parity with lifetimes', () => {
  for (const c of fixture.cases.filter((k) => k.model === 'mbg-nbd')) {
    it(`${c.dataset}, penalizer ${c.penalizer}`, () => checkFit(c, fitModifiedBetaGeo));
  }
});

describe('modifiedBetaGeoModel: predictions on lifetimes parameters', () => {
  for (const p of predictions.purchase.filter((k) => k.model === 'mbg-nbd')) {
    it(`CDNOW fit, penalizer ${p.penalizer}`, () => {
      const m = modifiedBetaGeoModel(p.params);
      assert.equal(m.model, 'mbg-nbd');
      for (const [t, v] of Object.entries(p.expectedPurchases)) {
        relClose(m.expectedPurchases(Number(t)), v, 1e-9, `E[X(${t})]`);
      }
      for (const [t, vs] of Object.entries(p.conditionalExpectedPurchases)) {
        const got = m.conditionalExpectedPurchases(Number(t), predictions.customers);
        vs.forEach((v, i) => {
          if (v === null) assert.ok(Number.isFinite(got[i]) && got[i]! > 0, `lifetimes NaN, ours ${got[i]}`);
          else relClose(got[i]!, v, 1e-9, `conditional E[X] t=${t} customer ${i}`);
        });
      }
      const alive = m.probabilityAlive(predictions.customers);
      p.probabilityAlive.forEach((v, i) => relClose(alive[i]!, v, 1e-9, `P(alive) customer ${i}`));
    });
  }
  it('lets one-time buyers be dead, unlike BG/NBD', () => {
    const m = modifiedBetaGeoModel({ r: 0.5, alpha: 5, a: 0.9, b: 2 });
    const p = m.probabilityAlive({ frequency: [0], recency: [0], T: [40] })[0]!;
    assert.ok(p > 0 && p < 1, `P(alive) = ${p}`);
  });
  it('rejects data with only one-time buyers unless penalised', () => {
    assert.throws(
      () => fitModifiedBetaGeo({ frequency: [0, 0], recency: [0, 0], T: [5, 6] }),
      /MBG\/NBD cannot be fitted when no customer made a repeat purchase/,
    );
  });
});
