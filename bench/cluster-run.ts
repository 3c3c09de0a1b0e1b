/**
 * One clustering-benchmark run in its own process: reads a data set that `bench/cluster.ts` wrote, fits one
 * algorithm with segmint (or, for k-means, with the `ml-kmeans` package), writes the labels and prints one JSON
 * line on stdout — the fit time alone, the RSS right after loading the data and the tool's own quality figures.
 * The harness measures wall time, CPU time and peak memory around the whole process.
 *
 * Usage (normally spawned by `npm run bench:cluster`):
 *   node --import tsx bench/cluster-run.ts TOOL ALGORITHM DATA_PREFIX LABELS_OUT PARAMS_JSON [--source src|dist]
 *     [--warm-up ROWS]   (segmint, with node --expose-gc: fit the first ROWS rows once before the measured fit)
 * TOOL is `segmint` or `ml-kmeans`; the data file format and the report are defined here and shared with the
 * harness and the Python peers (`bench/peers/cluster_peers.py`).
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GCProfiler, getHeapStatistics } from 'node:v8';
// Types only: the library itself is imported at run time, from src/ or dist/ as asked.
import type * as MlKmeansModule from 'ml-kmeans';
import type * as SegmintModule from '../src/cluster/index.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');

/** The algorithms the benchmark covers, named as the harness's cases use them. */
export type ClusterAlgorithm =
  'kmeans' | 'minibatch-kmeans' | 'gaussian-mixture' | 'dbscan' | 'hdbscan' | 'agglomerative' | 'kprototypes';

/**
 * `<prefix>.json` next to the raw arrays: `<prefix>.f64` (rows × cols little-endian float64, row-major),
 * `<prefix>.cat.i32` (rows × catCols int32 category codes, k-prototypes only) and `<prefix>.truth.i32` (the
 * planted cluster of each row, −1 for uniform noise).
 */
export interface DatasetHeader {
  format: 1;
  rows: number;
  cols: number;
  /** Categorical columns in `<prefix>.cat.i32`; 0 when there is none. */
  catCols: number;
  /** Planted clusters (noise not counted). */
  clusters: number;
  /** Fingerprint of the generator settings: a different one means the files are stale. */
  spec: string;
}

/** A loaded data set: the numeric matrix and, for mixed data, the categorical codes. */
export interface Dataset {
  header: DatasetHeader;
  x: Float64Array;
  cat: Int32Array | null;
}

/** What a run prints as its last stdout line (the Python peers print the same shape). */
export interface RunReport {
  tool: string;
  /** Library and version that did the fit, e.g. `segmint 0.1.0 (src)`, `scikit-learn 1.9.1`. */
  library: string;
  algorithm: ClusterAlgorithm;
  /** Reading the files and converting them to what the library takes (ml-kmeans: arrays of rows). */
  loadSeconds: number;
  /** The library call alone, including its own input validation and the choice among nInit runs. */
  fitSeconds: number;
  /** Resident memory right after loading: the baseline that "extra MB" is measured from. */
  rssAfterLoadMB: number;
  /**
   * Node tools only: the fit's peak of V8's used heap plus its external memory (typed arrays, WebAssembly
   * memories) over their sum just before the fit (see `heapAndArraysPeak`), MB. Unlike the RSS figures it leaves
   * out what the runtime reserves around them (V8's young-generation capacity, JIT code and compiler memory).
   */
  extraHeapArraysMB?: number;
  /** The tool's own figures: inertia, lowerBound, cost, iterations, … (names differ by algorithm). */
  quality: Record<string, number | boolean | null>;
  /** The options as the library received them, in its own names. */
  options: Record<string, unknown>;
}

/** Paths of a data set's files. */
export function datasetPaths(prefix: string): { header: string; x: string; cat: string; truth: string } {
  return {
    header: `${prefix}.json`,
    x: `${prefix}.f64`,
    cat: `${prefix}.cat.i32`,
    truth: `${prefix}.truth.i32`,
  };
}

