/**
 * Entry point of a `BlockPool` worker thread: loads the kernel module named in `workerData`, builds its kernels over
 * the shared state, and serves blocks until the pool closes.
 * @module
 */
import { workerData } from 'node:worker_threads';

import { type KernelModule, type WorkerSetup, serveBlocks } from './parallel.js';

const setup = workerData as WorkerSetup;
const mod = (await import(setup.module)) as KernelModule;
serveBlocks(setup.control, setup.errorText, mod.createKernels(setup.shared as never));
