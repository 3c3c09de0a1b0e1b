// k-means: parity with scikit-learn on committed fixtures, then invariants that would catch a wrong implementation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import {
  type KMeansAlgorithm,
  type KMeansIteration,
  type KMeansResult,
  centre,
  kmeans,
  predictKMeans,
  readKMeansLabels,
} from './k-means.js';
import { elkan } from './k-means-elkan.js';
import { hamerly } from './k-means-hamerly.js';
import { seedPlusPlus } from './k-means-init.js';
import { lloyd } from './k-means-lloyd.js';
import { KMeansWorkspace } from './k-means-steps.js';
import { WASM_SIMD } from './k-means-wasm.js';

interface KMeansCase {
  algorithm: 'lloyd' | 'elkan';
  tol: number;
  maxIter: number;
  labels: number[];
  centroids: number[][];
  inertia: number;
  iterations: number;
}
interface KMeansFixture {
  X: number[][];
  k: number;
  init: number[][];
  sampleWeight: number[] | null;
  cases: KMeansCase[];
}

function fixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../test/fixtures/cluster/${name}`, import.meta.url), 'utf8'),
  ) as T;
}

function relClose(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= rel, `${what}: ${actual} vs ${expected} (relative error ${err} > ${rel})`);
}

/** Gaussian blobs around well-separated centres; `truth` is the generating blob of each row. */
function blobs(
  n: number,
  d: number,
  centres: number,
  spread: number,
  seed: number,
): { X: Matrix; truth: Int32Array } {
  const rng = new Random(seed);
  const c = new Float64Array(centres * d);
  for (let q = 0; q < c.length; q++) c[q] = rng.next() * 100;
  const data = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = i % centres;
    truth[i] = b;
    for (let t = 0; t < d; t++) data[i * d + t] = c[b * d + t]! + spread * rng.normal();
  }
  return { X: { data, rows: n, cols: d }, truth };
}

function uniform(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(n * d);
  for (let q = 0; q < data.length; q++) data[q] = rng.next();
  return { data, rows: n, cols: d };
}

/** Whether two labelings are the same partition up to renumbering (a bijection between label sets). */
function samePartition(a: Int32Array, b: ArrayLike<number>): boolean {
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

const ALGORITHMS: KMeansAlgorithm[] = ['lloyd', 'elkan', 'hamerly', 'auto'];

describe('kmeans: parity with scikit-learn from given initial centroids', () => {
  for (const file of [
    'kmeans-blobs.json',
    'kmeans-uniform.json',
    'kmeans-weighted.json',
    'kmeans-empty-cluster.json',
  ]) {
    const fx = fixture<KMeansFixture>(file);
    for (const c of fx.cases) {
      // scikit-learn's lloyd and elkan agree; our accelerated variants must reproduce the same run.
      const ours: KMeansAlgorithm[] = c.algorithm === 'lloyd' ? ['lloyd'] : ['elkan', 'hamerly'];
      for (const algorithm of ours) {
        it(`${file} sklearn ${c.algorithm} tol=${c.tol} maxIter=${c.maxIter} → ${algorithm}`, () => {
          const r = kmeans(fx.X, {
            k: fx.k,
            init: fx.init,
            tol: c.tol,
            maxIter: c.maxIter,
            algorithm,
            ...(fx.sampleWeight === null ? {} : { sampleWeight: fx.sampleWeight }),
          });
          assert.deepEqual(Array.from(r.labels), c.labels);
          relClose(r.inertia, c.inertia, 1e-9, 'inertia');
          assert.equal(r.iterations, c.iterations);
          const d = fx.X[0]!.length;
          for (let j = 0; j < fx.k; j++) {
            for (let t = 0; t < d; t++) {
              const expected = c.centroids[j]![t]!;
              const actual = r.centroids[j * d + t]!;
              assert.ok(Math.abs(actual - expected) <= 1e-9 * (1 + Math.abs(expected)), `centroid ${j},${t}`);
            }
          }
        });
      }
    }
  }
});

describe('kmeans: k-means++ quality against scikit-learn', () => {
  interface PlusPlusFixture {
    datasets: Record<string, number[][]>;
    runs: { data: string; k: number; nInit: number; inertia: number }[];
    median: { data: string; k: number; nInit: number; seeds: number; medianInertia: number };
  }
  const fx = fixture<PlusPlusFixture>('kmeans-plusplus.json');
  for (const run of fx.runs) {
    it(`${run.data}, k=${run.k}, nInit=${run.nInit}: best inertia within 0.1% of scikit-learn's, for any seed`, () => {
      for (let seed = 0; seed < 5; seed++) {
        const r = kmeans(fx.datasets[run.data]!, { k: run.k, nInit: run.nInit, seed });
        assert.ok(
          r.inertia <= run.inertia * 1.001,
          `seed ${seed}: inertia ${r.inertia} vs scikit-learn ${run.inertia} (+${((r.inertia / run.inertia - 1) * 100).toFixed(3)}%)`,
        );
      }
    });
  }
  it("more clusters than planted: median best-of-10 inertia over seeds within 0.25% of scikit-learn's", () => {
    // Here the best of 10 depends on the draw on both sides, so whole distributions are compared. Uniform random
    // seeding lands 0.5% above scikit-learn's median on this data, so the bound does tell seedings apart.
    const m = fx.median;
    const inertias: number[] = [];
    for (let seed = 0; seed < m.seeds; seed++) {
      inertias.push(kmeans(fx.datasets[m.data]!, { k: m.k, nInit: m.nInit, seed }).inertia);
    }
    inertias.sort((a, b) => a - b);
    const half = m.seeds >> 1;
    const median = m.seeds % 2 === 1 ? inertias[half]! : (inertias[half - 1]! + inertias[half]!) / 2;
    assert.ok(median <= m.medianInertia * 1.0025, `median ${median} vs scikit-learn ${m.medianInertia}`);
  });
});

