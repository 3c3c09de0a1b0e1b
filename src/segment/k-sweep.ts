/**
 * The k sweep: fit k-means for each k and score it by silhouette, spread over worker threads (one per core) when
 * the work is large enough to pay for starting them. Each k's result depends only on the data, k and the seed,
 * so it is the same whichever thread computes it.
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { kmeans } from '../cluster/index.js';
import { silhouetteScore } from '../metrics/index.js';
import type { Matrix } from '../util/matrix.js';

export interface SweepOptions {
  nInit: number;
  maxIter: number;
  seed: number;
  /** Rows the silhouette is estimated on (all when ≥ rows). */
  silhouetteSampleSize: number;
}

export interface KFit {
  k: number;
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  /** Silhouette; −1 when the fit found fewer than two clusters. */
  silhouette: number;
}

/** Message a sweep worker receives. */
export interface SweepTask {
  data: SharedArrayBuffer;
  rows: number;
  cols: number;
  options: SweepOptions;
}

/** Fits one k and scores it. */
export function fitOneK(x: Matrix, k: number, o: SweepOptions): KFit {
  const r = kmeans(x, { k, nInit: o.nInit, maxIter: o.maxIter, seed: o.seed + k });
  const distinct = new Set(r.labels).size;
  const sampled = o.silhouetteSampleSize < x.rows;
  const silhouette =
    distinct < 2
      ? -1
      : silhouetteScore(x, r.labels, sampled ? { sampleSize: o.silhouetteSampleSize, seed: o.seed } : {});
  return { k, centroids: r.centroids, labels: r.labels, inertia: r.inertia, silhouette };
}

/** Below this many point-centroid-feature products per k the sweep runs on the main thread. */
const PARALLEL_MIN_WORK = 2_000_000;

/** Fits every k in `ks`; results in the order of `ks`. */
export async function sweepK(
  x: Matrix,
  ks: readonly number[],
  o: SweepOptions,
  onFit?: (done: number, total: number) => void,
): Promise<KFit[]> {
  const threads = Math.min(availableParallelism(), ks.length);
  const work = x.rows * x.cols * Math.max(...ks);
  if (threads < 2 || work < PARALLEL_MIN_WORK) {
    return ks.map((k, i) => {
      const fit = fitOneK(x, k, o);
      onFit?.(i + 1, ks.length);
      return fit;
    });
  }
  // Share the matrix once; hand out ks largest first so the slowest fits start early.
  const shared = new SharedArrayBuffer(x.rows * x.cols * 8);
  new Float64Array(shared).set(x.data);
  const queue = [...ks].sort((a, b) => b - a);
  const results = new Map<number, KFit>();
  // Run from TypeScript sources (tests, scripts under tsx), the worker needs tsx's loader registered too.
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './sweep-worker.ts' : './sweep-worker.js', import.meta.url);
  const task: SweepTask = { data: shared, rows: x.rows, cols: x.cols, options: o };
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = fromSource
            ? new Worker(
                `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`,
                { eval: true, workerData: task },
              )
            : new Worker(url, { workerData: task });
          const next = () => {
            const k = queue.shift();
            if (k === undefined) {
              void worker.terminate();
              resolve();
            } else worker.postMessage(k);
          };
          worker.on('message', (fit: KFit) => {
            results.set(fit.k, fit);
            onFit?.(results.size, ks.length);
            next();
          });
          worker.on('error', reject);
          worker.on('online', next);
        }),
    ),
  );
  return ks.map((k) => results.get(k)!);
}
