// Agglomerative clustering: parity with SciPy's linkage and scikit-learn's labels on committed fixtures, then
// invariants of the merge tree and the cut, then input errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { type AgglomerativeLinkage, agglomerative, cutLinkage } from './agglomerative.js';

interface Cut {
  nClusters?: number;
  distanceThreshold?: number;
  labels: number[];
  nClustersOut: number;
}
interface LinkageCase {
  linkage: AgglomerativeLinkage;
  Z: number[][];
  cuts: Cut[];
}
interface AgglomerativeFixture {
  X: number[][];
  cases: LinkageCase[];
}

function fixture(name: string): AgglomerativeFixture {
  return JSON.parse(
    readFileSync(new URL(`../../test/fixtures/cluster/${name}`, import.meta.url), 'utf8'),
  ) as AgglomerativeFixture;
}

function relClose(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= rel, `${what}: ${actual} vs ${expected} (relative error ${err} > ${rel})`);
}

/** Whether two labelings are the same partition up to renumbering (a bijection between label sets). */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((ab.has(x) && ab.get(x) !== y) || (ba.has(y) && ba.get(y) !== x)) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

function uniform(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(n * d);
  for (let q = 0; q < data.length; q++) data[q] = rng.next();
  return { data, rows: n, cols: d };
}

const LINKAGES: AgglomerativeLinkage[] = ['ward', 'complete', 'average', 'single'];
const FIXTURES = ['agglomerative-blobs.json', 'agglomerative-uniform.json', 'agglomerative-grid.json'];

describe('agglomerative: parity with SciPy linkage and scikit-learn AgglomerativeClustering', () => {
  for (const name of FIXTURES) {
    const fx = fixture(name);
    for (const c of fx.cases) {
      it(`${name} ${c.linkage}: SciPy's linkage matrix (heights to 1e-9)`, () => {
        const { linkageMatrix, heights } = agglomerative(fx.X, { nClusters: 2, linkage: c.linkage });
        const n = fx.X.length;
        assert.equal(linkageMatrix.length, (n - 1) * 4);
        c.Z.forEach((row, k) => {
          // The grid fixture has exact distance ties: the tree still matches because the tie-breaking is SciPy's.
          assert.equal(linkageMatrix[k * 4], row[0], `merge ${k} idx1`);
          assert.equal(linkageMatrix[k * 4 + 1], row[1], `merge ${k} idx2`);
          relClose(linkageMatrix[k * 4 + 2]!, row[2]!, 1e-9, `merge ${k} height`);
          assert.equal(linkageMatrix[k * 4 + 3], row[3], `merge ${k} size`);
          assert.equal(heights[k], linkageMatrix[k * 4 + 2]);
        });
      });
      it(`${name} ${c.linkage}: scikit-learn's labels for every cut`, () => {
        for (const cut of c.cuts) {
          const opts =
            cut.nClusters !== undefined
              ? { nClusters: cut.nClusters }
              : { distanceThreshold: cut.distanceThreshold! };
          const r = agglomerative(fx.X, { ...opts, linkage: c.linkage });
          const what = JSON.stringify(opts);
          assert.equal(r.nClusters, cut.nClustersOut, `${what}: n_clusters_`);
          assert.deepEqual(Array.from(r.labels), cut.labels, `${what}: labels`);
        }
      });
    }
  }

  it("defaults to ward and matches a float32 input's float64 values", () => {
    const fx = fixture('agglomerative-blobs.json');
    const ward = fx.cases.find((c) => c.linkage === 'ward')!;
    const n = fx.X.length;
    const d = fx.X[0]!.length;
    const f32 = new Float32Array(n * d);
    fx.X.forEach((row, i) => row.forEach((v, t) => (f32[i * d + t] = v)));
    const f64rows = Array.from({ length: n }, (_, i) => Array.from(f32.subarray(i * d, i * d + d)));
    const a = agglomerative({ data: f32, rows: n, cols: d }, { nClusters: 4 });
    const b = agglomerative(f64rows, { nClusters: 4, linkage: 'ward' });
    assert.deepEqual(a.linkageMatrix, b.linkageMatrix);
    assert.deepEqual(a.labels, b.labels);
    assert.ok(samePartition(a.labels, ward.cuts.find((c) => c.nClusters === 4)!.labels));
  });
});

