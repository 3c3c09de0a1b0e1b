// PCA: parity with scikit-learn (full SVD and covariance_eigh), orthonormal axes, and edge cases.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { pca } from './pca.js';

interface PcaFixture {
  X: number[][];
  full: {
    nComponents: number;
    components: number[][];
    explainedVariance: number[];
    explainedVarianceRatio: number[];
    mean: number[];
  };
  two: {
    nComponents: number;
    components: number[][];
    explainedVarianceRatio: number[];
    transformHead: number[][];
  };
}

const fx = JSON.parse(
  readFileSync(new URL('../../test/fixtures/cluster/pca.json', import.meta.url), 'utf8'),
) as PcaFixture;

function relClose(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= rel, `${what}: ${actual} vs ${expected} (rel ${err})`);
}

describe('pca: parity with scikit-learn', () => {
  const d = fx.X[0]!.length;
  it('explained variance (ratio) to 1e-9 relative, mean exact to rounding', () => {
    const p = pca(fx.X, fx.full.nComponents);
    fx.full.explainedVarianceRatio.forEach((v, r) =>
      relClose(p.explainedVarianceRatio[r]!, v, 1e-9, `ratio ${r}`),
    );
    fx.full.explainedVariance.forEach((v, r) => relClose(p.explainedVariance[r]!, v, 1e-9, `variance ${r}`));
    fx.full.mean.forEach((v, t) => relClose(p.mean[t]!, v, 1e-12, `mean ${t}`));
  });
  it("components equal up to sign — and with scikit-learn's sign rule, equal", () => {
    const p = pca(fx.X, fx.full.nComponents);
    fx.full.components.forEach((axis, r) => {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += axis[t]! * p.components[r * d + t]!;
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `component ${r}: |cos| = ${Math.abs(dot)}`);
      for (let t = 0; t < d; t++)
        assert.ok(Math.abs(p.components[r * d + t]! - axis[t]!) < 1e-8, `component ${r}[${t}]`);
    });
  });
  it('two components: ratios over the total variance, and transform', () => {
    const p = pca(fx.X, 2);
    assert.equal(p.components.length, 2 * d);
    fx.two.explainedVarianceRatio.forEach((v, r) =>
      relClose(p.explainedVarianceRatio[r]!, v, 1e-9, `ratio ${r}`),
    );
    const head = p.transform(fx.X.slice(0, 10));
    assert.equal(head.rows, 10);
    assert.equal(head.cols, 2);
    fx.two.transformHead.forEach((row, i) =>
      row.forEach((v, r) => assert.ok(Math.abs(head.data[i * 2 + r]! - v) < 1e-8, `row ${i} component ${r}`)),
    );
  });
});

describe('pca: properties', () => {
  it('components are orthonormal and ordered by variance; projections are uncorrelated', () => {
    const rng = new Random(3);
    const rows = Array.from({ length: 400 }, () => {
      const a = rng.normal();
      const b = rng.normal();
      return [a, 2 * a + 0.1 * b, b, rng.normal() * 3, a - b];
    });
    const p = pca(rows, 5);
    for (let r = 0; r < 5; r++) {
      for (let q = 0; q < 5; q++) {
        let dot = 0;
        for (let t = 0; t < 5; t++) dot += p.components[r * 5 + t]! * p.components[q * 5 + t]!;
        assert.ok(Math.abs(dot - (r === q ? 1 : 0)) < 1e-12, `⟨${r}, ${q}⟩ = ${dot}`);
      }
      if (r > 0) assert.ok(p.explainedVariance[r]! <= p.explainedVariance[r - 1]!);
    }
    const ratioSum = p.explainedVarianceRatio.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(ratioSum - 1) < 1e-12);
    const Y = p.transform(rows);
    let cov01 = 0;
    for (let i = 0; i < 400; i++) cov01 += Y.data[i * 5]! * Y.data[i * 5 + 1]!;
    assert.ok(Math.abs(cov01 / 399) < 1e-9 * p.explainedVariance[0]!);
    for (let r = 0; r < 5; r++) {
      let v = 0;
      for (let i = 0; i < 400; i++) v += Y.data[i * 5 + r]! ** 2;
      // Column 4 = column 0 − column 2, so one variance is 0: compare on the scale of the largest.
      assert.ok(
        Math.abs(v / 399 - p.explainedVariance[r]!) < 1e-9 * p.explainedVariance[0]!,
        `variance ${r}`,
      );
    }
  });
  it('handles a constant column and constant data', () => {
    const p = pca(
      [
        [1, 5, 0],
        [2, 5, 1],
        [3, 5, 0],
        [4, 5, 1],
      ],
      3,
    );
    assert.equal(p.explainedVariance[2], 0);
    assert.ok(Math.abs(p.components[1]!) < 1e-12 && Math.abs(p.components[4]!) < 1e-12); // no weight on column 1
    const flat = pca(
      [
        [2, 2],
        [2, 2],
      ],
      2,
    );
    assert.deepEqual(Array.from(flat.explainedVarianceRatio), [0, 0]);
  });
  it('is deterministic in sign: the largest loading of each component is positive', () => {
    const p = pca(fx.X, 3);
    const d = fx.X[0]!.length;
    for (let r = 0; r < 3; r++) {
      const row = Array.from(p.components.subarray(r * d, r * d + d));
      const big = row.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
      assert.ok(big > 0);
    }
  });
  it('rejects bad input, naming the value', () => {
    assert.throws(() => pca([[1, 2]], 1), /at least 2 rows to estimate a covariance, got 1/);
    assert.throws(() => pca([[1], [2]], 2), /nComponents must be an integer in \[1, 1\].*got 2/);
    assert.throws(() => pca([[1], [2]], 0), RangeError);
    assert.throws(() => pca([[1], [Infinity]], 1), /X\[1\]\[0\] is Infinity/);
    assert.throws(
      () => pca([[1], [2]], 1).transform([[1, 2]]),
      /X has 2 columns but the PCA was fitted on 1/,
    );
  });
});
