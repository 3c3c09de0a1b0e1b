import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans, predictKMeans } from '../cluster/index.js';
import { gapStatistic } from './gap-statistic.js';
import { predictionStrength } from './prediction-strength.js';
import { selectK } from './select-k.js';
import { clusteringStability } from './stability.js';
import { blobs, uniformNoise } from './test-support.js';
import { METHOD_NAMES } from './fitters.js';
import type { PartitionFitter, SelectKMethod } from './types.js';

const voteOf = (r: ReturnType<typeof selectK>, criterion: string) =>
  r.votes.find((v) => v.criterion === criterion)?.k;

test('recovers the planted k with clear structure: 4 blobs in 3-d, 6 blobs in 5-d', () => {
  for (const [n, d, c] of [
    [1200, 3, 4],
    [1500, 5, 6],
  ] as const) {
    const { x } = blobs(n, d, c, 1);
    const r = selectK(x, { kMax: 8, seed: 1 });
    assert.equal(r.recommended, c);
    assert.equal(r.structure, 'clear');
    assert.deepEqual(r.ks, [2, 3, 4, 5, 6, 7, 8]);
    for (const criterion of ['gap', 'stability', 'prediction-strength', 'silhouette']) {
      assert.equal(voteOf(r, criterion), c, criterion);
    }
    assert.equal(r.elbow, voteOf(r, 'elbow'));
    const at = r.evaluations.find((e) => e.k === c)!;
    assert.ok(at.stability! > 0.99 && at.predictionStrength! > 0.95);
    assert.ok(r.reasons[0]!.startsWith(`k = ${c} for k-means:`));
    assert.equal(r.sampled, false);
    assert.equal(r.fittedOn, n);
  }
});

test("uniform noise (2,000 points in a 5-d hypercube): structure 'none', the gap picks 1", () => {
  const r = selectK(uniformNoise(2000, 5, 2), { seed: 2 });
  assert.equal(r.structure, 'none');
  assert.equal(voteOf(r, 'gap'), 1);
  assert.equal(voteOf(r, 'prediction-strength'), 1);
  assert.ok(r.evaluations.every((e) => e.stability! < 0.8));
  assert.ok(r.ks.includes(r.recommended));
  assert.ok(r.reasons.some((s) => s.startsWith('No clear structure')));
});

test("per-k values equal gapStatistic's, clusteringStability's and predictionStrength's for the same seed", () => {
  const { x } = blobs(400, 2, 3, 3);
  const r = selectK(x, { kMax: 4, gapReferences: 4, stabilityRuns: 3, seed: 5 });
  const gap = gapStatistic(x, { kMax: 4, references: 4, seed: 5 });
  assert.deepEqual(r.gapAtOne, { gap: gap.values[0]!.gap, gapSE: gap.values[0]!.gapSE });
  for (const e of r.evaluations) {
    const g = gap.values.find((v) => v.k === e.k)!;
    assert.equal(e.gap, g.gap);
    assert.equal(e.gapSE, g.gapSE);
    assert.equal(e.inertia, g.withinSS);
    const s = clusteringStability(x, { k: e.k, runs: 3, seed: 5 });
    assert.equal(e.stability, s.stability);
    assert.equal(e.stabilitySD, s.stabilitySD);
    assert.deepEqual(e.clusterJaccard, s.clusterJaccard);
    assert.equal(e.predictionStrength, predictionStrength(x, { k: e.k, seed: 5 }).predictionStrength);
  }
});

test('large data is fitted on a seeded sample, and says so; deterministic for a seed', () => {
  const { x } = blobs(3000, 2, 3, 4);
  const options = {
    kMax: 5,
    sampleSize: 1000,
    silhouetteSampleSize: 400,
    gapReferences: 3,
    stabilityRuns: 3,
    seed: 1,
  };
  const r = selectK(x, options);
  assert.equal(r.sampled, true);
  assert.equal(r.fittedOn, 1000);
  assert.equal(r.total, 3000);
  assert.equal(r.silhouetteOn, 400);
  assert.equal(r.recommended, 3);
  assert.ok(
    r.reasons.includes('Fitted on a seeded sample of 1,000 of 3,000 rows; the silhouette on 400 of them.'),
  );
  assert.deepEqual(selectK(x, options), r);
  assert.notDeepEqual(selectK(x, { ...options, seed: 2 }).evaluations, r.evaluations);
});

