/**
 * The clustering library's benchmark (issue 3, "Speed"): each case fits one algorithm with segmint and with its
 * reference peers — scikit-learn, the hdbscan and kmodes packages, ml-kmeans — on the same generated data in the
 * same run, every fit in its own child process, and prints wall time, fit time, peak memory, memory over the
 * loaded-data baseline, the peer/segmint ratios, a quality check per tool (the tool's own inertia, log-likelihood
 * or cost; clusters and noise; adjusted Rand index against segmint's labels and the planted truth) and whether
 * issue 3's goals were met. A script, never a timed test.
 *
 * Usage: npm run bench:cluster -- [--only CASE,…] [--repeat N] [--timeout SECONDS] [--python PATH]
 *                                 [--source src|dist] [--scale N] [--tools TOOL,…] [--steady]
 * Writes bench/out/cluster/results.json and results.md (results-xN.* with --scale N); data sets are cached in
 * bench/out/cluster/. `--scale 10 --tools segmint` is the memory-at-scale check: the same cases with ten times
 * the rows, where a fixed cost of the runtime no longer hides how memory grows with the input. `--steady --tools
 * segmint` measures the second of two identical fits in one process (results-steady.*): what a long-running process
 * needs per fit once code is compiled and the heap has grown; its wall times count both fits, so compare speed
 * without it.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adjustedRandScore } from '../src/metrics/index.js';
import { datasetPaths, readInt32 } from './cluster-run.js';
import type { CaseParams, ClusterAlgorithm, DatasetHeader, RunReport } from './cluster-run.js';
import {
  maxOrNull,
  measure,
  median,
  memoryProbe,
  parseBenchOptions,
  round,
  stopRunning,
  textTable,
} from './measure.js';
import type { Measurement } from './measure.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const OUT = join(BENCH_DIR, 'out', 'cluster');
/** Bump when the generator changes: cached data sets with another version are rebuilt. */
const GENERATOR_VERSION = 1;
/** Issue 3's k-means goal: segmint at least this many times faster than ml-kmeans. */
const ML_KMEANS_GOAL = 15;
/** Issue 3's memory goal: segmint's memory over the loaded-data baseline at most this many times the input. */
const EXTRA_MEMORY_GOAL = 2;

const USAGE = `usage: npm run bench:cluster -- [options]
  --only CASE[,CASE…]  run these cases (default: all): CASE_NAMES
  --repeat N           run every command N times, alternating tools; median times, max memory (default 1)
  --timeout SECONDS    time limit per command (default 900); past it the command is killed: "timed out"
  --python PATH        Python with numpy, scikit-learn, hdbscan, kmodes (default $SEGMINT_BENCH_PYTHON or python3)
  --source src|dist    segmint from the TypeScript sources via tsx (default) or the built dist/ (npm run build)
  --scale N            N times each case's rows (same generator and options; data cached as CASE-xN)
  --tools TOOL[,TOOL…] run only these tools (default: all): segmint, sklearn, ml-kmeans, hdbscan, kmodes
  --steady             segmint's steady state: each process fits the case once, collects the garbage, then fits
                       and measures it again (memory a long-running process needs per fit; results-steady.*)`;

/** How a case's data set is generated: Gaussian blobs of different sizes and spreads, optionally noise. */
interface DataSpec {
  rows: number;
  cols: number;
  /** Planted clusters. */
  clusters: number;
  seed: number;
  /** Centres uniform in [−box, box]^cols. */
  box: number;
  /** Range of the per-cluster scale; each column gets the cluster's scale × U(0.6, 1.4). */
  spread: [number, number];
  /** Share of rows drawn uniformly over the padded bounding box (truth −1). */
  noise: number;
  /**
   * `gaussian` (default) or `disc`: uniform in the ellipsoid with semi-axes 2·s_cj. DBSCAN uses discs: with one
   * eps and ~20 neighbours per point, the thinning tails of Gaussians break into hundreds of small clusters.
   */
  shape?: 'gaussian' | 'disc';
  /** Categorical columns (k-prototypes): levels per column; a row takes its cluster's level with `purity`. */
  categorical?: { levels: number[]; purity: number };
}

type ToolId = 'segmint' | 'sklearn' | 'ml-kmeans' | 'hdbscan' | 'kmodes';

export interface ClusterCase {
  name: string;
  algorithm: ClusterAlgorithm;
  title: string;
  data: DataSpec;
  /** Options in segmint's names; every tool gets the same object and maps it to its own names. */
  params: CaseParams;
  peers: ToolId[];
  /** Is ml-kmeans in this case (the ≥ 15× goal)? */
  mlKmeansGoal?: boolean;
}

const KMEANS_PARAMS = { maxIter: 300, tol: 1e-4, seed: 0 };

/**
 * The cases of issue 3's "Speed" section. Options not named by the issue are the libraries' shared defaults,
 * spelled out so each tool is told the same thing.
 */
