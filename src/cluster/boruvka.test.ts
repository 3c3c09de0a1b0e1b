// Dual-tree Borůvka: an exact MST of the mutual reachability graph, checked against the brute-force Prim port on
// random data with and without duplicates and ties.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { boruvkaMutualReachability } from './boruvka.js';
import {
  coreDistances,
  primMutualReachability,
  type SpanningTree,
  singleLinkage,
  squaredCoreDistances,
} from './hdbscan-tree.js';
import { KDTree } from './kd-tree.js';

interface Data {
  name: string;
  x: Float64Array;
  n: number;
  d: number;
}

function make(name: string, n: number, d: number, seed: number, value: (rng: Random) => number): Data {
  const rng = new Random(seed);
  return { name, x: Float64Array.from({ length: n * d }, () => value(rng)), n, d };
}

/** Gaussian blobs with every fifth row a copy of an earlier one. */
function blobsWithDuplicates(n: number, d: number, seed: number): Data {
  const rng = new Random(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (i % 5 === 4) {
      const j = rng.int(i);
      for (let t = 0; t < d; t++) x[i * d + t] = x[j * d + t]!;
      continue;
    }
    const c = rng.int(4);
    for (let t = 0; t < d; t++) x[i * d + t] = rng.normal(c * 3 * (t % 2 === 0 ? 1 : -1), 0.5 + c * 0.3);
  }
  return { name: 'blobs with duplicates', x, n, d };
}

/** Sets rows [0, count) of `data` to its row 0. */
function repeatFirstRow(data: Data, count: number): Data {
  for (let i = 1; i < count; i++) for (let t = 0; t < data.d; t++) data.x[i * data.d + t] = data.x[t]!;
  return data;
}

const DATA: Data[] = [
  make('uniform 2-d', 700, 2, 1, (r) => r.next()),
  make('uniform 5-d', 600, 5, 2, (r) => r.next() * 4),
  make('uniform 1-d', 300, 1, 3, (r) => r.next()),
  blobsWithDuplicates(800, 3, 4),
  // Ties everywhere: most mutual reachability distances are equal to several others.
  make('integer grid 2-d', 600, 2, 5, (r) => r.int(12)),
  make('integer grid 4-d', 500, 4, 6, (r) => r.int(3)),
  make('all rows equal', 100, 3, 7, () => 1.5),
  // 300 copies of one row among 300 uniform rows: an oversized leaf of one repeated point.
  repeatFirstRow(
    make('one row repeated 300 times', 600, 2, 9, (r) => r.next()),
    300,
  ),
  make('two rows', 2, 2, 8, (r) => r.next()),
];

/** Checks that the edges form a spanning tree and each weight is the mutual reachability of its ends. */
function assertSpanningTree(
  mst: SpanningTree,
  x: Float64Array,
  n: number,
  d: number,
  core: Float64Array,
): void {
  assert.equal(mst.from.length, n - 1);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (v: number): number => {
    while (parent[v] !== v) v = parent[v]!;
    return v;
  };
  for (let e = 0; e < n - 1; e++) {
    const a = mst.from[e]!;
    const b = mst.to[e]!;
    const ra = find(a);
    const rb = find(b);
    assert.notEqual(ra, rb, `edge ${e} (${a}–${b}) closes a cycle`);
    parent[ra] = rb;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = x[a * d + t]! - x[b * d + t]!;
      s += v * v;
    }
    assert.equal(mst.weight[e], Math.max(core[a]!, core[b]!, Math.sqrt(s)), `weight of edge ${a}–${b}`);
  }
}

const sorted = (w: Float64Array): number[] => Array.from(w).sort((a, b) => a - b);

