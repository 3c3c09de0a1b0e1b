// Every pipeline method on planted structure: blobs it must recover (k chosen by silhouette or BIC), planted
// outliers the density methods must call noise, the sample-then-assign path, and a saved model that scores the
// training customers as the fit labelled them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { agglomerative, cutLinkage } from '../cluster/index.js';
import { ConfigSchema } from '../config/schema.js';
import { adjustedRandScore } from '../metrics/index.js';
import { Random } from '../util/random.js';
import { getSegmenter } from './registry.js';
import { assignWithModel, permuteModel } from './assign-models.js';
import { orderBySize, relabel } from './partition.js';
import type { ClusterMethod, SegmentationOptions, SegmentInput } from './segmenter.js';

/** n points around `centres` (sd 0.3), plus `outliers` far-away uniform points labelled −1 in `truth`. */
function blobs(n: number, centres: number[][], seed: number, outliers = 0) {
  const rng = new Random(seed);
  const d = centres[0]!.length;
  const rows = n + outliers;
  const data = new Float64Array(rows * d);
  const truth = new Int32Array(rows);
  for (let i = 0; i < n; i++) {
    const c = i % centres.length;
    truth[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c]![j]! + rng.normal(0, 0.3);
  }
  for (let i = n; i < rows; i++) {
    truth[i] = -1;
    for (let j = 0; j < d; j++) data[i * d + j] = (rng.next() < 0.5 ? -1 : 1) * (12 + 4 * rng.next());
  }
  return { input: { x: { data, rows, cols: d } } as SegmentInput, truth };
}

const CENTRES = [
  [0, 0, 0],
  [5, 0, 0],
  [0, 5, 0],
  [0, 0, 5],
];

function options(over: Record<string, unknown> = {}): SegmentationOptions {
  return ConfigSchema.parse({ customers: { path: 'x' }, segmentation: over }).segmentation;
}

describe('pipeline methods recover planted segments', () => {
  const { input, truth } = blobs(400, CENTRES, 1);
  const cases: [ClusterMethod, Record<string, unknown>][] = [
    ['minibatch-kmeans', { miniBatch: { batchSize: 64 } }],
    ['bisecting-kmeans', {}],
    ['gaussian-mixture', { gaussianMixture: { covarianceType: 'spherical' } }],
    ['agglomerative', {}],
    ['agglomerative', { agglomerative: { linkage: 'average' } }],
  ];
  for (const [method, over] of cases) {
    test(`${method} ${JSON.stringify(over)}: k = 4 chosen and the blobs found`, async () => {
      const o = options({ method, kMax: 8, ...over });
      const r = await getSegmenter(method).fit(input, o);
      assert.equal(r.k, 4, r.kReason);
      assert.equal(r.noise, 0);
      assert.ok(adjustedRandScore(truth, r.labels) > 0.99);
      // Every criterion was measured and most vote for the planted k.
      const sel = r.kSelection!;
      assert.equal(sel.recommended, 4);
      assert.equal(sel.structure, 'clear');
      assert.ok(sel.votes.filter((v) => v.k === 4).length > sel.votes.length / 2, JSON.stringify(sel.votes));
      if (method === 'gaussian-mixture') assert.ok(sel.votes.some((v) => v.criterion === 'bic'));
      assert.ok(r.silhouette > 0.7);
      // Largest segment first.
      const sizes = [0, 0, 0, 0];
      for (const l of r.labels) sizes[l]!++;
      assert.deepEqual(
        sizes,
        [...sizes].sort((a, b) => b - a),
      );
    });
  }

  test('a fixed k is used as given', async () => {
    const r = await getSegmenter('bisecting-kmeans').fit(
      input,
      options({ method: 'bisecting-kmeans', k: 3 }),
    );
    assert.equal(r.k, 3);
    assert.equal(r.kSelection, null);
    assert.match(r.kReason, /set in the configuration/);
  });
});

