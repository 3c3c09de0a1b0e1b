// Segment stability: planted blobs hold up under refits; sectors of a round cloud (no structure to find) do not;
// the best-match Jaccard on hand-counted cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigSchema } from '../config/schema.js';
import { Random } from '../util/random.js';
import { getSegmenter } from './registry.js';
import { bestJaccard, segmentStability } from './segment-stability.js';
import type { SegmentationOptions, SegmentInput } from './segmenter.js';

function options(over: Record<string, unknown> = {}): SegmentationOptions {
  return ConfigSchema.parse({ customers: { path: 'x' }, segmentation: over }).segmentation;
}

function cloud(n: number, seed: number, centres: number[][] | null): SegmentInput {
  const rng = new Random(seed);
  const data = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    if (centres) {
      const c = centres[i % centres.length]!;
      data[i * 2] = c[0]! + rng.normal(0, 0.3);
      data[i * 2 + 1] = c[1]! + rng.normal(0, 0.3);
    } else {
      // Uniform on a disc: every rotation of a k-means partition is as good as another.
      const r = Math.sqrt(rng.next());
      const a = 2 * Math.PI * rng.next();
      data[i * 2] = r * Math.cos(a);
      data[i * 2 + 1] = r * Math.sin(a);
    }
  }
  return { x: { data, rows: n, cols: 2 } };
}

async function stabilityOf(input: SegmentInput, k: number) {
  const o = options({ k });
  const seg = getSegmenter('kmeans');
  const fit = await seg.fit(input, { ...o, validation: { ...o.validation, stabilityRuns: 0 } });
  return segmentStability(input, fit.labels, fit.k, seg.refitter(o, fit.k), {
    sampleSize: 5000,
    runs: 10,
    fraction: 0.8,
    seed: 3,
  })!;
}

test('planted blobs hold up: every segment is reproduced by the refits', async () => {
  const st = await stabilityOf(
    cloud(1200, 1, [
      [0, 0],
      [6, 0],
      [0, 6],
    ]),
    3,
  );
  assert.equal(st.jaccard.length, 3);
  for (const j of st.jaccard) assert.ok(j > 0.97, `Jaccard ${j}`);
  assert.equal(st.runs, 10);
});

test('sectors of a round cloud do not hold up', async () => {
  const st = await stabilityOf(cloud(1200, 2, null), 5);
  const mean = st.jaccard.reduce((a, b) => a + b, 0) / st.jaccard.length;
  assert.ok(mean < 0.75, `mean Jaccard ${mean.toFixed(3)} should be low`);
  for (const j of st.jaccard) assert.ok(j >= 0 && j <= 1);
});

test('bestJaccard: hand-counted overlaps, renaming and noise', () => {
  // Reference {0,1,2} {3,4,5}; other {0,1} {2,3,4,5}: segment 0 → best 2/3, segment 1 → 3/4.
  const ref = Int32Array.from([0, 0, 0, 1, 1, 1]);
  const other = Int32Array.from([7, 7, 2, 2, 2, 2]);
  const j = bestJaccard(
    ref,
    Int32Array.from(other, (l) => (l === 7 ? 1 : 0)),
    2,
  );
  assert.ok(Math.abs(j[0]! - 2 / 3) < 1e-12);
  assert.ok(Math.abs(j[1]! - 3 / 4) < 1e-12);
  // Noise (−1) in the other labelling belongs to no cluster; a segment absent here is NaN.
  const k = bestJaccard(Int32Array.from([0, 0, 1]), Int32Array.from([-1, 0, 0]), 3);
  assert.ok(Math.abs(k[0]! - 1 / 3) < 1e-12);
  assert.ok(Math.abs(k[1]! - 1 / 2) < 1e-12);
  assert.ok(Number.isNaN(k[2]!));
});