describe('kmeans: invariants', () => {
  it('labels lie in [0, k), centroids are k × d, inertia matches the labels', () => {
    const X = uniform(500, 3, 5);
    for (const algorithm of ALGORITHMS) {
      for (const init of ['k-means++', 'random'] as const) {
        const r = kmeans(X, { k: 7, algorithm, init, nInit: 2, seed: 3 });
        assert.equal(r.labels.length, 500);
        assert.equal(r.centroids.length, 7 * 3);
        assert.ok(r.labels.every((l) => l >= 0 && l < 7));
        // Labels are the nearest centroids of the returned centroids.
        assert.deepEqual(predictKMeans(r.centroids, 7, X), r.labels);
        let inertia = 0;
        for (let i = 0; i < 500; i++) {
          for (let t = 0; t < 3; t++)
            inertia += (X.data[i * 3 + t]! - r.centroids[r.labels[i]! * 3 + t]!) ** 2;
        }
        relClose(r.inertia, inertia, 1e-12, `${algorithm}/${init} inertia`);
      }
    }
  });

  it('inertia never rises across iterations (Lloyd descent), for every algorithm', () => {
    const { X } = blobs(2000, 4, 6, 15, 11);
    for (const algorithm of ALGORITHMS) {
      const seen: KMeansIteration[] = [];
      kmeans(X, {
        k: 9,
        algorithm,
        init: 'random',
        nInit: 3,
        tol: 0,
        seed: 2,
        onIteration: (p) => seen.push(p),
      });
      assert.ok(seen.length > 6, `${algorithm}: expected several iterations, got ${seen.length}`);
      for (let q = 1; q < seen.length; q++) {
        const [a, b] = [seen[q - 1]!, seen[q]!];
        if (b.run !== a.run) continue;
        assert.equal(b.iteration, a.iteration + 1);
        assert.ok(
          b.inertia <= a.inertia * (1 + 1e-12),
          `${algorithm} run ${b.run} it ${b.iteration}: ${b.inertia} > ${a.inertia}`,
        );
      }
      assert.deepEqual(new Set(seen.map((p) => p.run)), new Set([0, 1, 2]));
      assert.equal(seen[0]!.changed, 2000);
    }
  });

  it('permuting rows permutes labels (fixed initial centroids)', () => {
    const X = uniform(400, 4, 8);
    const init = Array.from({ length: 6 }, (_, j) => Array.from(X.data.subarray(j * 4, j * 4 + 4)));
    const perm = new Random(99).shuffle(Int32Array.from({ length: 400 }, (_, i) => i));
    const permuted = new Float64Array(400 * 4);
    for (let i = 0; i < 400; i++) permuted.set(X.data.subarray(perm[i]! * 4, perm[i]! * 4 + 4), i * 4);
    for (const algorithm of ALGORITHMS) {
      const a = kmeans(X, { k: 6, init, algorithm });
      const b = kmeans({ data: permuted, rows: 400, cols: 4 }, { k: 6, init, algorithm });
      for (let i = 0; i < 400; i++) assert.equal(b.labels[i], a.labels[perm[i]!], `${algorithm} row ${i}`);
      relClose(b.inertia, a.inertia, 1e-9, `${algorithm} inertia`);
    }
  });

  it('the same seed gives the same result; the seed matters', () => {
    const X = uniform(600, 2, 21);
    const a = kmeans(X, { k: 10, nInit: 1, seed: 7 });
    const b = kmeans(X, { k: 10, nInit: 1, seed: 7 });
    assert.deepEqual(a, b);
    const c = kmeans(X, { k: 10, nInit: 1, seed: 8 });
    assert.notDeepEqual(Array.from(c.centroids), Array.from(a.centroids));
  });

  it('all algorithms give the same run from the same start, in one block and over several', () => {
    // 9,205 rows: two full 4,096-row blocks and one ending mid-word, so the relabelled rows Hamerly and Elkan move
    // between incremental sums are marked across block and word edges (Lloyd re-sums from scratch).
    for (const [n, d, k, seed] of [
      [3000, 5, 12, 4],
      [2 * 4096 + 1013, 3, 9, 21],
    ] as const) {
      const X = uniform(n, d, seed);
      const init = Array.from({ length: k }, (_, j) => Array.from(X.data.subarray(j * d, j * d + d)));
      const ref = kmeans(X, { k, init, algorithm: 'lloyd', tol: 0 });
      for (const algorithm of ['elkan', 'hamerly'] as const) {
        const r = kmeans(X, { k, init, algorithm, tol: 0 });
        assert.deepEqual(r.labels, ref.labels, `${algorithm}, n = ${n}`);
        assert.equal(r.iterations, ref.iterations, `${algorithm}, n = ${n}`);
        relClose(r.inertia, ref.inertia, 1e-9, `${algorithm}, n = ${n}`);
      }
    }
  });

  it('all algorithms agree in high dimension too (Elkan chosen by auto; looped distance kernel)', () => {
    const X = uniform(400, 70, 12);
    const init = Array.from({ length: 5 }, (_, j) => Array.from(X.data.subarray(j * 70, j * 70 + 70)));
    const ref = kmeans(X, { k: 5, init, algorithm: 'lloyd', tol: 0 });
    for (const algorithm of ['elkan', 'hamerly', 'auto'] as const) {
      const r = kmeans(X, { k: 5, init, algorithm, tol: 0 });
      assert.deepEqual(r.labels, ref.labels, algorithm);
      relClose(r.inertia, ref.inertia, 1e-9, algorithm);
    }
  });

  it('recovers planted blobs exactly (up to renumbering)', () => {
    const { X, truth } = blobs(3000, 5, 6, 1, 42);
    for (const algorithm of ALGORITHMS) {
      const r = kmeans(X, { k: 6, algorithm, seed: 1 });
      assert.ok(samePartition(r.labels, truth), `${algorithm} did not recover the blobs`);
      assert.equal(r.converged, true);
    }
  });

  it('handles duplicate points: identical rows, and fewer distinct points than k', () => {
    const same = Array.from({ length: 20 }, () => [3, -1, 2]);
    for (const algorithm of ALGORITHMS) {
      const r = kmeans(same, { k: 3, algorithm });
      assert.equal(r.inertia, 0);
      assert.ok(r.labels.every((l) => l >= 0 && l < 3));
      for (let j = 0; j < 3; j++)
        assert.deepEqual(Array.from(r.centroids.subarray(j * 3, j * 3 + 3)), [3, -1, 2]);
    }
    const five = Array.from({ length: 50 }, (_, i) => [i % 5, (i % 5) * 2]);
    for (const algorithm of ALGORITHMS) {
      const r = kmeans(five, { k: 5, algorithm, seed: 3 });
      assert.equal(r.inertia, 0, algorithm);
      assert.ok(
        samePartition(
          r.labels,
          Array.from({ length: 50 }, (_, i) => i % 5),
        ),
        algorithm,
      );
    }
  });

  it('constant columns do not change the clustering of the other columns', () => {
    const X = uniform(300, 2, 31);
    const withConst = new Float64Array(300 * 3);
    for (let i = 0; i < 300; i++) withConst.set([X.data[i * 2]!, 7.5, X.data[i * 2 + 1]!], i * 3);
    const init = [
      [0.1, 0.1],
      [0.9, 0.2],
      [0.5, 0.9],
    ];
    for (const algorithm of ALGORITHMS) {
      const a = kmeans(X, { k: 3, init, algorithm });
      const b = kmeans(
        { data: withConst, rows: 300, cols: 3 },
        { k: 3, init: init.map(([p, q]) => [p!, 7.5, q!]), algorithm },
      );
      assert.deepEqual(b.labels, a.labels);
      relClose(b.inertia, a.inertia, 1e-12, 'inertia');
      for (let j = 0; j < 3; j++) assert.equal(b.centroids[j * 3 + 1], 7.5);
    }
  });

  it('integer sample weights act like repeated rows', () => {
    const X = uniform(120, 2, 17);
    const weights = Array.from({ length: 120 }, (_, i) => 1 + (i % 3));
    const repeated: number[][] = [];
    for (let i = 0; i < 120; i++)
      for (let r = 0; r < weights[i]!; r++) repeated.push([X.data[i * 2]!, X.data[i * 2 + 1]!]);
    const init = [
      [0.2, 0.2],
      [0.8, 0.3],
      [0.4, 0.8],
      [0.9, 0.9],
    ];
    for (const algorithm of ALGORITHMS) {
      const a = kmeans(X, { k: 4, init, algorithm, sampleWeight: weights, tol: 0 });
      const b = kmeans(repeated, { k: 4, init, algorithm, tol: 0 });
      relClose(a.inertia, b.inertia, 1e-10, `${algorithm} inertia`);
      for (let q = 0; q < a.centroids.length; q++)
        assert.ok(Math.abs(a.centroids[q]! - b.centroids[q]!) < 1e-12);
    }
  });

  it('k = 1 gives the mean; k = n gives zero inertia', () => {
    const X = [
      [1, 2],
      [3, 4],
      [5, 9],
    ];
    for (const algorithm of ALGORITHMS) {
      const one = kmeans(X, { k: 1, algorithm });
      assert.ok(Math.abs(one.centroids[0]! - 3) < 1e-12 && Math.abs(one.centroids[1]! - 5) < 1e-12);
      const all = kmeans(X, { k: 3, algorithm });
      assert.equal(all.inertia, 0);
      assert.deepEqual(new Set(all.labels), new Set([0, 1, 2]));
    }
  });

  it('stops at maxIter without claiming convergence, and accepts Float32 data', () => {
    const X = uniform(1000, 3, 2);
    const r = kmeans(X, { k: 20, maxIter: 1, nInit: 1, tol: 0 });
    assert.equal(r.iterations, 1);
    assert.equal(r.converged, false);
    assert.deepEqual(predictKMeans(r.centroids, 20, X), r.labels);
    const f32 = kmeans({ data: Float32Array.from(X.data), rows: 1000, cols: 3 }, { k: 4, seed: 1 });
    assert.ok(f32.labels.every((l) => l >= 0 && l < 4));
  });

  it('keeps the best of nInit runs', () => {
    const X = uniform(800, 2, 6);
    const runs: number[] = [];
    for (let nInit = 1; nInit <= 4; nInit++)
      runs.push(kmeans(X, { k: 15, nInit, init: 'random', seed: 5 }).inertia);
    for (let q = 1; q < runs.length; q++)
      assert.ok(runs[q]! <= runs[q - 1]!, `nInit ${q + 1}: ${runs[q]} > ${runs[q - 1]}`);
  });

  it('readKMeansLabels: one fit per seed in a shared workspace, each with the labels kmeans gives that seed', () => {
    // 9,000 rows: three blocks, the last one partial, so relabelled rows are marked across block and word edges.
    const { X } = blobs(9000, 4, 7, 6, 8);
    const seeds = [3, 3, 11, 4_000_000_001];
    for (const options of [
      { k: 7, nInit: 1 },
      { k: 7, nInit: 2, algorithm: 'elkan' as const },
      { k: 5, nInit: 1, init: 'random' as const, threads: 2 },
    ]) {
      const seen: number[] = [];
      readKMeansLabels(X, options, seeds, (labels, fit) => {
        seen.push(fit);
        const expected = kmeans(X, { ...options, seed: seeds[fit]! }).labels;
        assert.deepEqual(labels, expected, `${JSON.stringify(options)}, seed ${seeds[fit]}`);
      });
      assert.deepEqual(seen, [0, 1, 2, 3]);
    }
    assert.throws(() => readKMeansLabels(X, { k: 2 }, [1, NaN], () => {}), /seed must be a finite number/);
  });
});

