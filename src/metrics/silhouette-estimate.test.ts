// silhouetteEstimate: the sampled estimator's value, its interval's behaviour, and large inputs read by sample only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { normalQuantile } from './normal-quantile.js';
import { silhouetteScore } from './silhouette.js';
import { silhouetteEstimate } from './silhouette-estimate.js';
import { relClose } from './test-support.js';

/** k clusters along the first axis, `sep` apart, unit noise; label i % k. */
function planted(
  n: number,
  d: number,
  k: number,
  sep: number,
  seed: number,
): { X: Matrix; labels: Int32Array } {
  const rng = new Random(seed);
  const data = new Float64Array(n * d);
  for (let q = 0; q < data.length; q++)
    data[q] = rng.normal() + (q % d === 0 ? (Math.floor(q / d) % k) * sep : 0);
  return { X: { data, rows: n, cols: d }, labels: Int32Array.from({ length: n }, (_, i) => i % k) };
}

describe('silhouetteEstimate', () => {
  const { X, labels } = planted(3000, 4, 4, 2, 41);
  const exact = silhouetteScore(X, labels);
  it("scores the sample as silhouetteScore's sampleSize does, deterministically per seed", () => {
    const e = silhouetteEstimate(X, labels, { sampleSize: 600, seed: 5 });
    relClose(e.score, silhouetteScore(X, labels, { sampleSize: 600, seed: 5 }), 1e-12, 'score');
    assert.deepEqual(silhouetteEstimate(X, labels, { sampleSize: 600, seed: 5 }), e);
    assert.equal(e.sampleSize, 600);
    const z = normalQuantile(0.975);
    relClose(e.upper - e.score, z * e.standardError, 1e-12, 'half width');
    relClose(e.score - e.lower, z * e.standardError, 1e-12, 'half width');
  });
  it('is exact with a zero-width interval when every row is scored', () => {
    const e = silhouetteEstimate(X, labels, { sampleSize: 5000 });
    relClose(e.score, exact, 1e-12, 'score');
    assert.equal(e.standardError, 0);
    assert.equal(e.lower, e.score);
    assert.equal(e.sampleSize, 3000);
  });
  it('covers the exact score about as often as it says (jackknife SE)', () => {
    let covered = 0;
    const errors: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const e = silhouetteEstimate(X, labels, { sampleSize: 400, seed, confidence: 0.9 });
      if (e.lower <= exact && exact <= e.upper) covered++;
      errors.push((e.score - exact) / e.standardError);
    }
    // 90 % nominal: 40 draws cover 30–40 times with probability ≈ 0.99 if the SE is right; too small an SE (the
    // plain sd/√m) covered ~80 %, and a too large one would cover all.
    assert.ok(covered >= 30 && covered <= 39, `covered ${covered} of 40`);
    const sd = Math.sqrt(errors.reduce((s, v) => s + v * v, 0) / errors.length);
    assert.ok(sd > 0.6 && sd < 1.5, `standardised errors have rms ${sd}`);
    // A larger confidence widens the interval; the SE shrinks with the sample.
    const a = silhouetteEstimate(X, labels, { sampleSize: 400, seed: 1, confidence: 0.99 });
    const b = silhouetteEstimate(X, labels, { sampleSize: 400, seed: 1, confidence: 0.5 });
    assert.ok(a.upper - a.lower > b.upper - b.lower);
    assert.ok(silhouetteEstimate(X, labels, { sampleSize: 1600, seed: 1 }).standardError < a.standardError);
  });
  it('reads only the sampled rows of millions, Float32 too', () => {
    const n = 3_000_000;
    const data = new Float32Array(n * 2);
    const lab = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      lab[i] = i % 3;
      data[i * 2] = lab[i]! * 4 + ((i * 7919) % 101) / 101;
      data[i * 2 + 1] = ((i * 104729) % 97) / 97;
    }
    data[1] = NaN; // row 0: not in the sample below, so never read
    const e = silhouetteEstimate({ data, rows: n, cols: 2 }, lab, { sampleSize: 500, seed: 2 });
    assert.ok(e.score > 0.7 && e.lower <= e.score && e.score <= e.upper, JSON.stringify(e));
    assert.throws(
      () => silhouetteEstimate({ data, rows: n, cols: 2 }, lab, { sampleSize: n }),
      /X\[0\]\[1\] is NaN/,
    );
  });
  it('rejects bad options and samples with too few labels, naming the value', () => {
    assert.throws(
      () => silhouetteEstimate(X, labels, { confidence: 1 }),
      /confidence must be in \(0, 1\), got 1/,
    );
    assert.throws(
      () => silhouetteEstimate(X, labels, { sampleSize: 1 }),
      /sampleSize must be an integer ≥ 2/,
    );
    assert.throws(() => silhouetteEstimate(X, labels, { seed: NaN }), /seed must be a finite number/);
    assert.throws(() => silhouetteEstimate(X, new Int32Array(3000), { sampleSize: 10 }), /1 distinct label/);
    assert.throws(() => silhouetteEstimate(X, labels.subarray(1)), /labels has length 2999, expected 3000/);
    assert.throws(
      () => silhouetteEstimate([[0], [1], [2, 3]], [0, 1, 0], { sampleSize: 3 }),
      /X row 2 has 2/,
    );
  });
});

describe('normalQuantile', () => {
  it('matches high-precision values in each region of AS 241', () => {
    for (const [p, z] of [
      [1e-20, -9.262340089798407],
      [0.001, -3.0902323061678136],
      [0.025, -1.9599639845400543],
      [0.6, 0.2533471031357997],
      [0.975, 1.9599639845400538],
      [1 - 1e-10, 6.361340889697422],
    ] as const) {
      relClose(normalQuantile(p), z, 5e-16, `p = ${p}`);
    }
    assert.equal(normalQuantile(0.5), 0);
    assert.equal(normalQuantile(0), -Infinity);
    assert.throws(() => normalQuantile(1.5), /p must be in \[0, 1\], got 1.5/);
  });
});