/**
 * SciPy's `_hierarchy.nn_chain` loop written out plainly (a full scan per chain step: the previous chain element
 * unless something is strictly closer, then the lowest index; the merged cluster keeps the larger index), over
 * `dist(i, j)` between live clusters; `merge(a, b, na, nb, height)` updates the caller's state, `size` (rows per
 * cluster, all 1 at first; 0 once merged away) already updated. Returns the merges `[a, b, height]` in order.
 */
function plainChain(
  size: Float64Array,
  dist: (i: number, j: number) => number,
  merge: (a: number, b: number, na: number, nb: number, height: number) => void,
): [number, number, number][] {
  const n = size.length;
  const chain: number[] = [];
  const merges: [number, number, number][] = [];
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    if (chain.length === 0) chain.push(size.findIndex((s) => s > 0));
    let x0: number;
    let currentMin: number;
    for (;;) {
      x0 = chain[chain.length - 1]!;
      if (chain.length > 1) {
        y = chain[chain.length - 2]!;
        currentMin = dist(x0, y);
      } else currentMin = Infinity;
      for (let i = 0; i < n; i++) {
        if (size[i] === 0 || i === x0) continue;
        const v = dist(x0, i);
        if (v < currentMin) {
          currentMin = v;
          y = i;
        }
      }
      if (chain.length > 1 && y === chain[chain.length - 2]) break;
      chain.push(y);
    }
    chain.length -= 2;
    const a = Math.min(x0, y);
    const b = Math.max(x0, y);
    const na = size[a]!;
    const nb = size[b]!;
    merges.push([a, b, currentMin]);
    size[a] = 0;
    size[b] = na + nb;
    merge(a, b, na, nb, currentMin);
  }
  return merges;
}

/**
 * SciPy's `linkage` written out plainly (condensed matrix, Lance–Williams updates in SciPy's operation order), or
 * scikit-learn's Prim for single linkage, then SciPy's stable sort and relabelling: the references the tiled,
 * neighbour-caching chain and the compacting Prim must equal bit for bit (ward: to rounding, see `referenceWard`).
 */
function referenceLinkage(X: Matrix, linkage: AgglomerativeLinkage): Float64Array {
  const { data: x, rows: n, cols: d } = X;
  if (linkage === 'single') return labelMerges(referenceMst(X), n);
  const idx = (i: number, j: number): number => {
    const a = Math.min(i, j);
    const b = Math.max(i, j);
    return n * a - (a * (a + 1)) / 2 + (b - a - 1);
  };
  const D = new Float64Array((n * (n - 1)) / 2);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (x[i * d + t]! - x[j * d + t]!) ** 2;
      D[idx(i, j)] = Math.sqrt(s);
    }
  }
  const size = new Float64Array(n).fill(1);
  const merges = plainChain(
    size,
    (i, j) => D[idx(i, j)]!,
    (a, b, na, nb, dab) => {
      for (let i = 0; i < n; i++) {
        const ni = size[i]!;
        if (ni === 0 || i === b) continue;
        const dai = D[idx(i, a)]!;
        const dbi = D[idx(i, b)]!;
        const t = 1.0 / (na + nb + ni);
        D[idx(i, b)] =
          linkage === 'ward'
            ? Math.sqrt((ni + na) * t * dai * dai + (ni + nb) * t * dbi * dbi - ni * t * dab * dab)
            : linkage === 'complete'
              ? Math.max(dai, dbi)
              : (na * dai + nb * dbi) / (na + nb);
      }
    },
  );
  return labelMerges(merges, n);
}

