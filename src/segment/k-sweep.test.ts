import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { Random } from '../util/random.js';
import { kmeans } from '../cluster/index.js';
import { silhouetteScore } from '../metrics/index.js';
import { sweepK } from './k-sweep.js';

function blobs(n: number, seed: number) {
  const rng = new Random(seed);
  const centres = [
    [0, 0, 0],
    [6, 0, 0],
    [0, 6, 0],
    [0, 0, 6],
  ];
  const data = new Float64Array(n * 3);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < 3; j++) data[i * 3 + j] = centres[i % 4]![j]! + rng.normal();
  return { data, rows: n, cols: 3 };
}

const OPTIONS = { nInit: 3, maxIter: 300, seed: 5, silhouetteSampleSize: 5000 };

test('each k is kmeans with seed + k, scored by the exact silhouette', async () => {
  const x = blobs(600, 1);
  const fits = await sweepK(x, [2, 3, 4, 5], OPTIONS, undefined, 'serial');
  for (const f of fits) {
    const ref = kmeans(x, { k: f.k, nInit: 3, seed: 5 + f.k });
    assert.deepEqual(f.labels, ref.labels);
    assert.ok(Math.abs(f.silhouette - silhouetteScore(x, ref.labels)) < 1e-12);
  }
  const best = fits.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
  assert.equal(best.k, 4, 'the planted k has the best silhouette');
});

test(
  'worker threads give the same fits as the main thread, sampled silhouette included',
  { skip: availableParallelism() < 2 ? 'one core' : false },
  async () => {
    const x = blobs(2000, 2);
    const o = { ...OPTIONS, silhouetteSampleSize: 700 };
    const serial = await sweepK(x, [2, 3, 4, 5, 6], o, undefined, 'serial');
    const seen: number[] = [];
    const parallel = await sweepK(x, [2, 3, 4, 5, 6], o, (done) => seen.push(done), 'parallel');
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    for (let i = 0; i < serial.length; i++) {
      assert.equal(parallel[i]!.k, serial[i]!.k);
      assert.deepEqual(parallel[i]!.labels, serial[i]!.labels);
      assert.equal(parallel[i]!.inertia, serial[i]!.inertia);
      assert.equal(parallel[i]!.silhouette, serial[i]!.silhouette);
    }
    // The sampled estimate is the silhouette of the same seeded sample silhouetteScore draws.
    const f = serial[2]!;
    assert.ok(Math.abs(f.silhouette - silhouetteScore(x, f.labels, { sampleSize: 700, seed: 5 })) < 1e-12);
  },
);
