import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coMembershipKept, predictionStrength } from './prediction-strength.js';
import { blobs, uniformNoise } from './test-support.js';

test('co-member pairs kept, by hand: Σ n_jm(n_jm − 1) / n_j(n_j − 1); clusters under 2 rows are NaN', () => {
  // Test cluster 0 = {0,1,2} split 2 + 1 by the prediction: 2 of 6 ordered pairs kept; cluster 1 = {3,4} kept whole.
  assert.deepEqual(coMembershipKept(Int32Array.from([0, 0, 0, 1, 1]), Int32Array.from([0, 0, 1, 1, 1]), 2), [
    1 / 3,
    1,
  ]);
  assert.deepEqual(coMembershipKept(Int32Array.from([0, 0, 1]), Int32Array.from([0, 0, 0]), 3), [
    1,
    NaN,
    NaN,
  ]);
});

test('planted blobs: strong at the planted k, weak when a blob must be split', () => {
  for (const [d, c] of [
    [2, 4],
    [5, 6],
  ] as const) {
    const { x } = blobs(1200, d, c, 3);
    const at = predictionStrength(x, { k: c, seed: 2 });
    const over = predictionStrength(x, { k: c + 1, seed: 2 });
    assert.ok(at.predictionStrength >= 0.95, `k = ${c}: ${at.predictionStrength}`);
    assert.ok(over.predictionStrength < 0.8, `k = ${c + 1}: ${over.predictionStrength}`);
    assert.equal(at.trainRows + at.testRows, 1200);
    assert.equal(at.testRows, 600);
    assert.equal(at.clusterStrength.length, c);
    assert.equal(at.predictionStrength, Math.min(...at.clusterStrength));
  }
});

test('uniform noise: below 0.8 for every k ≥ 2; values in [0, 1]; deterministic for a seed', () => {
  const x = uniformNoise(1000, 5, 6);
  for (const k of [2, 3, 4, 6]) {
    const r = predictionStrength(x, { k, seed: 6 });
    assert.ok(r.predictionStrength < 0.8, `k = ${k}: ${r.predictionStrength}`);
    for (const v of r.clusterStrength) assert.ok(v >= 0 && v <= 1);
    assert.deepEqual(predictionStrength(x, { k, seed: 6 }), r);
  }
});

test('testFraction sets the held-out share; bad options are rejected', () => {
  const { x } = blobs(400, 2, 2, 1);
  assert.equal(predictionStrength(x, { k: 2, testFraction: 0.25, seed: 1 }).testRows, 100);
  assert.throws(
    () => predictionStrength(x, { k: 2, testFraction: 0 }),
    /testFraction must be a number strictly/,
  );
  assert.throws(() => predictionStrength(x, { k: 201 }), /k must be an integer in \[1, 200\]/);
});
