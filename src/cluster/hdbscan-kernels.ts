/**
 * HDBSCAN's core distances over blocks of KD-tree positions, run by the calling thread and `BlockPool` workers
 * alike (each row's k-nearest-neighbour query is independent, so any thread count gives the same values).
 * Internal: trusts its typed arrays.
 * @module
 */

import { BlockPool, type BlockKernel } from '../util/parallel.js';
import { coreDistanceRange } from './hdbscan-tree.js';
import { KDTree, type KDTreeLayout } from './kd-tree.js';

/** What the threads share: the tree (over `SharedArrayBuffer`s when there are workers), k, and the output. */
export interface CoreDistanceShared {
  tree: KDTreeLayout;
  k: number;
  rowsPerBlock: number;
  /** Squared core distance per tree position. */
  out: Float64Array;
}

/** Kernel 0: squared core distances of the tree positions in one block. */
export const CORE_DISTANCES = 0;

/** The kernels for `BlockPool` (called once per thread). */
export function createKernels(shared: CoreDistanceShared): readonly BlockKernel[] {
  const tree = KDTree.fromLayout(shared.tree);
  const { k, rowsPerBlock, out } = shared;
  return [
    (block) =>
      coreDistanceRange(tree, k, out, block * rowsPerBlock, Math.min(tree.n, (block + 1) * rowsPerBlock)),
  ];
}

/** Rows per block: small enough to balance two threads of unequal speed, large enough to amortise a claim. */
const ROWS_PER_BLOCK = 512;

/**
 * Squared core distances in tree order (`out[p]` for row `tree.index[p]`) over `threads` threads, the calling one
 * included. With threads > 1 the tree must have been built with `shared: true`. `waitForWorkers` (tests) blocks
 * until the workers have loaded, so they surely take part; it returns how many blocks they ran.
 */
export function parallelCoreDistances(
  tree: KDTree,
  k: number,
  threads: number,
  waitForWorkers = false,
): { coreSq: Float64Array; workerBlocks: number } {
  const { n } = tree;
  const shared: CoreDistanceShared = {
    tree: tree.layout,
    k,
    rowsPerBlock: ROWS_PER_BLOCK,
    out: threads > 1 ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n),
  };
  const pool = new BlockPool({
    module: new URL('./hdbscan-kernels.js', import.meta.url),
    shared,
    kernels: createKernels(shared),
    threads,
  });
  try {
    if (waitForWorkers) pool.waitForWorkers();
    pool.run(CORE_DISTANCES, Math.ceil(n / ROWS_PER_BLOCK));
    return { coreSq: shared.out, workerBlocks: pool.workerBlocks };
  } finally {
    pool.close();
  }
}
