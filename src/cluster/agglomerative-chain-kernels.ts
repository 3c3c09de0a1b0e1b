/**
 * The passes of the nearest-neighbour chain over the distance matrix — building it, rescanning one cluster's
 * distances, merging two clusters — as functions of a range of rows, and as `BlockPool` kernels over blocks of
 * those ranges, run by the calling thread and worker threads alike. Internal: trusts its typed arrays.
 * @module
 */

import type { BlockKernel } from '../util/parallel.js';
import {
  NEIGHBOURS,
  type Neighbours,
  clearRow,
  lists,
  offerAscending,
  revise,
} from './agglomerative-neighbours.js';
import {
  type TiledDistances,
  TILE_AREA,
  TILE_MASK,
  TILE_SHIFT,
  aboveOffset,
  belowOffset,
  fillTileRows,
} from './agglomerative-tiles.js';

/** Lance–Williams update kinds (`ChainShared.params[P_KIND]`). Ward runs on centroids (`agglomerative-ward.ts`). */
export const COMPLETE = 1;
export const AVERAGE = 2;

/** Kernel numbers. */
export const PDIST = 0;
export const RESCAN = 1;
export const MERGE = 2;

/** Job inputs in `ChainShared.params`, set by the calling thread before each job. */
export const P_A = 0;
export const P_B = 1;
export const P_NA = 2;
export const P_NB = 3;
export const P_KIND = 4;
export const P_LIVE = 5;
export const P_X0 = 6;
export const P_BLOCKS = 7;
export const PARAMS = 8;

/** Everything the chain's passes share (typed arrays over `SharedArrayBuffer`s when there are workers). */
export interface ChainShared {
  t: TiledDistances;
  /** The n × d rows (read by `PDIST` only). */
  x: Float64Array;
  d: number;
  /** Live clusters in increasing index, `params[P_LIVE]` of them. */
  live: Int32Array;
  /** Rows per cluster; 0 once merged away (read by the calling thread only). */
  size: Int32Array;
  /** Every cluster's nearest neighbours. */
  nb: Neighbours;
  /** Row β: block β's part of the list being built (`RESCAN`, `MERGE`). */
  partial: Neighbours;
  /** `PDIST` block β fills tile rows [pdistCuts[β], pdistCuts[β + 1]) and offers to `pdistLists[β]`. */
  pdistCuts: Int32Array;
  pdistLists: Neighbours[];
  params: Float64Array;
}

/** Rows [u0, u1) of the live list for block β of `blocks` over `count` live clusters. */
export function blockRange(count: number, blocks: number, b: number): [number, number] {
  return [Math.floor((count * b) / blocks), Math.floor((count * (b + 1)) / blocks)];
}

/**
 * Offers d(x0, i) for the live clusters live[u0, u1), i ≠ x0, to row `row` of `out` (cleared first), in
 * increasing i. Plain version: for (u in [u0, u1)) if (live[u] !== x0) offer(D[pairIndex(t, x0, live[u])]).
 */
export function rescanRange(
  t: TiledDistances,
  live: Int32Array,
  u0: number,
  u1: number,
  x0: number,
  out: Neighbours,
  row: number,
): void {
  const { D, base } = t;
  // Imported constants in locals: read through the import binding inside a hot loop they cost ≈ 2× (measured).
  const shift = TILE_SHIFT;
  const mask = TILE_MASK;
  const area = TILE_AREA;
  const lastSlot = row * NEIGHBOURS + NEIGHBOURS - 1;
  const slots = out.dist;
  const below = belowOffset(x0);
  const above = aboveOffset(t, x0);
  clearRow(out, row);
  for (let u = u0; u < u1; u++) {
    const i = live[u]!;
    if (i === x0) continue;
    const v =
      D[
        i < x0 ? base[i >> shift]! + below + ((i & mask) << shift) : above + (i >> shift) * area + (i & mask)
      ]!;
    if (v < slots[lastSlot]!) offerAscending(out, row, v, i);
  }
}

/**
 * Merges cluster a into b for the live clusters live[u0, u1) (a already off the list, sizes already updated to
 * na + nb): d(b, i) becomes the Lance–Williams distance d(b ∪ a, i) (in SciPy's operation order,
 * `linkage_distance_update.pxi`, so ties break alike), each row i's list in `nb` is kept exact, and the new
 * distances are offered, in increasing i, to row `row` of `out` (cleared first) — b's list or a block's part of it.
 * Plain version of the offsets: qa = pairIndex(t, i, a), qb = pairIndex(t, i, b).
 */
export function mergeRange(
  t: TiledDistances,
  live: Int32Array,
  nb: Neighbours,
  u0: number,
  u1: number,
  a: number,
  b: number,
  na: number,
  nb0: number,
  kind: number,
  out: Neighbours,
  row: number,
): void {
  const { D, base } = t;
  const { last } = nb;
  // Imported and module constants in locals (see `rescanRange`).
  const complete = COMPLETE;
  const shift = TILE_SHIFT;
  const mask = TILE_MASK;
  const area = TILE_AREA;
  const lastSlot = row * NEIGHBOURS + NEIGHBOURS - 1;
  const slots = out.dist;
  const belowA = belowOffset(a);
  const aboveA = aboveOffset(t, a);
  const belowB = belowOffset(b);
  const aboveB = aboveOffset(t, b);
  clearRow(out, row);
  for (let u = u0; u < u1; u++) {
    const i = live[u]!;
    if (i === b) continue;
    const qa =
      i < a ? base[i >> shift]! + belowA + ((i & mask) << shift) : aboveA + (i >> shift) * area + (i & mask);
    const qb =
      i < b ? base[i >> shift]! + belowB + ((i & mask) << shift) : aboveB + (i >> shift) * area + (i & mask);
    const dai = D[qa]!;
    const dbi = D[qb]!;
    const v = kind === complete ? (dai > dbi ? dai : dbi) : (na * dai + nb0 * dbi) / (na + nb0);
    D[qb] = v;
    if (v < slots[lastSlot]!) offerAscending(out, row, v, i);
    // i's list: only d(i, a) (gone) and d(i, b) (now v) changed. Nearly always neither merged cluster is listed
    // and v ranks after the last entry, so nothing changes.
    if (v <= last[i]! || lists(nb, i, a, b)) revise(nb, i, a, b, v);
  }
}

/** The kernels, numbered `PDIST`, `RESCAN`, `MERGE`, over the shared state (see `BlockPool`). */
export function createKernels(s: ChainShared): readonly BlockKernel[] {
  const { t, x, d, live, nb, partial, pdistCuts, pdistLists, params } = s;
  return [
    (b) => fillTileRows(t, x, d, pdistCuts[b]!, pdistCuts[b + 1]!, pdistLists[b]!),
    (b) => {
      const [u0, u1] = blockRange(params[P_LIVE]!, params[P_BLOCKS]!, b);
      rescanRange(t, live, u0, u1, params[P_X0]!, partial, b);
    },
    (b) => {
      const [u0, u1] = blockRange(params[P_LIVE]!, params[P_BLOCKS]!, b);
      mergeRange(
        t,
        live,
        nb,
        u0,
        u1,
        params[P_A]!,
        params[P_B]!,
        params[P_NA]!,
        params[P_NB]!,
        params[P_KIND]!,
        partial,
        b,
      );
    },
  ];
}