/**
 * The same chain for ward on centroids and sizes: d²(A, B) = (2·|A||B|/(|A| + |B|))·‖c_A − c_B‖² (squared sum in
 * feature order), c_b ← c_a + (c_b − c_a)·n_b/(n_a + n_b), heights √d². What `agglomerative-ward.ts` must equal
 * bit for bit.
 */
function referenceWard(X: Matrix): Float64Array {
  const { data: x, rows: n, cols: d } = X;
  const c = Float64Array.from(x);
  const size = new Float64Array(n).fill(1);
  const merges = plainChain(
    size,
    (i, j) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += (c[i * d + t]! - c[j * d + t]!) ** 2;
      return ((2 * size[i]! * size[j]!) / (size[i]! + size[j]!)) * s;
    },
    (a, b, na, nb) => {
      const wb = nb / (na + nb);
      for (let t = 0; t < d; t++) c[b * d + t] = c[a * d + t]! + (c[b * d + t]! - c[a * d + t]!) * wb;
    },
  );
  return labelMerges(
    merges.map(([a, b, h]) => [a, b, Math.sqrt(h)]),
    n,
  );
}

/** scikit-learn's `mst_linkage_core` written out plainly: Prim over all n rows, skipping those in the tree. */
function referenceMst(X: Matrix): [number, number, number][] {
  const { data: x, rows: n, cols: d } = X;
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const edges: [number, number, number][] = [];
  let current = 0;
  for (let k = 0; k < n - 1; k++) {
    inTree[current] = 1;
    let newDistance = Infinity;
    let newNode = 0;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += (x[current * d + t]! - x[j * d + t]!) ** 2;
      const v = Math.sqrt(s);
      if (v < best[j]!) best[j] = v;
      if (best[j]! < newDistance) {
        newDistance = best[j]!;
        newNode = j;
      }
    }
    edges.push([current, newNode, newDistance]);
    current = newNode;
  }
  return edges;
}

/** SciPy's stable sort of the merges by height and relabelling into a linkage matrix. */
function labelMerges(merges: [number, number, number][], n: number): Float64Array {
  const order = merges.map((_, k) => k).sort((p, q) => merges[p]![2] - merges[q]![2] || p - q);
  const parent = Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const count = new Array<number>(2 * n - 1).fill(1);
  const find = (v: number): number => (parent[v] === v ? v : (parent[v] = find(parent[v]!)));
  const Z = new Float64Array((n - 1) * 4);
  order.forEach((m, k) => {
    const [a, b, h] = merges[m]!;
    const ra = find(a);
    const rb = find(b);
    parent[ra] = parent[rb] = n + k;
    count[n + k] = count[ra]! + count[rb]!;
    Z.set([Math.min(ra, rb), Math.max(ra, rb), h, count[n + k]!], k * 4);
  });
  return Z;
}

describe('agglomerative: the cores equal plain ports of SciPy, bit for bit (ward: of its centroid form)', () => {
  // Small integer coordinates make many exact distance ties (the tie-breaking is under test), and sizes past 64
  // and 128 rows cross the distance matrix's tile boundaries.
  const rng = new Random(3);
  const cases: [string, Matrix][] = [
    ['uniform 150 × 3', uniform(150, 3, 11)],
    ['uniform 300 × 2', uniform(300, 2, 12)],
  ];
  for (const [n, d, range] of [
    [70, 2, 4],
    [200, 2, 6],
    [260, 3, 3],
  ] as const) {
    const data = new Float64Array(n * d);
    for (let q = 0; q < data.length; q++) data[q] = Math.floor(rng.next() * range);
    cases.push([`integer grid ${n} × ${d} in [0, ${range})`, { data, rows: n, cols: d }]);
  }
  for (const [name, X] of cases) {
    for (const linkage of LINKAGES) {
      it(`${name}, ${linkage}`, () => {
        const { linkageMatrix } = agglomerative(X, { nClusters: 2, linkage });
        assert.deepEqual(linkageMatrix, linkage === 'ward' ? referenceWard(X) : referenceLinkage(X, linkage));
      });
    }
  }
  // Without distance ties, ward on centroids makes SciPy's merges, at SciPy's heights up to rounding.
  for (const [name, X] of cases.filter(([name]) => name.startsWith('uniform'))) {
    it(`${name}, ward: SciPy's Lance–Williams merges, heights to 1e-12`, () => {
      const { linkageMatrix: Z } = agglomerative(X, { nClusters: 2, linkage: 'ward' });
      const scipy = referenceLinkage(X, 'ward');
      for (let k = 0; k < X.rows - 1; k++) {
        assert.deepEqual(
          [Z[k * 4], Z[k * 4 + 1], Z[k * 4 + 3]],
          [scipy[k * 4], scipy[k * 4 + 1], scipy[k * 4 + 3]],
        );
        relClose(Z[k * 4 + 2]!, scipy[k * 4 + 2]!, 1e-12, `merge ${k} height`);
      }
    });
  }
});