describe('kmeans: input validation', () => {
  const X = [
    [0, 0],
    [1, 1],
    [2, 2],
  ];
  const cases: [string, () => unknown, RegExp, typeof TypeError | typeof RangeError][] = [
    ['NaN in X', () => kmeans([[0, NaN]], { k: 1 }), /X\[0\]\[1\] is NaN/, RangeError],
    ['Infinity in X', () => kmeans([[0], [Infinity]], { k: 1 }), /X\[1\]\[0\] is Infinity/, RangeError],
    ['empty X', () => kmeans([], { k: 1 }), /X is empty/, RangeError],
    ['k = 0', () => kmeans(X, { k: 0 }), /k must be an integer in \[1, 3\], got 0/, RangeError],
    ['k > n', () => kmeans(X, { k: 4 }), /got 4/, RangeError],
    ['k not an integer', () => kmeans(X, { k: 1.5 }), /got 1\.5/, RangeError],
    [
      'init columns',
      () => kmeans(X, { k: 1, init: [[0, 0, 0]] }),
      /init centroids have 3 columns but X has 2/,
      RangeError,
    ],
    ['init rows', () => kmeans(X, { k: 2, init: [[0, 0]] }), /init has 1 centroids but k is 2/, RangeError],
    ['init NaN', () => kmeans(X, { k: 1, init: [[0, NaN]] }), /init\[0\]\[1\] is NaN/, RangeError],
    ['unknown init', () => kmeans(X, { k: 1, init: 'kmeans' as 'random' }), /got 'kmeans'/, TypeError],
    ['unknown algorithm', () => kmeans(X, { k: 1, algorithm: 'full' as 'lloyd' }), /got 'full'/, TypeError],
    ['nInit 0', () => kmeans(X, { k: 1, nInit: 0 }), /nInit must be an integer ≥ 1, got 0/, RangeError],
    ['maxIter 0', () => kmeans(X, { k: 1, maxIter: 0 }), /maxIter must be an integer ≥ 1, got 0/, RangeError],
    [
      'negative tol',
      () => kmeans(X, { k: 1, tol: -1 }),
      /tol must be a finite number ≥ 0, got -1/,
      RangeError,
    ],
    [
      'weight length',
      () => kmeans(X, { k: 1, sampleWeight: [1, 1] }),
      /sampleWeight has length 2, expected 3/,
      RangeError,
    ],
    [
      'negative weight',
      () => kmeans(X, { k: 1, sampleWeight: [1, -2, 1] }),
      /sampleWeight\[1\] is -2/,
      RangeError,
    ],
    ['zero weights', () => kmeans(X, { k: 1, sampleWeight: [0, 0, 0] }), /sums to 0/, RangeError],
    ['bad seed', () => kmeans(X, { k: 1, seed: NaN }), /seed must be a finite number, got NaN/, RangeError],
    [
      'predict dimension mismatch',
      () => predictKMeans(new Float64Array(3), 1, { data: new Float64Array(4), rows: 2, cols: 2 }),
      /centroids has length 3, expected k × X.cols = 1 × 2 = 2/,
      RangeError,
    ],
  ];
  for (const [name, fn, message, type] of cases) {
    it(name, () =>
      assert.throws(fn, (e: unknown) => e instanceof type && message.test((e as Error).message)),
    );
  }
});

