// inertia: the k-means objective, checked by hand and against bad input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { inertia } from './inertia.js';

describe('inertia', () => {
  it('sums (weighted) squared distances to the assigned centroid', () => {
    const X = [
      [0, 0],
      [2, 0],
      [10, 1],
    ];
    const c = new Float64Array([1, 0, 10, 0]);
    assert.equal(inertia(X, [0, 0, 1], c), 1 + 1 + 1);
    assert.equal(inertia(X, [0, 0, 1], c, [2, 1, 3]), 2 + 1 + 3);
    assert.equal(inertia(X, [1, 1, 1], c), 100 + 64 + 1);
  });
  it('rejects labels out of range and shape mismatches, naming the value', () => {
    const c = new Float64Array([0, 0]);
    assert.throws(() => inertia([[1, 1]], [1], c), /labels\[0\] is 1: expected an integer in \[0, 1\)/);
    assert.throws(() => inertia([[1, 1]], [0, 0], c), /labels has length 2, expected 1/);
    assert.throws(() => inertia([[1, 1]], [0], new Float64Array(3)), /centroids has length 3/);
    assert.throws(() => inertia([[1, 1]], [0], c, [-1]), /sampleWeight\[0\] is -1/);
  });
});
