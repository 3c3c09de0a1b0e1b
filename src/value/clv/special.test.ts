// Special functions: log ₂F₁ against mpmath at 50 digits (fixture), digamma against high-precision values and its
// recurrence, logBeta, log1pExp's extremes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { digamma, hyp2f1, log1pExp, logBeta, logGamma, logHyp2f1 } from './special.js';
import { readFixture, relClose } from './test-support.js';

describe('logHyp2f1', () => {
  const { cases } = readFixture<{ cases: [number, number, number, number, number][] }>('hyp2f1.json');
  it('matches mpmath across a, b, c in e^[−3, 6], z in [0, 0.995), and the models’ shapes', () => {
    let checked = 0;
    for (const [a, b, c, z, v] of cases) {
      if (z < 0 && Math.min(a, b) > c) continue; // outside the documented domain: may throw
      let got: number;
      try {
        got = logHyp2f1(a, b, c, z);
      } catch (e) {
        assert.ok(z < 0, `threw on z = ${z}: ${(e as Error).message}`);
        continue;
      }
      assert.ok(
        Math.abs(got - v) <= 1e-11 * Math.max(1, Math.abs(v)),
        `2F1(${a}, ${b}; ${c}; ${z}): ${got} vs ${v}`,
      );
      checked++;
    }
    assert.ok(checked > 330, `${checked} checked`);
  });
  it('has closed forms at simple arguments and signals a negative value', () => {
    relClose(hyp2f1(1, 1, 2, 0.5), 2 * Math.LN2, 1e-15, '−log(1 − z)/z');
    relClose(hyp2f1(0.5, 1, 1, -3), 0.5, 1e-15, '(1 − z)^(−a)');
    assert.equal(logHyp2f1(2, 3, 4, 0), 0);
    const sign = { sign: 0 };
    // ₂F₁(1, 1; −0.5; 0.5) = −8.71238898038469 (mpmath): log |·| with sign −1.
    relClose(logHyp2f1(1, 1, -0.5, 0.5, sign), Math.log(8.71238898038469), 1e-13, 'log |2F1|');
    assert.equal(sign.sign, -1);
    assert.ok(Number.isNaN(logHyp2f1(1, 1, -0.5, 0.5)));
    relClose(hyp2f1(0.3, 0.4, -0.6, 0.5), 0.615572206672458, 1e-13, 'negative c, positive value');
    assert.throws(() => logHyp2f1(1, 1, 2, 1), /z < 1/);
    assert.throws(() => logHyp2f1(1, 1, -2, 0.5), /c not 0, −1, −2/);
  });
});

describe('digamma, logBeta, log1pExp', () => {
  it('digamma matches reference values and ψ(x + 1) = ψ(x) + 1/x', () => {
    const ref: [number, number][] = [
      [1, -0.5772156649015329],
      [0.5, -1.9635100260214235],
      [1e-8, -100000000.57721564],
      [3.7, 1.167153539361511],
      [10, 2.251752589066721],
      [100.3, 4.603172366627387],
      [1e6, 13.81551005796419],
      [-2.5, 1.1031566406452433],
    ];
    for (const [x, v] of ref)
      assert.ok(Math.abs(digamma(x) - v) <= 2e-15 * Math.max(1, Math.abs(v)), `ψ(${x}) = ${digamma(x)}`);
    for (const x of [0.1, 1.3, 9.99, 42]) assert.ok(Math.abs(digamma(x + 1) - digamma(x) - 1 / x) < 1e-13);
    assert.ok(Number.isNaN(digamma(0)) && Number.isNaN(digamma(-3)));
  });
  it('logBeta is log Γ(a) + log Γ(b) − log Γ(a + b); log1pExp never overflows', () => {
    relClose(logBeta(2, 3), Math.log(1 / 12), 1e-14, 'B(2, 3)');
    relClose(logBeta(0.5, 0.5), Math.log(Math.PI), 1e-14, 'B(½, ½)');
    assert.equal(logBeta(4.2, 1.7), logGamma(4.2) + logGamma(1.7) - logGamma(5.9));
    assert.equal(log1pExp(1000), 1000);
    assert.equal(log1pExp(-1000), 0);
    relClose(log1pExp(0), Math.LN2, 1e-16, 'log 2');
  });
});
