/**
 * Dense ids for the distinct rows of a few numeric columns, by open addressing on the values' bit patterns: the
 * lifetime-value predictions compute each distinct history (or each distinct (frequency, T) pair) once and read the
 * result back per customer. Written by hand because a `Map` keyed on strings built from the values took 1.3 s for
 * 2M customers, against ≈ 0.1 s here.
 * @module
 */

/** What `distinctRows` returns. */
export interface DistinctRows {
  /** Distinct rows found. */
  size: number;
  /** Per row: the id of its distinct row, 0 … size − 1, in order of first appearance. */
  index: Int32Array;
  /** Per id: the first row with those values. */
  first: Int32Array;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Starting table size (slots); the table doubles whenever it is half full. */
const INITIAL_SLOTS = 1024;

/**
 * Numbers the distinct rows of `columns` (all of length n) in order of first appearance. Values compare as
 * numbers (0 and −0 are the same value); a NaN equals nothing, so each row holding one gets its own id.
 *
 * The table holds each distinct row's values next to its id and grows with the distinct rows, not with n: few
 * distinct rows stay in cache, and a probe reads one place in memory, not the columns at the first row.
 *
 * @example
 * distinctRows([Float64Array.of(1, 2, 1), Float64Array.of(5, 5, 5)]).index; // Int32Array [0, 1, 0]
 */
export function distinctRows(columns: readonly ArrayLike<number>[]): DistinctRows {
  const k = columns.length;
  if (k === 0) throw new RangeError('distinctRows needs at least one column');
  const n = columns[0]!.length;
  for (const c of columns) {
    if (c.length !== n) throw new RangeError(`columns must have the same length, got ${c.length} and ${n}`);
  }
  let capacity = INITIAL_SLOTS;
  let ids: Int32Array = new Int32Array(capacity).fill(-1);
  let keys: Float64Array = new Float64Array(capacity * k);
  const index = new Int32Array(n);
  let first: Int32Array = new Int32Array(Math.min(n, INITIAL_SLOTS));
  const row = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) row[j] = columns[j]![i]! + 0; // + 0 turns −0 into 0: equal values hash alike
    let s = hashRow(row, 0, k) & (capacity - 1);
    for (;;) {
      const id = ids[s]!;
      if (id < 0) {
        ids[s] = size;
        keys.set(row, s * k);
        if (size === first.length) first = grow(first, Math.min(n, 2 * size));
        first[size] = i;
        index[i] = size++;
        if (2 * size > capacity) {
          capacity *= 2;
          [ids, keys] = rehash(ids, keys, k, capacity);
        }
        break;
      }
      let same = true;
      for (let j = 0; j < k; j++) {
        if (keys[s * k + j] !== row[j]) {
          same = false;
          break;
        }
      }
      if (same) {
        index[i] = id;
        break;
      }
      s = (s + 1) & (capacity - 1);
    }
  }
  return { size, index, first: first.slice(0, size) };
}

/** Hash of the k values at `row[at …]`. */
function hashRow(row: Float64Array, at: number, k: number): number {
  let h = 0x9e3779b9;
  for (let j = 0; j < k; j++) {
    bits[0] = row[at + j]!;
    h = Math.imul(h ^ words[0]!, 0x85ebca6b);
    h = Math.imul(h ^ words[1]!, 0xc2b2ae35);
    h ^= h >>> 15;
  }
  return h;
}

/** The table re-laid into `capacity` slots. */
function rehash(
  ids: Int32Array,
  keys: Float64Array,
  k: number,
  capacity: number,
): [Int32Array, Float64Array] {
  const nextIds = new Int32Array(capacity).fill(-1);
  const nextKeys = new Float64Array(capacity * k);
  for (let s = 0; s < ids.length; s++) {
    if (ids[s]! < 0) continue;
    let t = hashRow(keys, s * k, k) & (capacity - 1);
    while (nextIds[t]! >= 0) t = (t + 1) & (capacity - 1);
    nextIds[t] = ids[s]!;
    for (let j = 0; j < k; j++) nextKeys[t * k + j] = keys[s * k + j]!;
  }
  return [nextIds, nextKeys];
}

function grow(a: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  out.set(a);
  return out;
}
