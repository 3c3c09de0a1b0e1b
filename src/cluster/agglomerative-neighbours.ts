/**
 * Internal: each cluster's few nearest neighbours, kept exact while the nearest-neighbour chain merges clusters,
 * so that a chain step reads its answer instead of scanning a row of the distance matrix.
 * @module
 */

/**
 * Neighbours kept per cluster. Why 4: a chain c → a ⇄ b often has a and b among c's two nearest, so with two
 * the merge empties c's list and c is rescanned: on 8k × 5 ward (blobs), 2 → 1.06 rescans per merge, 4 → 0.62
 * (a rescan reads a whole row of the matrix, about half the cost of a merge's update pass).
 */
export const NEIGHBOURS = 4;

/**
 * Per cluster i, slots i·NEIGHBOURS … hold its nearest known live neighbours as (distance, index), increasing in
 * (distance, index) order: they are the smallest distances of the row, and every other live distance of the row
 * ranks after the last known one. Index −1 marks unknown slots (all after the first are unknown); a row with no
 * known slot must be rescanned. `last[i]` is the distance of the last known slot, −∞ if none: a new distance
 * v > last[i] cannot enter the list.
 */
export interface Neighbours {
  index: Int32Array;
  dist: Float64Array;
  last: Float64Array;
}

/**
 * An empty list per row (distances +∞), ready for `offerAscending`; over `SharedArrayBuffer`s when `shared` (for
 * worker threads).
 */
export function createNeighbours(n: number, shared = false): Neighbours {
  const int32 = (m: number): Int32Array =>
    shared ? new Int32Array(new SharedArrayBuffer(m * 4)) : new Int32Array(m);
  const float64 = (m: number): Float64Array =>
    shared ? new Float64Array(new SharedArrayBuffer(m * 8)) : new Float64Array(m);
  const nb = { index: int32(n * NEIGHBOURS), dist: float64(n * NEIGHBOURS), last: float64(n) };
  nb.index.fill(-1);
  nb.dist.fill(Infinity);
  nb.last.fill(-Infinity);
  return nb;
}

/** Empties row i's list before refilling it with `offerAscending`. */
export function clearRow(nb: Neighbours, i: number): void {
  const o = i * NEIGHBOURS;
  for (let s = 0; s < NEIGHBOURS; s++) {
    nb.index[o + s] = -1;
    nb.dist[o + s] = Infinity;
  }
}

/**
 * Offers (v, j) to row i's list while the row is being filled (unknown slots at +∞) with candidates in
 * increasing j: strict comparisons, so on equal distances the lower index stays first. Infinite and NaN
 * distances never enter.
 */
export function offerAscending(nb: Neighbours, i: number, v: number, j: number): void {
  const { index, dist } = nb;
  const o = i * NEIGHBOURS;
  let s = NEIGHBOURS - 1;
  if (!(v < dist[o + s]!)) return;
  while (s > 0 && v < dist[o + s - 1]!) {
    dist[o + s] = dist[o + s - 1]!;
    index[o + s] = index[o + s - 1]!;
    s--;
  }
  dist[o + s] = v;
  index[o + s] = j;
}

/**
 * Offers the known entries of row `from` of `src` to row `to` of `dst` (being filled), in their order: taking the
 * lists of consecutive index ranges in range order gives the list of their union.
 */
export function offerRow(src: Neighbours, from: number, dst: Neighbours, to: number): void {
  const o = from * NEIGHBOURS;
  for (let s = 0; s < NEIGHBOURS; s++) {
    const j = src.index[o + s]!;
    if (j < 0) return;
    offerAscending(dst, to, src.dist[o + s]!, j);
  }
}

/** Ends filling row i: sets `last[i]`. */
export function finishRow(nb: Neighbours, i: number): void {
  const o = i * NEIGHBOURS;
  let c = 0;
  while (c < NEIGHBOURS && nb.index[o + c]! >= 0) c++;
  nb.last[i] = c > 0 ? nb.dist[o + c - 1]! : -Infinity;
}

/** Whether a or b is in row i's list (or the row has nothing known, never true then). */
export function lists(nb: Neighbours, i: number, a: number, b: number): boolean {
  const { index } = nb;
  const o = i * NEIGHBOURS;
  let p = 1;
  // A product of index differences is 0 iff one is a or b: one well-predicted branch instead of eight.
  for (let s = 0; s < NEIGHBOURS; s++) {
    const j = index[o + s]!;
    p *= (j - a) * (j - b);
  }
  return p === 0;
}

/**
 * Row i after merging a into b, where d(i, b) is now v: a and b leave the list, then (v, b) goes back where it
 * ranks if it ranks before the last known entry (otherwise it is among the unknown rest, which is allowed).
 */
export function revise(nb: Neighbours, i: number, a: number, b: number, v: number): void {
  const { index, dist } = nb;
  const o = i * NEIGHBOURS;
  let c = 0;
  for (let s = 0; s < NEIGHBOURS; s++) {
    const j = index[o + s]!;
    if (j < 0) break;
    if (j !== a && j !== b) {
      index[o + c] = j;
      dist[o + c] = dist[o + s]!;
      c++;
    }
  }
  if (c > 0) {
    const lastD = dist[o + c - 1]!;
    if (v < lastD || (v === lastD && b < index[o + c - 1]!)) {
      let s = c < NEIGHBOURS ? c : NEIGHBOURS - 1;
      if (c < NEIGHBOURS) c++;
      while (s > 0 && (v < dist[o + s - 1]! || (v === dist[o + s - 1]! && b < index[o + s - 1]!))) {
        dist[o + s] = dist[o + s - 1]!;
        index[o + s] = index[o + s - 1]!;
        s--;
      }
      dist[o + s] = v;
      index[o + s] = b;
    }
  }
  for (let s = c; s < NEIGHBOURS; s++) index[o + s] = -1;
  nb.last[i] = c > 0 ? dist[o + c - 1]! : -Infinity;
}