describe('agglomerative: worker threads give the same tree', () => {
  // Past 2,048 live clusters the passes split over the pool (the first ≈ 550 merges here), with ties.
  const rng = new Random(8);
  const n = 2600;
  const data = new Float64Array(n * 2);
  for (let q = 0; q < data.length; q++) data[q] = Math.floor(rng.next() * 40);
  const X: Matrix = { data, rows: n, cols: 2 };
  for (const linkage of ['complete', 'average'] as const) {
    it(`${linkage}, ${n} rows: threads 2 = threads 1 = the plain port`, () => {
      const one = agglomerative(X, { nClusters: 5, linkage, threads: 1 });
      const two = agglomerative(X, { nClusters: 5, linkage, threads: 2 });
      assert.deepEqual(two.linkageMatrix, one.linkageMatrix);
      assert.deepEqual(two.labels, one.labels);
      assert.deepEqual(one.linkageMatrix, referenceLinkage(X, linkage));
    });
  }
});

describe('agglomerative: invariants', () => {
  const X = uniform(120, 3, 5);
  for (const linkage of LINKAGES) {
    it(`${linkage}: heights non-decreasing, sizes add up, clusters numbered n, n + 1, …`, () => {
      const n = X.rows;
      const { linkageMatrix: Z, heights } = agglomerative(X, { nClusters: 3, linkage });
      const size = new Float64Array(2 * n - 1).fill(1);
      const used = new Uint8Array(2 * n - 1);
      for (let k = 0; k < n - 1; k++) {
        const a = Z[k * 4]!;
        const b = Z[k * 4 + 1]!;
        assert.ok(a < b && b < n + k, `merge ${k} joins existing clusters ${a} < ${b}`);
        assert.ok(!used[a] && !used[b], `merge ${k}: each cluster is merged once`);
        used[a] = used[b] = 1;
        size[n + k] = size[a]! + size[b]!;
        assert.equal(Z[k * 4 + 3], size[n + k]);
        if (k > 0) assert.ok(heights[k]! >= heights[k - 1]!, `height ${k} ≥ height ${k - 1}`);
      }
      assert.equal(Z[(n - 2) * 4 + 3], n);
    });

    it(`${linkage}: labels in range, every cluster non-empty, cuts nested`, () => {
      let coarser: Int32Array | null = null;
      for (const k of [1, 2, 5, 17, X.rows]) {
        const { labels, nClusters } = agglomerative(X, { nClusters: k, linkage });
        assert.equal(nClusters, k);
        const counts = new Int32Array(k);
        for (const l of labels) {
          assert.ok(l >= 0 && l < k);
          counts[l]!++;
        }
        assert.ok(
          counts.every((c) => c > 0),
          `k = ${k}: no empty cluster`,
        );
        // A finer cut of the same tree refines the coarser one: rows together at k are together at fewer.
        if (coarser !== null) {
          const parent = new Map<number, number>();
          for (let i = 0; i < labels.length; i++) {
            const p = parent.get(labels[i]!);
            if (p === undefined) parent.set(labels[i]!, coarser[i]!);
            else assert.equal(p, coarser[i], `k = ${k} refines the previous cut`);
          }
        }
        coarser = labels;
      }
    });

    it(`${linkage}: distanceThreshold cuts where nClusters does`, () => {
      const { heights } = agglomerative(X, { nClusters: 1, linkage });
      const n = X.rows;
      for (const k of [2, 4, 9]) {
        // Between the heights of merge n − k − 1 and n − k: exactly k − 1 merges at or above the threshold.
        const t = (heights[n - k - 1]! + heights[n - k]!) / 2;
        const byThreshold = agglomerative(X, { distanceThreshold: t, linkage });
        const byCount = agglomerative(X, { nClusters: k, linkage });
        assert.equal(byThreshold.nClusters, k);
        assert.deepEqual(byThreshold.labels, byCount.labels);
      }
      assert.equal(agglomerative(X, { distanceThreshold: 0, linkage }).nClusters, n);
      assert.equal(agglomerative(X, { distanceThreshold: heights[n - 2]! * 1.01, linkage }).nClusters, 1);
    });

    it(`${linkage}: permuting rows gives the same partition and heights (no ties)`, () => {
      const n = X.rows;
      const d = X.cols;
      const rng = new Random(99);
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      const data = new Float64Array(n * d);
      perm.forEach((src, i) => data.set(X.data.subarray(src * d, src * d + d), i * d));
      const a = agglomerative(X, { nClusters: 6, linkage });
      const b = agglomerative({ data, rows: n, cols: d }, { nClusters: 6, linkage });
      const bBack = new Int32Array(n);
      perm.forEach((src, i) => (bBack[src] = b.labels[i]!));
      assert.ok(samePartition(a.labels, bBack));
      for (let k = 0; k < n - 1; k++) relClose(b.heights[k]!, a.heights[k]!, 1e-12, `height ${k}`);
    });
  }

  it('ward height of the last merge of two groups is √(2 · n₁n₂/(n₁+n₂)) · ‖c₁ − c₂‖', () => {
    // Two tight pairs: the final ward merge is exactly the Ward distance between the pairs' centroids.
    const r = agglomerative(
      [
        [0, 0],
        [0, 1],
        [10, 0],
        [10, 1],
      ],
      { nClusters: 2 },
    );
    relClose(r.heights[2]!, Math.sqrt(2 * ((2 * 2) / 4)) * 10, 1e-12, 'final ward height');
    assert.deepEqual(Array.from(r.labels), [1, 1, 0, 0]);
  });
});

