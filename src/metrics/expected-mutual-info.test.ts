// Expected mutual information: the walk from the mode equals Vinh et al.'s full sum, and known closed forms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { expectedMutualInfoCore } from './expected-mutual-info.js';
import { logFactorial } from '../util/log-gamma.js';
import { relClose } from './test-support.js';

/** Eq. 24a of Vinh, Epps & Bailey (2010) summed over every n_ij, as scikit-learn's Cython loop does. */
function fullSum(a: number[], b: number[], n: number): number {
  let emi = 0;
  for (const ai of a) {
    for (const bj of b) {
      for (let k = Math.max(1, ai + bj - n); k <= Math.min(ai, bj); k++) {
        const lp =
          logFactorial(ai) +
          logFactorial(bj) +
          logFactorial(n - ai) +
          logFactorial(n - bj) -
          logFactorial(n) -
          logFactorial(k) -
          logFactorial(ai - k) -
          logFactorial(bj - k) -
          logFactorial(n - ai - bj + k);
        emi += (k / n) * Math.log((n * k) / (ai * bj)) * Math.exp(lp);
      }
    }
  }
  return emi;
}

function sizes(rng: Random, n: number, k: number, skew: number): number[] {
  const w = Array.from({ length: k }, () => rng.next() ** skew + 1e-3);
  const total = w.reduce((s, v) => s + v, 0);
  const out = w.map((v) => Math.max(1, Math.floor((v / total) * n)));
  out[0]! += n - out.reduce((s, v) => s + v, 0);
  return out;
}

describe('expectedMutualInfoCore', () => {
  it('equals the full sum, including where most terms are left out', () => {
    const rng = new Random(11);
    for (const [n, R, C, skew] of [
      [10, 2, 3, 1],
      [200, 5, 4, 1],
      [1000, 3, 30, 3],
      [20_000, 6, 6, 1],
      [60_000, 3, 2, 4],
    ] as const) {
      const a = sizes(rng, n, R, skew);
      const b = sizes(rng, n, C, skew);
      const fast = expectedMutualInfoCore(Float64Array.from(a), Float64Array.from(b), n);
      relClose(fast, fullSum(a, b, n), 1e-12, `n=${n} a=${a.join(',')} b=${b.join(',')}`);
    }
  });
  it('is the MI itself when one labeling is all singletons (MI is then fixed), and 0 for one label', () => {
    // U all singletons: MI(U, V) = H(V) for every permutation, so E[MI] = H(V).
    const b = [3, 5, 2];
    const hv = -b.reduce((s, v) => s + (v / 10) * Math.log(v / 10), 0);
    relClose(
      expectedMutualInfoCore(new Float64Array(10).fill(1), Float64Array.from(b), 10),
      hv,
      1e-13,
      'H(V)',
    );
    assert.equal(expectedMutualInfoCore(Float64Array.of(10), Float64Array.from(b), 10), 0);
  });
});
