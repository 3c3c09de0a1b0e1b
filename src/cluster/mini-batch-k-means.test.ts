// Mini-batch k-means: quality against scikit-learn's MiniBatchKMeans and segmint's full k-means on committed
// fixtures (seeded random streams differ from numpy's, so inertia is compared, not labels), streaming, errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// The library's own ARI (parity-tested against scikit-learn in src/metrics), rather than a second copy here.
import { adjustedRandScore } from '../metrics/adjusted-rand.js';
import { kmeans } from './k-means.js';
import { MiniBatchKMeans, miniBatchKMeans } from './mini-batch-k-means.js';

interface Summary {
  inertias: number[];
  median: number;
}
interface MiniBatchFixture {
  X: number[][];
  truth: number[];
  k: number;
  kmeansInertia: number;
  miniBatch: Summary & { batchSize: number; nInit: number };
  bisecting: Record<'biggest_inertia' | 'largest_cluster', Summary>;
}

function fixture(name: string): MiniBatchFixture {
  return JSON.parse(
    readFileSync(new URL(`../../test/fixtures/cluster/${name}`, import.meta.url), 'utf8'),
  ) as MiniBatchFixture;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function within(actual: number, reference: number, rel: number, what: string): void {
  assert.ok(
    actual <= reference * (1 + rel),
    `${what}: ${actual} vs ${reference} (+${((actual / reference - 1) * 100).toFixed(2)}% > ${rel * 100}%)`,
  );
}

const blobs = fixture('minibatch-blobs.json');
const overlap = fixture('minibatch-overlap.json');
const SEEDS = [0, 1, 2, 3, 4];

describe('miniBatchKMeans: quality', () => {
  it('recovers planted blobs (ARI ≥ 0.99) for every seed', () => {
    for (const seed of SEEDS) {
      const r = miniBatchKMeans(blobs.X, { k: blobs.k, seed });
      const ari = adjustedRandScore(blobs.truth, r.labels);
      assert.ok(ari >= 0.99, `seed ${seed}: ARI ${ari}`);
    }
  });

  it("blobs: inertia within 2% of full k-means and of scikit-learn's MiniBatchKMeans, for every seed", () => {
    const full = kmeans(blobs.X, { k: blobs.k, seed: 0 }).inertia;
    within(full, blobs.kmeansInertia, 1e-9, 'segmint kmeans vs scikit-learn KMeans');
    for (const seed of SEEDS) {
      const r = miniBatchKMeans(blobs.X, { k: blobs.k, seed });
      within(r.inertia, full, 0.02, `seed ${seed} vs kmeans`);
      within(r.inertia, blobs.miniBatch.median, 0.02, `seed ${seed} vs scikit-learn MiniBatchKMeans`);
      assert.ok(r.inertia >= full * (1 - 1e-9), `seed ${seed}: below the k-means optimum?`);
    }
  });

  it("overlapping blobs: median inertia over seeds within 2% of scikit-learn's median", () => {
    // Here single runs scatter by ~10% on both sides (scikit-learn: see the fixture), so medians are compared.
    const ours = median(SEEDS.map((seed) => miniBatchKMeans(overlap.X, { k: overlap.k, seed }).inertia));
    within(ours, overlap.miniBatch.median, 0.02, 'median vs scikit-learn');
    within(ours, overlap.kmeansInertia, 0.1, 'median vs k-means optimum');
  });

  it('labels are the nearest final centroids and inertia matches them', () => {
    const r = miniBatchKMeans(overlap.X, { k: overlap.k, seed: 3, batchSize: 100 });
    const d = 2;
    let inertia = 0;
    overlap.X.forEach((row, i) => {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < overlap.k; j++) {
        const s = (row[0]! - r.centroids[j * d]!) ** 2 + (row[1]! - r.centroids[j * d + 1]!) ** 2;
        if (s < bestD) [best, bestD] = [j, s];
      }
      assert.equal(r.labels[i], best, `row ${i}`);
      inertia += bestD;
    });
    assert.ok(Math.abs(r.inertia - inertia) <= 1e-9 * inertia);
    assert.equal(r.centroids.length, overlap.k * d);
  });

  it('same seed → same result; another seed → another run', () => {
    const a = miniBatchKMeans(overlap.X, { k: overlap.k, seed: 11 });
    const b = miniBatchKMeans(overlap.X, { k: overlap.k, seed: 11 });
    assert.deepEqual(a, b);
    const c = miniBatchKMeans(overlap.X, { k: overlap.k, seed: 12 });
    assert.notDeepEqual(a.centroids, c.centroids);
  });

  it('stopping: maxIter caps the steps at ⌊maxIter·n/batch⌋; maxNoImprovement and tol stop earlier', () => {
    const n = overlap.X.length;
    const capped = miniBatchKMeans(overlap.X, { k: 6, batchSize: 100, maxIter: 1, maxNoImprovement: 1000 });
    assert.equal(capped.nSteps, Math.floor(n / 100));
    const long = miniBatchKMeans(overlap.X, { k: 6, batchSize: 100, maxNoImprovement: 1000 });
    assert.equal(long.nSteps, Math.floor((100 * n) / 100));
    const early = miniBatchKMeans(overlap.X, { k: 6, batchSize: 100, maxNoImprovement: 3 });
    assert.ok(early.nSteps < 100, `maxNoImprovement 3 took ${early.nSteps} steps`);
    const tol = miniBatchKMeans(overlap.X, { k: 6, batchSize: 100, tol: 1, maxNoImprovement: 1000 });
    assert.equal(tol.nSteps, 2, 'a huge tol stops at the first step that is checked');
  });

  it('batchSize above the row count is capped; random init also recovers the blobs', () => {
    const r = miniBatchKMeans(blobs.X, { k: blobs.k, batchSize: 100_000, init: 'random', nInit: 5, seed: 2 });
    assert.ok(adjustedRandScore(blobs.truth, r.labels) >= 0.99);
  });
});