describe('predictKMeans', () => {
  it('assigns the nearest centroid, ties to the lowest index', () => {
    const centroids = new Float64Array([0, 0, 2, 0, 10, 10]);
    const X: Matrix = { data: new Float64Array([1, 0, 0.4, 0, 9, 9, 1.7, 0]), rows: 4, cols: 2 };
    assert.deepEqual(Array.from(predictKMeans(centroids, 3, X)), [0, 0, 2, 1]);
  });
});

describe('kmeans: threads', () => {
  // Rows split into fixed blocks and per-block sums combined in block order: any thread count, the same result.
  const { X } = blobs(30_000, 5, 7, 12, 3);
  const weights = Array.from({ length: 30_000 }, (_, i) => 0.5 + ((i * 7919) % 13) / 4);

  it('every core, seeding and inertia give bit-identical results on 1 and 2 threads (workers taking blocks)', () => {
    const { x, meanVariance } = centre(X, true);
    // Each combination starts a worker (slow from source under tsx), so the three cores share out the weights.
    const cases = [
      ['none', Float64Array.from(weights)],
      ['hamerly', null],
      ['elkan', Float64Array.from(weights)],
    ] as const;
    for (const [bounds, w] of cases) {
      const core = bounds === 'none' ? lloyd : bounds === 'hamerly' ? hamerly : elkan;
      {
        const results = [1, 2].map((threads) => {
          const ws = new KMeansWorkspace({ x, n: X.rows, d: 5, k: 9, w, bounds, plusPlus: true, threads });
          try {
            if (threads > 1) assert.ok(ws.waitForWorkers(), 'the worker started');
            const centers = new Float64Array(9 * 5);
            const seeds = seedPlusPlus(ws, 9, new Random(4), centers);
            const control = { maxIter: 300, tol: 1e-4 * meanVariance, run: 0, onIteration: undefined };
            const outcome = core(ws, centers, control);
            const inertia = ws.inertia(centers);
            if (threads > 1) assert.ok(ws.workerBlocks > 0, `${bounds}: no block ran on the worker`);
            return { seeds, centers, labels: ws.labels.slice(), inertia, outcome };
          } finally {
            ws.close();
          }
        });
        const [one, two] = results as [(typeof results)[0], (typeof results)[0]];
        const what = `${bounds}, ${w === null ? 'unweighted' : 'weighted'}`;
        assert.deepEqual(two.seeds, one.seeds, `${what}: seeds`);
        assert.deepEqual(two.centers, one.centers, `${what}: centroids`);
        assert.deepEqual(two.labels, one.labels, `${what}: labels`);
        assert.equal(two.inertia, one.inertia, `${what}: inertia`);
        assert.deepEqual(two.outcome, one.outcome, `${what}: iterations`);
      }
    }
  });

  it('kmeans({ threads }) returns the same result on 1, 2 and 3 threads', () => {
    const cases = [
      ['auto', 'k-means++', weights, 2],
      ['lloyd', 'random', undefined, 3],
      ['elkan', 'k-means++', undefined, 2],
    ] as const;
    for (const [algorithm, init, sampleWeight, threads] of cases) {
      const run = (t: number): KMeansResult =>
        kmeans(X, {
          k: 7,
          nInit: 2,
          seed: 9,
          algorithm,
          init,
          threads: t,
          ...(sampleWeight ? { sampleWeight } : {}),
        });
      assert.deepEqual(run(threads), run(1), `${algorithm}/${init}, ${threads} threads`);
    }
  });

  it('rejects a thread count that is not a positive integer', () => {
    assert.throws(() => kmeans(X, { k: 2, threads: 0 }), /threads must be an integer ≥ 1, got 0/);
    assert.throws(() => kmeans(X, { k: 2, threads: 1.5 }), /threads must be an integer ≥ 1, got 1\.5/);
  });
});

