/**
 * The lifetime-value models' benchmark (issue 5): each case fits one model with segmint and with lifetimes on the
 * same simulated customers in the same run, each in its own child process, and prints wall time, the fit call's
 * own time, CPU time, peak memory, the fitted parameters and the lifetimes/segmint ratios. A script, never a timed
 * test.
 *
 * Usage: npm run bench:clv -- [--only CASE,…] [--repeat N] [--timeout SECONDS] [--python PATH] [--source src|dist]
 * Data are simulated by segmint's own generators (src/value/clv/simulate.ts; whole days, as a transaction log
 * summarised by day gives) and cached in bench/out/clv/; results go to bench/out/clv/results.json. The Pareto/NBD
 * case runs only when src/value/clv/pareto-nbd.ts exports `fitParetoNbd`.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PurchaseModel, RepeatData, SpendData, SpendModel } from '../src/value/clv/types.js';
import {
  type Measurement,
  maxOrNull,
  measure,
  median,
  memoryProbe,
  parseBenchOptions,
  lastJsonLine,
  textTable,
  formatSeconds,
  formatRatio,
  round,
  stopRunning,
} from './measure.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const OUT = join(BENCH_DIR, 'out', 'clv');
const PEERS = join('bench', 'peers', 'clv_peers.py');
/** Issue 5: BG/NBD on 1M customers in at most this many seconds (the fit call). */
const GOAL_SECONDS = 5;

type Model = 'bg-nbd' | 'gamma-gamma' | 'pareto-nbd';

interface ClvCase {
  name: string;
  title: string;
  model: Model;
  customers: number;
  seed: number;
}

const CASES: ClvCase[] = [
  {
    name: 'bg-nbd-1m',
    title: 'BG/NBD on 1M customers simulated from BG/NBD (days, T 1..365)',
    model: 'bg-nbd',
    customers: 1_000_000,
    seed: 501,
  },
  {
    name: 'gamma-gamma-1m',
    title: 'Gamma–Gamma on the repeat buyers among 1M simulated customers',
    model: 'gamma-gamma',
    customers: 1_000_000,
    seed: 502,
  },
  {
    name: 'pareto-nbd-100k',
    title: 'Pareto/NBD on 100k customers simulated from Pareto/NBD (days, T 1..365)',
    model: 'pareto-nbd',
    customers: 100_000,
    seed: 503,
  },
];

/** What a child prints as its last stdout line (both tools). */
interface ChildReport {
  library: string;
  importSeconds: number;
  loadSeconds: number;
  fitSeconds: number;
  params: Record<string, number>;
  logLikelihood: number;
}

type ToolId = 'segmint' | 'lifetimes';

interface ToolResult {
  tool: ToolId;
  status: Measurement['status'];
  library: string | null;
  wallSeconds: number | null;
  fitSeconds: number | null;
  wallSecondsAll: number[];
  cpuSeconds: number | null;
  peakMB: number | null;
  params: Record<string, number> | null;
  busyBefore: number;
  stderrTail: string;
}

// ── Data ───────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Simulates a case's customers (cached): T spread over 1..365 days, recency floored to whole days. Columns
 * frequency, recency, T, monetary value, n doubles each, in one file.
 */
async function ensureData(c: ClvCase): Promise<string> {
  const prefix = join(OUT, `${c.model}-${c.customers}-s${c.seed}`);
  if (existsSync(`${prefix}.json`) && existsSync(`${prefix}.f64`)) return prefix;
  console.log(`  simulating ${relative(ROOT, prefix)} (cached for later runs) …`);
  const sim = await import('../src/value/clv/simulate.js');
  const n = c.customers;
  const T = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919 + c.seed) % 365));
  const s =
    c.model === 'pareto-nbd'
      ? sim.simulateParetoNbd({ r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 * 7 }, T, { seed: c.seed })
      : sim.simulateBetaGeo({ r: 0.24, alpha: 4.41 * 7, a: 0.79, b: 2.43 }, T, { seed: c.seed });
  const recency = s.recency.map(Math.floor);
  const monetary = sim.simulateGammaGamma({ p: 6.25, q: 3.74, v: 15.45 }, s.frequency, { seed: c.seed + 1 });
  const cols = new Float64Array(4 * n);
  cols.set(s.frequency, 0);
  cols.set(recency, n);
  cols.set(T, 2 * n);
  cols.set(monetary, 3 * n);
  await mkdir(OUT, { recursive: true });
  await writeFile(`${prefix}.f64`, new Uint8Array(cols.buffer));
  await writeFile(`${prefix}.json`, JSON.stringify({ n, model: c.model, seed: c.seed }));
  return prefix;
}