describe('density methods: planted outliers are noise, segment 0 downstream', () => {
  const { input, truth } = blobs(400, CENTRES, 2, 12);
  for (const method of ['dbscan', 'hdbscan'] as const) {
    test(`${method} finds the 4 blobs and calls the outliers noise`, async () => {
      const o = options({
        method,
        ...(method === 'dbscan'
          ? { dbscan: { eps: 0.6, minSamples: 5 } }
          : { hdbscan: { minClusterSize: 20 } }),
      });
      const r = await getSegmenter(method).fit(input, o);
      assert.equal(r.k, 4, r.kReason);
      const planted = truth.reduce((s, t) => s + (t < 0 ? 1 : 0), 0);
      for (let i = 0; i < truth.length; i++) if (truth[i]! < 0) assert.equal(r.labels[i], -1, `outlier ${i}`);
      assert.ok(r.noise >= planted && r.noise < planted + 20, `noise ${r.noise}`);
      const clustered = Array.from(truth.keys()).filter((i) => r.labels[i]! >= 0);
      assert.ok(
        adjustedRandScore(
          clustered.map((i) => truth[i]!),
          clustered.map((i) => r.labels[i]!),
        ) > 0.99,
      );
    });
  }

  test('dbscan with an eps too small for any dense region says what to change', async () => {
    const o = options({ method: 'dbscan', dbscan: { eps: 1e-6, minSamples: 5 } });
    await assert.rejects(
      getSegmenter('dbscan').fit(input, o),
      /no dense segment.*raise segmentation\.dbscan\.eps/,
    );
  });
});

describe('fit on a sample, then every customer', () => {
  const { input, truth } = blobs(3000, CENTRES, 3, 20);
  const cases: [ClusterMethod, Record<string, unknown>][] = [
    ['agglomerative', { agglomerative: { sampleSize: 300 } }],
    ['dbscan', { dbscan: { sampleSize: 500, eps: 0.8, minSamples: 5 } }],
    ['hdbscan', { hdbscan: { sampleSize: 500, minClusterSize: 15 } }],
    ['gaussian-mixture', { sweepSampleSize: 300 }],
    ['minibatch-kmeans', { sweepSampleSize: 300 }],
  ];
  for (const [method, over] of cases) {
    test(`${method}: customers outside the sample join the right segment`, async () => {
      // k is set for the k-based methods (choosing k is tested above): 20 far outliers in 8 corners are small
      // clusters of their own to several criteria, which is not what this test is about.
      const density = method === 'dbscan' || method === 'hdbscan';
      const r = await getSegmenter(method).fit(
        input,
        options({ method, ...(density ? {} : { k: 4 }), ...over }),
      );
      assert.equal(r.k, 4, r.kReason);
      assert.match(r.kReason, /sample of (300|500) of 3,020 customers/);
      const inBlobs = Array.from(truth.keys()).filter((i) => truth[i]! >= 0);
      const agree = adjustedRandScore(
        inBlobs.map((i) => truth[i]!),
        inBlobs.map((i) => r.labels[i]!),
      );
      assert.ok(agree > 0.97, `ARI ${agree}`);
      if (method === 'dbscan' || method === 'hdbscan') {
        // Far outliers are out of every reference customer's reach.
        for (let i = 3000; i < 3020; i++) assert.equal(r.labels[i], -1);
      }
    });
  }
});

describe('saved models score customers as the fit did', () => {
  const { input } = blobs(300, CENTRES, 4, 6);
  for (const method of [
    'minibatch-kmeans',
    'gaussian-mixture',
    'agglomerative',
    'dbscan',
    'hdbscan',
  ] as ClusterMethod[]) {
    test(method, async () => {
      const o = options({ method, k: method === 'dbscan' || method === 'hdbscan' ? 'auto' : 4 });
      const seg = getSegmenter(method);
      const r = await seg.fit(input, o);
      const again = seg.assign(JSON.parse(JSON.stringify(r.model)), input);
      if (method === 'agglomerative' || method === 'hdbscan') {
        // Trees are not nearest-centroid partitions; well-separated blobs agree all the same.
        assert.ok(adjustedRandScore(r.labels, again) > 0.99);
      } else if (method === 'dbscan') {
        // Core customers are reference customers: exactly their own segment.
        const m = r.model as { reference: number[][]; referenceLabels: number[] };
        assert.ok(m.reference.length > 0);
        for (let i = 0; i < r.labels.length; i++) if (r.labels[i]! >= 0) assert.equal(again[i], r.labels[i]);
      } else {
        assert.deepEqual(again, r.labels);
      }
    });
  }
});