describe('kmeans: WebAssembly kernels', () => {
  const skip = WASM_SIMD ? false : 'this runtime has no WebAssembly SIMD';
  it(
    'give bit-identical seeds, labels, centroids, inertia and iterations to the JavaScript kernels',
    { skip },
    () => {
      // d = 7 (not a multiple of 4) and k = 9 (odd: a padded SIMD lane), trials = 4; weighted and not.
      const { X } = blobs(6000, 7, 9, 14, 5);
      const weights = Float64Array.from({ length: 6000 }, (_, i) => 0.25 + ((i * 31) % 17) / 8);
      const { meanVariance } = centre(X);
      for (const bounds of ['none', 'hamerly', 'elkan'] as const) {
        const core = bounds === 'none' ? lloyd : bounds === 'hamerly' ? hamerly : elkan;
        for (const w of [null, weights]) {
          const run = (wasm: boolean) => {
            // A workspace given x runs the JavaScript kernels; one allocating x itself, the wasm ones.
            const options = { n: 6000, d: 7, k: 9, w, bounds, plusPlus: true, threads: 1 } as const;
            const ws = wasm
              ? new KMeansWorkspace(options)
              : new KMeansWorkspace({ ...options, x: centre(X).x });
            if (wasm) centre(X, false, ws.shared.x);
            assert.equal(ws.shared.memory !== null, wasm);
            const centers = new Float64Array(9 * 7);
            const seeds = seedPlusPlus(ws, 9, new Random(2), centers);
            const control = { maxIter: 300, tol: 1e-5 * meanVariance, run: 0, onIteration: undefined };
            const outcome = core(ws, centers, control);
            return { seeds, centers, labels: ws.labels.slice(), inertia: ws.inertia(centers), outcome };
          };
          assert.deepEqual(run(true), run(false), `${bounds}, ${w === null ? 'unweighted' : 'weighted'}`);
        }
      }
    },
  );
});
