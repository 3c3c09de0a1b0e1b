// Bisecting k-means: quality against scikit-learn's BisectingKMeans on committed fixtures (seeded random streams
// differ from numpy's, so inertia is compared, not labels), recovery of planted blobs, tree invariants, errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// The library's own ARI (parity-tested against scikit-learn in src/metrics), rather than a second copy here.
import { adjustedRandScore } from '../metrics/adjusted-rand.js';
import { type BisectingStrategy, bisectingKMeans } from './bisecting-k-means.js';
import { kmeans } from './k-means.js';

interface BisectingFixture {
  X: number[][];
  truth: number[];
  k: number;
  kmeansInertia: number;
  bisecting: Record<BisectingStrategy, { inertias: number[]; median: number }>;
}

function fixture(name: string): BisectingFixture {
  return JSON.parse(
    readFileSync(new URL(`../../test/fixtures/cluster/${name}`, import.meta.url), 'utf8'),
  ) as BisectingFixture;
}

function within(actual: number, reference: number, rel: number, what: string): void {
  assert.ok(
    actual <= reference * (1 + rel),
    `${what}: ${actual} vs ${reference} (+${((actual / reference - 1) * 100).toFixed(2)}% > ${rel * 100}%)`,
  );
}

const STRATEGIES: BisectingStrategy[] = ['biggest_inertia', 'largest_cluster'];
const SEEDS = [0, 1, 2, 3, 4, 5, 6];

describe('bisectingKMeans: quality against scikit-learn', () => {
  for (const file of ['minibatch-blobs.json', 'minibatch-overlap.json']) {
    const fx = fixture(file);
    for (const strategy of STRATEGIES) {
      it(`${file}, ${strategy}: inertia within 2% of scikit-learn's BisectingKMeans, for every seed`, () => {
        for (const seed of SEEDS) {
          const r = bisectingKMeans(fx.X, { k: fx.k, bisectingStrategy: strategy, seed });
          within(r.inertia, fx.bisecting[strategy].median, 0.02, `seed ${seed}`);
          // Never better than the k-means optimum (beyond rounding).
          assert.ok(r.inertia >= fx.kmeansInertia * (1 - 1e-9), `seed ${seed}: ${r.inertia}`);
        }
      });
    }
  }

  it('recovers planted blobs (ARI ≥ 0.99) for every seed', () => {
    const fx = fixture('minibatch-blobs.json');
    for (const strategy of STRATEGIES) {
      for (const seed of SEEDS) {
        const r = bisectingKMeans(fx.X, { k: fx.k, bisectingStrategy: strategy, seed });
        const ari = adjustedRandScore(fx.truth, r.labels);
        assert.ok(ari >= 0.99, `${strategy} seed ${seed}: ARI ${ari}`);
      }
    }
  });

  it('nInit = 5 finds the k-means optimum on the blobs, for every seed', () => {
    const fx = fixture('minibatch-blobs.json');
    for (const seed of SEEDS) {
      const r = bisectingKMeans(fx.X, { k: fx.k, nInit: 5, seed });
      within(r.inertia, fx.kmeansInertia, 1e-9, `seed ${seed}`);
    }
  });
});

describe('bisectingKMeans: invariants', () => {
  const fx = fixture('minibatch-overlap.json');
  const n = fx.X.length;

  it('k = 1 is the mean and the total sum of squares', () => {
    const r = bisectingKMeans(fx.X, { k: 1 });
    const mean = [0, 0];
    for (const row of fx.X) for (let t = 0; t < 2; t++) mean[t]! += row[t]! / n;
    let ss = 0;
    for (const row of fx.X) ss += (row[0]! - mean[0]!) ** 2 + (row[1]! - mean[1]!) ** 2;
    assert.ok(Math.abs(r.centroids[0]! - mean[0]!) < 1e-9 && Math.abs(r.centroids[1]! - mean[1]!) < 1e-9);
    assert.ok(Math.abs(r.inertia - ss) <= 1e-9 * ss);
    assert.ok(r.labels.every((l) => l === 0));
  });

  it('every cluster is non-empty, inertia matches labels and centroids, and k-means only improves on it', () => {
    for (const k of [2, 5, 12]) {
      const r = bisectingKMeans(fx.X, { k, seed: 4 });
      const sizes = new Int32Array(k);
      let inertia = 0;
      fx.X.forEach((row, i) => {
        const l = r.labels[i]!;
        sizes[l]!++;
        inertia += (row[0]! - r.centroids[l * 2]!) ** 2 + (row[1]! - r.centroids[l * 2 + 1]!) ** 2;
      });
      assert.ok(
        sizes.every((s) => s > 0),
        `k = ${k}: sizes ${sizes.join(',')}`,
      );
      assert.ok(Math.abs(r.inertia - inertia) <= 1e-9 * inertia);
      const refined = kmeans(fx.X, {
        k,
        init: Array.from({ length: k }, (_, j) => [...r.centroids.subarray(j * 2, j * 2 + 2)]),
      });
      assert.ok(refined.inertia <= r.inertia * (1 + 1e-12));
    }
  });

  it('splitting is hierarchical: the k-cluster partition refines the (k − 1)-cluster one for the same seed', () => {
    // The first k − 2 splits draw the same random numbers, so the tree up to k − 1 leaves is the same.
    const coarse = bisectingKMeans(fx.X, { k: 5, seed: 8 });
    const fine = bisectingKMeans(fx.X, { k: 6, seed: 8 });
    const parent = new Map<number, number>();
    fx.X.forEach((_, i) => {
      const f = fine.labels[i]!;
      const c = coarse.labels[i]!;
      assert.equal(parent.get(f) ?? c, c, `fine cluster ${f} straddles coarse clusters`);
      parent.set(f, c);
    });
    assert.equal(new Set(parent.values()).size, 5);
  });

  it('largest_cluster splits the most populous leaf: sizes stay balanced on uniform-ish data', () => {
    const r = bisectingKMeans(fx.X, { k: 4, bisectingStrategy: 'largest_cluster', seed: 1 });
    const sizes = new Int32Array(4);
    for (const l of r.labels) sizes[l]!++;
    // After splitting the root and then both halves, each leaf holds a sizeable share of the rows.
    assert.ok(Math.min(...sizes) > n / 10, `sizes ${sizes.join(',')}`);
  });

  it('same seed → same result', () => {
    assert.deepEqual(bisectingKMeans(fx.X, { k: 6, seed: 3 }), bisectingKMeans(fx.X, { k: 6, seed: 3 }));
    const pp = { k: 6, seed: 3, init: 'k-means++', nInit: 2 } as const;
    assert.deepEqual(bisectingKMeans(fx.X, pp), bisectingKMeans(fx.X, pp));
  });
});

