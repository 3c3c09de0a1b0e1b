// Silhouette: parity with scikit-learn, agreement with a brute-force reference on both code paths, sampling.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { silhouetteSamples, silhouetteScore } from './silhouette.js';
import { bruteForce, randomData, relClose } from './test-support.js';

interface SilhouetteFixture {
  X: number[][];
  cases: { name: string; labels: number[]; score: number; samples: number[] }[];
}

const fx = JSON.parse(
  readFileSync(new URL('../../test/fixtures/cluster/silhouette.json', import.meta.url), 'utf8'),
) as SilhouetteFixture;

describe('silhouette: parity with scikit-learn', () => {
  for (const c of fx.cases) {
    it(`${c.name} labels: score and per-row values to 1e-9 relative`, () => {
      relClose(silhouetteScore(fx.X, c.labels), c.score, 1e-9, 'score');
      const s = silhouetteSamples(fx.X, c.labels);
      c.samples.forEach((v, i) => relClose(s[i]!, v, 1e-9, `row ${i}`));
    });
  }
  it('a point alone in its cluster scores 0', () => {
    const c = fx.cases.find((x) => x.name === 'singleton')!;
    assert.equal(silhouetteSamples(fx.X, c.labels)[17], 0);
  });
});

describe('silhouette: exact on both code paths', () => {
  it('few labels (each pair once, n × labels sums) matches brute force', () => {
    const X = randomData(700, 3, 1); // > 2 tiles, with a partial last tile
    const labels = Array.from({ length: 700 }, (_, i) => (i * 7) % 5);
    const s = silhouetteSamples(X, labels);
    bruteForce(X, labels).forEach((v, i) => relClose(s[i]!, v, 1e-12, `row ${i}`));
  });
  it('many labels (row blocks, tile × labels sums) matches brute force', () => {
    const X = randomData(600, 2, 2);
    const labels = Array.from({ length: 600 }, (_, i) => Math.floor(i / 2) + (i === 599 ? 1000 : 0)); // 301 labels
    const s = silhouetteSamples(X, labels);
    bruteForce(X, labels).forEach((v, i) => relClose(s[i]!, v, 1e-12, `row ${i}`));
  });
  it('label values are arbitrary integers; Float32 data works', () => {
    const X = randomData(50, 2, 3);
    const a = Array.from({ length: 50 }, (_, i) => i % 3);
    const b = a.map((l) => [-1, 40, 7][l]!);
    assert.deepEqual(silhouetteSamples(X, b), silhouetteSamples(X, a));
    const f32 = { data: Float32Array.from(X.data), rows: 50, cols: 2 };
    const ref = bruteForce({ data: Float64Array.from(f32.data), rows: 50, cols: 2 }, a);
    const s = silhouetteSamples(f32, Int32Array.from(a));
    ref.forEach((v, i) => relClose(s[i]!, v, 1e-12, `row ${i}`));
  });
  it('duplicate points in different clusters give 0, not NaN', () => {
    const s = silhouetteSamples([[0], [0], [0], [0]], [0, 0, 1, 1]);
    assert.deepEqual(Array.from(s), [0, 0, 0, 0]);
  });
  it('separated clusters score near 1, shuffled labels near 0', () => {
    const rng = new Random(4);
    const rows = Array.from({ length: 200 }, (_, i) => [(i % 2) * 100 + rng.normal(), rng.normal()]);
    assert.ok(
      silhouetteScore(
        rows,
        rows.map((_, i) => i % 2),
      ) > 0.95,
    );
    assert.ok(
      Math.abs(
        silhouetteScore(
          rows,
          rows.map((_, i) => Math.floor(i / 2) % 2),
        ),
      ) < 0.1,
    );
  });
});

describe('silhouetteScore with sampleSize', () => {
  const X = randomData(900, 2, 5);
  const labels = Int32Array.from(
    { length: 900 },
    (_, i) => (X.data[i * 2]! > 0 ? 1 : 0) + (X.data[i * 2 + 1]! > 0 ? 2 : 0),
  );
  it('scores the seeded sample with distances among the sample only', () => {
    const idx = new Random(9).sampleIndices(900, 150);
    const sub = new Float64Array(150 * 2);
    idx.forEach((r, q) => sub.set(X.data.subarray(r * 2, r * 2 + 2), q * 2));
    const expected = bruteForce(
      { data: sub, rows: 150, cols: 2 },
      Array.from(idx, (r) => labels[r]!),
    );
    const mean = expected.reduce((a, b) => a + b, 0) / 150;
    relClose(silhouetteScore(X, labels, { sampleSize: 150, seed: 9 }), mean, 1e-12, 'sampled score');
  });
  it('is deterministic per seed and close to the exact score', () => {
    const full = silhouetteScore(X, labels);
    const a = silhouetteScore(X, labels, { sampleSize: 400, seed: 1 });
    assert.equal(silhouetteScore(X, labels, { sampleSize: 400, seed: 1 }), a);
    assert.notEqual(silhouetteScore(X, labels, { sampleSize: 400, seed: 2 }), a);
    assert.ok(Math.abs(a - full) < 0.05, `${a} vs ${full}`);
    assert.equal(silhouetteScore(X, labels, { sampleSize: 900 }), full);
  });
});

describe('silhouette: input validation', () => {
  const X = [[0], [1], [2], [3]];
  it('needs 2 ≤ labels ≤ n − 1', () => {
    assert.throws(() => silhouetteScore(X, [1, 1, 1, 1]), /1 distinct label among 4 rows/);
    assert.throws(() => silhouetteSamples(X, [0, 1, 2, 3]), RangeError);
    assert.throws(
      () => silhouetteScore(X, [0, 0, 1, 1], { sampleSize: 2, seed: 0 }),
      (e: unknown) => {
        // Two rows can hold at most n − 1 = 1 label... any 2-row sample fails the 2 ≤ L ≤ n − 1 rule.
        return e instanceof RangeError && /sample of 2 rows/.test(e.message);
      },
    );
  });
  it('rejects bad labels, shapes and options, naming the value', () => {
    assert.throws(() => silhouetteScore(X, [0, 1, 0]), /labels has length 3, expected 4/);
    assert.throws(
      () => silhouetteScore(X, [0, 1, 0.5, 1]),
      (e: unknown) => e instanceof TypeError && /labels\[2\] is 0\.5/.test(e.message),
    );
    assert.throws(() => silhouetteScore([[0], [NaN], [1], [2]], [0, 1, 0, 1]), /X\[1\]\[0\] is NaN/);
    assert.throws(
      () => silhouetteScore(X, [0, 1, 0, 1], { sampleSize: 1 }),
      /sampleSize must be an integer ≥ 2, got 1/,
    );
  });
});
