/**
 * Tests of `Scratch`: views of the spare buffers while they have room, zeroed, aligned; fresh arrays after that;
 * released ranges and adopted buffers handed out again, never two live arrays over the same bytes.
 */
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

  it('hands released ranges out again, merged with their free neighbours', () => {
    const spare = new ArrayBuffer(64);
    const s = new Scratch(spare);
    const a = s.int32(4); // [0, 16)
    const b = s.int32(4); // [16, 32)
    const c = s.int32(8); // [32, 64)
    assert.deepEqual([a.byteOffset, b.byteOffset, c.byteOffset], [0, 16, 32]);
    assert.notEqual(s.uint8(1).buffer, spare); // full
    s.release(a, b);
    b.fill(7);
    const d = s.float64(4); // needs the merged [0, 32)
    assert.equal(d.buffer, spare);
    assert.equal(d.byteOffset, 0);
    assert.deepEqual([...d], [0, 0, 0, 0]);
  });

  it('takes the shortest free range that fits, across buffers', () => {
    const big = new ArrayBuffer(64);
    const small = new ArrayBuffer(16);
    const s = new Scratch([big, small]);
    assert.equal(s.int32(4).buffer, small);
    assert.equal(s.int32(16).buffer, big);
  });

  it('adopts a released array that owns its whole buffer, and nothing else', () => {
    const s = new Scratch();
    const fresh = new Float64Array(4);
    s.release(fresh);
    assert.equal(s.int32(8).buffer, fresh.buffer);
    const view = new Float64Array(new ArrayBuffer(64), 8, 2);
    s.release(view);
    assert.notEqual(s.uint8(8).buffer, view.buffer);
  });

  it('never gives two live arrays overlapping bytes (random allocations and releases)', () => {
    const s = new Scratch([new ArrayBuffer(1000), new ArrayBuffer(333)]);
    let seed = 12345;
    const rand = (m: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % m;
    };
    const live: Uint8Array[] = [];
    for (let step = 0; step < 2000; step++) {
      if (live.length > 0 && rand(3) === 0) {
        s.release(live.splice(rand(live.length), 1)[0]!);
        continue;
      }
      const kind = rand(3);
      const length = 1 + rand(40);
      const arr = kind === 0 ? s.uint8(length) : kind === 1 ? s.int32(length) : s.float64(length);
      assert.equal(arr.byteOffset % (kind === 0 ? 1 : kind === 1 ? 4 : 8), 0);
      const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
      assert.ok(
        bytes.every((v) => v === 0),
        'zeroed',
      );
      for (const other of live) {
        if (other.buffer !== bytes.buffer) continue;
        const apart =
          other.byteOffset + other.byteLength <= bytes.byteOffset ||
          bytes.byteOffset + bytes.byteLength <= other.byteOffset;
        assert.ok(apart, `overlap at step ${step}`);
      }
      bytes.fill(0xab);
      live.push(bytes);
    }
  });
});