describe('MiniBatchKMeans: streaming partialFit', () => {
  it('batches of 200 over three passes converge close to the full fit', () => {
    const full = kmeans(blobs.X, { k: blobs.k, seed: 0 });
    const model = new MiniBatchKMeans({ k: blobs.k, seed: 5 });
    for (let pass = 0; pass < 3; pass++) {
      for (let s = 0; s < blobs.X.length; s += 200) model.partialFit(blobs.X.slice(s, s + 200));
    }
    assert.equal(model.nSteps, 3 * Math.ceil(blobs.X.length / 200));
    const c = model.centroids;
    const d = 3;
    // Each streamed centroid sits next to a distinct full-fit centroid (blob sd is 1; centres ≥ 5 apart).
    const matched = new Set<number>();
    for (let j = 0; j < blobs.k; j++) {
      let best = -1;
      let bestD = Infinity;
      for (let q = 0; q < blobs.k; q++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (c[j * d + t]! - full.centroids[q * d + t]!) ** 2;
        if (s < bestD) [best, bestD] = [q, s];
      }
      assert.ok(
        Math.sqrt(bestD) < 0.15,
        `centroid ${j} is ${Math.sqrt(bestD)} from the nearest full-fit one`,
      );
      matched.add(best);
    }
    assert.equal(matched.size, blobs.k);
    const labels = model.predict(blobs.X);
    assert.ok(adjustedRandScore(blobs.truth, labels) >= 0.99);
    // No counts are lost: reassignment only resets starved ones, and these well-fed blobs starve none.
    assert.ok(model.counts.every((v) => v > 100));
  });

  it('is deterministic for a seed and accepts batches of varying size (larger than the first)', () => {
    const run = (): Float64Array => {
      const m = new MiniBatchKMeans({ k: 6, seed: 9 });
      m.partialFit(overlap.X.slice(0, 50))
        .partialFit(overlap.X.slice(50, 1000))
        .partialFit(overlap.X.slice(1000));
      return m.centroids;
    };
    assert.deepEqual(run(), run());
  });

  it('rejects bad use', () => {
    const m = new MiniBatchKMeans({ k: 3 });
    assert.throws(() => m.predict([[1, 2]]), /call partialFit first/);
    assert.throws(() => m.centroids, /call partialFit first/);
    assert.throws(() => m.partialFit([[1, 2]]), /k must be an integer in \[1, 1\], got 3/);
    m.partialFit([
      [0, 0],
      [1, 1],
      [5, 5],
    ]);
    assert.throws(() => m.partialFit([[1, 2, 3]]), /batch has 3 columns but the model was fitted on 2/);
    assert.throws(() => m.predict([[1]]), /X has 1 columns/);
    assert.throws(() => m.partialFit([[NaN, 1]]), /batch\[0\]\[0\] is NaN/);
  });
});