export const CASES: ClusterCase[] = [
  {
    name: 'kmeans-1m-10',
    algorithm: 'kmeans',
    title: 'k-means 1M × 10, k = 8, nInit = 3 (k-means++)',
    data: { rows: 1_000_000, cols: 10, clusters: 8, seed: 101, box: 5, spread: [1, 2.5], noise: 0 },
    params: { k: 8, nInit: 3, ...KMEANS_PARAMS },
    peers: ['sklearn', 'ml-kmeans'],
    mlKmeansGoal: true,
  },
  {
    name: 'kmeans-1m-20',
    algorithm: 'kmeans',
    title: 'k-means 1M × 20, k = 20, nInit = 1 (k-means++)',
    data: { rows: 1_000_000, cols: 20, clusters: 20, seed: 102, box: 5, spread: [1, 2.5], noise: 0 },
    params: { k: 20, nInit: 1, ...KMEANS_PARAMS },
    peers: ['sklearn', 'ml-kmeans'],
    mlKmeansGoal: true,
  },
  {
    name: 'minibatch-5m-10',
    algorithm: 'minibatch-kmeans',
    title: 'mini-batch k-means 5M × 10, k = 8, batch 1024',
    data: { rows: 5_000_000, cols: 10, clusters: 8, seed: 103, box: 5, spread: [1, 2.5], noise: 0 },
    params: {
      k: 8,
      batchSize: 1024,
      nInit: 3,
      maxIter: 100,
      maxNoImprovement: 10,
      tol: 0,
      reassignmentRatio: 0.01,
      seed: 0,
    },
    peers: ['sklearn'],
  },
  {
    name: 'gmm-200k-5',
    algorithm: 'gaussian-mixture',
    title: 'Gaussian mixture 200k × 5, k = 6, full covariances',
    data: { rows: 200_000, cols: 5, clusters: 6, seed: 104, box: 6, spread: [0.8, 2], noise: 0 },
    params: { k: 6, covarianceType: 'full', nInit: 1, maxIter: 100, tol: 1e-3, regCovar: 1e-6, seed: 0 },
    peers: ['sklearn'],
  },
  {
    name: 'dbscan-200k-2',
    algorithm: 'dbscan',
    title: 'DBSCAN 200k × 2, 8 blobs + 10 % noise',
    data: {
      rows: 200_000,
      cols: 2,
      clusters: 8,
      seed: 105,
      box: 90,
      spread: [4, 5],
      noise: 0.1,
      shape: 'disc',
    },
    params: { eps: 0.25, minSamples: 5 },
    peers: ['sklearn'],
  },
  {
    name: 'hdbscan-100k-5',
    algorithm: 'hdbscan',
    title: 'HDBSCAN 100k × 5, minClusterSize 50, 10 blobs + 5 % noise',
    data: { rows: 100_000, cols: 5, clusters: 10, seed: 106, box: 10, spread: [0.5, 1.5], noise: 0.05 },
    params: { minClusterSize: 50, minSamples: 50 },
    peers: ['hdbscan', 'sklearn'],
  },
  {
    name: 'ward-20k-5',
    algorithm: 'agglomerative',
    title: 'agglomerative (ward) 20k × 5, 8 clusters',
    data: { rows: 20_000, cols: 5, clusters: 8, seed: 107, box: 6, spread: [0.8, 2], noise: 0 },
    params: { nClusters: 8, linkage: 'ward' },
    peers: ['sklearn'],
  },
  {
    name: 'kprototypes-100k',
    algorithm: 'kprototypes',
    title: 'k-prototypes 100k rows (5 numeric, 3 categorical), k = 8, Cao',
    data: {
      rows: 100_000,
      cols: 5,
      clusters: 8,
      seed: 108,
      box: 5,
      spread: [0.8, 2],
      noise: 0,
      categorical: { levels: [4, 6, 10], purity: 0.7 },
    },
    params: { k: 8, nInit: 3, maxIter: 100, seed: 0 },
    peers: ['kmodes'],
  },
];

interface Tool {
  id: ToolId;
  label: string;
  kind: 'segmint' | 'peer';
  argv(c: ClusterCase, prefix: string, labelsOut: string): string[];
}

/** One tool's figures in one case, over its repeats. */
interface ToolResult {
  tool: ToolId;
  label: string;
  kind: Tool['kind'];
  library: string | null;
  command: string;
  status: Measurement['status'] | 'skipped';
  note?: string;
  /** Median over repeats (only when every repeat succeeded); for a timed-out run, the limit. */
  wallSeconds: number | null;
  wallSecondsAll: number[];
  fitSeconds: number | null;
  fitSecondsAll: number[];
  /** Timed out: the fit ran at least this long (limit − when the fit started). */
  fitSecondsAtLeast?: number;
  loadSeconds: number | null;
  /** Python only: importing numpy and the library. */
  importSeconds?: number | null;
  cpuSeconds: number | null;
  /** Max over repeats; a lower bound for a timed-out run. */
  peakMB: number | null;
  /** RSS right after loading the data (the run with the highest peak). */
  baselineMB: number | null;
  /** peakMB − baselineMB. */
  extraMB: number | null;
  /**
   * Node tools: peak of V8's used heap + external memory (typed arrays, wasm memories) during the fit over its
   * value before (`RunReport.extraHeapArraysMB`), max over repeats; null for the Python peers.
   */
  extraHeapArraysMB: number | null;
  quality: RunReport['quality'];
  options: Record<string, unknown> | null;
  clusters: number | null;
  noise: number | null;
  ariVsSegmint: number | null;
  ariVsTruth: number | null;
  /** Peer ÷ segmint for wall and fit time; the `AtLeast` forms when the peer timed out. */
  wallRatio?: number;
  wallRatioAtLeast?: number;
  fitRatio?: number;
  fitRatioAtLeast?: number;
  stderrTail: string;
  busyBefore: number;
}

interface Goal {
  goal: string;
  met: boolean | null;
  detail: string;
}

interface CaseResult {
  name: string;
  title: string;
  algorithm: ClusterAlgorithm;
  params: CaseParams;
  data: { path: string; rows: number; cols: number; catCols: number; inputMB: number; spec: DataSpec };
  results: ToolResult[];
  goals: Goal[];
}

