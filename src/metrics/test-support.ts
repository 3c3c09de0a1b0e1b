/**
 * Assertions the metrics' tests share: closeness to a reference value, and the invariances every metric on
 * labeled points must have. Test code only; not re-exported.
 * @module
 */
import assert from 'node:assert/strict';

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
