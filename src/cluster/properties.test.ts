// Invariants every algorithm must keep, on random data: labels in range (−1 only where noise is allowed), and
// permuting the rows permutes the labels — exactly for deterministic fits (given starts, density, trees), up to
// renumbering the clusters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../util/random.js';
import { adjustedRandScore } from '../metrics/index.js';
import type { Matrix } from '../util/matrix.js';
import { agglomerative, dbscan, gaussianMixture, hdbscan, kmeans, kPrototypes } from './index.js';

function data(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const x = new Float64Array(n * d);
  // Three loose groups so every method finds structure, with continuous values (no ties).
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) x[i * d + j] = 4 * (i % 3) * (j === 0 ? 1 : 0.5) + rng.normal();
  return { data: x, rows: n, cols: d };
}

function permuted(x: Matrix, perm: Int32Array): Matrix {
  const d = x.cols;
  const out = new Float64Array(x.data.length);
  perm.forEach((src, dst) => out.set(x.data.subarray(src * d, src * d + d), dst * d));
  return { data: out, rows: x.rows, cols: d };
}

function shuffle(n: number, seed: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/** Same partition (and the same noise rows) after undoing the permutation. */
function assertPermutes(a: Int32Array, b: Int32Array, perm: Int32Array, what: string): void {
  const back = new Int32Array(a.length);
  perm.forEach((src, dst) => (back[src] = b[dst]!));
  for (let i = 0; i < a.length; i++) assert.equal(a[i]! < 0, back[i]! < 0, `${what}: noise row ${i}`);
  assert.equal(adjustedRandScore(a, back), 1, `${what}: same partition`);
}

function assertRange(labels: Int32Array, k: number, noise: boolean, what: string): void {
  for (const l of labels) {
    assert.ok(
      Number.isInteger(l) && l < k && (noise ? l >= -1 : l >= 0),
      `${what}: label ${l} with k = ${k}`,
    );
  }
}

describe('cluster invariants under row permutation', () => {
  const x = data(240, 3, 11);
  const perm = shuffle(240, 12);
  const y = permuted(x, perm);

  it('kmeans from given centroids', () => {
    const init = [
      [0, 0, 0],
      [4, 2, 2],
      [8, 4, 4],
    ];
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const a = kmeans(x, { k: 3, init, algorithm });
      const b = kmeans(y, { k: 3, init, algorithm });
      assertRange(a.labels, 3, false, algorithm);
      assertPermutes(a.labels, b.labels, perm, algorithm);
      assert.ok(Math.abs(a.inertia - b.inertia) <= 1e-9 * a.inertia);
    }
  });

  it('gaussianMixture from given parameters', () => {
    const opts = {
      k: 3,
      meansInit: [
        [0, 0, 0],
        [4, 2, 2],
        [8, 4, 4],
      ],
      weightsInit: [1 / 3, 1 / 3, 1 / 3],
    };
    // Every parameter given: the initial covariances would otherwise come from a seeded k-means on the rows.
    const eye = (type: 'full' | 'diag') =>
      type === 'full'
        ? Array.from({ length: 27 }, (_, q) => ((q % 9) % 4 === 0 ? 1 : 0))
        : Array.from({ length: 9 }, () => 1);
    for (const covarianceType of ['full', 'diag'] as const) {
      const given = { ...opts, covarianceType, precisionsInit: eye(covarianceType) };
      const a = gaussianMixture(x, given);
      const b = gaussianMixture(y, given);
      assertRange(a.labels, 3, false, covarianceType);
      assertPermutes(a.labels, b.labels, perm, covarianceType);
      // The same fit up to summation order.
      assert.ok(Math.abs(a.score(x) - b.score(y)) <= 1e-9 * Math.abs(a.score(x)));
    }
  });

  it('dbscan', () => {
    const a = dbscan(x, { eps: 0.9, minSamples: 6 });
    const b = dbscan(y, { eps: 0.9, minSamples: 6 });
    const k = Math.max(...a.labels) + 1;
    assertRange(a.labels, k, true, 'dbscan');
    // Border rows reachable from two clusters may go either way with the scan order; core rows may not.
    const core = new Set(a.coreSampleIndices);
    const back = new Int32Array(240);
    perm.forEach((src, dst) => (back[src] = b.labels[dst]!));
    const coreRows = Array.from(core);
    assert.equal(
      adjustedRandScore(
        coreRows.map((i) => a.labels[i]!),
        coreRows.map((i) => back[i]!),
      ),
      1,
    );
    for (let i = 0; i < 240; i++) assert.equal(a.labels[i]! < 0, back[i]! < 0, `noise row ${i}`);
  });

  it('agglomerative, every linkage', () => {
    for (const linkage of ['ward', 'complete', 'average', 'single'] as const) {
      const a = agglomerative(x, { nClusters: 3, linkage });
      const b = agglomerative(y, { nClusters: 3, linkage });
      assertRange(a.labels, 3, false, linkage);
      assertPermutes(a.labels, b.labels, perm, linkage);
      // The same merge heights up to summation order (a last-digit difference can come from a Lance–Williams update).
      a.heights.forEach((h, i) =>
        assert.ok(Math.abs(h - b.heights[i]!) <= 1e-12 * h, `${linkage}: height ${i}`),
      );
    }
  });

  it('hdbscan', () => {
    const a = hdbscan(x, { minClusterSize: 15 });
    const b = hdbscan(y, { minClusterSize: 15 });
    const k = Math.max(...a.labels) + 1;
    assert.ok(k >= 2);
    assertRange(a.labels, k, true, 'hdbscan');
    assertPermutes(a.labels, b.labels, perm, 'hdbscan');
  });

  it('kPrototypes with Cao initialisation keeps labels in range and cost consistent', () => {
    const rng = new Random(13);
    const cat = Array.from({ length: 240 }, (_, i) => [String(i % 3), rng.next() < 0.5 ? 'a' : 'b']);
    const r = kPrototypes({ numeric: x, categorical: cat }, { k: 3, init: 'Cao' });
    assertRange(r.labels, 3, false, 'kPrototypes');
    assert.deepEqual(r.predict({ numeric: x, categorical: cat }), r.labels);
  });
});
