/** Tests of the in-place argsort against the stable comparator sort it replaces. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../util/random.js';
import { sortIndicesByKey } from './sort-indices.js';

/** The order `Int32Array.prototype.sort` gives with a key comparator broken by index. */
function reference(idx: Int32Array, key: Float64Array, stride: number, offset: number): Int32Array {
  return Int32Array.from(idx).sort((a, b) => {
    const ka = key[a * stride + offset]!;
    const kb = key[b * stride + offset]!;
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
}

describe('sortIndicesByKey', () => {
  it('equals the stable argsort on random, tied, signed-zero and infinite keys, strided, any start order', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(2_000);
      const levels = [1, 2, 5, 50, 0][trial % 5]!;
      const stride = 1 + (trial % 4);
      const offset = trial % stride;
      const key = new Float64Array(n * stride).fill(NaN); // other columns must not be read
      for (let i = 0; i < n; i++) {
        let v = levels === 0 ? rng.next() : rng.int(levels);
        if (v === 0 && trial % 3 === 0) v = -0;
        if (trial % 7 === 0 && i % 9 === 0) v = Infinity;
        key[i * stride + offset] = v;
      }
      const idx = Int32Array.from({ length: n }, (_, i) => i);
      if (trial % 2 === 1) rng.shuffle(idx);
      const want = reference(idx, key, stride, offset);
      sortIndicesByKey(idx, key, 0, n, stride, offset);
      assert.deepEqual(idx, want, `trial ${trial}: n ${n}, ${levels} levels`);
    }
  });

  it('sorts only the given range', () => {
    const idx = Int32Array.of(0, 1, 2, 3, 4, 5);
    sortIndicesByKey(idx, Float64Array.of(5, 4, 3, 2, 1, 0), 1, 4);
    assert.deepEqual(Array.from(idx), [0, 3, 2, 1, 4, 5]);
  });

  it('handles 200k keys in 3 values (the deep-tie case of MST weights)', () => {
    const n = 200_000;
    const key = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 3);
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    sortIndicesByKey(idx, key);
    for (let q = 1; q < n; q++) {
      const a = idx[q - 1]!;
      const b = idx[q]!;
      assert.ok(key[a]! < key[b]! || (key[a] === key[b] && a < b), `position ${q}`);
    }
  });
});
