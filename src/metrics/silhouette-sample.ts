/**
 * The seeded sample of rows a sampled silhouette scores, drawn and validated without touching the other rows, so
 * that a sample from millions of rows costs the label check and the draw only.
 * @module
 */

import type { MatrixLike } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { type CodedLabels, checkLabelCount, encodeLabels } from './labels.js';

/** The drawn rows, their coded labels, and how many rows there were. */
export interface SilhouetteSample {
  /** Sampled points, row-major size × d, in increasing row order. */
  x: Float64Array;
  d: number;
  size: number;
  coded: CodedLabels;
  /** Rows of X. */
  n: number;
}

const INTEGER_ARRAYS = [Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array];

/** Throws unless every label is an integer (skipped for integer typed arrays); returns their number. */
function checkIntegerLabels(labels: ArrayLike<number>): number {
  if (typeof labels !== 'object' || labels === null || typeof labels.length !== 'number') {
    throw new TypeError(`labels must be an array of integers, got ${String(labels)}`);
  }
  if (INTEGER_ARRAYS.some((T) => labels instanceof T)) return labels.length;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (typeof l !== 'number' || !Number.isInteger(l)) {
      throw new TypeError(`labels[${i}] is ${String(l)}: labels must be integers`);
    }
  }
  return labels.length;
}

/** Rows and columns of X, checking the shape of a Matrix (not its values) and that an array of rows has some. */
function shapeOf(X: MatrixLike): { rows: number; cols: number } {
  if (Array.isArray(X)) {
    const rows = X as readonly (readonly number[])[];
    if (rows.length === 0) throw new RangeError('X is empty: it needs at least one row');
    const cols = rows[0]!.length;
    if (cols === 0) throw new RangeError('X has no columns');
    return { rows: rows.length, cols };
  }
  const { data, rows, cols } = X as { data: unknown; rows: number; cols: number };
  if (!(data instanceof Float64Array || data instanceof Float32Array)) {
    throw new TypeError('X.data must be a Float64Array or Float32Array');
  }
  if (
    !Number.isInteger(rows) ||
    !Number.isInteger(cols) ||
    rows < 1 ||
    cols < 1 ||
    data.length !== rows * cols
  ) {
    throw new RangeError(
      `X has shape ${rows}×${cols} and ${data.length} values: expected rows, cols ≥ 1, rows × cols values`,
    );
  }
  return { rows, cols };
}

/**
 * Draws `sampleSize` distinct rows (all of them when sampleSize ≥ rows) with `Random(seed).sampleIndices`, and
 * gathers them as Float64, checking that each drawn value is finite and each drawn row has d values. All labels are
 * checked to be integers; the sample must hold 2 ≤ labels ≤ size − 1.
 *
 * @throws RangeError / TypeError naming the offending row, value or label.
 */
export function drawSilhouetteSample(
  X: MatrixLike,
  labels: ArrayLike<number>,
  sampleSize: number,
  seed: number,
): SilhouetteSample {
  const { rows: n, cols: d } = shapeOf(X);
  const nLabels = checkIntegerLabels(labels);
  if (nLabels !== n) throw new RangeError(`labels has length ${nLabels}, expected ${n} (rows of X)`);
  const idx = new Random(seed).sampleIndices(n, sampleSize);
  const size = idx.length;
  const x = new Float64Array(size * d);
  const sub = new Int32Array(size);
  const arrayRows = Array.isArray(X) ? (X as readonly (readonly number[])[]) : null;
  const data = arrayRows === null ? (X as { data: Float64Array | Float32Array }).data : null;
  for (let r = 0; r < size; r++) {
    const i = idx[r]!;
    const row = arrayRows?.[i];
    if (row !== undefined && row.length !== d) {
      throw new RangeError(`X row ${i} has ${row.length} values, expected ${d} like row 0`);
    }
    for (let t = 0; t < d; t++) {
      const v = row !== undefined ? row[t]! : data![i * d + t]!;
      if (!Number.isFinite(v)) throw new RangeError(`X[${i}][${t}] is ${v}: values must be finite numbers`);
      x[r * d + t] = v;
    }
    sub[r] = labels[i]!;
  }
  const coded = encodeLabels(sub, size);
  const what = size === n ? 'labels' : `the sample of ${size} rows (sampleSize)`;
  checkLabelCount(coded.counts.length, size, what);
  return { x, d, size, coded, n };
}
