/** Tests of `Scratch`: views of the spare buffer while it has room, zeroed, aligned; fresh arrays after that. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scratch } from './scratch.js';

describe('Scratch', () => {
  it('carves zeroed, 8-aligned views of the spare buffer, then falls back to fresh arrays', () => {
    const spare = new ArrayBuffer(64);
    new Uint8Array(spare).fill(0xff);
    const s = new Scratch(spare);
    const a = s.uint8(3);
    const b = s.int32(2);
    const c = s.float64(4);
    assert.equal(a.buffer, spare);
    assert.equal(b.buffer, spare);
    assert.equal(c.buffer, spare);
    assert.deepEqual([a.byteOffset, b.byteOffset, c.byteOffset], [0, 8, 16]);
    assert.deepEqual([...a, ...b, ...c], [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const d = s.float64(3); // 48 + 24 > 64
    assert.notEqual(d.buffer, spare);
    s.reset();
    assert.equal(s.int32(16).buffer, spare);
  });

  it('allocates every array without a spare buffer', () => {
    const s = new Scratch();
    assert.equal(s.int32(4).length, 4);
    assert.notEqual(s.uint8(4).buffer, s.uint8(4).buffer);
  });
});
