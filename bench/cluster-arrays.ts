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
import { CASES } from './cluster.js';
import { datasetPaths, fitSegmint, readDataset } from './cluster-run.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out', 'cluster');

/** The small cases of `bench/cluster.ts`, fitted with its parameters. */
const NAMES = ['gmm-200k-5', 'dbscan-200k-2', 'hdbscan-100k-5', 'ward-20k-5', 'kprototypes-100k'];

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
for (const name of NAMES) {
  const c = CASES.find((x) => x.name === name)!;
  const prefix = join(OUT, name);
  if (!existsSync(datasetPaths(prefix).header)) {
    console.log(
      `${name.padEnd(17)}  skipped: no data set (run npm run bench:cluster -- --only ${name} first)`,
    );
    continue;
  }
  const d = readDataset(prefix);
  const inputMB = (d.x.byteLength + (d.cat?.byteLength ?? 0)) / 2 ** 20;
  const fit = () => fitSegmint(lib, c.algorithm, d, c.params);
  fit();
  // V8 gives back swept array buffers concurrently: collect until the count holds still, or the baseline would
  // include buffers freed during the measured fit (the figure then comes out too low).
  let before = -1;
  for (let tries = 0; tries < 20 && process.memoryUsage().arrayBuffers !== before; tries++) {
    before = process.memoryUsage().arrayBuffers;
    gc();
    await new Promise((done) => setTimeout(done, 100));
  }
  before = process.memoryUsage().arrayBuffers;
  const profiler = new GCProfiler();
  profiler.start();
  fit();
  const gcs = profiler.stop().statistics.length;
  const arraysMB = (process.memoryUsage().arrayBuffers - before) / 2 ** 20;
  console.log(
    `${name.padEnd(17)}  ${inputMB.toFixed(2).padStart(8)}  ${arraysMB.toFixed(2).padStart(9)}  ` +
      `${(arraysMB / inputMB).toFixed(2).padStart(5)}  ${gcs === 0 ? '0 (exact: every array counted)' : `${gcs} (net: a lower bound)`}`,
  );
}