describe('agglomerative: errors', () => {
  const X = [
    [0, 0],
    [1, 1],
    [5, 5],
  ];
  it('needs exactly one of nClusters and distanceThreshold', () => {
    assert.throws(() => agglomerative(X, {}), { name: 'TypeError', message: /exactly one of nClusters/ });
    assert.throws(() => agglomerative(X, { nClusters: 2, distanceThreshold: 1 }), {
      name: 'TypeError',
      message: /exactly one/,
    });
  });
  it('rejects bad values, naming them', () => {
    assert.throws(() => agglomerative(X, { nClusters: 0 }), {
      name: 'RangeError',
      message: /nClusters.*got 0/,
    });
    assert.throws(() => agglomerative(X, { nClusters: 4 }), {
      name: 'RangeError',
      message: /\[1, 3\], got 4/,
    });
    assert.throws(() => agglomerative(X, { nClusters: 1.5 }), { name: 'RangeError', message: /got 1\.5/ });
    assert.throws(() => agglomerative(X, { distanceThreshold: -1 }), {
      name: 'RangeError',
      message: /distanceThreshold.*got -1/,
    });
    assert.throws(() => agglomerative(X, { distanceThreshold: NaN }), { name: 'RangeError' });
    assert.throws(() => agglomerative(X, { nClusters: 2, linkage: 'centroid' as AgglomerativeLinkage }), {
      name: 'TypeError',
      message: /got 'centroid'/,
    });
    assert.throws(() => agglomerative([[1, 2]], { nClusters: 1 }), {
      name: 'RangeError',
      message: /at least 2/,
    });
    assert.throws(
      () =>
        agglomerative(
          [
            [0, NaN],
            [1, 1],
          ],
          { nClusters: 1 },
        ),
      {
        name: 'RangeError',
        message: /X\[0\]\[1\] is NaN/,
      },
    );
    assert.throws(() => agglomerative(X, null as never), { name: 'TypeError' });
  });
  it('too many rows: says how to proceed, unless single linkage (O(n) memory)', () => {
    const big = uniform(50, 2, 1);
    for (const linkage of ['ward', 'complete', 'average'] as const) {
      assert.throws(() => agglomerative(big, { nClusters: 2, linkage, maxRows: 40 }), {
        name: 'RangeError',
        message:
          /50 rows, more than maxRows = 40.*sample of at most 40 rows and assign the rest to the nearest cluster centroid/,
      });
    }
    assert.equal(agglomerative(big, { nClusters: 2, linkage: 'single', maxRows: 40 }).labels.length, 50);
    // Default limits: ward by time (O(n·d) memory), complete / average by their n(n − 1)/2 distances.
    assert.throws(() => agglomerative(uniform(50_001, 1, 2), { nClusters: 2 }), {
      name: 'RangeError',
      message: /50001 rows, more than maxRows = 50000: ward linkage's time grows as n²·d/,
    });
    assert.throws(() => agglomerative(uniform(30_001, 1, 2), { nClusters: 2, linkage: 'average' }), {
      name: 'RangeError',
      message: /30001 rows, more than maxRows = 30000: average linkage keeps all n\(n − 1\)\/2 pairwise/,
    });
    assert.throws(() => agglomerative(big, { nClusters: 2, maxRows: 1 }), {
      name: 'RangeError',
      message: /maxRows/,
    });
  });
});

