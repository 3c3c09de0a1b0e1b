import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toMatrix } from '../util/matrix.js';
import { encodeClasses } from './labels.js';
import { applyTree, predictTree, predictTreeProba, treeRules } from './tree-predict.js';
import type { TreeStructure } from './types.js';

/** A hand-built tree: node 0 splits x0 ≤ 5, node 1 x0 ≤ 2 (leaves 2, 3), node 4 x0 ≤ 8 (leaves 5, 6). */
function handTree(): TreeStructure {
  return {
    nodeCount: 7,
    left: Int32Array.from([1, 2, -1, -1, 5, -1, -1]),
    right: Int32Array.from([4, 3, -1, -1, 6, -1, -1]),
    feature: Int32Array.from([0, 0, -2, -2, 0, -2, -2]),
    threshold: Float64Array.from([5, 2, -2, -2, 8, -2, -2]),
    value: Float64Array.from([6, 7, 4, 1, 3, 0, 1, 1, 2, 6, 2, 2, 0, 4]),
    impurity: new Float64Array(7),
    nNodeSamples: Int32Array.from([13, 5, 3, 2, 8, 4, 4]),
    weightedNNodeSamples: Float64Array.from([13, 5, 3, 2, 8, 4, 4]),
    nClasses: 2,
    maxDepth: 2,
  };
}

describe('tree prediction', () => {
  it('routes rows left on ≤ and gives leaf fractions', () => {
    const t = handTree();
    const x = toMatrix([
      [2, 0],
      [2.5, 0],
      [5, 0],
      [8, 0],
      [9, 0],
    ]);
    assert.deepEqual(Array.from(applyTree(t, x)), [2, 3, 3, 5, 6]);
    assert.deepEqual(Array.from(predictTree(t, x)), [0, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(predictTreeProba(t, x)), [1, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 1]);
    const acc = predictTreeProba(t, x);
    predictTreeProba(t, x, acc, true);
    assert.equal(acc[0], 2);
  });

  it('rules merge repeated conditions into the tightest bounds', () => {
    const rules = treeRules(handTree(), ['recency', 'orders'], ['churned', 'loyal']);
    assert.deepEqual(
      rules.map((r) => r.leaf),
      [2, 3, 5, 6],
    );
    assert.deepEqual(rules[0]!.conditions, [{ feature: 'recency', featureIndex: 0, op: '<=', threshold: 2 }]);
    assert.deepEqual(rules[1]!.conditions, [
      { feature: 'recency', featureIndex: 0, op: '<=', threshold: 5 },
      { feature: 'recency', featureIndex: 0, op: '>', threshold: 2 },
    ]);
    assert.deepEqual(rules[3]!.conditions, [{ feature: 'recency', featureIndex: 0, op: '>', threshold: 8 }]);
    assert.deepEqual(rules[3]!.classCounts, { churned: 0, loyal: 4 });
    assert.equal(rules[3]!.prediction, 'loyal');
    assert.equal(rules[0]!.samples, 3);
    assert.throws(() => treeRules(handTree(), [], ['a', 'b']), /featureNames has 0 names/);
  });
});

describe('encodeClasses', () => {
  it('sorts numbers before strings, as classes_', () => {
    const { classes, codes } = encodeClasses([3, 'b', -1, 'a', 3, 10], 6);
    assert.deepEqual(classes, [-1, 3, 10, 'a', 'b']);
    assert.deepEqual(Array.from(codes), [1, 4, 0, 3, 1, 2]);
  });
  it('names a bad label', () => {
    assert.throws(() => encodeClasses([1, NaN], 2), /y\[1\] is NaN/);
    assert.throws(() => encodeClasses([1], 2), /y has length 1, expected 2/);
  });
});
