import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../util/random.js';
import { buildTree, type TreeBuildInput } from './decision-tree-core.js';
import type { TreeStructure } from './types.js';

/**
 * 20,000 × 6 rows with 4 noisy classes: column 0 whole numbers (float32 values: the presort's 32-bit path), the
 * others rounded to 2 decimals (many ties; the 64-bit path).
 */
function data(): Pick<TreeBuildInput, 'x' | 'n' | 'd' | 'y' | 'nClasses'> {
  const n = 20_000;
  const d = 6;
  const rng = new Random(11);
  const x = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(4);
    y[i] = rng.next() < 0.2 ? rng.int(4) : c;
    x[i * d] = Math.round(rng.normal(c, 3));
    for (let j = 1; j < d; j++) x[i * d + j] = Math.round(100 * rng.normal(j % 2 === 0 ? c : -c, 2)) / 100;
  }
  return { x, n, d, y, nClasses: 4 };
}

function fit(overrides: Partial<TreeBuildInput>): TreeStructure {
  const base = data();
  return buildTree({
    ...base,
    weight: new Float64Array(base.n).fill(1),
    criterion: 'gini',
    maxDepth: Infinity,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxFeatures: base.d,
    seed: 0,
    ...overrides,
  });
}

function assertSameTree(a: TreeStructure, b: TreeStructure): void {
  assert.equal(a.nodeCount, b.nodeCount);
  assert.equal(a.maxDepth, b.maxDepth);
  for (const key of [
    'left',
    'right',
    'feature',
    'threshold',
    'value',
    'impurity',
    'nNodeSamples',
    'weightedNNodeSamples',
  ] as const) {
    assert.deepEqual(Array.from(a[key]), Array.from(b[key]), key);
  }
}

describe('buildTree: threads', () => {
  const weights = (): Float64Array => {
    const rng = new Random(5);
    return Float64Array.from({ length: 20_000 }, () => rng.next() * 3);
  };
  const cases: [string, Partial<TreeBuildInput>][] = [
    ['gini, unit weights, unlimited depth', {}],
    [
      'entropy, weighted, maxDepth 12, minSamplesLeaf 3',
      {
        criterion: 'entropy',
        weight: weights(),
        maxDepth: 12,
        minSamplesLeaf: 3,
      },
    ],
    ['gini, weighted, maxFeatures 2, seeded', { weight: weights(), maxFeatures: 2, seed: 4 }],
    // Every value a float32: the builder keeps the sorted values as float32.
    ['gini, X in float32', { x: Float32Array.from(data().x) }],
  ];
  for (const [name, opts] of cases) {
    it(`1 and 2 threads give the same tree: ${name}`, () => {
      const one = fit({ ...opts, threads: 1 });
      // Levels of up to ~800 split nodes, here in jobs of 64: job boundaries do not matter either.
      const two = fit({ ...opts, threads: 2, waitForWorkers: true, tasksPerJob: 64 });
      assert.ok(one.nodeCount > 1000, `a large tree (${one.nodeCount} nodes)`);
      assertSameTree(one, two);
    });
  }

  it('196 more classes that no row has change nothing (class codes read from y, not packed in the lists)', () => {
    const packed = fit({ maxDepth: 10 });
    const unpacked = fit({ maxDepth: 10, nClasses: 200 });
    assert.deepEqual(Array.from(unpacked.feature), Array.from(packed.feature));
    assert.deepEqual(Array.from(unpacked.threshold), Array.from(packed.threshold));
    assert.deepEqual(Array.from(unpacked.impurity), Array.from(packed.impurity));
  });

  it('doubling every weight doubles the counts and changes nothing else (unit-weight gini path = general one)', () => {
    const unit = fit({ maxDepth: 10 });
    const twice = fit({ maxDepth: 10, weight: new Float64Array(20_000).fill(2) });
    assert.deepEqual(Array.from(twice.feature), Array.from(unit.feature));
    assert.deepEqual(Array.from(twice.threshold), Array.from(unit.threshold));
    assert.deepEqual(Array.from(twice.impurity), Array.from(unit.impurity));
    assert.deepEqual(
      Array.from(twice.value),
      Array.from(unit.value, (v) => 2 * v),
    );
  });
});