describe('cutLinkage', () => {
  it('gives agglomerative’s partition at every k, numbered by lowest row, for each linkage', () => {
    const rng = new Random(5);
    const x = Float64Array.from({ length: 90 * 3 }, () => rng.normal());
    const X: Matrix = { data: x, rows: 90, cols: 3 };
    for (const linkage of ['ward', 'complete', 'average', 'single'] as const) {
      const { linkageMatrix } = agglomerative(X, { nClusters: 1, linkage });
      for (const k of [1, 2, 5, 17, 90]) {
        const want = agglomerative(X, { nClusters: k, linkage }).labels;
        const got = cutLinkage(linkageMatrix, k);
        // The same partition: rows share a label in one exactly when they do in the other.
        const pair = new Map<number, number>();
        for (let i = 0; i < 90; i++) {
          const seen = pair.get(got[i]!);
          if (seen === undefined) pair.set(got[i]!, want[i]!);
          else assert.equal(want[i], seen, `${linkage} k ${k} row ${i}`);
        }
        assert.equal(pair.size, k);
        assert.equal(new Set(pair.values()).size, k);
        // Numbered by lowest row: labels first appear in order 0, 1, 2, …
        let next = 0;
        for (const l of got) if (l === next) next++;
        assert.equal(next, k);
      }
    }
  });

  it('names a bad matrix or k', () => {
    const { linkageMatrix } = agglomerative([[0], [1], [10], [11]], { nClusters: 1, linkage: 'ward' });
    assert.deepEqual(cutLinkage(linkageMatrix, 2), Int32Array.of(0, 0, 1, 1));
    assert.throws(() => cutLinkage(new Float64Array(5), 1), /multiple of 4, got 5/);
    assert.throws(
      () => cutLinkage(linkageMatrix, 5),
      /k must be a whole number in 1 … 4 \(rows of the tree\), got 5/,
    );
    assert.throws(() => cutLinkage(linkageMatrix, 1.5), /got 1.5/);
  });
});