// ── Child: one fit by segmint ──────────────────────────────────────────────────────────────────────────────

interface ClvLibrary {
  fitBetaGeo(d: RepeatData): PurchaseModel<object>;
  fitGammaGamma(d: SpendData): SpendModel;
  fitParetoNbd?: (d: RepeatData) => PurchaseModel<object>;
}

async function child(argv: string[]): Promise<number> {
  const [name, prefix, source = 'src'] = argv;
  const c = CASES.find((x) => x.name === name);
  if (c === undefined || prefix === undefined) {
    console.error('usage: node --import tsx bench/clv.ts --child CASE DATA_PREFIX [src|dist]');
    return 2;
  }
  let t = performance.now();
  const dir = source === 'dist' ? join(ROOT, 'dist', 'value', 'clv') : join(ROOT, 'src', 'value', 'clv');
  const ext = source === 'dist' ? 'js' : 'ts';
  const load = async (file: string): Promise<Record<string, unknown>> =>
    (await import(pathToFileURL(join(dir, `${file}.${ext}`)).href)) as Record<string, unknown>;
  const lib = {
    ...(await load('beta-geo')),
    ...(await load('gamma-gamma')),
    ...(c.model === 'pareto-nbd' ? await load('pareto-nbd') : {}),
  } as unknown as ClvLibrary;
  const importSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const { n } = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { n: number };
  const buf = readFileSync(`${prefix}.f64`);
  const cols = new Float64Array(buf.buffer, buf.byteOffset, 4 * n);
  const data = {
    frequency: cols.subarray(0, n),
    recency: cols.subarray(n, 2 * n),
    T: cols.subarray(2 * n, 3 * n),
    monetaryValue: cols.subarray(3 * n, 4 * n),
  };
  const loadSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  let fitted: { params: object; logLikelihood: number };
  switch (c.model) {
    case 'bg-nbd':
      fitted = lib.fitBetaGeo(data);
      break;
    case 'gamma-gamma':
      fitted = lib.fitGammaGamma(data);
      break;
    case 'pareto-nbd':
      if (lib.fitParetoNbd === undefined) {
        console.error('src/value/clv/pareto-nbd.ts does not export fitParetoNbd');
        return 3;
      }
      fitted = lib.fitParetoNbd(data);
      break;
  }
  const fitSeconds = (performance.now() - t) / 1000;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const report: ChildReport = {
    library: `segmint ${pkg.version} (${source})`,
    importSeconds,
    loadSeconds,
    fitSeconds,
    params: fitted.params as Record<string, number>,
    logLikelihood: fitted.logLikelihood,
  };
  console.log(JSON.stringify(report));
  return 0;
}

// ── Harness ────────────────────────────────────────────────────────────────────────────────────────────────

const USAGE = `usage: npm run bench:clv -- [options]
  --only CASE[,CASE…]  run these cases (default: all): ${CASES.map((c) => c.name).join(', ')}
  --repeat N           run every command N times, alternating tools; median times, max memory (default 1)
  --timeout SECONDS    time limit per command (default 900)
  --python PATH        Python with lifetimes 0.11.3 (default $SEGMINT_BENCH_PYTHON or python3)
  --source src|dist    segmint from the TypeScript sources via tsx (default) or the built dist/ (npm run build)`;

