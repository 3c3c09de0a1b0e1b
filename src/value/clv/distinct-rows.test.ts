// distinctRows against a string-keyed reference on random data with many repeats (the table grows through several
// rehashes), plus the equality rules: 0 equals −0, NaN equals nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../../util/random.js';
import { distinctRows } from './distinct-rows.js';

/** Ids in order of first appearance from a Map keyed on the values' text: slow, obviously right. */
function reference(columns: Float64Array[]): Int32Array {
  const n = columns[0]!.length;
  const ids = new Map<string, number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = columns.map((c) => String(c[i]! + 0)).join(' ');
    if (!ids.has(key)) ids.set(key, ids.size);
    out[i] = ids.get(key)!;
  }
  return out;
}

describe('distinctRows', () => {
  it('numbers distinct rows as a string-keyed map does, for one to three columns and through rehashes', () => {
    const rng = new Random(7);
    for (const [n, k, levels] of [
      [1, 1, 3],
      [50, 2, 4],
      [20_000, 2, 60],
      [20_000, 3, 40],
      [5_000, 3, 1e6],
    ] as const) {
      const columns = Array.from({ length: k }, () =>
        Float64Array.from({ length: n }, () => Math.floor(rng.next() * levels) / 7),
      );
      const got = distinctRows(columns);
      const want = reference(columns);
      assert.deepEqual(got.index, want, `n ${n}, k ${k}`);
      assert.equal(got.size, Math.max(...want) + 1);
      assert.equal(got.first.length, got.size);
      // first[id] is the row where id appears first.
      let next = 0;
      for (let i = 0; i < n; i++) {
        if (got.index[i] !== next) continue;
        assert.equal(got.first[next], i);
        next++;
      }
      assert.equal(next, got.size);
    }
  });

  it('treats 0 and −0 as one value and gives each NaN row its own id', () => {
    const got = distinctRows([Float64Array.of(0, -0, NaN, NaN, 1), Float64Array.of(2, 2, 2, 2, 2)]);
    assert.deepEqual(got.index, Int32Array.of(0, 0, 1, 2, 3));
    assert.deepEqual(got.first, Int32Array.of(0, 2, 3, 4));
  });

  it('rejects no columns and columns of different lengths', () => {
    assert.throws(() => distinctRows([]), /at least one column/);
    assert.throws(() => distinctRows([[1, 2], [1]]), /same length/);
  });
});