/** Reads a whole file into a typed array without copying when the buffer is aligned (it is for large files). */
function readTyped<T extends Float64Array | Int32Array>(
  path: string,
  Type: { new (b: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
): T {
  const buf = readFileSync(path);
  const size = Type.BYTES_PER_ELEMENT;
  if (buf.byteOffset % size === 0) {
    return new Type(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength / size);
  }
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new Type(copy, 0, buf.byteLength / size);
}

/** Reads an int32 file (labels, truth, categorical codes). */
export function readInt32(path: string): Int32Array {
  return readTyped(path, Int32Array);
}

/** Loads a data set written by the harness, checking the file sizes against the header. */
export function readDataset(prefix: string): Dataset {
  const paths = datasetPaths(prefix);
  const header = JSON.parse(readFileSync(paths.header, 'utf8')) as DatasetHeader;
  const x = readTyped(paths.x, Float64Array);
  if (x.length !== header.rows * header.cols) {
    throw new RangeError(`${paths.x} holds ${x.length} values, expected ${header.rows} × ${header.cols}`);
  }
  let cat: Int32Array | null = null;
  if (header.catCols > 0) {
    cat = readInt32(paths.cat);
    if (cat.length !== header.rows * header.catCols) {
      throw new RangeError(
        `${paths.cat} holds ${cat.length} codes, expected ${header.rows} × ${header.catCols}`,
      );
    }
  }
  return { header, x, cat };
}

/** Writes labels as raw little-endian int32 (the platforms Node runs the benchmark on are little-endian). */
export function writeInt32(path: string, labels: Int32Array): void {
  writeFileSync(path, new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
}

/** Options shared by every tool of a case, in segmint's names; each runner maps them to its library's names. */
export type CaseParams = Record<string, number | string>;

function num(params: CaseParams, name: string): number {
  const v = params[name];
  if (typeof v !== 'number') throw new TypeError(`params.${name} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function rssMB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/**
 * Runs `fit` and returns its result with the peak, during the call, of V8's used heap plus its external memory
 * (typed arrays and WebAssembly memories), over their sum just before, in MB. Exact for synchronous code without
 * sampling: between two garbage collections neither can shrink (V8 frees objects and array buffers only in a GC),
 * so the peak is the sum just before one of the call's GCs, which `GCProfiler` records, or the sum at its end.
 * (Array buffers swept concurrently after a GC are counted until V8 accounts for them: an upper bound, if anything.)
 */
function heapAndArraysPeak<T>(fit: () => T): { result: T; extraMB: number } {
  const sum = (used: number, external: number): number => used + external;
  const before = getHeapStatistics();
  const base = sum(before.used_heap_size, before.external_memory);
  const profiler = new GCProfiler();
  profiler.start();
  const result = fit();
  const gcs = profiler.stop().statistics;
  const after = getHeapStatistics();
  let peak = sum(after.used_heap_size, after.external_memory);
  for (const gc of gcs) {
    const h = gc.beforeGC.heapStatistics;
    peak = Math.max(peak, sum(h.usedHeapSize, h.externalMemory));
  }
  return { result, extraMB: Math.max(0, peak - base) / 2 ** 20 };
}

type Segmint = typeof SegmintModule;
type MlKmeans = typeof MlKmeansModule.kmeans;

/**
 * Fits `algorithm` with segmint on the loaded data. Only the library call is inside the timed region; counting
 * clusters and noise is left to the harness, which does it the same way for every tool.
 */
export function fitSegmint(
  lib: Segmint,
  algorithm: ClusterAlgorithm,
  data: Dataset,
  p: CaseParams,
): { labels: Int32Array; seconds: number; quality: RunReport['quality']; options: Record<string, unknown> } {
  const X = { data: data.x, rows: data.header.rows, cols: data.header.cols };
  const started = performance.now();
  const done = () => (performance.now() - started) / 1000;
  switch (algorithm) {
    case 'kmeans': {
      const options = {
        k: num(p, 'k'),
        nInit: num(p, 'nInit'),
        init: 'k-means++' as const,
        maxIter: num(p, 'maxIter'),
        tol: num(p, 'tol'),
        seed: num(p, 'seed'),
      };
      const r = lib.kmeans(X, options);
      const seconds = done();
      return {
        labels: r.labels,
        seconds,
        quality: { inertia: r.inertia, iterations: r.iterations, converged: r.converged },
        options,
      };
    }
    case 'minibatch-kmeans': {
      const options = {
        k: num(p, 'k'),
        batchSize: num(p, 'batchSize'),
        nInit: num(p, 'nInit'),
        maxIter: num(p, 'maxIter'),
        maxNoImprovement: num(p, 'maxNoImprovement'),
        tol: num(p, 'tol'),
        reassignmentRatio: num(p, 'reassignmentRatio'),
        init: 'k-means++' as const,
        seed: num(p, 'seed'),
      };
      const r = lib.miniBatchKMeans(X, options);
      const seconds = done();
      return { labels: r.labels, seconds, quality: { inertia: r.inertia, steps: r.nSteps }, options };
    }
    case 'gaussian-mixture': {
      const options = {
        k: num(p, 'k'),
        covarianceType: p['covarianceType'] as 'full',
        nInit: num(p, 'nInit'),
        maxIter: num(p, 'maxIter'),
        tol: num(p, 'tol'),
        regCovar: num(p, 'regCovar'),
        init: 'kmeans' as const,
        seed: num(p, 'seed'),
      };
      const r = lib.gaussianMixture(X, options);
      const seconds = done();
      return {
        labels: r.labels,
        seconds,
        quality: { lowerBound: r.lowerBound, iterations: r.nIter, converged: r.converged },
        options,
      };
    }
    case 'dbscan': {
      const options = { eps: num(p, 'eps'), minSamples: num(p, 'minSamples') };
      const r = lib.dbscan(X, options);
      const seconds = done();
      return { labels: r.labels, seconds, quality: { coreRows: r.coreSampleIndices.length }, options };
    }
    case 'hdbscan': {
      const options = { minClusterSize: num(p, 'minClusterSize'), minSamples: num(p, 'minSamples') };
      const r = lib.hdbscan(X, options);
      const seconds = done();
      return { labels: r.labels, seconds, quality: {}, options };
    }
    case 'agglomerative': {
      const options = { nClusters: num(p, 'nClusters'), linkage: p['linkage'] as 'ward' };
      const r = lib.agglomerative(X, options);
      const seconds = done();
      return { labels: r.labels, seconds, quality: {}, options };
    }
    case 'kprototypes': {
      if (data.cat === null) throw new RangeError('kprototypes needs categorical columns (<prefix>.cat.i32)');
      const options = {
        k: num(p, 'k'),
        init: 'Cao' as const,
        nInit: num(p, 'nInit'),
        maxIter: num(p, 'maxIter'),
        seed: num(p, 'seed'),
      };
      const categorical = { data: data.cat, rows: data.header.rows, cols: data.header.catCols };
      const r = lib.kPrototypes({ numeric: X, categorical }, options);
      const seconds = done();
      return {
        labels: r.labels,
        seconds,
        quality: { cost: r.cost, iterations: r.nIter, gamma: r.gamma },
        options,
      };
    }
    default:
      throw new TypeError(`unknown algorithm ${JSON.stringify(algorithm satisfies never)}`);
  }
}

/**
 * k-means with `ml-kmeans` (v7), as its README shows: rows as `number[][]`, k-means++ seeding, one call per
 * initialisation (the package has no nInit), best run by inertia. `maxIterations` = segmint's maxIter; its
 * `tolerance` bounds each centroid's squared shift, so it is set to tol × mean feature variance — the absolute
 * bound scikit-learn and segmint put on the *sum* of squared shifts. The package therefore stops no later than
 * they do (a bound in its favour).
 */
function fitMlKmeans(
  kmeans: MlKmeans,
  rows: number[][],
  d: number,
  meanVariance: number,
  p: CaseParams,
): {
  labels: Int32Array;
  seconds: number;
  quality: RunReport['quality'];
  options: Record<string, unknown>;
} {
  const k = num(p, 'k');
  const nInit = num(p, 'nInit');
  const seed = num(p, 'seed');
  const options = {
    initialization: 'kmeans++' as const,
    maxIterations: num(p, 'maxIter'),
    tolerance: num(p, 'tol') * meanVariance,
  };
  const started = performance.now();
  let best: { clusters: number[]; inertia: number; iterations: number; converged: boolean } | null = null;
  for (let run = 0; run < nInit; run++) {
    const r = kmeans(rows, k, { ...options, seed: seed + run });
    // The package's labels come from the assignment before its last centroid update; inertia is measured
    // against the returned centroids, as its computeInformation() does.
    let inertia = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const c = r.centroids[r.clusters[i]!]!;
      for (let t = 0; t < d; t++) inertia += (row[t]! - c[t]!) ** 2;
    }
    if (best === null || inertia < best.inertia) {
      best = { clusters: r.clusters, inertia, iterations: r.iterations, converged: r.converged };
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    labels: Int32Array.from(best!.clusters),
    seconds,
    quality: { inertia: best!.inertia, iterations: best!.iterations, converged: best!.converged },
    options: { k, nInit, seeds: `${seed}..${seed + nInit - 1}`, ...options },
  };
}

/** Mean over columns of the population variance of each column (scikit-learn's tol scale). */
function meanColumnVariance(x: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let t = 0; t < d; t++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + t]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i * d + t]! - mean) ** 2;
    total += ss / n;
  }
  return total / d;
}

async function main(argv: string[]): Promise<number> {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--source' || a === '--warm-up') flags.set(a, argv[++i] ?? '');
    else positional.push(a);
  }
  const source = flags.get('--source') ?? 'src';
  const warmUpRows = Number(flags.get('--warm-up') ?? 0);
  const [tool, algorithm, prefix, labelsOut, paramsJson] = positional;
  if (
    paramsJson === undefined ||
    (source !== 'src' && source !== 'dist') ||
    !Number.isInteger(warmUpRows) ||
    warmUpRows < 0
  ) {
    console.error(
      'usage: node --import tsx bench/cluster-run.ts segmint|ml-kmeans ALGORITHM DATA_PREFIX LABELS_OUT ' +
        'PARAMS_JSON [--source src|dist] [--warm-up ROWS]',
    );
    return 2;
  }
  const params = JSON.parse(paramsJson) as CaseParams;
  const algo = algorithm as ClusterAlgorithm;

  if (tool === 'segmint') {
    // The clustering library alone, as a user who only clusters imports it (`segmint/cluster`; the package entry
    // also loads the pipeline's config, YAML and schema modules, ≈ 0.1–0.2 s). Imported before the data is read,
    // so the baseline RSS includes the library: "extra MB" is then what the fit itself needed.
    const entry =
      source === 'dist'
        ? pathToFileURL(join(ROOT, 'dist', 'cluster', 'index.js')).href
        : '../src/cluster/index.js';
    const lib = (await import(entry)) as Segmint;
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const loadStarted = performance.now();
    const data = readDataset(prefix!);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    if (warmUpRows > 0) {
      warmUp(lib, algo, data, params, warmUpRows);
      await settle();
    }
    const rssAfterLoadMB = rssMB();
    fitStarting();
    const { result: fit, extraMB: extraHeapArraysMB } = heapAndArraysPeak(() =>
      fitSegmint(lib, algo, data, params),
    );
    writeInt32(labelsOut!, fit.labels);
    report({
      tool,
      library: `segmint ${pkg.version} (${source})`,
      algorithm: algo,
      loadSeconds,
      fitSeconds: fit.seconds,
      rssAfterLoadMB,
      extraHeapArraysMB,
      quality: fit.quality,
      options: fit.options,
    });
    return 0;
  }
  if (tool === 'ml-kmeans') {
    if (algo !== 'kmeans') throw new RangeError(`ml-kmeans only does kmeans, not ${algo}`);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'ml-kmeans', 'package.json'), 'utf8')) as {
      version: string;
    };
    const loadStarted = performance.now();
    const data = readDataset(prefix!);
    const { rows: n, cols: d } = data.header;
    const rows: number[][] = new Array<number[]>(n);
    for (let i = 0; i < n; i++) rows[i] = Array.from(data.x.subarray(i * d, (i + 1) * d));
    const meanVariance = meanColumnVariance(data.x, n, d);
    // The typed array is no longer needed: only the arrays of rows the package takes count as its baseline
    // (the harness starts this process with --expose-gc so the file buffer is freed before the RSS is read).
    data.x = new Float64Array(0);
    (globalThis as { gc?: () => void }).gc?.();
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const rssAfterLoadMB = rssMB();
    fitStarting();
    // Imported after the baseline, as always (its module counts in the extra MB), but before the profiled call.
    const { kmeans } = await import('ml-kmeans');
    const profiled = heapAndArraysPeak(() => fitMlKmeans(kmeans, rows, d, meanVariance, params));
    const fit = profiled.result;
    writeInt32(labelsOut!, fit.labels);
    report({
      tool,
      library: `ml-kmeans ${pkg.version}`,
      algorithm: algo,
      loadSeconds,
      fitSeconds: fit.seconds,
      rssAfterLoadMB,
      extraHeapArraysMB: profiled.extraMB,
      quality: fit.quality,
      options: fit.options,
    });
    return 0;
  }
  console.error(`unknown tool ${JSON.stringify(tool)}: segmint or ml-kmeans`);
  return 2;
}

/**
 * The same fit on the first `rows` rows (views, no copies), run and thrown away before the baseline is read (see
 * `settle`). What the measured fit then adds is what a process that has fitted before needs for one more fit; what
 * the warm-up took includes what starting to run costs once per process — compiled code, its interpreter tiers'
 * garbage, V8's young generation grown to its working size, WebAssembly instantiated.
 */
function warmUp(lib: Segmint, algorithm: ClusterAlgorithm, data: Dataset, p: CaseParams, rows: number): void {
  const { header } = data;
  const n = Math.min(rows, header.rows);
  const slice: Dataset = {
    header: { ...header, rows: n },
    x: data.x.subarray(0, n * header.cols),
    cat: data.cat === null ? null : data.cat.subarray(0, n * header.catCols),
  };
  fitSegmint(lib, algorithm, slice, p);
}

/**
 * Collects what the warm-up left (with `--expose-gc`) and waits for V8's concurrent sweeper to give back the array
 * buffers it freed, so they are not in the baseline: a full GC, a pause, and another.
 */
async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined)
    throw new Error('--warm-up needs node --expose-gc, to start the measured fit from a clean heap');
  gc();
  await new Promise((done) => setTimeout(done, 100));
  gc();
}

/**
 * Tells the harness (on stderr) how far into the process the fit starts: for a run stopped at the time limit,
 * limit − this is a lower bound on the fit time. `performance.now()` counts from the process's start.
 */
function fitStarting(): void {
  console.error(`[cluster-run] fit started at ${(performance.now() / 1000).toFixed(3)} s`);
}

function report(r: RunReport): void {
  console.log(JSON.stringify(r));
}

// Run only as a script: the harness imports the file-format helpers above without starting a fit.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