function argvOf(tool: ToolId, c: ClvCase, prefix: string, python: string, source: string): string[] {
  return tool === 'segmint'
    ? [process.execPath, '--import', 'tsx', join('bench', 'clv.ts'), '--child', c.name, prefix, source]
    : [python, PEERS, c.model, prefix];
}

function summarise(tool: ToolId, runs: Measurement[]): ToolResult {
  const reports = runs.map((m) => (m.status === 'ok' ? lastJsonLine<ChildReport>(m.stdout) : null));
  const allOk = runs.length > 0 && reports.every((r) => r !== null);
  const last = reports[reports.length - 1] ?? null;
  const failed = runs.find((m) => m.status !== 'ok');
  return {
    tool,
    status: failed?.status ?? 'ok',
    library: last?.library ?? null,
    wallSeconds: allOk ? round(median(runs.map((m) => m.wallSeconds)), 3) : null,
    fitSeconds: allOk ? round(median(reports.map((r) => r!.fitSeconds)), 3) : null,
    wallSecondsAll: runs.map((m) => round(m.wallSeconds, 3)),
    cpuSeconds: maxOrNull(runs.map((m) => m.cpuSeconds)),
    peakMB: maxOrNull(runs.map((m) => m.peakMB)),
    params: last?.params ?? null,
    busyBefore: Math.max(...runs.map((m) => m.busyBefore)),
    stderrTail: (failed ?? runs[runs.length - 1])?.stderr.slice(-2000) ?? '',
  };
}

const seconds = formatSeconds;
const ratio = formatRatio;
const paramText = (p: Record<string, number> | null): string =>
  p === null
    ? '—'
    : Object.entries(p)
        .map(([k, v]) => `${k} ${v.toPrecision(5)}`)
        .join(', ');

/** Whether the Pareto/NBD fitter exists yet (another part of issue 5); its case is skipped until it does. */
function hasParetoNbd(): boolean {
  const file = join(ROOT, 'src', 'value', 'clv', 'pareto-nbd.ts');
  return existsSync(file) && /export function fitParetoNbd\b/.test(readFileSync(file, 'utf8'));
}