/** This script's own options, taken out of argv before the shared ones are parsed. */
interface ClusterOptions {
  scale: number;
  tools: ToolId[] | null;
  /** segmint only: measure the second of two identical fits in one process (see `--steady`). */
  steady: boolean;
}

const TOOL_IDS: readonly ToolId[] = ['segmint', 'sklearn', 'ml-kmeans', 'hdbscan', 'kmodes'];

function takeClusterOptions(argv: string[]): { rest: string[]; options: ClusterOptions } | string {
  const rest: string[] = [];
  const options: ClusterOptions = { scale: 1, tools: null, steady: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (arg === '--steady') {
      options.steady = true;
      continue;
    }
    if (name !== '--scale' && name !== '--tools') {
      rest.push(arg);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return `${name} needs a value`;
    if (name === '--scale') {
      const scale = Number(value);
      if (!Number.isInteger(scale) || scale < 1) return `--scale must be a whole number ≥ 1, got ${value}`;
      options.scale = scale;
    } else {
      const ids = value.split(',').map((t) => t.trim());
      const unknown = ids.filter((t) => !TOOL_IDS.includes(t as ToolId));
      if (unknown.length > 0)
        return `--tools: unknown tool ${unknown.join(', ')} (known: ${TOOL_IDS.join(', ')})`;
      options.tools = ids as ToolId[];
    }
  }
  return { rest, options };
}

/** A case with `scale` times the rows: same generator seed and options, its own cached data set. */
function scaled(c: ClusterCase, scale: number): ClusterCase {
  if (scale === 1) return c;
  return {
    ...c,
    name: `${c.name}-x${scale}`,
    title: `${c.title} — ×${scale} rows (${(c.data.rows * scale).toLocaleString('en')})`,
    data: { ...c.data, rows: c.data.rows * scale },
  };
}

async function main(): Promise<number> {
  const own = takeClusterOptions(process.argv.slice(2));
  if (typeof own === 'string') {
    console.error(`${own}\n${usage()}`);
    return 2;
  }
  const { scale, tools: onlyTools, steady } = own.options;
  const parsed = parseBenchOptions(
    own.rest,
    usage(),
    CASES.map((c) => c.name),
    join('dist', 'index.js'),
  );
  if (typeof parsed === 'number') return parsed;
  const { names, repeat, timeoutSeconds, source } = parsed;
  const selected = CASES.filter((c) => names.includes(c.name)).map((c) => scaled(c, scale));
  const python = parsed.python;
  const tools = makeTools(python, source, steady);

  const probe = memoryProbe(python);
  const env = environment(python);
  console.log(`segmint clustering benchmark — ${env.machine}`);
  console.log(`${env.runtimes}; segmint from ${source === 'src' ? 'src/ via tsx' : 'dist/'}`);
  console.log(
    `peak memory via ${probe}; time limit ${timeoutSeconds} s per command; ${repeat} run(s) each\n`,
  );

  process.on('SIGINT', () => {
    stopRunning();
    process.exit(130);
  });

  await mkdir(OUT, { recursive: true });
  const caseResults: CaseResult[] = [];
  for (const c of selected) {
    console.log(`▸ ${c.name}: ${c.title}`);
    const prefix = join(OUT, c.name);
    const header = ensureDataset(prefix, c.data, (line) => console.log(`  ${line}`));
    const inputMB = inputBytes(prefix, header) / 2 ** 20;
    console.log(
      `  data: ${relative(ROOT, prefix)}.f64 (${header.rows.toLocaleString('en')} × ${header.cols}` +
        `${header.catCols > 0 ? ` + ${header.catCols} categorical` : ''}, ${inputMB.toFixed(1)} MB)`,
    );
    const labelsDir = join(OUT, c.name);
    await mkdir(labelsDir, { recursive: true });
    const caseTools = [tools.segmint, ...c.peers.map((id) => tools[id])].filter(
      (t) => onlyTools === null || onlyTools.includes(t.id),
    );
    if (caseTools.length === 0) {
      console.log('  no selected tool runs this case\n');
      continue;
    }
    const runs = new Map<ToolId, Measurement[]>();
    for (let r = 0; r < repeat; r++) {
      // Alternate the order so neither tool always runs on a machine warmed (or heated) by the other.
      const order = r % 2 === 0 ? caseTools : [...caseTools].reverse();
      for (const tool of order) {
        const labelsOut = join(labelsDir, `${tool.id}.labels.i32`);
        await rm(labelsOut, { force: true });
        process.stdout.write(`  ${tool.label}${repeat > 1 ? ` (run ${r + 1}/${repeat})` : ''} … `);
        const m = await measure(tool.argv(c, prefix, labelsOut), { cwd: ROOT, timeoutSeconds, python });
        const fit = parseReport(m.stdout)?.fitSeconds;
        console.log(
          `${m.status}, ${m.wallSeconds.toFixed(1)} s wall` +
            (fit === undefined ? '' : `, fit ${fit.toFixed(2)} s`),
        );
        runs.set(tool.id, [...(runs.get(tool.id) ?? []), m]);
      }
    }
    const results = caseTools.map((tool) =>
      summarise(
        tool,
        c,
        prefix,
        join(labelsDir, `${tool.id}.labels.i32`),
        runs.get(tool.id) ?? [],
        timeoutSeconds,
      ),
    );
    addComparisons(results, prefix, labelsDir, timeoutSeconds);
    caseResults.push({
      name: c.name,
      title: c.title,
      algorithm: c.algorithm,
      params: c.params,
      data: {
        path: relative(ROOT, prefix),
        rows: header.rows,
        cols: header.cols,
        catCols: header.catCols,
        inputMB: round(inputMB, 3),
        spec: c.data,
      },
      results,
      goals: goalsOf(c, results, inputMB, timeoutSeconds),
    });
    console.log('');
  }

  const text = renderTables(caseResults, 'text');
  console.log(text);
  const busiest = Math.max(0, ...caseResults.flatMap((c) => c.results.map((r) => r.busyBefore)));
  if (busiest > 0.2) {
    console.log(
      `\nwarning: the machine was busy — other processes used up to ${(busiest * 100).toFixed(0)} % of the ` +
        `${cpus().length} CPUs just before a command started — so timings are inflated and noisy; rerun on a ` +
        `quiet machine${repeat > 1 ? '' : ', with --repeat 3'}.`,
    );
  }
  const json = {
    generatedAt: new Date().toISOString(),
    environment: env,
    options: {
      only: parsed.only,
      repeat,
      timeoutSeconds,
      python,
      source,
      scale,
      tools: onlyTools,
      steady,
      memoryProbe: probe,
    },
    goals: { mlKmeansSpeedup: ML_KMEANS_GOAL, extraMemoryPerInput: EXTRA_MEMORY_GOAL },
    cases: caseResults,
  };
  const stem = ['results', ...(scale === 1 ? [] : [`x${scale}`]), ...(steady ? ['steady'] : [])].join('-');
  await writeFile(join(OUT, `${stem}.json`), JSON.stringify(json, null, 2) + '\n');
  await writeFile(join(OUT, `${stem}.md`), renderTables(caseResults, 'markdown') + '\n');
  console.log(`\nwrote ${relative(ROOT, join(OUT, `${stem}.json`))} and ${stem}.md`);
  return 0;
}

function usage(): string {
  return USAGE.replace('CASE_NAMES', CASES.map((c) => c.name).join(', '));
}

/** The command line of each tool: segmint and ml-kmeans through bench/cluster-run.ts, the rest in Python. */
function makeTools(python: string, source: 'src' | 'dist', steady: boolean): Record<ToolId, Tool> {
  const runner = join('bench', 'cluster-run.ts');
  const peers = join('bench', 'peers', 'cluster_peers.py');
  const node = (id: ToolId, label: string, kind: Tool['kind'], nodeFlags: string[]): Tool => ({
    id,
    label,
    kind,
    argv: (c, prefix, labelsOut) => [
      process.execPath,
      ...nodeFlags,
      '--import',
      'tsx',
      runner,
      id,
      c.algorithm,
      relative(ROOT, prefix),
      relative(ROOT, labelsOut),
      JSON.stringify(c.params),
      ...(id === 'segmint' ? ['--source', source] : []),
      // The warm-up fit covers every row, so the measured fit meets no code path the process has not run.
      ...(id === 'segmint' && steady ? ['--warm-up', String(c.data.rows)] : []),
    ],
  });
  const py = (id: ToolId, label: string): Tool => ({
    id,
    label,
    kind: 'peer',
    argv: (c, prefix, labelsOut) => [
      python,
      peers,
      id,
      c.algorithm,
      relative(ROOT, prefix),
      relative(ROOT, labelsOut),
      JSON.stringify(c.params),
    ],
  });
  return {
    segmint: node('segmint', 'segmint', 'segmint', steady ? ['--expose-gc'] : []),
    'ml-kmeans': node('ml-kmeans', 'ml-kmeans', 'peer', ['--expose-gc']),
    sklearn: py('sklearn', 'scikit-learn'),
    hdbscan: py('hdbscan', 'hdbscan (package)'),
    kmodes: py('kmodes', 'kmodes'),
  };
}

// ── Data ────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * xoshiro128** (Blackman & Vigna 2018) seeded through splitmix32: a small, fast generator of our own, so the
 * data sets do not change when segmint's `Random` does. Normals by Box–Muller (both values used).
 */
class DataRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in (0, 1). */
  uniform(): number {
    return (this.uint32() + 0.5) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Writes a case's data set unless a file with the same generator settings is there. Each cluster c has a centre
 * μ_c ~ U(−box, box)^d, a weight 0.3 + 1.7·U (so sizes differ up to ~6×), per-column scales s_cj = σ_c·U(0.6, 1.4)
 * with σ_c ~ U(spread) and a correlation ρ_c ~ U(−0.5, 0.5) between neighbouring columns:
 * x_j = μ_cj + s_cj·(z_j + ρ_c·z_{j−1}), z ~ N(0, I). Noise rows are uniform over the box padded by 4 σ_max.
 * Rows are drawn in random cluster order, and written in blocks so 5M rows never sit in memory at once.
 */
function ensureDataset(prefix: string, spec: DataSpec, log: (line: string) => void): DatasetHeader {
  const paths = datasetPaths(prefix);
  const fingerprint = JSON.stringify({ generator: GENERATOR_VERSION, ...spec });
  if (existsSync(paths.header)) {
    const header = JSON.parse(readFileSync(paths.header, 'utf8')) as DatasetHeader;
    if (header.spec === fingerprint && existsSync(paths.x) && existsSync(paths.truth)) return header;
  }
  log('generating the data set (cached for later runs) …');
  const started = performance.now();
  const { rows: n, cols: d, clusters: k } = spec;
  const rng = new DataRandom(spec.seed);
  const centres = new Float64Array(k * d);
  const scales = new Float64Array(k * d);
  const rho = new Float64Array(k);
  const cumulative = new Float64Array(k);
  let total = 0;
  for (let c = 0; c < k; c++) {
    const sigma = spec.spread[0] + (spec.spread[1] - spec.spread[0]) * rng.uniform();
    for (let j = 0; j < d; j++) {
      centres[c * d + j] = spec.box * (2 * rng.uniform() - 1);
      scales[c * d + j] = sigma * (0.6 + 0.8 * rng.uniform());
    }
    rho[c] = rng.uniform() - 0.5;
    total += 0.3 + 1.7 * rng.uniform();
    cumulative[c] = total;
  }
  if (spec.shape === 'disc') {
    // Area grows with weight, so discs differ in size far more than in density (one eps must suit them all).
    for (let c = 0; c < k; c++) {
      const f = Math.sqrt(((cumulative[c]! - (c > 0 ? cumulative[c - 1]! : 0)) * k) / total);
      for (let j = 0; j < d; j++) scales[c * d + j]! *= f;
    }
  }
  const levels = spec.categorical?.levels ?? [];
  const q = levels.length;
  const preferred = new Int32Array(k * q);
  for (let c = 0; c < k; c++) for (let j = 0; j < q; j++) preferred[c * q + j] = rng.below(levels[j]!);
  const half = spec.box + 4 * spec.spread[1];

  const tmp = (p: string) => `${p}.tmp`;
  const fx = openSync(tmp(paths.x), 'w');
  const ft = openSync(tmp(paths.truth), 'w');
  const fc = q > 0 ? openSync(tmp(paths.cat), 'w') : -1;
  const block = 65_536;
  const xs = new Float64Array(block * d);
  const truth = new Int32Array(block);
  const cats = new Int32Array(block * q);
  for (let start = 0; start < n; start += block) {
    const m = Math.min(block, n - start);
    for (let i = 0; i < m; i++) {
      const row = i * d;
      if (spec.noise > 0 && rng.uniform() < spec.noise) {
        truth[i] = -1;
        for (let j = 0; j < d; j++) xs[row + j] = half * (2 * rng.uniform() - 1);
        for (let j = 0; j < q; j++) cats[i * q + j] = rng.below(levels[j]!);
        continue;
      }
      const u = rng.uniform() * total;
      let c = 0;
      while (c < k - 1 && u >= cumulative[c]!) c++;
      truth[i] = c;
      if (spec.shape === 'disc') {
        // Uniform in the unit ball: a normal direction, radius U^(1/d) (Muller 1959).
        let norm = 0;
        for (let j = 0; j < d; j++) {
          const z = rng.normal();
          xs[row + j] = z;
          norm += z * z;
        }
        const r = Math.pow(rng.uniform(), 1 / d) / Math.sqrt(norm);
        for (let j = 0; j < d; j++)
          xs[row + j] = centres[c * d + j]! + 2 * scales[c * d + j]! * r * xs[row + j]!;
      } else {
        let prev = 0;
        for (let j = 0; j < d; j++) {
          const z = rng.normal();
          xs[row + j] = centres[c * d + j]! + scales[c * d + j]! * (z + rho[c]! * prev);
          prev = z;
        }
      }
      for (let j = 0; j < q; j++) {
        cats[i * q + j] =
          rng.uniform() < spec.categorical!.purity ? preferred[c * q + j]! : rng.below(levels[j]!);
      }
    }
    writeSync(fx, new Uint8Array(xs.buffer, 0, m * d * 8));
    writeSync(ft, new Uint8Array(truth.buffer, 0, m * 4));
    if (fc >= 0) writeSync(fc, new Uint8Array(cats.buffer, 0, m * q * 4));
  }
  closeSync(fx);
  closeSync(ft);
  if (fc >= 0) closeSync(fc);
  renameSync(tmp(paths.x), paths.x);
  renameSync(tmp(paths.truth), paths.truth);
  if (fc >= 0) renameSync(tmp(paths.cat), paths.cat);
  const header: DatasetHeader = { format: 1, rows: n, cols: d, catCols: q, clusters: k, spec: fingerprint };
  // The header goes last: its presence with a matching spec is what marks the files as complete.
  writeFileAtomic(paths.header, JSON.stringify(header, null, 2) + '\n');
  log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return header;
}

function writeFileAtomic(path: string, text: string): void {
  const fd = openSync(`${path}.tmp`, 'w');
  writeSync(fd, text);
  closeSync(fd);
  renameSync(`${path}.tmp`, path);
}

/** Bytes of the input the tools fit: the float64 matrix plus, for k-prototypes, the int32 codes. */
function inputBytes(prefix: string, header: DatasetHeader): number {
  const paths = datasetPaths(prefix);
  return statSync(paths.x).size + (header.catCols > 0 ? statSync(paths.cat).size : 0);
}

// ── Results ─────────────────────────────────────────────────────────────────────────────────────────────────

/** The JSON line a run prints last on stdout, if it printed one. */
function parseReport(stdout: string): (RunReport & { importSeconds?: number }) | null {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (line === undefined) return null;
  try {
    return JSON.parse(line) as RunReport & { importSeconds?: number };
  } catch {
    return null;
  }
}

function summarise(
  tool: Tool,
  c: ClusterCase,
  prefix: string,
  labelsPath: string,
  ms: Measurement[],
  timeoutSeconds: number,
): ToolResult {
  const command = tool.argv(c, prefix, labelsPath).join(' ').replace(process.execPath, 'node');
  const empty: ToolResult = {
    tool: tool.id,
    label: tool.label,
    kind: tool.kind,
    library: null,
    command,
    status: 'skipped',
    wallSeconds: null,
    wallSecondsAll: [],
    fitSeconds: null,
    fitSecondsAll: [],
    loadSeconds: null,
    cpuSeconds: null,
    peakMB: null,
    baselineMB: null,
    extraMB: null,
    extraHeapArraysMB: null,
    quality: {},
    options: null,
    clusters: null,
    noise: null,
    ariVsSegmint: null,
    ariVsTruth: null,
    stderrTail: '',
    busyBefore: 0,
  };
  if (ms.length === 0) return { ...empty, note: 'not run' };
  // Every repeat must succeed to count; otherwise report the first one that did not.
  const bad = ms.find((m) => m.status !== 'ok' || parseReport(m.stdout) === null);
  const ok = bad === undefined;
  const reports = ms.map((m) => parseReport(m.stdout));
  const peakRun = ms.reduce((best, m, i) => ((m.peakMB ?? -1) > (ms[best]!.peakMB ?? -1) ? i : best), 0);
  const report = reports[peakRun] ?? reports.find((r) => r !== null) ?? null;
  const last = bad ?? ms[ms.length - 1]!;
  const result: ToolResult = {
    ...empty,
    library: report?.library ?? null,
    status: last.status === 'ok' && !ok ? 'failed' : last.status,
    wallSeconds: ok
      ? median(ms.map((m) => m.wallSeconds))
      : last.status === 'timed out'
        ? timeoutSeconds
        : null,
    wallSecondsAll: ms.map((m) => round(m.wallSeconds, 3)),
    fitSeconds: ok ? median(reports.map((r) => r!.fitSeconds)) : null,
    fitSecondsAll: reports.filter((r) => r !== null).map((r) => round(r.fitSeconds, 3)),
    loadSeconds: ok ? median(reports.map((r) => r!.loadSeconds)) : null,
    cpuSeconds: ok ? median(ms.map((m) => m.cpuSeconds ?? NaN)) : null,
    peakMB: maxOrNull(ms.map((m) => m.peakMB)),
    baselineMB: report?.rssAfterLoadMB ?? null,
    extraHeapArraysMB: maxOrNull(reports.map((r) => r?.extraHeapArraysMB ?? null)),
    quality: report?.quality ?? {},
    options: report?.options ?? null,
    stderrTail: last.stderr.slice(-3000),
    busyBefore: round(Math.max(...ms.map((m) => m.busyBefore)), 2),
  };
  if (report?.importSeconds !== undefined)
    result.importSeconds = ok ? median(reports.map((r) => r!.importSeconds!)) : null;
  if (Number.isNaN(result.cpuSeconds)) result.cpuSeconds = null;
  if (result.peakMB !== null && result.baselineMB !== null && ms[peakRun]!.status === 'ok') {
    result.extraMB = Math.max(0, result.peakMB - result.baselineMB);
  }
  if (last.status === 'timed out') {
    result.note = `stopped at the ${timeoutSeconds} s limit`;
    const started = /fit started at ([\d.]+) s/.exec(last.stderr);
    if (started) result.fitSecondsAtLeast = Math.max(0, timeoutSeconds - Number(started[1]));
    else result.note += ' before the data was loaded';
  } else if (!ok) {
    result.note = firstErrorLine(last);
  }
  return result;
}

/**
 * The line of a failed run's stderr most likely to say why: an out-of-memory line, else the first error line
 * (with the next line when it ends in a colon, as esbuild's "Transform failed with 1 error:" does), else the last.
 */
function firstErrorLine(m: Measurement): string {
  const lines = m.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Command exited with non-zero status') && !l.startsWith('at '));
  let at = lines.findIndex((l) => /heap out of memory|MemoryError|Killed/i.test(l));
  if (at < 0) at = lines.findIndex((l) => /error/i.test(l));
  if (at < 0) at = lines.length - 1;
  if (at < 0) return m.status === 'ok' ? 'printed no report' : `exit code ${m.exitCode}`;
  const line =
    lines[at]!.endsWith(':') && at + 1 < lines.length ? `${lines[at]} ${lines[at + 1]}` : lines[at]!;
  return line.slice(0, 240);
}

/**
 * Ratios to segmint and label agreement, from the labels each tool wrote: clusters (labels ≥ 0), noise (−1),
 * adjusted Rand index against segmint's labels and against the planted truth (noise rows as one more class).
 */
function addComparisons(
  results: ToolResult[],
  prefix: string,
  labelsDir: string,
  timeoutSeconds: number,
): void {
  const truth = readInt32(datasetPaths(prefix).truth);
  const labelsOf = new Map<ToolId, Int32Array>();
  for (const r of results) {
    const path = join(labelsDir, `${r.tool}.labels.i32`);
    if (r.status !== 'ok' || !existsSync(path)) continue;
    const labels = readInt32(path);
    if (labels.length !== truth.length) {
      r.note = `wrote ${labels.length} labels for ${truth.length} rows`;
      continue;
    }
    labelsOf.set(r.tool, labels);
    const distinct = new Set<number>();
    let noise = 0;
    for (const l of labels) {
      if (l < 0) noise++;
      else distinct.add(l);
    }
    r.clusters = distinct.size;
    r.noise = noise;
    r.ariVsTruth = adjustedRandScore(truth, labels);
  }
  const base = results.find((r) => r.kind === 'segmint');
  const baseLabels = labelsOf.get('segmint');
  for (const r of results) {
    const labels = labelsOf.get(r.tool);
    if (baseLabels && labels)
      r.ariVsSegmint = r.tool === 'segmint' ? 1 : adjustedRandScore(baseLabels, labels);
    if (r.kind !== 'peer' || !base || base.status !== 'ok') continue;
    if (r.status === 'ok' && r.wallSeconds !== null && base.wallSeconds !== null) {
      r.wallRatio = r.wallSeconds / base.wallSeconds;
      if (r.fitSeconds !== null && base.fitSeconds) r.fitRatio = r.fitSeconds / base.fitSeconds;
    } else if (r.status === 'timed out' && base.wallSeconds !== null) {
      r.wallRatioAtLeast = timeoutSeconds / base.wallSeconds;
      if (r.fitSecondsAtLeast !== undefined && base.fitSeconds) {
        r.fitRatioAtLeast = r.fitSecondsAtLeast / base.fitSeconds;
      }
    }
  }
}

/** Issue 3's goals for one case: speed against every peer (and 15× against ml-kmeans), memory over input. */
function goalsOf(c: ClusterCase, results: ToolResult[], inputMB: number, timeoutSeconds: number): Goal[] {
  const base = results.find((r) => r.kind === 'segmint');
  const goals: Goal[] = [];
  if (base === undefined) return goals; // --tools left segmint out: nothing to compare with
  const baseOk = base.status === 'ok' && base.wallSeconds !== null;
  for (const r of results) {
    if (r.kind !== 'peer') continue;
    const goal = `segmint wall ≤ ${r.label} wall`;
    if (!baseOk) goals.push({ goal, met: false, detail: `segmint ${base.status}` });
    else if (r.wallRatio !== undefined)
      goals.push({ goal, met: r.wallRatio >= 1, detail: `${r.wallRatio.toFixed(2)}× (peer ÷ segmint)` });
    else if (r.wallRatioAtLeast !== undefined)
      goals.push({
        goal,
        met: true,
        detail: `peer timed out at ${timeoutSeconds} s: > ${r.wallRatioAtLeast.toFixed(1)}×`,
      });
    else goals.push({ goal, met: null, detail: `peer ${r.status}${r.note ? `: ${r.note}` : ''}` });
    if (c.mlKmeansGoal && r.tool === 'ml-kmeans') {
      const g = `segmint ≥ ${ML_KMEANS_GOAL}× faster than ml-kmeans (wall)`;
      if (!baseOk) goals.push({ goal: g, met: false, detail: `segmint ${base.status}` });
      else if (r.wallRatio !== undefined) {
        goals.push({ goal: g, met: r.wallRatio >= ML_KMEANS_GOAL, detail: `${r.wallRatio.toFixed(1)}×` });
      } else if (r.wallRatioAtLeast !== undefined) {
        const enough = r.wallRatioAtLeast >= ML_KMEANS_GOAL;
        goals.push({
          goal: g,
          met: enough ? true : null,
          detail:
            `> ${r.wallRatioAtLeast.toFixed(1)}× (ml-kmeans stopped at the ${timeoutSeconds} s limit` +
            `${enough ? ')' : '; raise --timeout to decide)'}`,
        });
      } else
        goals.push({ goal: g, met: null, detail: `ml-kmeans ${r.status}${r.note ? `: ${r.note}` : ''}` });
    }
  }
  const g = `segmint extra memory ≤ ${EXTRA_MEMORY_GOAL}× input (${inputMB.toFixed(1)} MB)`;
  if (base.extraMB === null) goals.push({ goal: g, met: null, detail: 'not measured' });
  else {
    goals.push({
      goal: g,
      met: base.extraMB <= EXTRA_MEMORY_GOAL * inputMB,
      detail:
        `${base.extraMB.toFixed(0)} MB = ${(base.extraMB / inputMB).toFixed(2)}× input` +
        (base.extraHeapArraysMB === null
          ? ''
          : ` (heap+arrays ${base.extraHeapArraysMB.toFixed(1)} MB = ` +
            `${(base.extraHeapArraysMB / inputMB).toFixed(2)}×)`),
    });
  }
  return goals;
}

// ── Output ──────────────────────────────────────────────────────────────────────────────────────────────────

/** The speed table, the quality table, the goals and notes, as aligned text or Markdown. */
function renderTables(cases: CaseResult[], style: 'text' | 'markdown'): string {
  const speedHead = [
    'case',
    'tool',
    'status',
    'wall s',
    'fit s',
    'cpu s',
    'peak MB',
    'extra MB',
    'heap+arrays MB',
    'input MB',
    'wall peer/segmint',
    'fit peer/segmint',
  ];
  const speed: string[][] = [];
  const qualityHead = [
    'case',
    'tool',
    'library',
    'own figures',
    'clusters',
    'noise',
    'ARI vs segmint',
    'ARI vs truth',
  ];
  const quality: string[][] = [];
  const goalsHead = ['case', 'goal', 'result', 'detail'];
  const goals: string[][] = [];
  const notes: string[] = [];
  for (const c of cases) {
    for (const r of c.results) {
      const timedOut = r.status === 'timed out';
      speed.push([
        c.name,
        r.label,
        r.status,
        r.wallSeconds === null ? '—' : `${timedOut ? '> ' : ''}${r.wallSeconds.toFixed(2)}`,
        r.fitSeconds !== null
          ? r.fitSeconds.toFixed(2)
          : r.fitSecondsAtLeast !== undefined
            ? `> ${r.fitSecondsAtLeast.toFixed(0)}`
            : '—',
        r.cpuSeconds === null ? '—' : r.cpuSeconds.toFixed(1),
        r.peakMB === null ? '—' : `${timedOut ? '≥ ' : ''}${r.peakMB.toFixed(0)}`,
        r.extraMB === null ? '—' : r.extraMB.toFixed(0),
        r.extraHeapArraysMB === null ? '—' : r.extraHeapArraysMB.toFixed(1),
        c.data.inputMB.toFixed(1),
        ratioCell(r, 'wall'),
        ratioCell(r, 'fit'),
      ]);
      quality.push([
        c.name,
        r.label,
        r.library ?? '—',
        ownFigures(r.quality),
        r.clusters === null ? '—' : String(r.clusters),
        r.noise === null ? '—' : r.noise.toLocaleString('en'),
        r.ariVsSegmint === null ? '—' : r.ariVsSegmint.toFixed(4),
        r.ariVsTruth === null ? '—' : r.ariVsTruth.toFixed(4),
      ]);
      if (r.wallSecondsAll.length > 1) {
        notes.push(
          `${c.name} / ${r.label}: wall s of each run ${r.wallSecondsAll.join(', ')}; fit s ${r.fitSecondsAll.join(', ')}`,
        );
      }
      if (r.note) notes.push(`${c.name} / ${r.label}: ${r.status}: ${r.note}`);
    }
    for (const g of c.goals) {
      goals.push([c.name, g.goal, g.met === null ? 'undecided' : g.met ? 'met' : 'not met', g.detail]);
    }
  }
  const legend =
    'wall s: spawn to exit, incl. start-up, imports and loading; fit s: the library call alone (median of repeats);' +
    '\nextra MB: peak RSS − RSS right after loading the data; ratios: peer ÷ segmint, above 1 = segmint faster;' +
    "\nheap+arrays MB (Node tools): peak of V8's used heap + typed arrays and wasm memories during the fit, over" +
    "\nthe value before it (exact: read before each GC and at the end), without the runtime's own growth around them" +
    '\n(young-generation capacity, JIT code, compiler memory), which extra MB includes.';
  const parts = [
    textTable(speedHead, speed, new Set([3, 4, 5, 6, 7, 8, 9]), style),
    legend,
    textTable(qualityHead, quality, new Set([4, 5, 6, 7]), style),
    textTable(goalsHead, goals, new Set(), style),
  ];
  if (notes.length > 0) parts.push(notes.join('\n'));
  return parts.join('\n\n');
}

function ratioCell(r: ToolResult, which: 'wall' | 'fit'): string {
  if (r.kind === 'segmint') return '';
  const exact = which === 'wall' ? r.wallRatio : r.fitRatio;
  const atLeast = which === 'wall' ? r.wallRatioAtLeast : r.fitRatioAtLeast;
  if (exact !== undefined) return `${exact.toFixed(2)}×`;
  if (atLeast !== undefined) return `> ${atLeast.toFixed(1)}×`;
  return '—';
}

/** The tool's own quality figures in a short form: inertia, log-likelihood bound, cost, iterations. */
function ownFigures(q: RunReport['quality']): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(q)) {
    if (value === null) continue;
    if (typeof value === 'boolean') {
      if (key === 'converged' && !value) parts.push('not converged');
      continue;
    }
    const shown =
      Math.abs(value) >= 1e6
        ? value.toExponential(6)
        : Number.isInteger(value)
          ? String(value)
          : value.toPrecision(7);
    parts.push(`${key} ${shown}`);
  }
  return parts.join(', ') || '—';
}

