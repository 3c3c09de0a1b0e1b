import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Random } from '../util/random.js';
import { binFeatures } from './random-forest-bins.js';
import { randomForest } from './random-forest.js';
import { applyTree } from './tree-predict.js';
import type { ClassLabel, RandomForestOptions } from './types.js';

interface ForestFixture {
  name: string;
  settings: RandomForestOptions;
  seeds: number[];
  XTrain: number[][];
  yTrain: ClassLabel[];
  XTest: number[][];
  yTest: ClassLabel[];
  testAccuracy: number[];
  testAccuracyMean: number;
  oobScore: number[];
  oobScoreMean: number;
  treeTrainAccuracy: number;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/supervised/forest-data.json', import.meta.url), 'utf8'),
) as { datasets: ForestFixture[] };

function accuracy(pred: ClassLabel[], truth: ClassLabel[]): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) ok++;
  return ok / truth.length;
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** Planted classes: Gaussian blobs around random centres. */
function blobs(n: number, d: number, k: number, seed: number): { X: number[][]; y: number[] } {
  const r = new Random(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => r.normal(0, 2)));
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = r.int(k);
    y.push(c);
    X.push(centres[c]!.map((m) => m + r.normal()));
  }
  return { X, y };
}

describe('randomForest against scikit-learn (forest-data.json)', () => {
  for (const ds of fixture.datasets) {
    it(`${ds.name}: mean test accuracy over seeds within 1 point, OOB within 1.5`, () => {
      const acc: number[] = [];
      const oob: number[] = [];
      for (const seed of ds.seeds) {
        const f = randomForest(ds.XTrain, ds.yTrain, { ...ds.settings, seed, oobScore: true, threads: 1 });
        acc.push(accuracy(f.predict(ds.XTest), ds.yTest));
        oob.push(f.oobScore!);
      }
      const diff = mean(acc) - ds.testAccuracyMean;
      assert.ok(
        Math.abs(diff) <= 0.01,
        `test accuracy ${mean(acc).toFixed(4)} vs scikit-learn ${ds.testAccuracyMean.toFixed(4)}`,
      );
      assert.ok(
        Math.abs(mean(oob) - ds.oobScoreMean) <= 0.015,
        `OOB ${mean(oob).toFixed(4)} vs scikit-learn ${ds.oobScoreMean.toFixed(4)}`,
      );
    });
  }

  it('one tree without bootstrap on all features fits the training set as scikit-learn’s tree does', () => {
    for (const ds of fixture.datasets) {
      const f = randomForest(ds.XTrain, ds.yTrain, { nEstimators: 1, bootstrap: false, maxFeatures: null });
      const fit = accuracy(f.predict(ds.XTrain), ds.yTrain);
      assert.ok(
        Math.abs(fit - ds.treeTrainAccuracy) <= 0.005,
        `${ds.name}: ${fit} vs ${ds.treeTrainAccuracy}`,
      );
    }
  });
});

describe('randomForest invariants', () => {
  const { X, y } = blobs(1500, 5, 3, 7);

  it('the same seed gives the identical model; another seed another one', () => {
    const a = randomForest(X, y, { nEstimators: 12, seed: 5, oobScore: true, threads: 1 });
    const b = randomForest(X, y, { nEstimators: 12, seed: 5, oobScore: true, threads: 1 });
    assert.deepEqual(a.trees, b.trees);
    assert.deepEqual(a.featureImportances, b.featureImportances);
    assert.equal(a.oobScore, b.oobScore);
    const c = randomForest(X, y, { nEstimators: 12, seed: 6, threads: 1 });
    assert.notDeepEqual(a.trees, c.trees);
  });

  it('1, 2 and 3 threads give identical trees, probabilities and OOB score', () => {
    const opts: RandomForestOptions = { nEstimators: 40, seed: 3, oobScore: true };
    const one = randomForest(X, y, { ...opts, threads: 1 });
    for (const threads of [2, 3]) {
      const many = randomForest(X, y, { ...opts, threads });
      assert.deepEqual(many.trees, one.trees);
      assert.deepEqual(many.predictProba(X), one.predictProba(X));
      assert.equal(many.oobScore, one.oobScore);
      assert.deepEqual(many.featureImportances, one.featureImportances);
    }
  });

  it('trees are well-formed in scikit-learn’s layout, and training rows reach leaves as their bins say', () => {
    const f = randomForest(X, y, { nEstimators: 5, seed: 1, maxDepth: 6, minSamplesLeaf: 3 });
    for (const t of f.trees) {
      assert.ok(t.maxDepth <= 6);
      let leaves = 0;
      for (let i = 0; i < t.nodeCount; i++) {
        let w = 0;
        for (let c = 0; c < t.nClasses; c++) w += t.value[i * t.nClasses + c]!;
        assert.equal(w, t.weightedNNodeSamples[i]);
        if (t.left[i] === -1) {
          leaves++;
          assert.equal(t.right[i], -1);
          assert.equal(t.feature[i], -2);
          assert.equal(t.threshold[i], -2);
          assert.ok(t.nNodeSamples[i]! >= 3, `leaf ${i} has ${t.nNodeSamples[i]} rows`);
        } else {
          const l = t.left[i]!;
          const r = t.right[i]!;
          assert.ok(l > i && r > l, 'depth-first numbering, left child first');
          assert.equal(t.nNodeSamples[l]! + t.nNodeSamples[r]!, t.nNodeSamples[i]);
          for (let c = 0; c < t.nClasses; c++) {
            const k = t.nClasses;
            assert.equal(t.value[l * k + c]! + t.value[r * k + c]!, t.value[i * k + c]);
          }
        }
      }
      assert.equal(t.nodeCount, 2 * leaves - 1);
    }
    const sum = f.featureImportances.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12);
  });

  it('probabilities are the mean of the trees’ leaf fractions and rows sum to 1', () => {
    const f = randomForest(X, y, { nEstimators: 7, seed: 2 });
    const p = f.predictProba(X.slice(0, 50));
    const m = { data: Float64Array.from(X.slice(0, 50).flat()), rows: 50, cols: 5 };
    const k = f.classes.length;
    const expected = new Float64Array(50 * k);
    for (const t of f.trees) {
      const leaves = applyTree(t, m);
      for (let i = 0; i < 50; i++) {
        let w = 0;
        for (let c = 0; c < k; c++) w += t.value[leaves[i]! * k + c]!;
        for (let c = 0; c < k; c++) expected[i * k + c]! += t.value[leaves[i]! * k + c]! / w / 7;
      }
    }
    for (let q = 0; q < p.length; q++) assert.ok(Math.abs(p[q]! - expected[q]!) < 1e-12);
    for (let i = 0; i < 50; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += p[i * k + c]!;
      assert.ok(Math.abs(s - 1) < 1e-12);
    }
  });

  it('an informative feature outranks pure noise in the importances', () => {
    const r = new Random(4);
    const Xn = y.map((c, i) => [X[i]![0]!, r.normal(), r.normal()]);
    const f = randomForest(Xn, y, { nEstimators: 20, seed: 1 });
    assert.ok(f.featureImportances[0]! > 0.5, `importances ${Array.from(f.featureImportances).join(', ')}`);
  });

  it('options given as undefined take their defaults', () => {
    const a = randomForest(X.slice(0, 300), y.slice(0, 300), { nEstimators: undefined, maxDepth: undefined });
    assert.equal(a.trees.length, 100);
  });

  it('one class: every prediction is it, probabilities 1', () => {
    const f = randomForest(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      ['a', 'a', 'a'],
      { nEstimators: 3 },
    );
    assert.deepEqual(f.predict([[0, 0]]), ['a']);
    assert.deepEqual(Array.from(f.predictProba([[9, 9]])), [1]);
    assert.deepEqual(Array.from(f.featureImportances), [0, 0]);
  });
});

