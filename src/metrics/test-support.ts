/**
 * Assertions the metrics' tests share: closeness to a reference value, and the invariances every metric on
 * labeled points must have. Test code only; not re-exported.
 * @module
 */
import assert from 'node:assert/strict';

import type { Matrix } from '../util/matrix.js';
import { Random } from '../util/random.js';

/** `actual` within `rel` of `expected`, relatively (or within 1e-15 absolutely, for values at 0). */
export function relClose(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(
    err <= rel || Math.abs(actual - expected) < 1e-15,
    `${what}: ${actual} vs ${expected} (rel ${err})`,
  );
}

/** `score` gives `expected` (to 1e-12) whatever the label values and the order of the rows. */
export function assertLabelAndRowInvariant(
  score: (X: number[][], labels: number[]) => number,
  X: number[][],
  labels: number[],
  expected: number,
  seed: number,
): void {
  relClose(score(X, labels), expected, 1e-12, 'score');
  relClose(
    score(
      X,
      labels.map((l) => 100 - 7 * l),
    ),
    expected,
    1e-12,
    'renamed labels',
  );
  const perm = new Random(seed).shuffle(Array.from({ length: X.length }, (_, i) => i));
  relClose(
    score(
      perm.map((i) => X[i]!),
      perm.map((i) => labels[i]!),
    ),
    expected,
    1e-12,
    'rows permuted',
  );
}

/** Textbook O(n²) silhouette of every row, written independently of the tiled implementation. */
export function bruteForce(X: Matrix, labels: ArrayLike<number>): number[] {
  const { data, rows: n, cols: d } = X;
  const dist = (i: number, j: number): number => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (data[i * d + t]! - data[j * d + t]!) ** 2;
    return Math.sqrt(s);
  };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const sum = new Map<number, number>();
    const count = new Map<number, number>();
    for (let j = 0; j < n; j++) {
      const l = labels[j]!;
      count.set(l, (count.get(l) ?? 0) + 1);
      if (j !== i) sum.set(l, (sum.get(l) ?? 0) + dist(i, j));
    }
    const own = labels[i]!;
    if (count.get(own) === 1) {
      out.push(0);
      continue;
    }
    const a = sum.get(own)! / (count.get(own)! - 1);
    let b = Infinity;
    for (const [l, c] of count) if (l !== own) b = Math.min(b, (sum.get(l) ?? 0) / c);
    out.push((b - a) / Math.max(a, b));
  }
  return out;
}

/** n × d standard normal points, seeded. */
export function randomData(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float64Array(n * d);
  for (let q = 0; q < data.length; q++) data[q] = rng.normal();
  return { data, rows: n, cols: d };
}
