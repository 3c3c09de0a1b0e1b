// HDBSCAN: parity with the hdbscan package on committed fixtures, invariants and bad input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { type HDBSCANSelectionMethod, hdbscan } from './hdbscan.js';

interface HDBSCANCase {
  minClusterSize: number;
  minSamples: number | null;
  clusterSelectionMethod: HDBSCANSelectionMethod;
  clusterSelectionEpsilon: number;
  allowSingleCluster: boolean;
  /** `HDBSCAN().fit` labels: the package's tie order among equal MST edges, compared by ARI only. */
  packageLabels: number[];
  /** The package's pipeline with a stable edge sort (see the fixture script), compared exactly. */
  labels: number[];
  probabilities: number[];
  outlierScores: number[];
}
interface HDBSCANFixture {
  X: number[][];
  cases: HDBSCANCase[];
}

function fixture(name: string): HDBSCANFixture {
  return JSON.parse(
    readFileSync(new URL(`../../test/fixtures/cluster/${name}`, import.meta.url), 'utf8'),
  ) as HDBSCANFixture;
}

/** Adjusted Rand index (Hubert & Arabie 1985), noise treated as one more label. */
function ari(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const pairs = (v: number): number => (v * (v - 1)) / 2;
  const joint = new Map<string, number>();
  const ca = new Map<number, number>();
  const cb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    ca.set(a[i]!, (ca.get(a[i]!) ?? 0) + 1);
    cb.set(b[i]!, (cb.get(b[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const v of joint.values()) index += pairs(v);
  let sa = 0;
  let sb = 0;
  for (const v of ca.values()) sa += pairs(v);
  for (const v of cb.values()) sb += pairs(v);
  const expected = (sa * sb) / pairs(n);
  const max = (sa + sb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

const FILES = ['hdbscan-densities.json', 'hdbscan-nested.json', 'hdbscan-single.json'];

describe('hdbscan parity with the hdbscan package', () => {
  for (const file of FILES) {
    const fx = fixture(file);
    for (const c of fx.cases) {
      const name = `${file} mcs=${c.minClusterSize} ms=${c.minSamples} ${c.clusterSelectionMethod} eps=${c.clusterSelectionEpsilon} single=${c.allowSingleCluster}`;
      it(name, () => {
        const r = hdbscan(fx.X, {
          minClusterSize: c.minClusterSize,
          ...(c.minSamples === null ? {} : { minSamples: c.minSamples }),
          clusterSelectionMethod: c.clusterSelectionMethod,
          clusterSelectionEpsilon: c.clusterSelectionEpsilon,
          allowSingleCluster: c.allowSingleCluster,
        });
        const score = ari(r.labels, c.packageLabels);
        assert.ok(score >= 0.99, `ARI against HDBSCAN().fit ${score}`);
        for (let i = 0; i < c.labels.length; i++) {
          assert.equal(r.labels[i] === -1, c.labels[i] === -1, `noise differs at row ${i}`);
          assert.ok(r.probabilities[i]! >= 0 && r.probabilities[i]! <= 1);
          assert.ok(Math.abs(r.probabilities[i]! - c.probabilities[i]!) < 1e-5, `probability at row ${i}`);
          assert.ok(Math.abs(r.outlierScores[i]! - c.outlierScores[i]!) < 1e-5, `outlier score at row ${i}`);
        }
        // The package numbers clusters in condensed-tree order; so do we.
        assert.deepEqual(Array.from(r.labels), c.labels);
      });
    }
  }
});

describe('hdbscan invariants', () => {
  const fx = fixture('hdbscan-densities.json');
  it('labels are 0..k-1 or -1, noise has probability 0, each cluster has ≥ minClusterSize rows', () => {
    const r = hdbscan(fx.X, { minClusterSize: 15 });
    const counts = new Map<number, number>();
    for (let i = 0; i < r.labels.length; i++) {
      const l = r.labels[i]!;
      counts.set(l, (counts.get(l) ?? 0) + 1);
      if (l === -1) assert.equal(r.probabilities[i], 0);
      assert.ok(r.outlierScores[i]! >= 0 && r.outlierScores[i]! <= 1);
    }
    const k = Math.max(...r.labels) + 1;
    for (let c = 0; c < k; c++) assert.ok((counts.get(c) ?? 0) >= 15, `cluster ${c} too small`);
    assert.ok(k >= 3);
  });
  it('permuting rows permutes the partition', () => {
    const X = fx.X.slice(0, 600);
    const perm = X.map((_, i) => (i * 7919) % X.length);
    const a = hdbscan(X, { minClusterSize: 15 });
    const b = hdbscan(
      perm.map((p) => X[p]!),
      { minClusterSize: 15 },
    );
    assert.equal(
      ari(
        perm.map((p) => a.labels[p]!),
        b.labels,
      ),
      1,
    );
  });
  it('accepts a flat Matrix and Float32 data', () => {
    const data = new Float32Array(fx.X.flat());
    const r = hdbscan({ data, rows: fx.X.length, cols: 2 }, { minClusterSize: 15 });
    assert.ok(ari(r.labels, hdbscan(fx.X, { minClusterSize: 15 }).labels) >= 0.99);
  });
  it('the TSDoc example', () => {
    const { labels } = hdbscan(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
        [10, 10],
        [10, 11],
        [11, 10],
        [11, 11],
        [50, 50],
      ],
      { minClusterSize: 3, minSamples: 2 },
    );
    assert.equal(labels[8], -1);
    assert.ok(labels.slice(0, 4).every((l) => l === labels[0] && l !== -1));
    assert.ok(labels.slice(4, 8).every((l) => l === labels[4] && l !== -1 && l !== labels[0]));
  });
});

describe('hdbscan bad input', () => {
  const X = [
    [0, 0],
    [1, 1],
    [2, 2],
  ];
  it('rejects bad options and data, naming the value', () => {
    assert.throws(() => hdbscan([]), RangeError);
    assert.throws(() => hdbscan([[1, 2]]), /at least 2 rows/);
    assert.throws(
      () =>
        hdbscan([
          [0, NaN],
          [1, 1],
        ]),
      RangeError,
    );
    assert.throws(() => hdbscan(X, { minClusterSize: 1 }), /minClusterSize.*got 1/);
    assert.throws(() => hdbscan(X, { minClusterSize: 2.5 }), RangeError);
    assert.throws(() => hdbscan(X, { minSamples: 0 }), /minSamples.*got 0/);
    assert.throws(() => hdbscan(X, { clusterSelectionEpsilon: -1 }), /got -1/);
    assert.throws(
      () => hdbscan(X, { clusterSelectionMethod: 'tree' as HDBSCANSelectionMethod }),
      (e: unknown) => e instanceof TypeError && /tree/.test(e.message),
    );
    assert.throws(() => hdbscan(X, null as never), TypeError);
  });
});
