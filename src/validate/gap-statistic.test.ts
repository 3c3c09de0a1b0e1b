import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans } from '../cluster/index.js';
import { pca } from '../decomposition/index.js';
import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { gapRule, gapStatistic, type GapValue } from './gap-statistic.js';
import { referenceSets } from './reference-data.js';
import { blobs, uniformNoise } from './test-support.js';

test('recovers the planted number of well-separated blobs (4 in 3-d, 6 in 5-d)', () => {
  for (const [n, d, c] of [
    [1200, 3, 4],
    [1500, 5, 6],
  ] as const) {
    const { x } = blobs(n, d, c, 1);
    const r = gapStatistic(x, { kMax: 8, seed: 1 });
    assert.equal(r.k, c, `${c} blobs in ${d}-d`);
    assert.ok(r.ruleMet);
    // The gap peaks at the planted k.
    const top = r.values.reduce((a, b) => (b.gap > a.gap ? b : a));
    assert.equal(top.k, c);
  }
});

test('uniform noise: k = 1 (no clear structure) with either reference distribution', () => {
  const x = uniformNoise(2000, 5, 2);
  for (const referenceDistribution of ['pca-box', 'uniform-box'] as const) {
    const r = gapStatistic(x, { kMax: 6, seed: 2, referenceDistribution });
    assert.equal(r.k, 1, referenceDistribution);
    assert.ok(r.ruleMet);
  }
});

test("invariants: s_k = sd_k·√(1 + 1/B), W_1 is the total sum of squares, W_k is k-means' within-cluster SS", () => {
  const { x } = blobs(600, 2, 3, 4);
  const B = 7;
  const r = gapStatistic(x, { kMax: 4, references: B, seed: 4 });
  assert.deepEqual(
    r.values.map((v) => v.k),
    [1, 2, 3, 4],
  );
  assert.equal(r.references, B);
  assert.equal(r.referenceDistribution, 'pca-box');
  for (const v of r.values) {
    assert.ok(Math.abs(v.gapSE - v.sd * Math.sqrt(1 + 1 / B)) <= 1e-15 * v.gapSE);
    assert.ok(Math.abs(v.gap - (v.expectedLogW - v.logW)) <= 1e-12);
    assert.ok(Math.abs(Math.log(v.withinSS) - v.logW) <= 1e-12);
  }
  const d = x.cols;
  const mean = [0, 0];
  for (let i = 0; i < x.rows; i++) for (let t = 0; t < d; t++) mean[t]! += x.data[i * d + t]! / x.rows;
  let total = 0;
  for (let i = 0; i < x.rows; i++) for (let t = 0; t < d; t++) total += (x.data[i * d + t]! - mean[t]!) ** 2;
  assert.ok(Math.abs(r.values[0]!.withinSS - total) <= 1e-9 * total);
  // W_3 is the pooled SS around the label means: at most k-means' inertia around its centroids, and close to it.
  const km = kmeans(x, { k: 3, nInit: 3, seed: 1 });
  assert.ok(r.values[2]!.withinSS <= km.inertia * (1 + 1e-9));
  assert.ok(r.values[2]!.withinSS >= km.inertia * 0.99);
});

test('deterministic for a seed; another seed draws other references', () => {
  const { x } = blobs(500, 3, 3, 5);
  const a = gapStatistic(x, { kMax: 5, references: 4, seed: 9 });
  const b = gapStatistic(x, { kMax: 5, references: 4, seed: 9 });
  const c = gapStatistic(x, { kMax: 5, references: 4, seed: 10 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    a.values.map((v) => v.expectedLogW),
    c.values.map((v) => v.expectedLogW),
  );
});

test('the 1-standard-error rule: first k with Gap(k) ≥ Gap(k+1) − s(k+1); the last k when none', () => {
  const v = (k: number, gap: number, gapSE: number) => ({ k, gap, gapSE }) as GapValue;
  assert.deepEqual(gapRule([v(1, 0.5, 0.1), v(2, 0.55, 0.1), v(3, 2, 0.1)]), { k: 1, ruleMet: true });
  assert.deepEqual(gapRule([v(1, 0, 0.1), v(2, 1, 0.1), v(3, 1.05, 0.1), v(4, 0.9, 0.1)]), {
    k: 2,
    ruleMet: true,
  });
  assert.deepEqual(gapRule([v(1, 0, 0.1), v(2, 1, 0.1), v(3, 2, 0.1)]), { k: 3, ruleMet: false });
  // Equality counts (≥).
  assert.deepEqual(gapRule([v(2, 0.9, 0), v(3, 1, 0.1)]), { k: 2, ruleMet: true });
});

test('reference sets: uniform over the feature box, or over the principal-axis box of an elongated cloud', () => {
  // A thin cloud along the diagonal y = x.
  const rng = new Random(3);
  const n = 2000;
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = rng.next() * 10;
    const w = rng.normal(0, 0.2);
    data[2 * i] = t + w;
    data[2 * i + 1] = t - w;
  }
  const x: Matrix = { data, rows: n, cols: 2 };
  const [box] = referenceSets(x, 1, 'uniform-box', 1);
  const [rot] = referenceSets(x, 1, 'pca-box', 1);
  assert.equal(box!.rows, n);
  assert.equal(rot!.rows, n);
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < 2; t++) {
      lo[t] = Math.min(lo[t]!, data[2 * i + t]!);
      hi[t] = Math.max(hi[t]!, data[2 * i + t]!);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < 2; t++) assert.ok(box!.data[2 * i + t]! >= lo[t]! && box!.data[2 * i + t]! <= hi[t]!);
  }
  // The feature box fills the square; the PCA box stays a thin band along the diagonal, like the data.
  const ratio = (m: Matrix) => {
    const v = pca(m, 2).explainedVariance;
    return v[0]! / v[1]!;
  };
  assert.ok(ratio(box!) < 2);
  assert.ok(ratio(rot!) > 20);
  const axisData = pca(x, 1).components;
  const axisRef = pca(rot!, 1).components;
  assert.ok(Math.abs(axisData[0]! * axisRef[0]! + axisData[1]! * axisRef[1]!) > 0.999);
});

test('rejects bad options with the offending value', () => {
  const x = uniformNoise(50, 2, 1);
  assert.throws(() => gapStatistic(x, { kMax: 1 }), /kMax must be an integer in \[2, 50\], got 1/);
  assert.throws(() => gapStatistic(x, { kMax: 4, references: 0 }), /references must be an integer ≥ 1/);
  assert.throws(
    () => gapStatistic(x, { kMax: 4, referenceDistribution: 'gaussian' as 'pca-box' }),
    /referenceDistribution must be/,
  );
  assert.throws(() => gapStatistic(x, { kMax: 4, method: 'dbscan' as 'kmeans' }), TypeError);
});
