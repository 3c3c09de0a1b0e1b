/**
 * The typed-array bytes one clustering fit allocates, in a process that has run the same fit before: the
 * library's own arrays, without the runtime's start-up. Array buffers are freed only by a garbage collection, so
 * when none ran during the fit (the last column says) the figure counts every array the fit made, dead or alive,
 * and bounds its arrays' peak from above; when some ran, it is net of what they freed and only a lower bound.
 * Reads the data sets `npm run bench:cluster` caches in bench/out/cluster/ (run it once first). A script, not a test.
 *
 * Usage: node --expose-gc --min-semi-space-size=128 --max-semi-space-size=128 --import tsx bench/cluster-arrays.ts
 *          [--source src|dist]
 * (the large young generation keeps the small fits from triggering a collection, so the figures are exact). Module
 * caches a fit keeps for the next (GMM's k-means workspace, WebAssembly memory) are reused, as in any long-running
 * process, and not counted again.
 * @module
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GCProfiler } from 'node:v8';
import type * as SegmintModule from '../src/cluster/index.js';
import { type Dataset, datasetPaths, readDataset } from './cluster-run.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out', 'cluster');

type Fit = (lib: typeof SegmintModule, d: Dataset) => unknown;
const numeric = (d: Dataset) => ({ data: d.x, rows: d.header.rows, cols: d.header.cols });

/** The small cases of `bench/cluster.ts`, with its parameters. */
const CASES: [string, Fit][] = [
  [
    'gmm-200k-5',
    (lib, d) =>
      lib.gaussianMixture(numeric(d), {
        k: 6,
        covarianceType: 'full',
        nInit: 1,
        maxIter: 100,
        tol: 1e-3,
        regCovar: 1e-6,
        init: 'kmeans',
        seed: 0,
      }),
  ],
  ['dbscan-200k-2', (lib, d) => lib.dbscan(numeric(d), { eps: 0.25, minSamples: 5 })],
  ['hdbscan-100k-5', (lib, d) => lib.hdbscan(numeric(d), { minClusterSize: 50, minSamples: 50 })],
  ['ward-20k-5', (lib, d) => lib.agglomerative(numeric(d), { nClusters: 8, linkage: 'ward' })],
  [
    'kprototypes-100k',
    (lib, d) =>
      lib.kPrototypes(
        { numeric: numeric(d), categorical: { data: d.cat!, rows: d.header.rows, cols: d.header.catCols } },
        { k: 8, init: 'Cao', nInit: 3, maxIter: 100, seed: 0 },
      ),
  ],
];

const { values } = parseArgs({ options: { source: { type: 'string', default: 'src' } } });
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with node --expose-gc (see the usage line at the top of this file)');
  process.exit(2);
}
const entry =
  values.source === 'dist'
    ? pathToFileURL(join(ROOT, 'dist', 'cluster', 'index.js')).href
    : '../src/cluster/index.js';
const lib = (await import(entry)) as typeof SegmintModule;

console.log('case               input MB  arrays MB  ratio  GCs during the fit');
for (const [name, fit] of CASES) {
  const prefix = join(OUT, name);
  if (!existsSync(datasetPaths(prefix).header)) {
    console.log(
      `${name.padEnd(17)}  skipped: no data set (run npm run bench:cluster -- --only ${name} first)`,
    );
    continue;
  }
  const d = readDataset(prefix);
  const inputMB = (d.x.byteLength + (d.cat?.byteLength ?? 0)) / 2 ** 20;
  fit(lib, d);
  gc();
  await new Promise((done) => setTimeout(done, 200)); // V8 gives back swept array buffers concurrently
  gc();
  const before = process.memoryUsage().arrayBuffers;
  const profiler = new GCProfiler();
  profiler.start();
  fit(lib, d);
  const gcs = profiler.stop().statistics.length;
  const arraysMB = (process.memoryUsage().arrayBuffers - before) / 2 ** 20;
  console.log(
    `${name.padEnd(17)}  ${inputMB.toFixed(2).padStart(8)}  ${arraysMB.toFixed(2).padStart(9)}  ` +
      `${(arraysMB / inputMB).toFixed(2).padStart(5)}  ${gcs === 0 ? '0 (exact: every array counted)' : `${gcs} (net: a lower bound)`}`,
  );
}
