import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kneedle } from './kneedle.js';

interface KneedleCase {
  name: string;
  x: number[];
  y: number[];
  curve: 'convex' | 'concave';
  direction: 'increasing' | 'decreasing';
  S: number;
  knee: number | null;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/validate/kneedle.json', import.meta.url), 'utf8'),
) as { cases: KneedleCase[] };

test("the kneed package's KneeLocator (online=False) on every fixture case", () => {
  assert.ok(fixture.cases.length >= 40);
  for (const c of fixture.cases) {
    const got = kneedle(c.x, c.y, { curve: c.curve, direction: c.direction, sensitivity: c.S });
    assert.equal(got, c.knee, c.name);
  }
});

test('textbook curves: the elbow of an inertia curve, and the four curve/direction mirror images agree', () => {
  const k = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const inertia = [1000, 520, 260, 60, 52, 45, 40, 36, 33, 31];
  assert.equal(kneedle(k, inertia, { curve: 'convex', direction: 'decreasing' }), 4);
  // The same curve read right to left, and upside down, has its knee at the same point.
  const rev = k.map((v) => 11 - v).reverse();
  const revY = [...inertia].reverse();
  assert.equal(kneedle(rev, revY, { curve: 'convex', direction: 'increasing' }), 7); // 11 − 4
  assert.equal(
    kneedle(
      k,
      inertia.map((v) => -v),
      { curve: 'concave', direction: 'increasing' },
    ),
    4,
  );
  assert.equal(
    kneedle(
      rev,
      revY.map((v) => -v),
      { curve: 'concave', direction: 'decreasing' },
    ),
    7,
  );
});

test('no knee: a straight line, a constant, fewer than 3 points; higher sensitivity never finds an earlier knee', () => {
  const k = [1, 2, 3, 4, 5, 6];
  assert.equal(
    kneedle(
      k,
      k.map((v) => 20 - 2 * v),
      { curve: 'convex', direction: 'decreasing' },
    ),
    null,
  );
  assert.equal(kneedle(k, [3, 3, 3, 3, 3, 3], { curve: 'convex', direction: 'decreasing' }), null);
  assert.equal(kneedle([1, 2], [5, 1], { curve: 'convex', direction: 'decreasing' }), null);
  const x = Array.from({ length: 40 }, (_, i) => i / 4);
  const y = x.map((v) => Math.log1p(v) + 0.15 * Math.sin(3 * v));
  let last = -Infinity;
  for (const sensitivity of [0, 0.5, 1, 2, 3]) {
    const knee = kneedle(x, y, { curve: 'concave', direction: 'increasing', sensitivity });
    if (knee === null) break;
    assert.ok(knee >= last, `S = ${sensitivity}`);
    last = knee;
  }
});

test('rejects bad input with the offending value', () => {
  const opts = { curve: 'convex', direction: 'decreasing' } as const;
  assert.throws(() => kneedle([1, 2, 3], [1, 2], opts), /x has 3 values but y has 2/);
  assert.throws(() => kneedle([1, 3, 2], [3, 2, 1], opts), /strictly increasing.*x\[2\] = 2/);
  assert.throws(() => kneedle([1, 2, 3], [3, NaN, 1], opts), /y\[1\] is NaN/);
  assert.throws(() => kneedle([1, 2, 3], [3, 2, 1], { ...opts, sensitivity: -1 }), RangeError);
  assert.throws(
    () => kneedle([1, 2, 3], [3, 2, 1], { curve: 'wavy' as 'convex', direction: 'increasing' }),
    TypeError,
  );
});