describe('miniBatchKMeans: input errors', () => {
  const X = [
    [0, 0],
    [1, 1],
    [2, 2],
  ];
  it('names the bad value', () => {
    assert.throws(() => miniBatchKMeans(X, { k: 0 }), RangeError);
    assert.throws(() => miniBatchKMeans(X, { k: 4 }), /k must be an integer in \[1, 3\], got 4/);
    assert.throws(
      () => miniBatchKMeans(X, { k: 2, batchSize: 0 }),
      /batchSize must be an integer ≥ 1, got 0/,
    );
    assert.throws(() => miniBatchKMeans(X, { k: 2, maxIter: 1.5 }), /maxIter .* got 1.5/);
    assert.throws(() => miniBatchKMeans(X, { k: 2, tol: -1 }), /tol must be a finite number ≥ 0, got -1/);
    assert.throws(() => miniBatchKMeans(X, { k: 2, reassignmentRatio: NaN }), /reassignmentRatio .* got NaN/);
    assert.throws(() => miniBatchKMeans(X, { k: 2, nInit: 0 }), /nInit .* got 0/);
    assert.throws(() => miniBatchKMeans(X, { k: 2, seed: Infinity }), /seed .* got Infinity/);
    assert.throws(
      () => miniBatchKMeans(X, { k: 2, init: 'kmeans' as 'random' }),
      (e: unknown) => e instanceof TypeError && /got 'kmeans'/.test(e.message),
    );
    assert.throws(() => miniBatchKMeans([], { k: 1 }), /X is empty/);
    assert.throws(() => miniBatchKMeans([[1, Infinity]], { k: 1 }), /X\[0\]\[1\] is Infinity/);
    assert.throws(() => miniBatchKMeans(X, null as never), TypeError);
    assert.throws(() => new MiniBatchKMeans({ k: -1 }), /k must be an integer ≥ 1, got -1/);
  });
});

