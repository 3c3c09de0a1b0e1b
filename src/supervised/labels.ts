/**
 * Class labels of the supervised models: numbers or strings, encoded once at the public boundary to 0..K−1 in
 * scikit-learn's `classes_` order, so trees and forests count classes in flat typed arrays.
 * @module
 */
import type { ClassLabel } from './types.js';

/** Labels encoded as indices into `classes`. */
export interface EncodedClasses {
  /** Distinct labels, sorted: numbers ascending, then strings in code-unit order (as `np.unique`). */
  classes: ClassLabel[];
  /** `classes[codes[i]]` is row i's label. */
  codes: Int32Array;
}

/** Numbers before strings; numbers ascending; strings by code units (numpy's order for `<U` arrays). */
export function compareClassLabels(a: ClassLabel, b: ClassLabel): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Validates one label per row (a finite number or a string) and encodes them against the sorted distinct labels,
 * as scikit-learn's `LabelEncoder` / `np.unique(y, return_inverse=True)` do.
 *
 * @param n - rows of X; `y` must have this length.
 * @throws TypeError for a label that is neither a finite number nor a string; RangeError for a length mismatch
 *   or an empty `y`.
 *
 * @example
 * encodeClasses(['b', 'a', 'b'], 3); // { classes: ['a', 'b'], codes: Int32Array [1, 0, 1] }
 */
export function encodeClasses(y: ArrayLike<ClassLabel>, n: number, name = 'y'): EncodedClasses {
  if (typeof y !== 'object' || y === null || typeof y.length !== 'number') {
    throw new TypeError(`${name} must be an array of class labels (numbers or strings), got ${String(y)}`);
  }
  if (y.length !== n) throw new RangeError(`${name} has length ${y.length}, expected ${n} (rows of X)`);
  if (n === 0) throw new RangeError(`${name} is empty: it needs at least one label`);
  const index = new Map<ClassLabel, number>();
  const firstCodes = new Int32Array(n);
  const seen: ClassLabel[] = [];
  for (let i = 0; i < n; i++) {
    const l = y[i];
    if (typeof l === 'number' ? !Number.isFinite(l) : typeof l !== 'string') {
      throw new TypeError(`${name}[${i}] is ${String(l)}: class labels must be finite numbers or strings`);
    }
    // Map keys compare with SameValueZero, so −0 and 0 are one class, as in numpy.
    let c = index.get(l!);
    if (c === undefined) {
      c = seen.length;
      index.set(l!, c);
      seen.push(l!);
    }
    firstCodes[i] = c;
  }
  const order = seen.map((_, k) => k).sort((a, b) => compareClassLabels(seen[a]!, seen[b]!));
  const rank = new Int32Array(order.length);
  for (let r = 0; r < order.length; r++) rank[order[r]!] = r;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = rank[firstCodes[i]!]!;
  return { classes: order.map((k) => seen[k]!), codes };
}