async function main(): Promise<number> {
  const parsed = parseBenchOptions(
    process.argv.slice(2),
    USAGE,
    CASES.map((c) => c.name),
    join('dist', 'value', 'clv', 'beta-geo.js'),
  );
  if (typeof parsed === 'number') return parsed;
  const { names, repeat, timeoutSeconds, python, source } = parsed;
  process.on('SIGINT', () => {
    stopRunning();
    process.exit(130);
  });
  const load = (): string =>
    loadavg()
      .map((v) => v.toFixed(2))
      .join(' ');
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${round(totalmem() / 2 ** 30, 1)} GB, ${process.platform} ${release()}`;
  const probe = memoryProbe(python);
  console.log(
    `segmint lifetime-value benchmark — ${machine}; node ${process.version}; segmint from ${source}/`,
  );
  console.log(`peak memory via ${probe}; ${repeat} run(s) each; load average before: ${load()}\n`);

  const results: { case: ClvCase; tools: ToolResult[] }[] = [];
  for (const c of CASES.filter((x) => names.includes(x.name))) {
    if (c.model === 'pareto-nbd' && !hasParetoNbd()) {
      console.log(`▸ ${c.name}: skipped (src/value/clv/pareto-nbd.ts has no fitParetoNbd yet)`);
      continue;
    }
    console.log(`▸ ${c.name}: ${c.title}`);
    const prefix = relative(ROOT, await ensureData(c));
    const runs = new Map<ToolId, Measurement[]>();
    const tools: ToolId[] = ['segmint', 'lifetimes'];
    for (let r = 0; r < repeat; r++) {
      // Alternate the order so neither tool always runs on a machine warmed by the other.
      for (const tool of r % 2 === 0 ? tools : [...tools].reverse()) {
        process.stdout.write(`  ${tool}${repeat > 1 ? ` (run ${r + 1}/${repeat})` : ''} … `);
        const m = await measure(argvOf(tool, c, prefix, python, source), {
          cwd: ROOT,
          timeoutSeconds,
          python,
        });
        const rep = m.status === 'ok' ? lastJsonLine<ChildReport>(m.stdout) : null;
        console.log(
          `${m.status}, ${m.wallSeconds.toFixed(1)} s wall${rep ? `, fit ${rep.fitSeconds.toFixed(2)} s` : ''}`,
        );
        runs.set(tool, [...(runs.get(tool) ?? []), m]);
      }
    }
    results.push({ case: c, tools: tools.map((t) => summarise(t, runs.get(t) ?? [])) });
  }

  const rows: string[][] = [];
  const notes: string[] = [];
  for (const { case: c, tools } of results) {
    const [seg, lt] = tools as [ToolResult, ToolResult];
    for (const r of tools) {
      rows.push([
        c.name,
        r.library ?? r.tool,
        r.status,
        seconds(r.wallSeconds),
        seconds(r.fitSeconds),
        r.cpuSeconds === null ? '—' : r.cpuSeconds.toFixed(1),
        r.peakMB === null ? '—' : r.peakMB.toFixed(0),
        r === lt ? ratio(lt.fitSeconds, seg.fitSeconds) : '',
        r === lt ? ratio(lt.wallSeconds, seg.wallSeconds) : '',
      ]);
      notes.push(`${c.name} / ${r.tool}: ${paramText(r.params)}`);
      if (r.status !== 'ok')
        notes.push(`${c.name} / ${r.tool}: ${r.status}: ${r.stderrTail.trim().split('\n').pop()}`);
    }
    if (seg.params && lt.params) {
      const worst = Math.max(
        ...Object.entries(lt.params).map(([k, v]) => Math.abs((seg.params![k] ?? NaN) - v) / Math.abs(v)),
      );
      notes.push(
        `${c.name}: largest relative parameter difference segmint vs lifetimes ${worst.toExponential(1)}`,
      );
    }
    if (c.name === 'bg-nbd-1m') {
      const met = seg.fitSeconds !== null && seg.fitSeconds <= GOAL_SECONDS;
      const faster = seg.wallSeconds !== null && lt.wallSeconds !== null && seg.wallSeconds < lt.wallSeconds;
      notes.push(
        `goal (issue 5): BG/NBD fit on 1M ≤ ${GOAL_SECONDS} s — ${met ? 'met' : 'not met'} (${seconds(seg.fitSeconds)} s); ` +
          `faster than lifetimes — ${faster ? 'met' : 'not met'}`,
      );
    }
  }
  console.log(
    '\n' +
      textTable(
        [
          'case',
          'tool',
          'status',
          'wall s',
          'fit s',
          'cpu s',
          'peak MB',
          'fit lifetimes/segmint',
          'wall lifetimes/segmint',
        ],
        rows,
      ),
  );
  console.log(
    'wall s: spawn to exit (start-up, imports, reading the data, the fit); fit s: the fit call alone (median of ' +
      'repeats);\nratios: lifetimes ÷ segmint, above 1 = segmint faster.\n',
  );
  console.log(notes.join('\n'));
  const busiest = Math.max(0, ...results.flatMap((r) => r.tools.map((t) => t.busyBefore)));
  console.log(`\nload average after: ${load()}`);
  if (busiest > 0.2) {
    console.log(
      `warning: the machine was busy — other processes used up to ${(busiest * 100).toFixed(0)} % of the ` +
        `${cpus().length} CPUs just before a command started — so timings are inflated and noisy.`,
    );
  }
  await mkdir(OUT, { recursive: true });
  await writeFile(
    join(OUT, 'results.json'),
    JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        machine,
        node: process.version,
        options: { only: parsed.only, repeat, timeoutSeconds, python, source, memoryProbe: probe },
        results,
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

const argv = process.argv.slice(2);
const code = argv[0] === '--child' ? await child(argv.slice(1)) : await main();
process.exitCode = code;