describe('miniBatchKMeans and MiniBatchKMeans: sample weights', () => {
  interface WeightedFixture {
    X: number[][];
    sampleWeight: number[];
    k: number;
    kmeansInertia: number;
    miniBatch: Summary & { batchSize: number };
    miniBatchUnweightedScored: Summary;
  }
  const fx = JSON.parse(
    readFileSync(
      new URL('../../test/fixtures/cluster/kmeans-weighted-quality.json', import.meta.url),
      'utf8',
    ),
  ) as WeightedFixture;

  it("weighted fits: median weighted inertia within 2% of scikit-learn's, far below unweighted fits'", () => {
    const SEVEN = [0, 1, 2, 3, 4, 5, 6];
    const inertias = SEVEN.map(
      (seed) =>
        miniBatchKMeans(fx.X, {
          k: fx.k,
          sampleWeight: fx.sampleWeight,
          batchSize: fx.miniBatch.batchSize,
          seed,
        }).inertia,
    );
    const ours = median(inertias);
    within(ours, fx.miniBatch.median, 0.02, 'median vs scikit-learn MiniBatchKMeans(sample_weight)');
    for (const v of inertias)
      assert.ok(v >= fx.kmeansInertia * (1 - 1e-6), `${v} below the weighted optimum`);
    // Unweighted fits, scored with the weights, are > 50% worse here: the weights do steer the fit.
    assert.ok(
      ours * 1.5 < fx.miniBatchUnweightedScored.median,
      `${ours} vs ${fx.miniBatchUnweightedScored.median}`,
    );
  });

  it('weighted inertia is Σ w·‖x − c‖² of the returned labels; unit weights change nothing', () => {
    const r = miniBatchKMeans(fx.X, { k: fx.k, sampleWeight: fx.sampleWeight, seed: 2 });
    let inertia = 0;
    fx.X.forEach((row, i) => {
      const l = r.labels[i]!;
      inertia +=
        fx.sampleWeight[i]! *
        ((row[0]! - r.centroids[2 * l]!) ** 2 + (row[1]! - r.centroids[2 * l + 1]!) ** 2);
    });
    assert.ok(Math.abs(r.inertia - inertia) <= 1e-9 * inertia);
    const ones = fx.X.map(() => 1);
    assert.deepEqual(
      miniBatchKMeans(fx.X, { k: fx.k, sampleWeight: ones, seed: 2 }),
      miniBatchKMeans(fx.X, { k: fx.k, seed: 2 }),
    );
  });

  it('rows of weight 0 are never drawn: a weightless blob gets no centroid', () => {
    // blobs: 5 planted groups; give group 4 no weight and ask for 4 clusters.
    const w = blobs.truth.map((t) => (t === 4 ? 0 : 1));
    const r = miniBatchKMeans(blobs.X, { k: 4, sampleWeight: w, seed: 1 });
    const kept = blobs.truth.map((t, i) => [t, i] as const).filter(([t]) => t !== 4);
    const ari = adjustedRandScore(
      kept.map(([t]) => t),
      kept.map(([, i]) => r.labels[i]!),
    );
    assert.ok(ari >= 0.99, `ARI on the weighted rows ${ari}`);
  });

  it('partialFit: integer weights act like repeated rows', () => {
    // Small batches (seeding uses all rows) and no reassignment, so both streams draw the same random numbers.
    const rows = fx.X.slice(0, 600);
    const counts = rows.map((_, i) => [1, 2, 3, 0][i % 4]!);
    const repeat = (lo: number, hi: number): number[][] =>
      rows.slice(lo, hi).flatMap((row, j) => Array.from({ length: counts[lo + j]! }, () => row));
    const weighted = new MiniBatchKMeans({ k: fx.k, seed: 4, reassignmentRatio: 0 });
    const repeated = new MiniBatchKMeans({ k: fx.k, seed: 4, reassignmentRatio: 0 });
    for (const [lo, hi] of [
      [0, 300],
      [300, 450],
      [450, 600],
    ] as const) {
      weighted.partialFit(rows.slice(lo, hi), counts.slice(lo, hi));
      repeated.partialFit(repeat(lo, hi));
      assert.ok(
        Math.abs(weighted.lastBatchInertia - repeated.lastBatchInertia) <= 1e-9 * repeated.lastBatchInertia,
      );
    }
    assert.deepEqual(weighted.counts, repeated.counts);
    const a = weighted.centroids;
    const b = repeated.centroids;
    for (let q = 0; q < a.length; q++)
      assert.ok(Math.abs(a[q]! - b[q]!) <= 1e-9 * (1 + Math.abs(b[q]!)), `${q}`);
  });

  it('rejects bad weights, naming the value', () => {
    assert.throws(
      () => miniBatchKMeans(fx.X, { k: 2, sampleWeight: [1, 2] }),
      /sampleWeight has length 2, expected 2000/,
    );
    assert.throws(
      () => miniBatchKMeans(fx.X.slice(0, 3), { k: 2, sampleWeight: [1, -1, 1] }),
      /sampleWeight\[1\] is -1/,
    );
    const m = new MiniBatchKMeans({ k: 2 });
    assert.throws(() => m.partialFit(fx.X.slice(0, 3), [0, 0, 0]), /sums to 0/);
    assert.throws(() => m.partialFit(fx.X.slice(0, 3), [1, 1]), /sampleWeight has length 2, expected 3/);
  });
});
