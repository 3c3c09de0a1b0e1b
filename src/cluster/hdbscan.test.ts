// HDBSCAN: parity with the hdbscan package on committed fixtures, invariants and bad input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { type HDBSCANSelectionMethod, hdbscan } from './hdbscan.js';
import { parallelCoreDistances } from './hdbscan-kernels.js';
import {
  condenseTree,
  coreDistances,
  primMutualReachability,
  selectClusters,
  singleLinkage,
  squaredCoreDistances,
} from './hdbscan-tree.js';
import { KDTree } from './kd-tree.js';

interface HDBSCANCase {
  minClusterSize: number;
  minSamples: number | null;
  clusterSelectionMethod: HDBSCANSelectionMethod;
  clusterSelectionEpsilon: number;
  allowSingleCluster: boolean;
  /**
   * `HDBSCAN().fit` labels: the package's tie order among equal MST edges, compared by ARI only; null on the tied
   * fixture, where that order decides most of the tree (see the fixture script).
   */
  packageLabels: number[] | null;
  /** The package's pipeline with `singleLinkage`'s canonical tie order (see the fixture script), compared exactly. */
  labels: number[];
  probabilities: number[];
  /** null where the package's score is NaN (a cluster dying at λ = ∞ on duplicates; we reproduce it). */
  outlierScores: (number | null)[];
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

const FILES = ['hdbscan-densities.json', 'hdbscan-nested.json', 'hdbscan-single.json', 'hdbscan-ties.json'];

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
        if (c.packageLabels !== null) {
          const score = ari(r.labels, c.packageLabels);
          assert.ok(score >= 0.99, `ARI against HDBSCAN().fit ${score}`);
        }
        for (let i = 0; i < c.labels.length; i++) {
          assert.equal(r.labels[i] === -1, c.labels[i] === -1, `noise differs at row ${i}`);
          assert.ok(r.probabilities[i]! >= 0 && r.probabilities[i]! <= 1);
          assert.ok(Math.abs(r.probabilities[i]! - c.probabilities[i]!) < 1e-5, `probability at row ${i}`);
          const expected = c.outlierScores[i]!;
          if (expected === null)
            assert.ok(Number.isNaN(r.outlierScores[i]), `outlier score at row ${i} is NaN`);
          else assert.ok(Math.abs(r.outlierScores[i]! - expected) < 1e-5, `outlier score at row ${i}`);
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

describe('hdbscan: the KD-tree + Borůvka path equals the brute-force reference', () => {
  /** Core distances by a full scan and Prim's O(n²) MST: the package's `prims_kdtree` semantics, no tree. */
  function reference(x: Float64Array, n: number, d: number, mcs: number, ms: number, method: 'eom' | 'leaf') {
    const core = coreDistances(x, n, d, Math.min(n - 1, ms) + 1);
    const h = singleLinkage(primMutualReachability(x, n, d, core), n);
    return selectClusters(condenseTree(h, n, mcs), n, method, 0, false);
  }
  const rng = new Random(31);
  const blobs = (n: number, d: number): Float64Array => {
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const c = rng.int(3);
      for (let t = 0; t < d; t++) x[i * d + t] = rng.normal(c * 4 - (t % 3), 0.4 + 0.4 * c);
    }
    return x;
  };
  const cases = [
    { name: 'blobs 3-d', x: blobs(1500, 3), d: 3 },
    {
      name: 'blobs 5-d rounded to 0.5 (ties, duplicates)',
      x: blobs(1200, 5).map((v) => Math.round(2 * v) / 2),
      d: 5,
    },
    {
      name: 'blobs 2-d rounded to integers (mostly duplicates)',
      x: blobs(1500, 2).map((v) => Math.round(2 * v)),
      d: 2,
    },
  ];
  for (const { name, x, d } of cases) {
    it(`${name}: identical labels, probabilities and outlier scores`, () => {
      const n = x.length / d;
      for (const [mcs, ms, method] of [
        [10, 10, 'eom'],
        [25, 5, 'leaf'],
        [40, 15, 'eom'],
      ] as const) {
        const expected = reference(x, n, d, mcs, ms, method);
        const r = hdbscan(
          { data: x, rows: n, cols: d },
          { minClusterSize: mcs, minSamples: ms, clusterSelectionMethod: method },
        );
        assert.ok(Math.max(...expected.labels) >= 1, 'the case finds at least two clusters');
        assert.deepEqual(r.labels, expected.labels);
        assert.deepEqual(r.probabilities, expected.probabilities);
        assert.deepEqual(r.outlierScores, expected.outlierScores);
      }
    });
  }
});

describe('hdbscan: core distances on worker threads', () => {
  it('equal the serial pass, workers taking part', () => {
    const rng = new Random(41);
    const n = 6000;
    const x = Float64Array.from({ length: n * 3 }, () => Math.round(rng.normal(0, 2) * 4) / 4);
    const tree = new KDTree(x, n, 3, { leafSize: 32, shared: true });
    const serial = squaredCoreDistances(tree, 11);
    const { coreSq, workerBlocks } = parallelCoreDistances(tree, 11, 2, true);
    assert.ok(workerBlocks > 0, 'a worker ran some blocks');
    assert.deepEqual(coreSq, serial);
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
    assert.throws(() => hdbscan(X, { threads: 0 }), /threads.*got 0/);
    assert.throws(
      () => hdbscan(X, { clusterSelectionMethod: 'tree' as HDBSCANSelectionMethod }),
      (e: unknown) => e instanceof TypeError && /tree/.test(e.message),
    );
    assert.throws(() => hdbscan(X, null as never), TypeError);
  });
});
