/**
 * Worker thread of the k sweep: receives the shared matrix once, then one k per message, and answers each with
 * its fit.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitOneK, type SweepTask } from './k-sweep.js';

const task = workerData as SweepTask;
const x = { data: new Float64Array(task.data), rows: task.rows, cols: task.cols };
const pre = task.dist ? { dist: new Float64Array(task.dist), idx: task.idx ?? null } : undefined;
parentPort!.on('message', (k: number) => {
  const fit = fitOneK(x, k, task.options, pre);
  parentPort!.postMessage(fit, [fit.centroids.buffer as ArrayBuffer, fit.labels.buffer as ArrayBuffer]);
});