describe('boruvkaMutualReachability', () => {
  for (const { name, x, n, d } of DATA) {
    it(`${name}: same core distances and MST weights as brute force (several k and leaf sizes)`, () => {
      for (const k of [1, 2, 5, 16].filter((v) => v <= n)) {
        const core = coreDistances(x, n, d, k);
        const prim = primMutualReachability(x, n, d, core);
        for (const leafSize of [1, 4, 16, 40]) {
          const tree = new KDTree(x, n, d, { leafSize });
          const coreSq = squaredCoreDistances(tree, k);
          for (let p = 0; p < n; p++) assert.equal(Math.sqrt(coreSq[p]!), core[tree.index[p]!]);
          const mst = boruvkaMutualReachability(tree, coreSq);
          assertSpanningTree(mst, x, n, d, core);
          // Every MST has the same multiset of weights; so the totals agree too.
          assert.deepEqual(sorted(mst.weight), sorted(prim.weight));
          // The hierarchy depends only on the graph, so it is Prim's exactly, ties included.
          assert.deepEqual(singleLinkage(mst, n), singleLinkage(prim, n));
        }
      }
    });
  }

  it('zero core distances give the euclidean MST', () => {
    const { x, n, d } = DATA[1]!;
    const tree = new KDTree(x, n, d, { leafSize: 8 });
    const mst = boruvkaMutualReachability(tree, new Float64Array(n));
    const prim = primMutualReachability(x, n, d, new Float64Array(n));
    assertSpanningTree(mst, x, n, d, new Float64Array(n));
    assert.deepEqual(sorted(mst.weight), sorted(prim.weight));
  });

  it('the TSDoc example', () => {
    const tree = new KDTree(new Float64Array([0, 0, 1, 0, 5, 0]), 3, 2, { leafSize: 1 });
    const mst = boruvkaMutualReachability(tree, new Float64Array(3));
    assert.deepEqual(sorted(mst.weight), [1, 4]);
  });

  it('rejects a manhattan tree and core distances of the wrong length', () => {
    const x = new Float64Array([0, 0, 1, 1, 2, 2]);
    assert.throws(
      () => boruvkaMutualReachability(new KDTree(x, 3, 2, { metric: 'manhattan' }), new Float64Array(3)),
      { name: 'RangeError', message: /manhattan/ },
    );
    assert.throws(() => boruvkaMutualReachability(new KDTree(x, 3, 2), new Float64Array(2)), {
      name: 'RangeError',
      message: /length 2/,
    });
  });
});

describe('singleLinkage', () => {
  it('does not depend on the order of the MST edges', () => {
    const { x, n, d } = DATA[4]!;
    const core = coreDistances(x, n, d, 5);
    const mst = primMutualReachability(x, n, d, core);
    const perm = Array.from({ length: n - 1 }, (_, i) => i);
    const rng = new Random(9);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const shuffled: SpanningTree = {
      // Edge ends swapped too: orientation must not matter either.
      from: Int32Array.from(perm, (e) => mst.to[e]!),
      to: Int32Array.from(perm, (e) => mst.from[e]!),
      weight: Float64Array.from(perm, (e) => mst.weight[e]!),
    };
    assert.deepEqual(singleLinkage(shuffled, n), singleLinkage(mst, n));
  });

  it('merges a tied group in order of smallest row, into the first', () => {
    // Rows 0..3; edges 3–1 and 1–2 tie at 1, then 0 joins at 2.
    const h = singleLinkage(
      {
        from: new Int32Array([3, 1, 0]),
        to: new Int32Array([1, 2, 2]),
        weight: new Float64Array([1, 1, 2]),
      },
      4,
    );
    assert.deepEqual(Array.from(h.left), [1, 4, 0]);
    assert.deepEqual(Array.from(h.right), [2, 3, 5]);
    assert.deepEqual(Array.from(h.delta), [1, 1, 2]);
    assert.deepEqual(Array.from(h.size), [2, 3, 4]);
  });

  it('rejects edges that close a cycle', () => {
    const cyc: SpanningTree = {
      from: new Int32Array([0, 1]),
      to: new Int32Array([1, 0]),
      weight: new Float64Array([1, 1]),
    };
    assert.throws(() => singleLinkage(cyc, 3), /cycle/);
  });
});
