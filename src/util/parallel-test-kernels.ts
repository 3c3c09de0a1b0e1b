/**
 * Kernels for `parallel.test.ts`: a per-block reduction, a record of which thread ran each block, and a kernel that
 * fails on worker threads. Kept out of the test file because workers import it by URL.
 * @module
 */
import { isMainThread, threadId } from 'node:worker_threads';

import type { BlockKernel } from './parallel.js';

export interface TestShared {
  data: Float64Array;
  rowsPerBlock: number;
  /** One slot per block. */
  out: Float64Array;
}

export const SUM_SQUARES = 0;
export const THREAD_OF_BLOCK = 1;
export const FAIL_ON_WORKER = 2;

/** Spins for about `ms` milliseconds, so that blocks take long enough for every thread to take some. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

export function createKernels(s: TestShared): readonly BlockKernel[] {
  const rows = (b: number): [number, number] => [
    b * s.rowsPerBlock,
    Math.min(s.data.length, (b + 1) * s.rowsPerBlock),
  ];
  return [
    (b) => {
      const [i0, i1] = rows(b);
      let sum = 0;
      for (let i = i0; i < i1; i++) sum += s.data[i]! * s.data[i]!;
      s.out[b] = sum;
    },
    (b) => {
      busy(2);
      s.out[b] = threadId;
    },
    (b) => {
      busy(2);
      if (!isMainThread) throw new Error(`block ${b} failed on purpose`);
      s.out[b] = 1;
    },
  ];
}
