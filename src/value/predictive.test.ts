import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../util/random.js';
import { PREDICTIVE_SEGMENTS, fitPredictiveCuts, predictiveLabels } from './predictive.js';

test('bands hold the configured shares and ties stay together', () => {
  const rng = new Random(3);
  const n = 10_000;
  const clv = Float64Array.from({ length: n }, () => Math.exp(rng.normal() * 1.5));
  const alive = Float64Array.from({ length: n }, () => rng.next());
  const cuts = fitPredictiveCuts(clv, { valueQuantiles: [0.5, 0.8], atRiskBelow: 0.5 });
  const labels = predictiveLabels(clv, alive, cuts);
  const count = (f: (l: number) => boolean) => labels.filter(f).length / n;
  // Continuous values: each tier holds its quantile share to one customer.
  assert.ok(Math.abs(count((l) => l < 2) - 0.2) <= 1 / n + 1e-12);
  assert.ok(Math.abs(count((l) => l >= 4) - 0.5) <= 1 / n + 1e-12);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    assert.equal(l % 2 === 1, alive[i]! < 0.5, PREDICTIVE_SEGMENTS[l]);
    const tier = l >> 1;
    assert.equal(tier, clv[i]! >= cuts.clvCuts[1] ? 0 : clv[i]! >= cuts.clvCuts[0] ? 1 : 2);
  }
  // Heavy ties: 70 % share one value; they all land in one tier.
  const tied = Float64Array.from({ length: 1000 }, (_, i) => (i < 700 ? 1 : 2 + i));
  const t = predictiveLabels(
    tied,
    new Float64Array(1000).fill(1),
    fitPredictiveCuts(tied, { valueQuantiles: [0.5, 0.8], atRiskBelow: 0.5 }),
  );
  assert.equal(new Set(t.subarray(0, 700)).size, 1);
});

test('bad options and inputs are named', () => {
  assert.throws(
    () => fitPredictiveCuts(new Float64Array(3), { valueQuantiles: [0.8, 0.5], atRiskBelow: 0.5 }),
    /valueQuantiles/,
  );
  assert.throws(
    () => fitPredictiveCuts(new Float64Array(0), { valueQuantiles: [0.5, 0.8], atRiskBelow: 0.5 }),
    /no customers/,
  );
  assert.throws(
    () => predictiveLabels(new Float64Array(2), new Float64Array(3), { clvCuts: [0, 1], atRiskBelow: 0.5 }),
    /pAlive/,
  );
});
