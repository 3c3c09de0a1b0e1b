// DBSCAN: parity with scikit-learn on committed fixtures, a brute-force reference, invariants and bad input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { type DBSCANMetric, dbscan } from './dbscan.js';
import { KDTree } from './kd-tree.js';

interface DBSCANCase {
  eps: number;
  minSamples: number;
  metric: DBSCANMetric;
  sampleWeight: number[] | null;
  labels: number[];
  coreSampleIndices: number[];
}
interface DBSCANFixture {
  X: number[][];
  cases: DBSCANCase[];
}

function fixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../test/fixtures/cluster/${name}`, import.meta.url), 'utf8'),
  ) as T;
}

/** Whether two labelings are the same partition up to renumbering, with noise (-1) fixed as noise. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((x === -1) !== (y === -1)) return false;
    if ((ab.has(x) && ab.get(x) !== y) || (ba.has(y) && ba.get(y) !== x)) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

function distance(metric: DBSCANMetric, x: Float64Array, i: number, j: number, d: number): number {
  let s = 0;
  if (metric === 'manhattan') {
    for (let t = 0; t < d; t++) s += Math.abs(x[i * d + t]! - x[j * d + t]!);
    return s;
  }
  if (metric === 'euclidean') {
    for (let t = 0; t < d; t++) s += (x[i * d + t]! - x[j * d + t]!) ** 2;
    return Math.sqrt(s);
  }
  let dot = 0;
  let ni = 0;
  let nj = 0;
  for (let t = 0; t < d; t++) {
    dot += x[i * d + t]! * x[j * d + t]!;
    ni += x[i * d + t]! ** 2;
    nj += x[j * d + t]! ** 2;
  }
  return 1 - dot / Math.sqrt(ni * nj);
}

/**
 * O(n²) reference: all-pairs neighbourhoods, then scikit-learn's `dbscan_inner` loop verbatim (stack-based DFS).
 * Shares no code with the implementation.
 */
function bruteDBSCAN(
  X: Matrix,
  eps: number,
  minSamples: number,
  metric: DBSCANMetric,
  w?: ArrayLike<number>,
): { labels: Int32Array; core: boolean[]; neighbourhoods: number[][] } {
  const { rows: n, cols: d } = X;
  const x = Float64Array.from(X.data);
  const neighbourhoods: number[][] = [];
  for (let i = 0; i < n; i++) {
    const nb: number[] = [];
    for (let j = 0; j < n; j++) if (distance(metric, x, i, j, d) <= eps) nb.push(j);
    neighbourhoods.push(nb);
  }
  const core = neighbourhoods.map(
    (nb) => nb.reduce((s, j) => s + (w === undefined ? 1 : w[j]!), 0) >= minSamples,
  );
  const labels = new Int32Array(n).fill(-1);
  let label = 0;
  for (let start = 0; start < n; start++) {
    if (labels[start] !== -1 || !core[start]) continue;
    const stack: number[] = [];
    let i = start;
    for (;;) {
      if (labels[i] === -1) {
        labels[i] = label;
        if (core[i]) for (const v of neighbourhoods[i]!) if (labels[v] === -1) stack.push(v);
      }
      if (stack.length === 0) break;
      i = stack.pop()!;
    }
    label++;
  }
  return { labels, core, neighbourhoods };
}

function uniform(n: number, d: number, seed: number, scale = 1): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(n * d);
  for (let q = 0; q < data.length; q++) data[q] = rng.next() * scale;
  return { data, rows: n, cols: d };
}

/** Points on a small integer grid: many pairs at distance exactly eps, and exact duplicates. */
function grid(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(n * d);
  for (let q = 0; q < data.length; q++) data[q] = Math.floor(rng.next() * 6);
  return { data, rows: n, cols: d };
}

function permuteRows(X: Matrix, perm: Int32Array): Matrix {
  const { rows: n, cols: d } = X;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] = X.data[perm[i]! * d + t]!;
  return { data, rows: n, cols: d };
}

function shuffle(n: number, seed: number): Int32Array {
  const rng = new Random(seed);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = tmp;
  }
  return perm;
}

describe('dbscan: parity with scikit-learn', () => {
  const files = [
    'dbscan-blobs.json',
    'dbscan-moons.json',
    'dbscan-duplicates.json',
    'dbscan-cosine.json',
    'dbscan-weighted.json',
  ];
  for (const file of files) {
    const fx = fixture<DBSCANFixture>(file);
    for (const c of fx.cases) {
      const name = `${file}: ${c.metric}, eps ${c.eps}, minSamples ${c.minSamples}${c.sampleWeight ? ', weighted' : ''}`;
      it(name, () => {
        const options = {
          eps: c.eps,
          minSamples: c.minSamples,
          metric: c.metric,
          ...(c.sampleWeight === null ? {} : { sampleWeight: c.sampleWeight }),
        };
        const result = dbscan(fx.X, options);
        assert.deepEqual(Array.from(result.coreSampleIndices), c.coreSampleIndices, 'core samples');
        assert.ok(samePartition(result.labels, c.labels), 'same noise and clusters up to renumbering');
        // We follow scikit-learn's scan order, so the numbering matches too.
        assert.deepEqual(Array.from(result.labels), c.labels, 'labels with scikit-learn numbering');
        const d = fx.X[0]!.length;
        assert.equal(result.components.length, c.coreSampleIndices.length * d);
        c.coreSampleIndices.forEach((row, k) => {
          for (let t = 0; t < d; t++) assert.equal(result.components[k * d + t], fx.X[row]![t]);
        });
      });
    }
  }

  it('fixtures include noise, several clusters and core-by-weight rows', () => {
    const blobs = fixture<DBSCANFixture>('dbscan-blobs.json').cases[0]!;
    assert.ok(blobs.labels.includes(-1) && Math.max(...blobs.labels) >= 3);
    const weighted = fixture<DBSCANFixture>('dbscan-weighted.json').cases[0]!;
    assert.ok(weighted.sampleWeight!.some((v) => v >= weighted.minSamples));
  });
});

describe('dbscan: brute-force reference', () => {
  const metrics: DBSCANMetric[] = ['euclidean', 'manhattan', 'cosine'];
  for (const metric of metrics) {
    for (const [n, d, seed] of [
      [400, 1, 1],
      [500, 2, 2],
      [400, 3, 3],
      [300, 5, 4],
      [200, 20, 5],
    ] as const) {
      // One feature has only two directions: cosine is degenerate there.
      if (metric === 'cosine' && d === 1) continue;
      it(`${metric}, ${n} × ${d} uniform: identical labels and core rows`, () => {
        const X = uniform(n, d, seed);
        // eps for roughly 8 neighbours on average, from a sample of pairwise distances.
        const x = Float64Array.from(X.data);
        const sample: number[] = [];
        for (let i = 0; i < 60; i++)
          for (let j = 0; j < n; j++) if (i !== j) sample.push(distance(metric, x, i, j, d));
        sample.sort((a, b) => a - b);
        // Midway between two sampled distances, so no sampled pair sits on the boundary (where the two distance
        // formulas may round differently; the integer-grid test covers exact boundaries).
        const at = Math.floor((sample.length * 8) / n);
        const eps = (sample[at]! + sample[at + 1]!) / 2;
        for (const minSamples of [1, 4, 8, 15]) {
          const ref = bruteDBSCAN(X, eps, minSamples, metric);
          const got = dbscan(X, { eps, minSamples, metric });
          assert.deepEqual(Array.from(got.labels), Array.from(ref.labels), `minSamples ${minSamples}`);
          const refCore = ref.core.flatMap((c, i) => (c ? [i] : []));
          assert.deepEqual(Array.from(got.coreSampleIndices), refCore);
        }
      });
    }
  }

  for (const metric of ['euclidean', 'manhattan'] as const) {
    it(`${metric} on an integer grid: distances exactly eps count as neighbours, duplicates handled`, () => {
      const X = grid(600, 3, 9);
      for (const [eps, minSamples] of [
        [1, 4],
        [2, 10],
        [1, 1],
      ] as const) {
        const ref = bruteDBSCAN(X, eps, minSamples, metric);
        const got = dbscan(X, { eps, minSamples, metric });
        assert.deepEqual(
          Array.from(got.labels),
          Array.from(ref.labels),
          `eps ${eps}, minSamples ${minSamples}`,
        );
      }
    });
  }

  it('weighted, with negative and core-on-its-own weights', () => {
    const X = uniform(500, 2, 12);
    const rng = new Random(13);
    const w = Array.from({ length: 500 }, () => [0.5, 1, 2, 7, -1]![Math.floor(rng.next() * 5)]!);
    for (const metric of metrics) {
      for (const eps of [0.03, 0.06]) {
        const ref = bruteDBSCAN(X, eps, 6, metric, w);
        const got = dbscan(X, { eps, minSamples: 6, metric, sampleWeight: w });
        assert.deepEqual(Array.from(got.labels), Array.from(ref.labels), `${metric}, eps ${eps}`);
      }
    }
  });

  it('Float32 input and a clustered layout with many border rows shared by clusters', () => {
    // Dense blobs joined by thin bridges: bridge rows are border rows within reach of two clusters.
    const rng = new Random(21);
    const n = 800;
    const data = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const c = i % 5;
      data[2 * i] = c * 1.0 + (rng.next() - 0.5) * 0.9;
      data[2 * i + 1] = (rng.next() - 0.5) * 0.3;
    }
    const X = { data, rows: n, cols: 2 };
    for (const minSamples of [5, 12, 25]) {
      const ref = bruteDBSCAN(X, 0.08, minSamples, 'euclidean');
      const got = dbscan(X, { eps: 0.08, minSamples });
      assert.deepEqual(Array.from(got.labels), Array.from(ref.labels), `minSamples ${minSamples}`);
    }
  });
});

describe('dbscan: invariants', () => {
  it('core rows have ≥ minSamples neighbours; border rows are near a core row of their cluster', () => {
    const X = uniform(700, 2, 31);
    const eps = 0.05;
    const minSamples = 6;
    const got = dbscan(X, { eps, minSamples });
    const { neighbourhoods } = bruteDBSCAN(X, eps, minSamples, 'euclidean');
    const isCore = new Set(got.coreSampleIndices);
    for (let i = 0; i < X.rows; i++) {
      const nb = neighbourhoods[i]!;
      assert.equal(isCore.has(i), nb.length >= minSamples, `row ${i} core flag`);
      if (isCore.has(i)) {
        assert.ok(got.labels[i]! >= 0);
        for (const j of nb)
          if (isCore.has(j)) assert.equal(got.labels[j], got.labels[i], 'linked cores agree');
      } else if (got.labels[i] !== -1) {
        assert.ok(
          nb.some((j) => isCore.has(j) && got.labels[j] === got.labels[i]),
          `border row ${i}`,
        );
      } else {
        assert.ok(!nb.some((j) => isCore.has(j)), `noise row ${i} is out of reach of every core row`);
      }
    }
    // Clusters are numbered 0..k-1 in order of their first core row.
    let next = 0;
    for (const i of got.coreSampleIndices) {
      const l = got.labels[i]!;
      if (l === next) next++;
      else assert.ok(l < next, `label ${l} appears before ${next}`);
    }
    assert.ok(next > 1, 'several clusters');
  });

  it('permuting rows permutes cores and noise and keeps the core partition; borders follow scan order', () => {
    const X = uniform(600, 2, 41);
    const eps = 0.05;
    const base = dbscan(X, { eps, minSamples: 5 });
    for (const seed of [1, 2, 3]) {
      const perm = shuffle(X.rows, seed);
      const Xp = permuteRows(X, perm);
      const got = dbscan(Xp, { eps, minSamples: 5 });
      const baseCore = new Set(base.coreSampleIndices);
      const permCore = new Set(Array.from(got.coreSampleIndices, (i) => perm[i]!));
      assert.deepEqual(
        [...permCore].sort((a, b) => a - b),
        [...baseCore].sort((a, b) => a - b),
      );
      const coreA: number[] = [];
      const coreB: number[] = [];
      for (let i = 0; i < X.rows; i++) {
        assert.equal(got.labels[i] === -1, base.labels[perm[i]!] === -1, `noise row ${perm[i]}`);
        if (baseCore.has(perm[i]!)) {
          coreA.push(got.labels[i]!);
          coreB.push(base.labels[perm[i]!]!);
        }
      }
      assert.ok(samePartition(coreA, coreB));
      // Which of several clusters claims a shared border row depends on row order, exactly as scikit-learn.
      assert.deepEqual(Array.from(got.labels), Array.from(bruteDBSCAN(Xp, eps, 5, 'euclidean').labels));
    }
  });

  it('cosine ignores row length', () => {
    const X = uniform(300, 3, 51);
    const scaled = { ...X, data: X.data.map((v, q) => v * (1 + (Math.floor(q / 3) % 7))) };
    const a = dbscan(X, { eps: 0.01, minSamples: 4, metric: 'cosine' });
    const b = dbscan(scaled, { eps: 0.01, minSamples: 4, metric: 'cosine' });
    assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
  });

  it('unit weights give the unweighted result; all noise when nothing is dense', () => {
    const X = uniform(300, 2, 61);
    const a = dbscan(X, { eps: 0.06, minSamples: 5 });
    const b = dbscan(X, { eps: 0.06, minSamples: 5, sampleWeight: new Array<number>(300).fill(1) });
    assert.deepEqual(b, a);
    const none = dbscan(X, { eps: 1e-6, minSamples: 2 });
    assert.ok(none.labels.every((l) => l === -1));
    assert.equal(none.coreSampleIndices.length, 0);
    assert.equal(none.components.length, 0);
  });
});

describe('KDTree', () => {
  it('radius and radiusWeight agree with a linear scan', () => {
    const X = uniform(2000, 3, 71, 10);
    const w = Float64Array.from({ length: 2000 }, (_, i) => (i % 3) + 0.5);
    for (const metric of ['euclidean', 'manhattan'] as const) {
      const tree = new KDTree(X.data as Float64Array, 2000, 3, { metric, leafSize: 8, weights: w });
      for (let q = 0; q < 50; q++) {
        const rr = tree.reduce(0.5 + q * 0.05);
        const count = tree.radius(X.data as Float64Array, q * 3, rr);
        const found = Array.from(tree.found.subarray(0, count)).sort((a, b) => a - b);
        const expected: number[] = [];
        let weight = 0;
        for (let j = 0; j < 2000; j++) {
          let s = 0;
          for (let t = 0; t < 3; t++) {
            const diff = X.data[q * 3 + t]! - X.data[j * 3 + t]!;
            s += metric === 'euclidean' ? diff * diff : Math.abs(diff);
          }
          if (s <= rr) {
            expected.push(j);
            weight += w[j]!;
          }
        }
        assert.deepEqual(found, expected);
        assert.ok(Math.abs(tree.radiusWeight(X.data as Float64Array, q * 3, rr) - weight) < 1e-9);
      }
    }
  });
});

describe('dbscan: bad input', () => {
  const X = [
    [0, 0],
    [1, 1],
  ];
  it('rejects empty input, NaN and Infinity, naming the value', () => {
    assert.throws(() => dbscan([], { eps: 1 }), { name: 'RangeError', message: /X is empty/ });
    assert.throws(() => dbscan([[0, NaN]], { eps: 1 }), {
      name: 'RangeError',
      message: /X\[0\]\[1\] is NaN/,
    });
    assert.throws(
      () =>
        dbscan(
          [
            [0, 0],
            [Infinity, 1],
          ],
          { eps: 1 },
        ),
      {
        name: 'RangeError',
        message: /X\[1\]\[0\] is Infinity/,
      },
    );
  });
  it('rejects eps ≤ 0 or not finite and minSamples < 1 or fractional', () => {
    for (const eps of [0, -1, NaN, Infinity]) {
      assert.throws(() => dbscan(X, { eps }), {
        name: 'RangeError',
        message: new RegExp(`eps .*got ${eps}`),
      });
    }
    for (const minSamples of [0, -3, 1.5, NaN]) {
      assert.throws(() => dbscan(X, { eps: 1, minSamples }), {
        name: 'RangeError',
        message: new RegExp(`minSamples .*got ${minSamples}`),
      });
    }
  });
  it('rejects an unknown metric, bad weights and zero rows under cosine', () => {
    assert.throws(() => dbscan(X, { eps: 1, metric: 'chebyshev' as DBSCANMetric }), {
      name: 'TypeError',
      message: /'chebyshev'/,
    });
    assert.throws(() => dbscan(X, { eps: 1, sampleWeight: [1] }), {
      name: 'RangeError',
      message: /length 1/,
    });
    assert.throws(() => dbscan(X, { eps: 1, sampleWeight: [1, NaN] }), {
      name: 'RangeError',
      message: /sampleWeight\[1\] is NaN/,
    });
    assert.throws(() => dbscan(X, { eps: 0.1, metric: 'cosine' }), { name: 'RangeError', message: /row 0/ });
    assert.throws(() => dbscan(X, null as unknown as { eps: number }), { name: 'TypeError' });
  });
});
