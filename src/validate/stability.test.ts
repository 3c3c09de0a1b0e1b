import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../util/matrix.js';
import { bestJaccard, clusteringStability } from './stability.js';
import { blobs, uniformNoise } from './test-support.js';
import { METHOD_NAMES } from './fitters.js';
import type { PartitionFitter, SelectKMethod } from './types.js';

/** Splits rows by the sign of the first feature whatever the data it is fitted on: every refit agrees. */
const byFirstFeature: PartitionFitter = (x, k) => {
  const predict = (y: Matrix) =>
    Int32Array.from({ length: y.rows }, (_, i) => (y.data[i * y.cols]! > 0.5 ? k - 1 : 0));
  return { labels: predict(x), predict };
};

test('identical refits: stability 1 with SD 0, every Jaccard 1', () => {
  const x = uniformNoise(400, 3, 1);
  const r = clusteringStability(x, { k: 2, fitter: byFirstFeature, runs: 5, seed: 3 });
  assert.equal(r.stability, 1);
  assert.equal(r.stabilitySD, 0);
  assert.deepEqual(r.clusterJaccard, [1, 1]);
  assert.equal(r.runs, 5);
  assert.equal(r.fraction, 0.8);
});

test('planted blobs: stable at the planted k, less so when a blob must be split', () => {
  for (const [d, c] of [
    [2, 4],
    [5, 6],
  ] as const) {
    const { x } = blobs(1200, d, c, 2);
    const at = clusteringStability(x, { k: c, seed: 1 });
    const over = clusteringStability(x, { k: c + 1, seed: 1 });
    assert.ok(at.stability > 0.99, `k = ${c}: ${at.stability}`);
    assert.ok(at.clusterJaccard.every((j) => j > 0.95));
    assert.ok(over.stability < at.stability, `k = ${c + 1}: ${over.stability}`);
    assert.ok(Math.min(...over.clusterJaccard) < 0.75, 'a split blob does not come back');
    assert.equal(at.referenceLabels.length, x.rows);
  }
});

test('uniform noise: no k is stable, and Jaccards stay in [0, 1]', () => {
  const x = uniformNoise(1000, 5, 4);
  for (const k of [2, 3, 5]) {
    const r = clusteringStability(x, { k, seed: 4, runs: 6 });
    assert.ok(r.stability < 0.8, `k = ${k}: ${r.stability}`);
    assert.ok(r.stability <= 1 && r.stabilitySD >= 0);
    assert.equal(r.clusterJaccard.length, k);
    for (const j of r.clusterJaccard) assert.ok(j >= 0 && j <= 1);
  }
});

test('deterministic for a seed, for every built-in method', () => {
  const { x } = blobs(300, 2, 3, 5);
  for (const method of Object.keys(METHOD_NAMES) as SelectKMethod[]) {
    const a = clusteringStability(x, { k: 3, method, runs: 3, seed: 8 });
    const b = clusteringStability(x, { k: 3, method, runs: 3, seed: 8 });
    assert.deepEqual(a, b, method);
    assert.ok(a.stability > 0.95, `${method}: ${a.stability}`);
  }
});

test("best-match Jaccard by hand; a cluster absent from the refit's rows scores 0", () => {
  // C0 = {0,1,2}, C1 = {3,4,5}; refit D1 = {0,1}, D0 = {2,3,4,5}: J(C0, D1) = 2/3, J(C1, D0) = 3/4.
  const j = bestJaccard(Int32Array.from([0, 0, 0, 1, 1, 1]), Int32Array.from([1, 1, 0, 0, 0, 0]), 3);
  assert.deepEqual(Array.from(j), [2 / 3, 3 / 4, 0]);
});

test('rejects bad options with the offending value', () => {
  const x = uniformNoise(50, 2, 1);
  assert.throws(() => clusteringStability(x, { k: 2, runs: 1 }), /runs must be an integer ≥ 2, got 1/);
  assert.throws(
    () => clusteringStability(x, { k: 2, fraction: 1 }),
    /fraction must be a number strictly between/,
  );
  assert.throws(() => clusteringStability(x, { k: 51 }), /k must be an integer in \[1, 50\], got 51/);
  assert.throws(
    () =>
      clusteringStability(x, {
        k: 2,
        fitter: (y) => ({ labels: new Int32Array(y.rows + 1), predict: () => new Int32Array(0) }),
      }),
    /returned 51 labels for 50 rows/,
  );
});
