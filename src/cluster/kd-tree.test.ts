// KDTree: k-nearest-neighbour queries against a linear scan, the public node layout's invariants, bad input.
// (Radius queries are tested with DBSCAN in dbscan.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { KDTree, type KDTreeMetric } from './kd-tree.js';

function uniform(n: number, d: number, seed: number): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: n * d }, () => rng.next() * 10);
}

/** A small integer grid: duplicates and many tied distances. */
function grid(n: number, d: number, seed: number): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: n * d }, () => rng.int(4));
}

/** Reduced distances from row q to every row, by a linear scan summing in feature order as the tree does. */
function scan(x: Float64Array, d: number, q: number, metric: KDTreeMetric): number[] {
  const n = x.length / d;
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = x[q * d + t]! - x[j * d + t]!;
      s += metric === 'euclidean' ? v * v : Math.abs(v);
    }
    out.push(s);
  }
  return out;
}

describe('KDTree.knn and kthNearest', () => {
  const cases = [
    { name: 'uniform 3-d', x: uniform(1500, 3, 1), d: 3 },
    { name: 'uniform 6-d', x: uniform(800, 6, 2), d: 6 },
    { name: 'grid with duplicates', x: grid(600, 2, 3), d: 2 },
  ];
  for (const { name, x, d } of cases) {
    for (const metric of ['euclidean', 'manhattan'] as const) {
      it(`${name}, ${metric}: the k nearest distances equal a linear scan's, nearest first`, () => {
        const n = x.length / d;
        for (const leafSize of [1, 8, 32]) {
          const tree = new KDTree(x, n, d, { metric, leafSize });
          for (const k of [1, 2, 7, 40, n]) {
            for (let q = 0; q < n; q += 37) {
              const all = scan(x, d, q, metric);
              const expected = all.slice().sort((a, b) => a - b);
              const count = tree.knn(x, q * d, k);
              assert.equal(count, k);
              const dist = Array.from(tree.foundDistances.subarray(0, k));
              assert.deepEqual(dist, expected.slice(0, k));
              // Each id is a distinct row whose distance is the one reported next to it.
              const ids = Array.from(tree.found.subarray(0, k));
              assert.equal(new Set(ids).size, k);
              ids.forEach((id, i) => assert.equal(all[id], dist[i]));
              assert.equal(tree.kthNearest(x, q * d, k), expected[k - 1]);
            }
          }
        }
      });
    }
  }

  it('a leaf of one repeated point (any size) answers like a scan', () => {
    // 1500 copies of one point among 500 others: the build leaves the copies in one oversized leaf.
    const rng = new Random(8);
    const x = Float64Array.from({ length: 2000 * 2 }, (_, i) => (i < 1500 * 2 ? 0.5 : rng.next()));
    const tree = new KDTree(x, 2000, 2, { leafSize: 16 });
    for (const k of [1, 51, 1499, 1500, 1501, 1600, 2000]) {
      for (const q of [0, 1499, 1500, 1999]) {
        const expected = scan(x, 2, q, 'euclidean').sort((a, b) => a - b);
        assert.equal(tree.kthNearest(x, q * 2, k), expected[k - 1], `k ${k}, row ${q}`);
        tree.knn(x, q * 2, k);
        assert.deepEqual(Array.from(tree.foundDistances.subarray(0, k)), expected.slice(0, k));
        assert.equal(new Set(tree.found.subarray(0, k)).size, k);
      }
    }
  });

  it('queries need not be rows of the tree', () => {
    const x = uniform(500, 2, 4);
    const tree = new KDTree(x, 500, 2, { leafSize: 4 });
    const query = new Float64Array([-3, 5, 4.5, 4.5, 20, 20]);
    for (let q = 0; q < 3; q++) {
      const expected: number[] = [];
      for (let j = 0; j < 500; j++) {
        const u = query[2 * q]! - x[2 * j]!;
        const v = query[2 * q + 1]! - x[2 * j + 1]!;
        expected.push(u * u + v * v);
      }
      expected.sort((a, b) => a - b);
      assert.equal(tree.kthNearest(query, 2 * q, 10), expected[9]);
    }
  });

  it('rejects k outside 1 .. n, naming it', () => {
    const tree = new KDTree(uniform(10, 2, 5), 10, 2);
    const q = new Float64Array(2);
    for (const k of [0, 11, 1.5, NaN]) {
      assert.throws(() => tree.knn(q, 0, k), { name: 'RangeError', message: new RegExp(`got ${k}`) });
      assert.throws(() => tree.kthNearest(q, 0, k), RangeError);
    }
  });
});

describe('KDTree node layout', () => {
  it('children split their parent, boxes hold their points, leaves cover every position once', () => {
    for (const x of [uniform(1000, 3, 6), grid(1000, 3, 7)]) {
      const n = 1000;
      const d = 3;
      const tree = new KDTree(x, n, d, { leafSize: 5 });
      const covered = new Int32Array(n);
      for (let node = 0; node < tree.nodeCount; node++) {
        const s = tree.start[node]!;
        const e = tree.end[node]!;
        assert.ok(s < e);
        for (let p = s; p < e; p++) {
          for (let t = 0; t < d; t++) {
            const v = tree.points[p * d + t]!;
            assert.ok(tree.lo[node * d + t]! <= v && v <= tree.hi[node * d + t]!);
          }
        }
        const l = tree.left[node]!;
        if (l < 0) {
          for (let p = s; p < e; p++) covered[p]!++;
          continue;
        }
        const r = tree.right[node]!;
        assert.ok(l > node && r > node, 'children numbered after the parent');
        assert.equal(tree.start[l], s);
        assert.equal(tree.end[l], tree.start[r]);
        assert.equal(tree.end[r], e);
      }
      assert.ok(covered.every((c) => c === 1));
      // Tree order is a permutation of the rows, and points[] holds them in that order.
      assert.deepEqual(
        Array.from(tree.index).sort((a, b) => a - b),
        Array.from({ length: n }, (_, i) => i),
      );
      for (let p = 0; p < n; p++) {
        for (let t = 0; t < d; t++) assert.equal(tree.points[p * d + t], x[tree.index[p]! * d + t]);
      }
    }
  });
});
