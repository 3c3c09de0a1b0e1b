/**
 * Internal: an in-place argsort of row indices by a Float64 key, for the hierarchies' edge orders, without the
 * garbage of `TypedArray.prototype.sort(comparator)`.
 * @module
 */

/**
 * Why not `Int32Array.prototype.sort((a, b) => …)`: V8 sorts a typed array with a comparator by copying it into
 * two heap arrays (a stable merge sort), 16 bytes a row of V8 heap that stays until the next full GC, and calls
 * the comparator through the interpreter's boxing until it is optimised; on HDBSCAN's 100k-row MST that grew the
 * heap by ≈ 3 MB. This quicksort works in place on the typed arrays.
 */

/** Below this many entries a range is finished by insertion sort. */
const SMALL = 16;

/** key[i·stride + offset]: the sort key of index i. */
function keyOf(key: Float64Array, i: number, stride: number, offset: number): number {
  return key[i * stride + offset]!;
}

/** Whether index a sorts before index b: by key, ties by the smaller index. */
function before(key: Float64Array, a: number, b: number, stride: number, offset: number): boolean {
  const ka = keyOf(key, a, stride, offset);
  const kb = keyOf(key, b, stride, offset);
  return ka < kb || (ka === kb && a < b);
}

/**
 * Sorts `idx[lo, hi)` in place so that the keys `key[idx[q]·stride + offset]` ascend, ties by the index value
 * ascending: a total order, so the result is the one stable argsort of the indices (what
 * `idx.sort((a, b) => k(a) − k(b) || a − b)` gives), whatever the starting order. Keys must not be NaN.
 * Hoare's quicksort with a median-of-three pivot (Sedgewick 1978, "Implementing Quicksort programs"), recursing
 * into the smaller side (O(log n) depth), insertion sort for short ranges; no allocation.
 *
 * @example
 * const idx = Int32Array.of(0, 1, 2, 3);
 * sortIndicesByKey(idx, Float64Array.of(0.5, 0.1, 0.5, 0.2));
 * // idx: [1, 3, 0, 2]
 */
export function sortIndicesByKey(
  idx: Int32Array,
  key: Float64Array,
  lo = 0,
  hi = idx.length,
  stride = 1,
  offset = 0,
): void {
  while (hi - lo > SMALL) {
    // Median of three to idx[lo]: the pivot.
    const mid = lo + ((hi - lo) >> 1);
    const last = hi - 1;
    if (before(key, idx[mid]!, idx[lo]!, stride, offset)) swap(idx, mid, lo);
    if (before(key, idx[last]!, idx[lo]!, stride, offset)) swap(idx, last, lo);
    if (before(key, idx[last]!, idx[mid]!, stride, offset)) swap(idx, last, mid);
    swap(idx, lo, mid);
    const pivot = idx[lo]!;
    let i = lo;
    let j = hi;
    for (;;) {
      do i++;
      while (i < hi && before(key, idx[i]!, pivot, stride, offset));
      do j--;
      while (before(key, pivot, idx[j]!, stride, offset));
      if (i >= j) break;
      swap(idx, i, j);
    }
    swap(idx, lo, j);
    // idx[j] is in place; recurse into the smaller side, loop on the larger.
    if (j - lo < hi - j - 1) {
      sortIndicesByKey(idx, key, lo, j, stride, offset);
      lo = j + 1;
    } else {
      sortIndicesByKey(idx, key, j + 1, hi, stride, offset);
      hi = j;
    }
  }
  for (let q = lo + 1; q < hi; q++) {
    const v = idx[q]!;
    let p = q - 1;
    while (p >= lo && before(key, v, idx[p]!, stride, offset)) {
      idx[p + 1] = idx[p]!;
      p--;
    }
    idx[p + 1] = v;
  }
}

function swap(idx: Int32Array, a: number, b: number): void {
  const t = idx[a]!;
  idx[a] = idx[b]!;
  idx[b] = t;
}