describe('k-prototypes and k-modes on planted categories', () => {
  // Two numeric blobs × two channels: channel alone separates 4 groups' halves.
  const n = 400;
  const rng = new Random(5);
  const x = new Float64Array(n);
  const codes = new Int32Array(n * 3);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = i % 4;
    truth[i] = g;
    x[i] = (g < 2 ? 0 : 6) + rng.normal(0, 0.4);
    codes[i * 3] = g % 2; // channel: web / store
    codes[i * 3 + 1] = rng.next() < 0.9 ? g % 2 : 1 - (g % 2); // tier, mostly follows channel
    codes[i * 3 + 2] = rng.next() < 0.9 ? g % 2 : 1 - (g % 2); // contact, mostly follows channel
  }
  const attributes = [
    { name: 'channel', levels: ['web', 'store'] },
    { name: 'tier', levels: ['gold', 'silver'] },
    { name: 'contact', levels: ['email', 'phone'] },
  ];
  const input: SegmentInput = {
    x: { data: x, rows: n, cols: 1 },
    categorical: { codes, rows: n, cols: 3, attributes },
  };

  test('kprototypes separates numeric and categorical groups; the saved model reassigns identically', async () => {
    const seg = getSegmenter('kprototypes');
    const r = await seg.fit(input, options({ method: 'kprototypes', k: 4 }));
    assert.ok(adjustedRandScore(truth, r.labels) > 0.95);
    assert.deepEqual(seg.assign(JSON.parse(JSON.stringify(r.model)), input), r.labels);
  });

  test('kmodes on the categories alone finds the channel split', async () => {
    const seg = getSegmenter('kmodes');
    const cat: SegmentInput = {
      x: { data: new Float64Array(0), rows: n, cols: 0 },
      categorical: input.categorical!,
    };
    const r = await seg.fit(cat, options({ method: 'kmodes', k: 2 }));
    assert.ok(
      adjustedRandScore(
        Int32Array.from(truth, (t) => t % 2),
        r.labels,
      ) > 0.9,
    );
    assert.deepEqual(seg.assign(r.model, cat), r.labels);
  });

  test('a level the model never saw matches no mode but still gets the nearest prototype', async () => {
    const seg = getSegmenter('kprototypes');
    const r = await seg.fit(input, options({ method: 'kprototypes', k: 4 }));
    const one: SegmentInput = {
      x: { data: new Float64Array([6]), rows: 1, cols: 1 },
      categorical: { codes: new Int32Array([-1, -1, -1]), rows: 1, cols: 3, attributes },
    };
    const l = seg.assign(r.model, one)[0]!;
    const m = r.model as { numeric: number[][] };
    assert.ok(Math.abs(m.numeric[l]![0]! - 6) < 1, 'numeric part decides');
  });

  test('without categorical attributes, kprototypes says what it needs', async () => {
    await assert.rejects(
      getSegmenter('kprototypes').fit({ x: input.x }, options({ method: 'kprototypes', k: 2 })),
      /needs categorical attributes/,
    );
  });
});

describe('partition helpers', () => {
  test('cutLinkage gives the same partition as agglomerative for every k', () => {
    const { input } = blobs(120, CENTRES, 6);
    for (const linkage of ['ward', 'single', 'average'] as const) {
      const tree = agglomerative(input.x, { nClusters: 1, linkage });
      for (let k = 1; k <= 8; k++) {
        const ref = agglomerative(input.x, { nClusters: k, linkage }).labels;
        assert.equal(adjustedRandScore(ref, cutLinkage(tree.linkageMatrix, k)), 1, `${linkage} k=${k}`);
      }
    }
  });

  test('orderBySize/relabel number segments largest first and leave noise alone', () => {
    const labels = Int32Array.from([2, 2, 2, -1, 0, 1, 1, -1]);
    const order = orderBySize(labels, 3);
    assert.deepEqual(Array.from(order), [2, 1, 0]);
    assert.deepEqual(Array.from(relabel(labels, order)), [0, 0, 0, -1, 2, 1, 1, -1]);
  });

  test('permuting a model permutes what it assigns', async () => {
    const { input } = blobs(200, CENTRES, 7);
    for (const method of ['gaussian-mixture', 'minibatch-kmeans'] as const) {
      const r = await getSegmenter(method).fit(input, options({ method, k: 4 }));
      const order = Int32Array.from([3, 1, 0, 2]);
      const permuted = assignWithModel(permuteModel(r.model, order), input);
      assert.deepEqual(permuted, relabel(r.labels, order), method);
    }
  });
});
