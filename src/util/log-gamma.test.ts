// log Γ: reference values (mpmath, 40 digits), the recurrence and reflection identities, the poles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { logFactorial, logGamma } from './log-gamma.js';

/** |actual − expected| within `rel` of |expected| (or below 1e-15 absolute). */
function relClose(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(
    err <= rel || Math.abs(actual - expected) < 1e-15,
    `${what}: ${actual} vs ${expected} (rel ${err})`,
  );
}

describe('logGamma', () => {
  it('matches high-precision values across the table, the shift and the series', () => {
    const ref: [number, number][] = [
      [1e-10, 23.025850929882736],
      [0.5, 0.5723649429247001],
      [3.7, 1.4280723266653879],
      [14.99, 25.164481163825506],
      [15, 25.19122118273868],
      [20.25, 40.08411059791735],
      [170, 701.437263808737],
      [171, 706.5730622457874],
      [172, 711.71472580229],
      [1000.5, 5908.674175848678],
      [123456.789, 1323902.018795063],
      [1e6, 12815504.569147611],
      [3e7, 486501230.4993774],
      [-0.5, 1.265512123484645],
      [-2.25, 0.5555015450206473],
      [-10.1, -13.0209732710115],
    ];
    for (const [x, v] of ref) relClose(logGamma(x), v, 4e-15, `logGamma(${x})`);
    // Near the zero at 1.5's neighbourhood the error is absolute.
    assert.ok(Math.abs(logGamma(1.5) - -0.12078223763524522) < 3e-15);
    assert.equal(logGamma(1), 0);
    assert.equal(logGamma(2), 0);
  });
  it('satisfies log Γ(x + 1) = log Γ(x) + log x and agrees with log k! for integers', () => {
    for (const x of [0.3, 2.7, 9.5, 14.5, 15.2, 40.1, 999.9]) {
      assert.ok(Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x)) < 1e-13 * Math.max(1, logGamma(x + 1)));
    }
    let lf = 0;
    for (let k = 1; k <= 400; k++) {
      lf += Math.log(k);
      relClose(logFactorial(k), lf, 1e-13, `log ${k}!`);
      assert.equal(logFactorial(k), logGamma(k + 1));
    }
    assert.equal(logFactorial(0), 0);
  });
  it('is +∞ at the poles and NaN for NaN', () => {
    assert.equal(logGamma(0), Infinity);
    assert.equal(logGamma(-3), Infinity);
    assert.equal(logGamma(Infinity), Infinity);
    assert.ok(Number.isNaN(logGamma(NaN)));
  });
});
