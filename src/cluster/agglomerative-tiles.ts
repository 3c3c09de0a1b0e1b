/**
 * Internal: the pairwise distance matrix of agglomerative clustering stored once per pair (like SciPy's condensed
 * matrix) but in square tiles, so that reading all distances of one cluster touches memory in runs rather than one
 * scattered entry per row.
 * @module
 */

import { NEIGHBOURS, type Neighbours, offerAscending } from './agglomerative-neighbours.js';
import { pairDistancesKernel } from './agglomerative-kernels.js';

/**
 * Tiles are TILE × TILE doubles (32 KB), row-major inside. Why tiles: the nearest-neighbour chain reads and
 * rewrites every distance of one cluster after each merge. In SciPy's condensed layout half of those entries lie
 * down a column, each n − i doubles after the last — a cache miss and, beyond a few thousand rows, a TLB miss
 * (page walk) per entry. In a tile the column entries are 512 bytes apart inside 8 consecutive pages. Measured on
 * a 20k-row matrix (1.6 GB) on the busy 2-core dev machine, reading one cluster's distances: ≈ 120–180 ns per
 * entry condensed, 25–45 ns tiled (32: ≈ 65 ns, 128 and 256: ≈ 40–45 ns; noisy, but the order held). Down a
 * column each entry still costs a cache line; only a full square matrix (twice the memory) would avoid that.
 */
const TILE_SHIFT = 6;
const TILE = 1 << TILE_SHIFT;
const TILE_MASK = TILE - 1;
const TILE_AREA = TILE * TILE;

/**
 * Distances d(i, j) for i < j < n: tile (I, J), I ≤ J, holds rows I·TILE… and columns J·TILE…; tile rows are
 * stored one after another (tile row I has T − I tiles). Diagonal tiles are stored whole and use their upper half.
 * With I = ⌊i / TILE⌋, J = ⌊j / TILE⌋, d(i, j) (i < j) is at
 * `base[I] + J·TILE² + (i mod TILE)·TILE + (j mod TILE)`, where base[I] = (start of tile row I) − I·TILE².
 */
export interface TiledDistances {
  D: Float64Array;
  n: number;
  /** Number of tile rows T = ⌈n / TILE⌉. */
  tiles: number;
  /** base[I] as above (may be negative). */
  base: Int32Array;
}

/** Offset of d(i, j), i ≠ j. Plain SciPy equivalent: `condensed_index(n, i, j)`. */
export function pairIndex(t: TiledDistances, i: number, j: number): number {
  const lo = i < j ? i : j;
  const hi = i < j ? j : i;
  return (
    t.base[lo >> TILE_SHIFT]! +
    (hi >> TILE_SHIFT) * TILE_AREA +
    ((lo & TILE_MASK) << TILE_SHIFT) +
    (hi & TILE_MASK)
  );
}

/**
 * Offsets that locate every distance of cluster x with a few integer operations (`pairIndex` with x fixed):
 * d(i, x) for i < x is at `base[i >> TILE_SHIFT] + below + ((i & TILE_MASK) << TILE_SHIFT)`, and d(x, i) for
 * i > x at `above + (i >> TILE_SHIFT) * TILE_AREA + (i & TILE_MASK)`. Returns `below`; `above` is
 * `aboveOffset(t, x)`.
 */
export function belowOffset(x: number): number {
  return (x >> TILE_SHIFT) * TILE_AREA + (x & TILE_MASK);
}

/** See `belowOffset`. */
export function aboveOffset(t: TiledDistances, x: number): number {
  return t.base[x >> TILE_SHIFT]! + ((x & TILE_MASK) << TILE_SHIFT);
}

export { TILE_AREA, TILE_MASK, TILE_SHIFT };

/** Largest n whose tiled matrix offsets fit in an int32 (≈ 2^31 doubles, 17 GB): far beyond any sensible use. */
const MAX_TILED_ROWS = 65_000;

/**
 * An uninitialised tiled matrix for n rows, over a `SharedArrayBuffer` when `shared` (for worker threads).
 *
 * @throws RangeError beyond `MAX_TILED_ROWS` rows.
 */
export function createTiledDistances(n: number, shared: boolean): TiledDistances {
  if (n > MAX_TILED_ROWS) {
    throw new RangeError(`${n} rows is more than the pairwise distance matrix supports (${MAX_TILED_ROWS})`);
  }
  const tiles = (n + TILE - 1) >> TILE_SHIFT;
  const base = new Int32Array(tiles);
  let size = 0;
  for (let I = 0; I < tiles; I++) {
    base[I] = size - I * TILE_AREA;
    size += (tiles - I) * TILE_AREA;
  }
  const D = shared ? new Float64Array(new SharedArrayBuffer(size * 8)) : new Float64Array(size);
  return { D, n, tiles, base };
}

/**
 * Tile rows cut into `blocks` ranges of about equal work (tile row I has T − I tiles): block β is tile rows
 * [cuts[β], cuts[β + 1]).
 */
export function tileRowCuts(tiles: number, blocks: number): Int32Array {
  const cuts = new Int32Array(blocks + 1);
  const total = (tiles * (tiles + 1)) / 2;
  let done = 0;
  let I = 0;
  for (let b = 1; b < blocks; b++) {
    while (I < tiles && done + (tiles - I) / 2 < (total * b) / blocks) done += tiles - I++;
    cuts[b] = I;
  }
  cuts[blocks] = tiles;
  return cuts;
}

/**
 * Euclidean distances of all pairs in tile rows [I0, I1) (√ of the squared sum in feature order, as SciPy's
 * `pdist`), tile by tile in memory order, each offered to both rows' lists in `nb` (empty slots at +∞). Within the
 * range every row receives its candidates in increasing index (rows above it first, tile row by tile row, then its
 * own row left to right), as `offerAscending` needs; ranges taken in order continue that order.
 */
export function fillTileRows(
  t: TiledDistances,
  x: Float64Array,
  d: number,
  I0: number,
  I1: number,
  nb: Neighbours,
): void {
  const { D, n, tiles, base } = t;
  const distances = pairDistancesKernel(d);
  // Imported constants in locals: read through the import binding inside a hot loop they cost ≈ 2× (measured).
  const k = NEIGHBOURS;
  const shift = TILE_SHIFT;
  const tile = TILE;
  const area = TILE_AREA;
  const slots = nb.dist;
  for (let I = I0; I < I1; I++) {
    const iLo = I << shift;
    const iHi = Math.min(n, iLo + tile);
    for (let J = I; J < tiles; J++) {
      const jLo = J << shift;
      const jHi = Math.min(n, jLo + tile);
      const tileStart = base[I]! + J * area;
      for (let i = iLo; i < iHi; i++) {
        const io = i * d;
        const lastI = i * k + k - 1;
        // d(i, j) at rowOffset + j.
        const rowOffset = tileStart + ((i - iLo) << shift) - jLo;
        const j0 = J === I ? i + 1 : jLo;
        distances(x, io, j0, jHi, D, rowOffset);
        for (let j = j0; j < jHi; j++) {
          const v = D[rowOffset + j]!;
          // Most candidates rank after the row's last slot (+∞ while empty): tested inline before the call.
          if (v < slots[lastI]!) offerAscending(nb, i, v, j);
          if (v < slots[j * k + k - 1]!) offerAscending(nb, j, v, i);
        }
      }
    }
  }
}