describe('binFeatures', () => {
  it('gives one bin per distinct value when there are at most 256, with midpoint thresholds', () => {
    const x = { data: Float64Array.from([3, 1, 2, 1, 3, 5]), rows: 6, cols: 1 };
    const b = binFeatures(x, false);
    assert.equal(b.binCount[0], 4);
    assert.deepEqual(Array.from(b.bins), [2, 0, 1, 0, 2, 3]);
    assert.deepEqual(Array.from(b.thresholds.subarray(0, 3)), [1.5, 2.5, 4]);
  });

  it('caps at 256 bins of about equal size, and bins agree with x ≤ threshold', () => {
    const r = new Random(9);
    const n = 10_000;
    const data = Float64Array.from({ length: n }, () => r.normal());
    const b = binFeatures({ data, rows: n, cols: 1 }, false);
    assert.equal(b.binCount[0], 256);
    const sizes = new Int32Array(256);
    for (let i = 0; i < n; i++) {
      const bin = b.bins[i]!;
      sizes[bin]!++;
      if (bin < 255) assert.ok(data[i]! <= b.thresholds[bin]!);
      if (bin > 0) assert.ok(data[i]! > b.thresholds[bin - 1]!);
    }
    assert.ok(Math.max(...sizes) <= Math.ceil(n / 256) + 1 && Math.min(...sizes) >= Math.floor(n / 256) - 1);
  });
});

describe('randomForest input errors', () => {
  const X = [
    [1, 2],
    [3, 4],
    [5, 6],
  ];
  const y = [0, 1, 0];
  const cases: [string, () => unknown, RegExp][] = [
    ['NaN in X', () => randomForest([[1, NaN]], [0]), /X\[0\]\[1\] is NaN/],
    ['y length', () => randomForest(X, [0, 1]), /y has length 2, expected 3/],
    ['bad label', () => randomForest(X, [0, null as never, 1]), /y\[1\] is null/],
    [
      'nEstimators',
      () => randomForest(X, y, { nEstimators: 0 }),
      /nEstimators must be an integer ≥ 1, got 0/,
    ],
    [
      'criterion',
      () => randomForest(X, y, { criterion: 'mse' as never }),
      /criterion is mse: expected 'gini' or 'entropy'/,
    ],
    ['maxDepth', () => randomForest(X, y, { maxDepth: 0 }), /maxDepth is 0: expected a whole number ≥ 1/],
    [
      'minSamplesSplit',
      () => randomForest(X, y, { minSamplesSplit: 1 }),
      /minSamplesSplit is 1: expected a whole number ≥ 2/,
    ],
    [
      'minSamplesLeaf',
      () => randomForest(X, y, { minSamplesLeaf: 0 }),
      /minSamplesLeaf is 0: expected a whole number ≥ 1/,
    ],
    ['maxFeatures', () => randomForest(X, y, { maxFeatures: 3 }), /maxFeatures is 3: expected .* \[1, 2\]/],
    [
      'oob without bootstrap',
      () => randomForest(X, y, { oobScore: true, bootstrap: false }),
      /needs bootstrap/,
    ],
    ['threads', () => randomForest(X, y, { threads: 0 }), /threads must be an integer ≥ 1, got 0/],
    [
      'predict columns',
      () => randomForest(X, y, { nEstimators: 1 }).predict([[1, 2, 3]]),
      /X has 3 columns, but the model was fitted on 2/,
    ],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => assert.throws(fn, message));
  }
});
