/**
 * segmint's benchmarks: each case runs segmint and a reference peer side by side in the same run, on the same
 * input, and prints wall time, CPU time, peak memory and the peer/segmint ratios. A script, never a timed test.
 *
 * Usage: npm run bench -- [--only NAME] [--skip-large] [--timeout SECONDS] [--repeat N] [--python PATH]
 * Writes bench/out/results.json.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { assertNever } from '../src/util/errors.js';
import { ensureLargeDataset } from './generate-large.js';
import { maxOrNull, measure, median, memoryProbe, round, stopRunning } from './measure.js';
import type { Measurement, MemoryProbe } from './measure.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const OUT = join(BENCH_DIR, 'out');
const ONLINE_RETAIL = resolve(ROOT, '../shared/data/online_retail/online_retail.csv.gz');
/** Silhouette sample of the second large-set peer: sklearn's `sample_size`, a common way to make it affordable. */
const PEER_SILHOUETTE_SAMPLE = 50_000;

const USAGE = `usage: npm run bench -- [options]
  --only NAME         run one case: online-retail | large-20m
  --skip-large        skip large-20m (its first run also generates a ~190 MB Parquet file, cached)
  --timeout SECONDS   time limit per command (default 900); a command past it is reported as "timed out"
  --repeat N          run every command N times, alternating tools; report the median wall time (default 1)
  --python PATH       Python with pandas, scikit-learn and pyarrow (default $SEGMINT_BENCH_PYTHON or python3)`;

interface Tool {
  id: string;
  label: string;
  kind: 'segmint' | 'peer';
  argv(input: string, outDir: string): string[];
}

interface Case {
  name: string;
  description: string;
  /** Resolves the input file, or a reason to skip the case. */
  prepare(): Promise<{ input: string; inputInfo: string } | { skip: string }>;
  tools: Tool[];
}

interface ToolResult {
  tool: string;
  label: string;
  kind: Tool['kind'];
  command: string;
  status: Measurement['status'] | 'skipped';
  /** Why it failed or was skipped, one line. */
  note?: string;
  /** Median over repeats; null when not run or failed. */
  wallSeconds: number | null;
  wallSecondsAll: number[];
  cpuSeconds: number | null;
  peakMB: number | null;
  /** Customers segmented and k chosen, read from the tool's output files (sanity: both did the same job). */
  customers: number | null;
  k: number | null;
  /** The tool's own timing breakdown (step → seconds): the peer's stderr, segmint's run.json. */
  breakdown?: Record<string, number>;
  /** Peer only, when timed out: the last step it finished. */
  lastStep?: string;
  /** Peer time / segmint time and peer memory / segmint memory; `timeRatioAtLeast` when the peer timed out. */
  timeRatio?: number;
  timeRatioAtLeast?: number;
  memoryRatio?: number;
  stderrTail: string;
  /** Highest share of the CPUs (0..1) other processes used just before one of this tool's runs. */
  busyBefore: number;
}