test('every built-in method recovers 3 blobs; only the mixture votes by BIC', () => {
  const { x } = blobs(300, 2, 3, 6);
  for (const method of Object.keys(METHOD_NAMES) as SelectKMethod[]) {
    const r = selectK(x, { kMax: 5, method, gapReferences: 3, stabilityRuns: 3, seed: 2 });
    assert.equal(r.method, method);
    assert.equal(r.recommended, 3, method);
    assert.equal(
      r.votes.some((v) => v.criterion === 'bic'),
      method === 'gaussian-mixture',
    );
    for (const e of r.evaluations) {
      assert.equal(e.bic === null, method !== 'gaussian-mixture');
      assert.equal(e.clusterJaccard!.length, e.k);
      for (const j of e.clusterJaccard!) assert.ok(j >= 0 && j <= 1);
    }
  }
});

test('a custom fitter, measures turned off, and progress from 0 to 1', () => {
  const { x } = blobs(300, 2, 3, 7);
  let fits = 0;
  const fitter: PartitionFitter = (y, k, seed) => {
    fits++;
    const r = kmeans(y, { k, nInit: 1, seed });
    return { labels: r.labels, predict: (z) => predictKMeans(r.centroids, k, z) };
  };
  const progress: number[] = [];
  const r = selectK(x, {
    kMax: 5,
    fitter,
    methodLabel: 'my k-means',
    gapReferences: 0,
    stabilityRuns: 0,
    predictionStrength: false,
    onProgress: (message, fraction) => {
      assert.equal(typeof message, 'string');
      progress.push(fraction);
    },
  });
  assert.equal(fits, 4);
  assert.equal(r.method, 'my k-means');
  const off = { kMax: 3, gapReferences: 0, stabilityRuns: 0, predictionStrength: false } as const;
  assert.equal(selectK(x, { ...off, fitter }).method, 'custom');
  assert.ok(r.reasons[0]!.includes('for my k-means'));
  assert.equal(r.gapAtOne, null);
  assert.deepEqual(
    r.votes.map((v) => v.criterion),
    ['elbow', 'silhouette', 'calinski-harabasz', 'davies-bouldin'],
  );
  for (const e of r.evaluations) {
    assert.equal(e.gap, null);
    assert.equal(e.stability, null);
    assert.equal(e.predictionStrength, null);
    assert.equal(e.clusterJaccard, null);
  }
  assert.equal(r.recommended, 3);
  assert.equal(r.structure, 'clear'); // by the silhouette alone
  assert.equal(progress[0], 0);
  assert.equal(progress[progress.length - 1], 1);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!);
});

test('rejects bad options with the offending value', () => {
  const x = uniformNoise(40, 2, 1);
  assert.throws(() => selectK(x, { kMin: 1 }), /kMin must be an integer ≥ 2, got 1/);
  assert.throws(() => selectK(x, { kMin: 5, kMax: 4 }), /kMax must be an integer ≥ 5, got 4/);
  assert.throws(() => selectK(x, { kMax: 30 }), /kMax = 30 is too large for 40 fitted rows: at most 20/);
  assert.throws(() => selectK(x, { stabilityRuns: 1 }), /stabilityRuns must be 0 \(off\) or ≥ 2/);
  assert.throws(
    () => selectK(x, { stabilityFraction: 1.5 }),
    /stabilityFraction must be a number strictly between/,
  );
  assert.throws(() => selectK(x, { method: 'dbscan' as 'kmeans' }), TypeError);
  assert.throws(
    () =>
      selectK(x, {
        kMax: 3,
        fitter: (y) => ({ labels: new Int32Array(y.rows).fill(7), predict: () => new Int32Array(0) }),
      }),
    /labels\[0\] is 7: expected a cluster in \[0, 2\)/,
  );
});
