import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Random } from '../util/random.js';
import { decisionTree } from './decision-tree.js';
import { presortFeatures } from './decision-tree-presort.js';
import type { ClassLabel } from './types.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/supervised/', import.meta.url));

interface TreeFixture {
  name: string;
  options: {
    criterion: 'gini' | 'entropy';
    maxDepth: number | null;
    minSamplesSplit: number;
    minSamplesLeaf: number;
  };
  X: number[][];
  y: ClassLabel[];
  sampleWeight: number[] | null;
  classes: ClassLabel[];
  tree: {
    nodeCount: number;
    maxDepth: number;
    childrenLeft: number[];
    childrenRight: number[];
    feature: number[];
    threshold: number[];
    valueFractions: number[][];
    impurity: number[];
    nNodeSamples: number[];
    weightedNNodeSamples: number[];
  };
  featureImportances: number[];
  Xtest: number[][];
  predict: ClassLabel[];
  predictProba: number[][];
  apply: number[];
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => /^tree-.*\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as TreeFixture);

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs scikit-learn ${expected}`);
}

describe('decisionTree: parity with scikit-learn 1.9 DecisionTreeClassifier', () => {
  assert.ok(fixtures.length >= 5);
  for (const fx of fixtures) {
    it(fx.name, () => {
      const model = decisionTree(fx.X, fx.y, {
        ...fx.options,
        ...(fx.sampleWeight ? { sampleWeight: fx.sampleWeight } : {}),
      });
      const t = model.tree;
      const e = fx.tree;
      assert.deepEqual(model.classes, fx.classes);
      assert.equal(t.nodeCount, e.nodeCount);
      assert.equal(t.maxDepth, e.maxDepth);
      assert.deepEqual(Array.from(t.left), e.childrenLeft);
      assert.deepEqual(Array.from(t.right), e.childrenRight);
      assert.deepEqual(Array.from(t.feature), e.feature);
      assert.deepEqual(Array.from(t.nNodeSamples), e.nNodeSamples);
      const k = t.nClasses;
      for (let i = 0; i < t.nodeCount; i++) {
        close(
          t.threshold[i]!,
          e.threshold[i]!,
          1e-12 * Math.max(1, Math.abs(e.threshold[i]!)),
          `threshold[${i}]`,
        );
        close(t.impurity[i]!, e.impurity[i]!, 1e-12, `impurity[${i}]`);
        close(t.weightedNNodeSamples[i]!, e.weightedNNodeSamples[i]!, 1e-9, `weightedNNodeSamples[${i}]`);
        for (let c = 0; c < k; c++) {
          const frac = t.value[i * k + c]! / t.weightedNNodeSamples[i]!;
          close(frac, e.valueFractions[i]![c]!, 1e-12, `value[${i}][${c}] fraction`);
        }
      }
      for (let j = 0; j < model.nFeatures; j++) {
        close(model.featureImportances[j]!, fx.featureImportances[j]!, 1e-9, `featureImportances[${j}]`);
      }
      assert.deepEqual(model.predict(fx.Xtest), fx.predict);
      assert.deepEqual(Array.from(model.apply(fx.Xtest)), fx.apply);
      const proba = model.predictProba(fx.Xtest);
      fx.predictProba.forEach((row, i) =>
        row.forEach((p, c) => close(proba[i * k + c]!, p, 1e-12, `predictProba[${i}][${c}]`)),
      );
    });
  }
});

/** Continuous, tie-free points around one centre per class. */
function planted(n: number, d: number, k: number, seed: number): { X: number[][]; y: number[] } {
  const rng = new Random(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal(0, 1.5)));
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    y.push(c);
    X.push(centres[c]!.map((m) => m + rng.normal()));
  }
  return { X, y };
}

function accuracy(pred: ClassLabel[], y: ClassLabel[]): number {
  let hits = 0;
  pred.forEach((p, i) => (hits += p === y[i] ? 1 : 0));
  return hits / y.length;
}

describe('decisionTree: invariants', () => {
  const { X, y } = planted(300, 4, 3, 7);

  it('fits distinct points exactly when depth is unlimited', () => {
    const model = decisionTree(X, y);
    assert.equal(accuracy(model.predict(X), y), 1);
    for (let i = 0; i < model.tree.nodeCount; i++) {
      if (model.tree.left[i] === -1) assert.ok(model.tree.impurity[i]! <= 1e-15, `leaf ${i} is pure`);
    }
  });

  it('permuting the labels gives the same tree with permuted class counts', () => {
    const names = ['low', 'mid', 'high'];
    const renamed = y.map((c) => names[(c + 1) % 3]!);
    const a = decisionTree(X, y, { maxDepth: 5 });
    const b = decisionTree(X, renamed, { maxDepth: 5 });
    assert.deepEqual(Array.from(b.tree.feature), Array.from(a.tree.feature));
    assert.deepEqual(Array.from(b.tree.threshold), Array.from(a.tree.threshold));
    assert.deepEqual(Array.from(b.tree.impurity), Array.from(a.tree.impurity));
    assert.deepEqual(
      b.predict(X),
      a.predict(X).map((c) => names[((c as number) + 1) % 3]),
    );
  });

  it('a deeper limit never lowers training accuracy', () => {
    let prev = 0;
    for (let depth = 1; depth <= 10; depth++) {
      const acc = accuracy(decisionTree(X, y, { maxDepth: depth }).predict(X), y);
      assert.ok(acc >= prev, `depth ${depth}: ${acc} < ${prev}`);
      prev = acc;
    }
  });

  it('respects minSamplesLeaf and minSamplesSplit', () => {
    const model = decisionTree(X, y, { minSamplesLeaf: 7, minSamplesSplit: 30 });
    const t = model.tree;
    for (let i = 0; i < t.nodeCount; i++) {
      assert.ok(t.nNodeSamples[i]! >= 7);
      if (t.left[i] !== -1) assert.ok(t.nNodeSamples[i]! >= 30);
    }
  });

  it('importances are non-negative and sum to 1', () => {
    const imp = decisionTree(X, y, { maxDepth: 4 }).featureImportances;
    const sum = imp.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12);
    for (const v of imp) assert.ok(v >= 0);
  });

  it('does not depend on the row order (no ties), and maxFeatures runs are reproducible by seed', () => {
    const perm = Array.from({ length: X.length }, (_, i) => i);
    new Random(3).shuffle(perm);
    const a = decisionTree(X, y, { maxDepth: 6 });
    const b = decisionTree(
      perm.map((i) => X[i]!),
      perm.map((i) => y[i]!),
      { maxDepth: 6 },
    );
    assert.deepEqual(Array.from(b.tree.threshold), Array.from(a.tree.threshold));
    const c1 = decisionTree(X, y, { maxFeatures: 'sqrt', seed: 5 });
    const c2 = decisionTree(X, y, { maxFeatures: 'sqrt', seed: 5 });
    assert.deepEqual(Array.from(c1.tree.threshold), Array.from(c2.tree.threshold));
  });

  it('gives the same tree on one thread and on two (threads spread the features, not the decisions)', () => {
    const { X: big, y: yBig } = planted(4_000, 6, 4, 11);
    const one = decisionTree(big, yBig, { maxDepth: 8, threads: 1 }).tree;
    const two = decisionTree(big, yBig, { maxDepth: 8, threads: 2 }).tree;
    assert.ok(one.nodeCount > 20, `a tree worth comparing (${one.nodeCount} nodes)`);
    for (const key of ['left', 'right', 'feature', 'threshold', 'impurity', 'value'] as const) {
      assert.deepEqual(Array.from(two[key]), Array.from(one[key]), key);
    }
  });

  it('one class gives a single leaf', () => {
    const model = decisionTree(X.slice(0, 10), Array(10).fill('only'));
    assert.equal(model.tree.nodeCount, 1);
    assert.equal(model.tree.maxDepth, 0);
    assert.deepEqual(model.predict([[0, 0, 0, 0]]), ['only']);
    assert.deepEqual(Array.from(model.featureImportances), [0, 0, 0, 0]);
  });

  it('presorts negative, zero and positive values in order, stably', () => {
    const x = Float64Array.from([3, -1, 0, -0, 2.5, -1e300, 1e-300, 2.5]);
    const { order, values } = presortFeatures(x, 8, 1);
    assert.deepEqual(Array.from(values), [-1e300, -1, -0, 0, 1e-300, 2.5, 2.5, 3]);
    assert.deepEqual(Array.from(order), [5, 1, 3, 2, 6, 4, 7, 0]);
  });
});

describe('decisionTree: input errors', () => {
  it('names the offending value', () => {
    assert.throws(() => decisionTree([[1], [NaN]], [0, 1]), /X\[1\]\[0\] is NaN/);
    assert.throws(() => decisionTree([], []), /X is empty/);
    assert.throws(() => decisionTree([[1], [2]], [0]), /y has length 1, expected 2/);
    assert.throws(() => decisionTree([[1], [2]], [0, null as unknown as number]), /y\[1\] is null/);
    assert.throws(() => decisionTree([[1], [2]], [0, 1], { minSamplesLeaf: 0 }), /minSamplesLeaf is 0/);
    assert.throws(() => decisionTree([[1], [2]], [0, 1], { minSamplesSplit: 1 }), /minSamplesSplit is 1/);
    assert.throws(() => decisionTree([[1], [2]], [0, 1], { maxDepth: 0 }), /maxDepth is 0/);
    assert.throws(() => decisionTree([[1], [2]], [0, 1], { maxFeatures: 3 }), /maxFeatures is 3/);
    assert.throws(
      () => decisionTree([[1], [2]], [0, 1], { threads: 0 }),
      /threads must be an integer ≥ 1, got 0/,
    );
    assert.throws(
      () => decisionTree([[1], [2]], [0, 1], { sampleWeight: [1, -1] }),
      /sampleWeight\[1\] is -1/,
    );
    assert.throws(() => decisionTree([[1], [2]], [0, 1]).predict([[1, 2]]), /X has 2 columns/);
  });
});
