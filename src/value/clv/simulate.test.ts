// Recovery of planted parameters: each model fitted on 30k–40k customers simulated from it lands within a few
// standard errors (≈ 10 %) of the truth; the simulations are seeded and their summaries valid.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitBetaGeo } from './beta-geo.js';
import { fitGammaGamma } from './gamma-gamma.js';
import { fitModifiedBetaGeo } from './modified-beta-geo.js';
import {
  simulateBetaGeo,
  simulateGammaGamma,
  simulateModifiedBetaGeo,
  simulateParetoNbd,
} from './simulate.js';

/** T spread over 1..365 days by a fixed formula. */
const days = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 365));

function within(got: Record<string, number>, truth: Record<string, number>, rel: number): void {
  for (const [k, v] of Object.entries(truth)) {
    assert.ok(Math.abs(got[k]! - v) <= rel * v, `${k}: ${got[k]} vs true ${v}`);
  }
}

describe('simulation and parameter recovery', () => {
  const bg = { r: 0.5, alpha: 20, a: 0.8, b: 2.5 };
  it('BG/NBD: 40k simulated customers give back r, α, a, b within 10 %', () => {
    const sim = simulateBetaGeo(bg, days(40_000), { seed: 11 });
    const m = fitBetaGeo(sim);
    assert.equal(m.converged, true);
    within(m.params as unknown as Record<string, number>, bg, 0.1);
    // Customers simulated alive have a higher mean P(alive) than those simulated dead.
    const p = m.probabilityAlive(sim);
    let [sa, na, sd, nd] = [0, 0, 0, 0];
    p.forEach((v, i) => (sim.alive[i] ? ((sa += v), na++) : ((sd += v), nd++)));
    assert.ok(sa / na > sd / nd + 0.2, `alive ${sa / na}, dead ${sd / nd}`);
  });
  it('MBG/NBD: likewise', () => {
    const sim = simulateModifiedBetaGeo(bg, days(40_000), { seed: 12 });
    const m = fitModifiedBetaGeo(sim);
    assert.equal(m.converged, true);
    within(m.params as unknown as Record<string, number>, bg, 0.1);
  });
  it('Gamma–Gamma: p, q, v within 10 % from 30k repeat buyers', () => {
    const sim = simulateBetaGeo({ r: 2, alpha: 20, a: 0.8, b: 2.5 }, days(40_000), { seed: 13 });
    const truth = { p: 6, q: 4, v: 15 };
    const monetary = simulateGammaGamma(truth, sim.frequency, { seed: 14 });
    const m = fitGammaGamma({ frequency: sim.frequency, monetaryValue: monetary });
    assert.ok(m.n > 30_000, `${m.n} repeat buyers`);
    within(m.params as unknown as Record<string, number>, truth, 0.1);
  });
  it('is reproducible by seed and gives valid summaries', () => {
    const T = days(2000);
    const a = simulateBetaGeo(bg, T, { seed: 5 });
    const b = simulateBetaGeo(bg, T, { seed: 5 });
    const c = simulateBetaGeo(bg, T, { seed: 6 });
    assert.deepEqual(a.frequency, b.frequency);
    assert.notDeepEqual(a.frequency, c.frequency);
    for (const s of [
      a,
      simulateModifiedBetaGeo(bg, T),
      simulateParetoNbd({ r: 0.5, alpha: 20, s: 0.5, beta: 30 }, T),
    ]) {
      s.frequency.forEach((x, i) => {
        assert.ok(Number.isInteger(x) && x >= 0);
        assert.ok(s.recency[i]! <= s.T[i]! && (x > 0 || s.recency[i] === 0));
      });
    }
    assert.throws(() => simulateBetaGeo({ ...bg, a: -1 }, T), /parameter a must be finite and > 0, got -1/);
    assert.throws(() => simulateBetaGeo(bg, [1, NaN]), /T\[1\]/);
  });
  it('Pareto/NBD: the share of customers alive at T matches E[(β/(β + T))^s]', () => {
    const T = new Float64Array(20_000).fill(100);
    const sim = simulateParetoNbd({ r: 0.5, alpha: 20, s: 0.8, beta: 40 }, T, { seed: 3 });
    const share = sim.alive.reduce((s, v) => s + v, 0) / T.length;
    const expected = (40 / 140) ** 0.8;
    assert.ok(Math.abs(share - expected) < 0.015, `${share} vs ${expected}`);
  });
});
