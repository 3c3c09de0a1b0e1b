/**
 * The exact silhouette of every row over one or more threads: chooses the pair or the row path, sets up the
 * `BlockPool`, runs the tile schedule and finishes each row.
 * Internal: trusts its typed arrays.
 * @module
 */

import { isMainThread } from 'node:worker_threads';

import { BlockPool, defaultThreads, sharedFloat64, sharedInt32 } from '../util/parallel.js';
import type { CodedLabels } from './labels.js';
import {
  PAIR_ROUND,
  ROW_BLOCK,
  type SilhouetteShared,
  TILE,
  createKernels,
  schedulePlayers,
  silhouetteOfRow,
} from './silhouette-kernels.js';

/**
 * Use the pair path (each pair once, n × L sums) while L ≤ TILE — so memory stays O(n × TILE) — and the sums
 * need at most this many doubles (64 MiB). Beyond, the row path measures each pair twice with TILE × L sums.
 */
const PAIR_PATH_MAX_CELLS = 1 << 23;
/**
 * Pair work (n² · d) from which the default is to use every core (≤ 8): about 10,000 rows × 10 features, where the
 * serial loops take ~0.2 s and starting a worker (tens of ms from `dist/`) is repaid.
 */
const PARALLEL_MIN_WORK = 1e9;
const MAX_DEFAULT_THREADS = 8;

/** The validated `threads` option, or its default for n rows of d features (1 inside worker threads). */
export function silhouetteThreads(threads: unknown, n: number, d: number): number {
  if (threads === undefined) {
    return isMainThread && n * n * d >= PARALLEL_MIN_WORK
      ? Math.min(defaultThreads(), MAX_DEFAULT_THREADS)
      : 1;
  }
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be an integer ≥ 1, got ${String(threads)}`);
  }
  return threads;
}

/** `a` as a typed array over a SharedArrayBuffer (a copy) when `shared`, else `a` itself. */
function share<T extends Float64Array | Int32Array>(a: T, shared: boolean): T {
  if (!shared) return a;
  const copy = (a instanceof Float64Array ? sharedFloat64(a.length, true) : sharedInt32(a.length, true)) as T;
  copy.set(a);
  return copy;
}

/** Whether n rows with L labels take the pair path: L ≤ TILE and n × L sums within PAIR_PATH_MAX_CELLS. */
export function pairPathFits(n: number, L: number): boolean {
  return L <= TILE && n * L <= PAIR_PATH_MAX_CELLS;
}

/** For tests: wait until the workers have loaded (so they surely take part), then report the blocks they ran. */
export interface PoolProbe {
  workerBlocks?: number;
}

/** A pool over the silhouette kernels, closed after `job` runs. */
function withPool<T>(
  shared: SilhouetteShared,
  threads: number,
  job: (pool: BlockPool) => T,
  probe?: PoolProbe,
): T {
  const pool = new BlockPool({
    module: new URL('./silhouette-kernels.js', import.meta.url),
    shared,
    kernels: createKernels(shared),
    threads,
  });
  try {
    if (probe !== undefined) pool.waitForWorkers();
    const result = job(pool);
    if (probe !== undefined) probe.workerBlocks = pool.workerBlocks;
    return result;
  } finally {
    pool.close();
  }
}

/**
 * `sums[i * L + l]`: the total distance from row i to the rows labelled l (codes 0..L−1, `pairPathFits(n, L)`),
 * each pair measured once, on `threads` threads. The result is the same for any number of threads.
 */
export function labelDistanceSums(
  x: Float64Array,
  n: number,
  d: number,
  codes: Int32Array,
  L: number,
  threads: number,
  probe?: PoolProbe,
): Float64Array {
  const parallel = threads > 1;
  const shared: SilhouetteShared = {
    x: share(x, parallel),
    n,
    d,
    codes: share(codes, parallel),
    counts: new Float64Array(L),
    sums: sharedFloat64(n * L, parallel),
    out: new Float64Array(0),
    params: sharedInt32(2, parallel),
  };
  const players = schedulePlayers(Math.ceil(n / TILE));
  shared.params[1] = players;
  withPool(
    shared,
    threads,
    (pool) => {
      for (let r = 0; r < players; r++) {
        shared.params[0] = r;
        pool.run(PAIR_ROUND, (players + 1) / 2);
      }
    },
    probe,
  );
  return shared.sums;
}

/**
 * Silhouette of every row of a Float64 point set whose labels are coded, into `out`, on `threads` threads (the
 * calling one included). The result is the same for any number of threads.
 */
export function silhouetteCore(
  x: Float64Array,
  n: number,
  d: number,
  coded: CodedLabels,
  out: Float64Array,
  threads: number,
  probe?: PoolProbe,
): void {
  const { codes, counts } = coded;
  const L = counts.length;
  if (pairPathFits(n, L)) {
    const sums = labelDistanceSums(x, n, d, codes, L, threads, probe);
    for (let i = 0; i < n; i++) out[i] = silhouetteOfRow(codes[i]!, counts, sums, i * L);
    return;
  }
  const parallel = threads > 1;
  const shared: SilhouetteShared = {
    x: share(x, parallel),
    n,
    d,
    codes: share(codes, parallel),
    counts,
    sums: new Float64Array(0),
    out: sharedFloat64(n, parallel),
    params: new Int32Array(2),
  };
  withPool(shared, threads, (pool) => pool.run(ROW_BLOCK, Math.ceil(n / TILE)), probe);
  out.set(shared.out);
}
