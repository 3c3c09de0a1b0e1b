// BlockPool: every block runs exactly once, on whichever thread, with results independent of the thread count;
// worker failures surface as errors; pools do not keep the process alive.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';

import { BlockPool, sharedFloat64 } from './parallel.js';
import {
  FAIL_ON_WORKER,
  SUM_SQUARES,
  THREAD_OF_BLOCK,
  type TestShared,
  createKernels,
} from './parallel-test-kernels.js';

const MODULE = new URL('./parallel-test-kernels.js', import.meta.url);

function setup(threads: number, n: number, rowsPerBlock: number): { pool: BlockPool; s: TestShared } {
  const shared = threads > 1;
  const data = sharedFloat64(n, shared);
  for (let i = 0; i < n; i++) data[i] = Math.sin(i) * 1e3;
  const s: TestShared = { data, rowsPerBlock, out: sharedFloat64(Math.ceil(n / rowsPerBlock), shared) };
  return { pool: new BlockPool({ module: MODULE, shared: s, kernels: createKernels(s), threads }), s };
}

describe('BlockPool', () => {
  it('one thread runs every block in order on the calling thread, with no worker', () => {
    const { pool, s } = setup(1, 1000, 64);
    pool.run(THREAD_OF_BLOCK, s.out.length);
    assert.ok(s.out.every((t) => t === threadId));
    assert.equal(pool.workerBlocks, 0);
    pool.close();
  });

  it('two threads: workers take blocks, and per-block results equal the one-thread run', () => {
    const one = setup(1, 100_000, 1000);
    one.pool.run(SUM_SQUARES, one.s.out.length);
    const two = setup(2, 100_000, 1000);
    try {
      assert.ok(two.pool.waitForWorkers(), 'the worker started');
      two.pool.run(THREAD_OF_BLOCK, two.s.out.length);
      const threads = new Set(two.s.out);
      assert.equal(threads.size, 2, `blocks ran on threads ${[...threads].join(', ')}`);
      assert.ok(two.pool.workerBlocks > 0);
      // Many jobs in a row: none may lose or repeat a block.
      for (let job = 0; job < 200; job++) {
        two.s.out.fill(NaN);
        two.pool.run(SUM_SQUARES, two.s.out.length);
        assert.deepEqual(Array.from(two.s.out), Array.from(one.s.out), `job ${job}`);
      }
    } finally {
      two.pool.close();
    }
  });

  it('a kernel failing in a worker is reported to the caller', () => {
    const { pool, s } = setup(2, 64 * 64, 64);
    assert.ok(pool.waitForWorkers());
    assert.throws(
      () => pool.run(FAIL_ON_WORKER, s.out.length),
      /a worker thread failed running kernel 2: Error: block \d+ failed on purpose/,
    );
    assert.throws(() => pool.run(SUM_SQUARES, 1), /after close/);
  });

  it('rejects bad arguments', () => {
    const { pool } = setup(1, 10, 5);
    assert.throws(() => pool.run(7, 1), /no kernel numbered 7/);
    assert.throws(() => pool.run(SUM_SQUARES, -1), /blocks must be an integer/);
    assert.throws(() => new BlockPool({ module: MODULE, shared: {}, kernels: [], threads: 0 }), /threads/);
  });

  it('an open pool does not keep the process alive', () => {
    const script = `
      import { BlockPool, sharedFloat64 } from ${JSON.stringify(new URL('./parallel.ts', import.meta.url).href)};
      import { createKernels } from ${JSON.stringify(new URL('./parallel-test-kernels.ts', import.meta.url).href)};
      const s = { data: sharedFloat64(100, true), rowsPerBlock: 10, out: sharedFloat64(10, true) };
      const pool = new BlockPool({ module: new URL(${JSON.stringify(MODULE.href)}), shared: s, kernels: createKernels(s), threads: 2 });
      pool.waitForWorkers();
      pool.run(0, 10);
      console.log('ran');
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'ran');
  });
});
