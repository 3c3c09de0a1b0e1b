/**
 * A synchronous pool of worker threads for data-parallel loops: a job is a kernel run over numbered blocks of rows
 * held in shared memory, and the calling thread works on blocks too until all are done.
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Processes one block of a job (e.g. rows `[b · rowsPerBlock, (b + 1) · rowsPerBlock)`). */
export type BlockKernel = (block: number) => void;

/**
 * What a kernel module exports for the pool's workers: given the shared state (as passed to `BlockPool`, typed arrays
 * over the same `SharedArrayBuffer`s), the kernels numbered as the caller numbers them.
 */
export interface KernelModule {
  createKernels(shared: never): readonly BlockKernel[];
}

/** Options for `BlockPool`. */
export interface BlockPoolOptions {
  /**
   * URL of the module whose `createKernels` the workers call, as built (`.js`): when segmint runs from its `.ts`
   * sources (tests, tsx), the pool loads the `.ts` next to it instead, with tsx registered in the worker.
   */
  module: URL;
  /**
   * The state the kernels work on, sent to each worker once. Typed arrays the workers write must be views of
   * `SharedArrayBuffer`s (see `sharedFloat64`); anything else is copied.
   */
  shared: unknown;
  /** The calling thread's kernels: `createKernels(shared)` of the same module. */
  kernels: readonly BlockKernel[];
  /** Threads to use, the calling one included; 1 starts no worker. */
  threads: number;
}

// Control words, one Int32Array over a SharedArrayBuffer.
const GEN = 0; // job generation, bumped for each job (workers sleep on it)
const CLAIM = 1; // (generation mod 2048) << 20 | next block: claims are checked against the job they belong to
const KERNEL = 2;
const BLOCKS = 3;
const DONE = 4; // blocks finished in the current job (the caller sleeps on it)
const STOP = 5;
const FAILED = 6; // kernels that threw in a worker
const READY = 7; // workers that have loaded their kernels
const WORKER_BLOCKS = 8; // blocks run by workers so far (diagnostics, tests)
const CONTROL_WORDS = 9;

const INDEX_BITS = 20;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
const GEN_MASK = 0x7ff;
/** Bytes of the first worker failure's message kept for the caller's error. */
const ERROR_BYTES = 1024;

/** Largest number of blocks one job may have (the claim word keeps 20 bits of block index). */
export const MAX_BLOCKS = INDEX_MASK;