interface CaseResult {
  name: string;
  description: string;
  input?: string;
  inputInfo?: string;
  skipped?: string;
  results: ToolResult[];
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        only: { type: 'string' },
        'skip-large': { type: 'boolean', default: false },
        timeout: { type: 'string', default: '900' },
        repeat: { type: 'string', default: '1' },
        python: { type: 'string', default: process.env['SEGMINT_BENCH_PYTHON'] ?? 'python3' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const timeoutSeconds = Number(args.timeout);
  const repeat = Number(args.repeat);
  if (!(timeoutSeconds > 0))
    return usageError(`--timeout must be a positive number of seconds, got ${args.timeout}`);
  if (!Number.isInteger(repeat) || repeat < 1)
    return usageError(`--repeat must be a whole number ≥ 1, got ${args.repeat}`);
  const python = args.python;

  const segmint: Tool = {
    id: 'segmint',
    label: 'segmint',
    kind: 'segmint',
    argv: (input, out) => [
      process.execPath,
      'bin/segmint.js',
      'run',
      '--transactions',
      input,
      '--out',
      out,
      '--quiet',
    ],
  };
  const peerScript = join(BENCH_DIR, 'peers', 'pandas_sklearn_rfm.py');
  const peer: Tool = {
    id: 'pandas-sklearn',
    label: 'pandas + scikit-learn',
    kind: 'peer',
    argv: (input, out) => [python, peerScript, input, out],
  };
  const peerSampled: Tool = {
    id: 'pandas-sklearn-sampled',
    label: `pandas + scikit-learn, silhouette on ${PEER_SILHOUETTE_SAMPLE / 1000}k sample`,
    kind: 'peer',
    argv: (input, out) => [
      python,
      peerScript,
      input,
      out,
      '--silhouette-sample',
      String(PEER_SILHOUETTE_SAMPLE),
    ],
  };

  const cases: Case[] = [
    {
      name: 'online-retail',
      description: 'UCI Online Retail (real data): clean, RFM, k-means with k chosen by silhouette',
      prepare: async () => {
        if (!existsSync(ONLINE_RETAIL)) return { skip: `${relative(ROOT, ONLINE_RETAIL)} is absent` };
        const rows = await countLines(ONLINE_RETAIL);
        return {
          input: ONLINE_RETAIL,
          inputInfo: `${(rows - 1).toLocaleString('en')} rows, ${mb(statSync(ONLINE_RETAIL).size)} MB gzipped CSV`,
        };
      },
      tools: [segmint, peer],
    },
    {
      name: 'large-20m',
      description: 'generated: ~20M transaction lines of 2M customers in 5 planted groups, Parquet',
      prepare: async () => {
        const info = await ensureLargeDataset({ log: (l) => console.log(`  ${l}`) });
        return {
          input: info.path,
          inputInfo:
            `${info.rows.toLocaleString('en')} rows, ${info.customers.toLocaleString('en')} customers, ` +
            `${mb(info.bytes)} MB Parquet`,
        };
      },
      tools: [segmint, peer, peerSampled],
    },
  ];
  if (args.only !== undefined && !cases.some((c) => c.name === args.only)) {
    return usageError(
      `--only names an unknown case "${args.only}"; cases: ${cases.map((c) => c.name).join(', ')}`,
    );
  }
  const selected = cases.filter(
    (c) =>
      (args.only === undefined || c.name === args.only) && !(args['skip-large'] && c.name === 'large-20m'),
  );

  const probe = memoryProbe(python);
  const env = environment(python, probe);
  console.log(`segmint benchmarks — ${env.machine}`);
  console.log(
    `${env.runtimes}; peak memory via ${probeLabel(probe)}; time limit ${timeoutSeconds} s per command\n`,
  );
  const peerProblem = env.pythonProblem;
  const segmintBuilt = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));

  process.on('SIGINT', () => {
    stopRunning();
    process.exit(130);
  });

  const caseResults: CaseResult[] = [];
  for (const c of selected) {
    console.log(`▸ ${c.name}: ${c.description}`);
    const prepared = await c.prepare();
    if ('skip' in prepared) {
      console.log(`  skipped: ${prepared.skip}\n`);
      caseResults.push({ name: c.name, description: c.description, skipped: prepared.skip, results: [] });
      continue;
    }
    console.log(`  input: ${relative(ROOT, prepared.input)} (${prepared.inputInfo})`);
    const runs = new Map<string, Measurement[]>();
    const outDirs = new Map<string, string>();
    for (let r = 0; r < repeat; r++) {
      for (const tool of c.tools) {
        if (tool.kind === 'peer' && peerProblem) continue;
        const outDir = join(OUT, c.name, tool.id);
        outDirs.set(tool.id, outDir);
        await rm(outDir, { recursive: true, force: true });
        await mkdir(outDir, { recursive: true });
        process.stdout.write(`  ${tool.label}${repeat > 1 ? ` (run ${r + 1}/${repeat})` : ''} … `);
        const m = await measure(tool.argv(prepared.input, outDir), { cwd: ROOT, timeoutSeconds, python });
        console.log(`${m.status}, ${m.wallSeconds.toFixed(1)} s`);
        runs.set(tool.id, [...(runs.get(tool.id) ?? []), m]);
      }
    }
    const results: ToolResult[] = [];
    for (const tool of c.tools) {
      const command = tool
        .argv(relative(ROOT, prepared.input), relative(ROOT, join(OUT, c.name, tool.id)))
        .join(' ');
      const ms = runs.get(tool.id);
      if (!ms) {
        results.push(emptyResult(tool, command, peerProblem ?? 'not run'));
        continue;
      }
      results.push(await summarise(tool, command, ms, outDirs.get(tool.id)!, segmintBuilt, timeoutSeconds));
    }
    addRatios(results, timeoutSeconds);
    caseResults.push({
      name: c.name,
      description: c.description,
      input: relative(ROOT, prepared.input),
      inputInfo: prepared.inputInfo,
      results,
    });
    console.log('');
  }

  printTable(caseResults, repeat);
  await mkdir(OUT, { recursive: true });
  const resultsPath = join(OUT, 'results.json');
  await writeFile(
    resultsPath,
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        environment: env,
        options: { only: args.only ?? null, skipLarge: args['skip-large'], timeoutSeconds, repeat },
        cases: caseResults,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwrote ${relative(ROOT, resultsPath)}`);
  return 0;
}

function usageError(message: string): number {
  console.error(`${message}\n${USAGE}`);
  return 2;
}

function emptyResult(tool: Tool, command: string, note: string): ToolResult {
  return {
    tool: tool.id,
    label: tool.label,
    kind: tool.kind,
    command,
    status: 'skipped',
    note,
    wallSeconds: null,
    wallSecondsAll: [],
    cpuSeconds: null,
    peakMB: null,
    customers: null,
    k: null,
    stderrTail: '',
    busyBefore: 0,
  };
}

async function summarise(
  tool: Tool,
  command: string,
  ms: Measurement[],
  outDir: string,
  segmintBuilt: boolean,
  timeoutSeconds: number,
): Promise<ToolResult> {
  // A tool counts as ok only if every repeat was; otherwise report the first run that was not.
  const bad = ms.find((m) => m.status !== 'ok');
  const last = bad ?? ms[ms.length - 1]!;
  const ok = bad === undefined;
  const result: ToolResult = {
    tool: tool.id,
    label: tool.label,
    kind: tool.kind,
    command,
    status: last.status,
    wallSeconds: ok ? median(ms.map((m) => m.wallSeconds)) : last.wallSeconds,
    wallSecondsAll: ms.map((m) => round(m.wallSeconds, 3)),
    cpuSeconds: ok ? median(ms.map((m) => m.cpuSeconds ?? NaN)) : last.cpuSeconds,
    peakMB: maxOrNull(ms.map((m) => m.peakMB)),
    customers: null,
    k: null,
    stderrTail: last.stderr.slice(-4000),
    busyBefore: round(Math.max(...ms.map((m) => m.busyBefore)), 2),
  };
  if (Number.isNaN(result.cpuSeconds)) result.cpuSeconds = null;
  if (last.status === 'timed out') result.note = `stopped after the ${timeoutSeconds} s limit`;
  else if (last.status === 'failed') {
    const lines = last.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('Command exited with non-zero status') && !l.startsWith('at '));
    const firstLine = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? `exit code ${last.exitCode}`;
    const hint =
      tool.kind === 'segmint' && !segmintBuilt
        ? ' (dist/cli/main.js is missing: run `npm run build` first)'
        : '';
    result.note = `${firstLine.slice(0, 160)}${hint}`;
  }
  if (tool.kind === 'peer') {
    const steps = parsePeerSteps(last.stderr);
    result.breakdown = steps.breakdown;
    if (last.status !== 'ok') result.lastStep = steps.last;
    if (ok && existsSync(join(outDir, 'peer.json'))) {
      const summary = JSON.parse(readFileSync(join(outDir, 'peer.json'), 'utf8')) as {
        customers: number;
        k: number;
      };
      result.customers = summary.customers;
      result.k = summary.k;
    }
  } else if (ok) {
    Object.assign(result, await readSegments(join(outDir, 'segments.csv')));
    result.breakdown = readRunTimings(join(outDir, 'run.json'));
  }
  return result;
}

/** segmint's own step timings (`timings` in run.json), when it wrote them. */
function readRunTimings(path: string): Record<string, number> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const run = JSON.parse(readFileSync(path, 'utf8')) as { timings?: Record<string, unknown> };
    const entries = Object.entries(run.timings ?? {}).filter(
      (e): e is [string, number] => typeof e[1] === 'number',
    );
    return entries.length > 0 ? Object.fromEntries(entries.map(([k, v]) => [k, round(v, 2)])) : undefined;
  } catch {
    return undefined;
  }
}

/** Rows of segments.csv and distinct values of its segment column (`segment`, `segment_id` or `cluster`). */
async function readSegments(path: string): Promise<{ customers: number | null; k: number | null }> {
  if (!existsSync(path)) return { customers: null, k: null };
  let header: string[] | undefined;
  let column = -1;
  let customers = 0;
  const values = new Set<string>();
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (header === undefined) {
      header = splitCsvLine(line);
      column = ['segment', 'segment_id', 'cluster'].map((c) => header!.indexOf(c)).find((i) => i >= 0) ?? -1;
      continue;
    }
    if (line === '') continue;
    customers++;
    if (column >= 0) values.add(splitCsvLine(line)[column] ?? '');
  }
  return { customers, k: column >= 0 ? values.size : null };
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** The peer's "[peer] step  1.23s" lines, summed into read / clean / rfm / scale / kmeans / silhouette / write. */
function parsePeerSteps(stderr: string): { breakdown: Record<string, number>; last?: string } {
  const breakdown: Record<string, number> = {};
  let last: string | undefined;
  for (const line of stderr.split('\n')) {
    const m = /^\[peer\] (.+?)\s+([\d.]+)s\s/.exec(line);
    if (!m) continue;
    const step = m[1]!.trim();
    last = step;
    const key = step.split(' ')[0]!;
    if (key === 'done') continue;
    breakdown[key] = round((breakdown[key] ?? 0) + Number(m[2]), 2);
  }
  return { breakdown, last };
}

function addRatios(results: ToolResult[], timeoutSeconds: number): void {
  const base = results.find((r) => r.kind === 'segmint');
  if (!base || base.status !== 'ok' || base.wallSeconds === null) return;
  for (const r of results) {
    if (r.kind !== 'peer') continue;
    if (r.status === 'ok' && r.wallSeconds !== null) r.timeRatio = r.wallSeconds / base.wallSeconds;
    if (r.status === 'timed out') r.timeRatioAtLeast = timeoutSeconds / base.wallSeconds;
    if (r.peakMB !== null && base.peakMB !== null && r.status === 'ok')
      r.memoryRatio = r.peakMB / base.peakMB;
  }
}

function printTable(cases: CaseResult[], repeat: number): void {
  const head = [
    'case',
    'tool',
    'status',
    'wall s',
    'cpu s',
    'peak MB',
    'customers',
    'k',
    'ratio peer/segmint',
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const c of cases) {
    if (c.skipped) {
      rows.push([c.name, '—', `skipped: ${c.skipped}`, '', '', '', '', '', '']);
      continue;
    }
    for (const r of c.results) {
      let ratio: string;
      if (r.kind === 'segmint') ratio = r.status === 'ok' ? '(reference)' : 'n/a: segmint did not finish';
      else if (r.timeRatio !== undefined) {
        ratio =
          `${r.timeRatio.toFixed(2)}× time` +
          (r.memoryRatio !== undefined ? `, ${r.memoryRatio.toFixed(2)}× mem` : '');
      } else if (r.timeRatioAtLeast !== undefined) ratio = `> ${r.timeRatioAtLeast.toFixed(1)}× time`;
      else ratio = '—';
      const peak = r.peakMB === null ? '—' : `${r.status === 'timed out' ? '≥ ' : ''}${r.peakMB.toFixed(0)}`;
      rows.push([
        c.name,
        r.label,
        r.status,
        r.wallSeconds === null ? '—' : `${r.status === 'timed out' ? '> ' : ''}${r.wallSeconds.toFixed(2)}`,
        r.cpuSeconds === null ? '—' : r.cpuSeconds.toFixed(2),
        peak,
        r.customers === null ? '—' : r.customers.toLocaleString('en'),
        r.k === null ? '—' : String(r.k),
        ratio,
      ]);
      if (r.wallSecondsAll.length > 1) {
        notes.push(
          `${c.name} / ${r.label}: wall s of each run: ${r.wallSecondsAll.map((w) => w.toFixed(2)).join(', ')}`,
        );
      }
      if (r.note) notes.push(`${c.name} / ${r.label}: ${r.status}: ${r.note}`);
      if (r.lastStep) notes.push(`${c.name} / ${r.label}: last step finished: ${r.lastStep}`);
      if (r.breakdown && Object.keys(r.breakdown).length > 0) {
        const parts = Object.entries(r.breakdown).map(([k, v]) => `${k} ${v.toFixed(2)} s`);
        notes.push(`${c.name} / ${r.label} breakdown${repeat > 1 ? ' (last run)' : ''}: ${parts.join(', ')}`);
      }
    }
  }
  const numeric = new Set([3, 4, 5, 6, 7]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const fmt = (r: string[]): string =>
    r
      .map((cell, j) => (numeric.has(j) ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  console.log(fmt(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
  console.log(
    '\nratio = peer ÷ segmint, measured in this run: above 1 means segmint took less wall time / peak memory.' +
      '\nwall time includes start-up, reading the file and writing results; peak MB is the max RSS of the largest' +
      '\nprocess of the command (DuckDB and BLAS threads share their process).',
  );
  const busiest = Math.max(0, ...cases.flatMap((c) => c.results.map((r) => r.busyBefore)));
  if (busiest > 0.2) {
    notes.unshift(
      `warning: the machine was busy — other processes used up to ${(busiest * 100).toFixed(0)} % of the ` +
        `${cpus().length} CPUs just before a command started — so timings are inflated and noisy; ` +
        `rerun on a quiet machine${repeat > 1 ? '' : ', or with --repeat 3'}.`,
    );
  }
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
}

interface Environment {
  machine: string;
  runtimes: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  os: string;
  node: string;
  segmintVersion: string;
  python: Record<string, string> | null;
  pythonProblem?: string;
  memoryProbe: MemoryProbe;
}

function environment(python: string, probe: MemoryProbe): Environment {
  const cpuList = cpus();
  const cpuModel = cpuList[0]?.model.trim() ?? 'unknown CPU';
  const memoryGB = round(totalmem() / 2 ** 30, 1);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const check = spawnSync(
    python,
    [
      '-c',
      'import json, sys, numpy, pandas, sklearn, pyarrow; print(json.dumps({"python": sys.version.split()[0], ' +
        '"numpy": numpy.__version__, "pandas": pandas.__version__, "scikit-learn": sklearn.__version__, ' +
        '"pyarrow": pyarrow.__version__}))',
    ],
    { encoding: 'utf8' },
  );
  let versions: Record<string, string> | null = null;
  let pythonProblem: string | undefined;
  if (check.status === 0) versions = JSON.parse(check.stdout) as Record<string, string>;
  else {
    pythonProblem = check.error
      ? `${python} not found; peers skipped`
      : `${python} lacks pandas/scikit-learn/pyarrow (pip install -r bench/requirements.txt); peers skipped`;
  }
  const runtimes =
    `node ${process.version}, segmint ${pkg.version}` +
    (versions
      ? `, python ${versions['python']} (pandas ${versions['pandas']}, scikit-learn ${versions['scikit-learn']}, ` +
        `numpy ${versions['numpy']}, pyarrow ${versions['pyarrow']})`
      : `, ${pythonProblem}`);
  return {
    machine: `${cpuList.length} CPUs (${cpuModel}), ${memoryGB} GB RAM, ${process.platform} ${release()}`,
    runtimes,
    cpus: cpuList.length,
    cpuModel,
    memoryGB,
    os: `${process.platform} ${release()}`,
    node: process.version,
    segmintVersion: pkg.version,
    python: versions,
    ...(pythonProblem ? { pythonProblem } : {}),
    memoryProbe: probe,
  };
}

function probeLabel(p: MemoryProbe): string {
  switch (p) {
    case 'gnu-time':
      return '/usr/bin/time -v';
    case 'python-rusage':
      return 'Python getrusage(RUSAGE_CHILDREN) wrapper';
    case 'none':
      return 'nothing (no /usr/bin/time, no Python): peak memory not measured';
    default:
      return assertNever(p, 'memory probe');
  }
}

async function countLines(gzPath: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(gzPath).pipe(createGunzip())) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

process.exitCode = await main();