describe('bisectingKMeans: input errors', () => {
  const X = [
    [0, 0],
    [1, 1],
    [2, 2],
  ];
  it('names the bad value', () => {
    assert.throws(() => bisectingKMeans(X, { k: 4 }), /k must be an integer in \[1, 3\], got 4/);
    assert.throws(() => bisectingKMeans(X, { k: 0 }), RangeError);
    assert.throws(
      () => bisectingKMeans(X, { k: 2, bisectingStrategy: 'smallest' as BisectingStrategy }),
      (e: unknown) => e instanceof TypeError && /got 'smallest'/.test(e.message),
    );
    assert.throws(() => bisectingKMeans(X, { k: 2, init: 'x' as 'random' }), TypeError);
    assert.throws(() => bisectingKMeans(X, { k: 2, nInit: 0 }), /nInit .* got 0/);
    assert.throws(() => bisectingKMeans(X, { k: 2, tol: -1 }), /tol .* got -1/);
    assert.throws(() => bisectingKMeans([[NaN, 0]], { k: 1 }), /X\[0\]\[0\] is NaN/);
    assert.throws(() => bisectingKMeans(X, undefined as never), TypeError);
  });

  it('duplicate rows: a single-row leaf is never picked; identical rows may leave a leaf empty, as in scikit-learn', () => {
    const dup = [
      [0, 0],
      [0, 0],
      [0, 0],
      [5, 5],
    ];
    const r = bisectingKMeans(dup, { k: 3, seed: 1 });
    assert.equal(r.inertia, 0);
    assert.ok(r.labels.every((l) => l >= 0 && l < 3));
    assert.notEqual(r.labels[3], r.labels[0]);
  });
});

describe('bisectingKMeans: sample weights', () => {
  interface WeightedFixture {
    X: number[][];
    sampleWeight: number[];
    k: number;
    kmeansInertia: number;
    bisecting: Record<BisectingStrategy, { inertias: number[]; median: number }>;
  }
  const fx = JSON.parse(
    readFileSync(
      new URL('../../test/fixtures/cluster/kmeans-weighted-quality.json', import.meta.url),
      'utf8',
    ),
  ) as WeightedFixture;

  for (const strategy of STRATEGIES) {
    it(`${strategy}: median weighted inertia within 2% of scikit-learn's BisectingKMeans(sample_weight)`, () => {
      const inertias = SEEDS.map(
        (seed) =>
          bisectingKMeans(fx.X, { k: fx.k, bisectingStrategy: strategy, sampleWeight: fx.sampleWeight, seed })
            .inertia,
      );
      inertias.sort((a, b) => a - b);
      const median = inertias[inertias.length >> 1]!;
      within(median, fx.bisecting[strategy].median, 0.02, 'median');
      assert.ok(
        inertias[0]! >= fx.kmeansInertia * (1 - 1e-6),
        `${inertias[0]} below the weighted k-means optimum`,
      );
    });
  }

  it('biggest_inertia: integer weights act like repeated rows (k-means++ seeding draws alike)', () => {
    // Not for largest_cluster: scikit-learn scores leaves by row count there, not by weight.
    const rows = fx.X.slice(0, 800);
    const counts = rows.map((_, i) => 1 + (i % 3));
    const repeated: number[][] = [];
    const origin: number[] = [];
    rows.forEach((row, i) => {
      for (let r = 0; r < counts[i]!; r++) {
        repeated.push(row);
        origin.push(i);
      }
    });
    const options = { k: 4, init: 'k-means++', nInit: 2, seed: 6 } as const;
    const a = bisectingKMeans(rows, { ...options, sampleWeight: counts });
    const b = bisectingKMeans(repeated, options);
    assert.ok(Math.abs(a.inertia - b.inertia) <= 1e-9 * b.inertia, `${a.inertia} vs ${b.inertia}`);
    for (let q = 0; q < a.centroids.length; q++) {
      assert.ok(Math.abs(a.centroids[q]! - b.centroids[q]!) <= 1e-9, `centroid value ${q}`);
    }
    origin.forEach((i, r) => assert.equal(b.labels[r], a.labels[i], `row ${i}`));
  });

  it('rejects bad weights, naming the value', () => {
    assert.throws(
      () => bisectingKMeans(fx.X, { k: 2, sampleWeight: [1] }),
      /sampleWeight has length 1, expected 2000/,
    );
    assert.throws(
      () => bisectingKMeans(fx.X.slice(0, 2), { k: 2, sampleWeight: [1, NaN] }),
      /sampleWeight\[1\] is NaN/,
    );
  });
});