/** A Float64Array over a SharedArrayBuffer when `shared`, else over an ordinary one. */
export function sharedFloat64(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** An Int32Array over a SharedArrayBuffer when `shared`, else over an ordinary one. */
export function sharedInt32(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

/** Threads worth using by default: the cores this process may run on. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** Takes the next block of job `gen`, or returns −1 when the job has none left (or is no longer current). */
function claim(control: Int32Array, gen: number, blocks: number): number {
  const tag = (gen & GEN_MASK) << INDEX_BITS;
  for (;;) {
    const v = Atomics.load(control, CLAIM);
    if ((v & ~INDEX_MASK) !== tag) return -1;
    const b = v & INDEX_MASK;
    if (b >= blocks) return -1;
    if (Atomics.compareExchange(control, CLAIM, v, v + 1) === v) return b;
  }
}

/**
 * A worker's loop (called by `parallel-worker.ts`): sleep until a job is posted, take blocks until none are left,
 * repeat until the pool closes. A kernel that throws is counted and its message kept; the block still counts as
 * done, so the caller never waits forever and reports the failure instead.
 */
export function serveBlocks(
  control: Int32Array,
  errorText: Uint8Array,
  kernels: readonly BlockKernel[],
): void {
  Atomics.add(control, READY, 1);
  Atomics.notify(control, READY);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, GEN, seen);
    if (Atomics.load(control, STOP) !== 0) return;
    const gen = Atomics.load(control, GEN);
    if (gen === seen) continue;
    seen = gen;
    // Read after GEN: the job's fields were written before it. If a newer job has begun since, the claim fails.
    const kernel = kernels[Atomics.load(control, KERNEL)];
    const blocks = Atomics.load(control, BLOCKS);
    for (let b = claim(control, gen, blocks); b >= 0; b = claim(control, gen, blocks)) {
      try {
        kernel!(b);
      } catch (e) {
        if (Atomics.add(control, FAILED, 1) === 0) {
          const text = new TextEncoder().encode(e instanceof Error ? (e.stack ?? e.message) : String(e));
          errorText.set(text.subarray(0, ERROR_BYTES));
        }
      }
      Atomics.add(control, WORKER_BLOCKS, 1);
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
  }
}

/** What a worker receives as `workerData`. */
export interface WorkerSetup {
  module: string;
  shared: unknown;
  control: Int32Array;
  errorText: Uint8Array;
}

/**
 * A pool of worker threads running numbered kernels over blocks, synchronously: `run` returns when every block is
 * done, the calling thread having taken blocks too. Blocks are handed out first come, first served, so a kernel
 * must write only its block's own outputs (rows, or a per-block slot of a reduction that the caller then combines
 * in block order). Results are then the same whatever the number of threads, and whichever thread ran a block.
 *
 * Workers start in the background; until one has loaded its kernels the calling thread simply takes every block,
 * so starting is never waited for. `close()` stops them; they are `unref`'d, so a pool left open does not keep the
 * process alive either.
 *
 * @example
 * const pool = new BlockPool({ module: new URL('./my-kernels.js', import.meta.url), shared, kernels, threads: 2 });
 * try {
 *   pool.run(SUM_SQUARES, blocks); // then combine shared.partial[0 .. blocks) in order
 * } finally {
 *   pool.close();
 * }
 */
export class BlockPool {
  readonly threads: number;
  private readonly control: Int32Array;
  private readonly errorText: Uint8Array;
  private readonly kernels: readonly BlockKernel[];
  private readonly workers: Worker[] = [];
  private gen = 0;
  private closed = false;

  constructor(options: BlockPoolOptions) {
    const { module, shared, kernels, threads } = options;
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`threads must be an integer ≥ 1, got ${String(threads)}`);
    }
    this.threads = threads;
    this.kernels = kernels;
    const parallel = threads > 1;
    this.control = sharedInt32(CONTROL_WORDS, parallel);
    this.errorText = new Uint8Array(parallel ? new SharedArrayBuffer(ERROR_BYTES) : new ArrayBuffer(0));
    if (!parallel) return;
    const setup: WorkerSetup = {
      module: sourceUrl(module).href,
      shared,
      control: this.control,
      errorText: this.errorText,
    };
    for (let t = 1; t < threads; t++) {
      const worker = startWorker(setup);
      // A worker that fails to start leaves its blocks to the other threads; the failure is not an error of a job.
      worker.on('error', () => {});
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Blocks run by worker threads so far (the rest ran on the calling thread). */
  get workerBlocks(): number {
    return Atomics.load(this.control, WORKER_BLOCKS);
  }

  /**
   * Waits (blocking) until every worker has loaded its kernels, or `timeoutMs` passes; returns whether they all did.
   * Not needed for correctness — tests use it so that workers surely take part.
   */
  waitForWorkers(timeoutMs = 30_000): boolean {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = Atomics.load(this.control, READY);
      if (ready >= this.workers.length) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, READY, ready, left);
    }
  }

  /**
   * Runs `kernels[kernel](b)` for every b in [0, blocks), spread over the threads; returns when all are done.
   *
   * @throws Error when a kernel threw in a worker (a kernel throwing on the calling thread propagates as is).
   */
  run(kernel: number, blocks: number): void {
    if (this.closed) throw new Error('BlockPool.run after close()');
    if (!Number.isInteger(blocks) || blocks < 0 || blocks > MAX_BLOCKS) {
      throw new RangeError(`blocks must be an integer in [0, ${MAX_BLOCKS}], got ${String(blocks)}`);
    }
    const fn = this.kernels[kernel];
    if (fn === undefined) throw new RangeError(`no kernel numbered ${kernel}`);
    if (this.workers.length === 0) {
      for (let b = 0; b < blocks; b++) fn(b);
      return;
    }
    const c = this.control;
    const gen = (this.gen = (this.gen + 1) | 0);
    const tag = (gen & GEN_MASK) << INDEX_BITS;
    // Close the claim word to stragglers of the last job before changing the job's fields, then open it.
    Atomics.store(c, CLAIM, tag | INDEX_MASK);
    Atomics.store(c, KERNEL, kernel);
    Atomics.store(c, BLOCKS, blocks);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, CLAIM, tag);
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    let mine = 0;
    for (let b = claim(c, gen, blocks); b >= 0; b = claim(c, gen, blocks)) {
      fn(b);
      mine++;
    }
    for (;;) {
      const done = Atomics.load(c, DONE) + mine;
      if (done >= blocks) break;
      Atomics.wait(c, DONE, done - mine);
    }
    if (Atomics.load(c, FAILED) !== 0) {
      const text = new TextDecoder().decode(this.errorText).replace(/\0+$/, '');
      this.close();
      throw new Error(`a worker thread failed running kernel ${kernel}: ${text}`);
    }
  }

  /** Stops the workers. The pool cannot run jobs afterwards; closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.workers.length === 0) return;
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    // They leave their loop at once; terminate() also covers one still loading its modules.
    for (const worker of this.workers) void worker.terminate();
  }
}

/** Whether this module runs from its TypeScript source (tests, tsx) rather than from `dist/`. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The module to load in a worker: its `.ts` source when segmint itself runs from source. */
function sourceUrl(module: URL): URL {
  return FROM_SOURCE && module.pathname.endsWith('.js')
    ? new URL(module.href.replace(/\.js$/, '.ts'))
    : module;
}

/**
 * Starts one worker on `parallel-worker`. Worker threads load `.ts` only with tsx's loader registered inside them,
 * so from source the worker first registers it.
 */
function startWorker(setup: WorkerSetup): Worker {
  const entry = new URL(FROM_SOURCE ? './parallel-worker.ts' : './parallel-worker.js', import.meta.url);
  if (!FROM_SOURCE) return new Worker(entry, { workerData: setup });
  // Resolved here, next to segmint's own dependencies, rather than from the worker's working directory (tsx may
  // also run this module as CommonJS, where import.meta.resolve is missing: then the bare name it is).
  const tsx = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
  const code =
    `import(${JSON.stringify(tsx)}).then((t) => { t.register(); ` +
    `return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData: setup });
}