interface Environment {
  machine: string;
  runtimes: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  python: Record<string, string | null> | null;
  pythonProblem?: string;
  mlKmeans: string | null;
}

function environment(python: string): Environment {
  const cpuList = cpus();
  const cpuModel = cpuList[0]?.model.trim() ?? 'unknown CPU';
  const memoryGB = round(totalmem() / 2 ** 30, 1);
  const check = spawnSync(
    python,
    [
      '-c',
      'import json, sys\nfrom importlib.metadata import version\nv = {"python": sys.version.split()[0]}\n' +
        'for p in ("numpy", "scikit-learn", "hdbscan", "kmodes"):\n' +
        '    try: v[p] = version(p)\n    except Exception: v[p] = None\nprint(json.dumps(v))',
    ],
    { encoding: 'utf8' },
  );
  let versions: Record<string, string | null> | null = null;
  let pythonProblem: string | undefined;
  if (check.status === 0) versions = JSON.parse(check.stdout) as Record<string, string | null>;
  else
    pythonProblem = `${python} did not run (${check.error?.message ?? check.stderr.trim().split('\n').pop()})`;
  const mlPath = join(ROOT, 'node_modules', 'ml-kmeans', 'package.json');
  const mlKmeans = existsSync(mlPath)
    ? (JSON.parse(readFileSync(mlPath, 'utf8')) as { version: string }).version
    : null;
  const pkgs = versions
    ? ['numpy', 'scikit-learn', 'hdbscan', 'kmodes']
        .map((p) => `${p} ${versions![p] ?? 'missing'}`)
        .join(', ')
    : pythonProblem;
  return {
    machine: `${cpuList.length} CPUs (${cpuModel}), ${memoryGB} GB RAM, ${process.platform} ${release()}`,
    runtimes:
      `node ${process.version}, ml-kmeans ${mlKmeans ?? 'missing'}; ` +
      (versions ? `python ${versions['python']} (${pkgs})` : pkgs),
    cpus: cpuList.length,
    cpuModel,
    memoryGB,
    node: process.version,
    python: versions,
    ...(pythonProblem ? { pythonProblem } : {}),
    mlKmeans,
  };
}

// Run only as a script: bench/cluster-arrays.ts imports the cases without starting a benchmark.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
