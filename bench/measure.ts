/**
 * Runs one benchmark command as a child process and measures its wall time, CPU time and peak memory (max RSS),
 * with a time limit. Memory comes from GNU `/usr/bin/time -v` when present, else from a small Python wrapper
 * (`resource.getrusage(RUSAGE_CHILDREN)`), else it is not measured.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { assertNever } from '../src/util/errors.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** How peak memory is measured on this machine. */
export type MemoryProbe = 'gnu-time' | 'python-rusage' | 'none';

export interface Measurement {
  status: 'ok' | 'failed' | 'timed out';
  exitCode: number | null;
  wallSeconds: number;
  /** User + system CPU seconds of the process tree; null when not measured. */
  cpuSeconds: number | null;
  /**
   * Peak resident memory in MB (the largest single process of the tree, as getrusage reports it); for a run that
   * timed out, the highest value seen by polling /proc, so a lower bound.
   */
  peakMB: number | null;
  stdout: string;
  stderr: string;
  /**
   * Share of the machine's CPU time (0..1) that other processes used in the second before the command started,
   * while the harness was idle: other work on the machine skews timings.
   */
  busyBefore: number;
}

let probe: MemoryProbe | undefined;
/** Process groups of the commands running now, so an interrupted benchmark can stop them. */
const running = new Set<number>();

/** Kills the process groups of every command still running (for Ctrl-C). */
export function stopRunning(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

/** Finds out once which memory probe works here; `SEGMINT_BENCH_PROBE` forces one (to test the fallbacks). */
export function memoryProbe(python = 'python3'): MemoryProbe {
  if (probe) return probe;
  const forced = process.env['SEGMINT_BENCH_PROBE'];
  if (forced === 'gnu-time' || forced === 'python-rusage' || forced === 'none') return (probe = forced);
  const time = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' });
  if (time.status === 0 && /Maximum resident set size/.test(time.stderr)) return (probe = 'gnu-time');
  const py = spawnSync(python, [join(BENCH_DIR, 'measure_rss.py'), '/dev/null', 'true'], {
    encoding: 'utf8',
  });
  if (py.status === 0) return (probe = 'python-rusage');
  return (probe = 'none');
}

/**
 * Runs `command` (argv form, no shell) and measures it; never throws for a failing command.
 *
 * @example
 * const m = await measure(['python3', '-c', 'print(1)'], { timeoutSeconds: 60 });
 * m.status; // 'ok'
 */
export async function measure(
  command: readonly string[],
  options: { cwd?: string; timeoutSeconds: number; python?: string; onStderr?: (chunk: string) => void },
): Promise<Measurement> {
  const how = memoryProbe(options.python);
  const work = await mkdtemp(join(tmpdir(), 'segmint-bench-'));
  const report = join(work, 'usage.txt');
  let argv: string[];
  switch (how) {
    case 'gnu-time':
      argv = ['/usr/bin/time', '-v', '-o', report, ...command];
      break;
    case 'python-rusage':
      argv = [options.python ?? 'python3', join(BENCH_DIR, 'measure_rss.py'), report, ...command];
      break;
    case 'none':
      argv = [...command];
      break;
    default:
      assertNever(how, 'memory probe');
  }
  const busyBefore = await cpuBusyShare();
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: options.cwd,
    detached: true, // own process group, so a time-out can stop the whole tree
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) running.add(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout = keepTail(stdout + s)));
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr = keepTail(stderr + s);
    options.onStderr?.(s);
  });
  let timedOut = false;
  let polledPeakKB = 0;
  const poll = setInterval(() => {
    if (child.pid !== undefined) polledPeakKB = Math.max(polledPeakKB, treePeakKB(child.pid));
  }, 1000);
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) {
      polledPeakKB = Math.max(polledPeakKB, treePeakKB(child.pid));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, options.timeoutSeconds * 1000);
  const [code, spawnError] = await new Promise<[number | null, Error | undefined]>((done) => {
    child.on('error', (e) => done([null, e]));
    child.on('close', (c) => done([c, undefined]));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  clearTimeout(timer);
  clearInterval(poll);
  if (child.pid !== undefined) running.delete(child.pid);

  let cpuSeconds: number | null = null;
  let peakMB: number | null = null;
  let exitCode = code;
  if (!timedOut && existsSync(report)) {
    const text = await readFile(report, 'utf8');
    const usage = how === 'gnu-time' ? parseGnuTime(text) : parseWrapper(text);
    cpuSeconds = usage.cpuSeconds;
    peakMB = usage.maxRssKB === null ? null : usage.maxRssKB / 1024;
    if (usage.exitCode !== null) exitCode = usage.exitCode;
  } else if (polledPeakKB > 0) {
    peakMB = polledPeakKB / 1024;
  }
  await rm(work, { recursive: true, force: true });
  if (spawnError) stderr += `\n${spawnError.message}`;
  return {
    status: timedOut ? 'timed out' : exitCode === 0 ? 'ok' : 'failed',
    exitCode: timedOut ? null : exitCode,
    wallSeconds,
    cpuSeconds,
    peakMB,
    stdout,
    stderr,
    busyBefore,
  };
}

/**
 * Fraction of all CPUs busy over one second, from two reads of /proc/stat; where /proc is absent, the 1-minute
 * load average per CPU (capped at 1), which also counts the harness's previous command and so overstates.
 */
async function cpuBusyShare(): Promise<number> {
  const read = (): [number, number] | null => {
    try {
      const fields = readFileSync('/proc/stat', 'utf8')
        .split('\n', 1)[0]!
        .trim()
        .split(/\s+/)
        .slice(1)
        .map(Number);
      const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
      return [idle, fields.reduce((a, b) => a + b, 0)];
    } catch {
      return null;
    }
  };
  const a = read();
  if (!a) return Math.min(1, (loadavg()[0] ?? 0) / Math.max(1, cpus().length));
  await new Promise((done) => setTimeout(done, 1000));
  const b = read()!;
  const total = b[1] - a[1];
  return total > 0 ? Math.max(0, 1 - (b[0] - a[0]) / total) : 0;
}

function parseGnuTime(text: string): {
  cpuSeconds: number | null;
  maxRssKB: number | null;
  exitCode: number | null;
} {
  const num = (label: string): number | null => {
    const m = new RegExp(`${label}: ([\\d.]+)`).exec(text);
    return m ? Number(m[1]) : null;
  };
  const user = num('User time \\(seconds\\)');
  const sys = num('System time \\(seconds\\)');
  return {
    cpuSeconds: user === null || sys === null ? null : user + sys,
    maxRssKB: num('Maximum resident set size \\(kbytes\\)'),
    exitCode: num('Exit status'),
  };
}

function parseWrapper(text: string): {
  cpuSeconds: number | null;
  maxRssKB: number | null;
  exitCode: number | null;
} {
  const r = JSON.parse(text) as { cpu_s: number; maxrss_kb: number; exit: number };
  return { cpuSeconds: r.cpu_s, maxRssKB: r.maxrss_kb, exitCode: r.exit };
}

/** Highest VmHWM (peak RSS, KB) among `root` and its descendants, read from /proc; 0 where /proc is absent. */
function treePeakKB(root: number): number {
  if (!existsSync('/proc/self/status')) return 0;
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // process ended while we looked
    }
  }
  let peak = 0;
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    while (p !== undefined && p !== root && p > 1) p = parent.get(p);
    if (p !== root) continue;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // gone
    }
  }
  return peak;
}

/** Keeps the last 64 KB of a stream: enough for every timing line a peer prints. */
function keepTail(s: string): string {
  return s.length > 65536 ? s.slice(-65536) : s;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Largest known value, or null when none is known. */
export function maxOrNull(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
}

/** x rounded to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The options every library benchmark (`bench:cluster`, `bench:metrics`) takes, checked. */
export interface BenchOptions {
  /** `--only` as given, or null for every case. */
  only: string | null;
  names: string[];
  repeat: number;
  timeoutSeconds: number;
  python: string;
  source: 'src' | 'dist';
}

/**
 * Parses `--only --repeat --timeout --python --source --help` against the known case names. Returns the options,
 * or the exit code after printing help (0) or every problem with the usage (2). `distEntry` is the built file
 * `--source dist` needs, relative to the repository root.
 */
export function parseBenchOptions(
  argv: string[],
  usage: string,
  caseNames: readonly string[],
  distEntry: string,
): BenchOptions | number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        only: { type: 'string' },
        repeat: { type: 'string', default: '1' },
        timeout: { type: 'string', default: '900' },
        python: { type: 'string', default: process.env['SEGMINT_BENCH_PYTHON'] ?? 'python3' },
        source: { type: 'string', default: 'src' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const repeat = Number(args.repeat);
  const timeoutSeconds = Number(args.timeout);
  const source = args.source;
  const problems: string[] = [];
  if (!Number.isInteger(repeat) || repeat < 1)
    problems.push(`--repeat must be a whole number ≥ 1, got ${args.repeat}`);
  if (!(timeoutSeconds > 0))
    problems.push(`--timeout must be a positive number of seconds, got ${args.timeout}`);
  if (source !== 'src' && source !== 'dist') problems.push(`--source must be src or dist, got ${source}`);
  if (source === 'dist' && !existsSync(join(BENCH_DIR, '..', distEntry))) {
    problems.push('--source dist needs a build: run `npm run build` first');
  }
  const names = args.only?.split(',').map((s) => s.trim()) ?? [...caseNames];
  const unknown = names.filter((n) => !caseNames.includes(n));
  if (unknown.length > 0) problems.push(`--only names unknown cases: ${unknown.join(', ')}`);
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n${usage}`);
    return 2;
  }
  return {
    only: args.only ?? null,
    names,
    repeat,
    timeoutSeconds,
    python: args.python,
    source: source as 'src' | 'dist',
  };
}

/** The JSON object a child process prints as its last stdout line (every bench's report protocol), or null. */
export function lastJsonLine<T>(stdout: string): T | null {
  const line = stdout.trim().split('\n').at(-1);
  if (!line) return null;
  try {
    return JSON.parse(line) as T;
  } catch {
    return null;
  }
}

/**
 * A table for the terminal (columns padded, numeric ones right-aligned, a rule under the head) or as Markdown
 * for BENCHMARKS.md.
 */
export function textTable(
  head: string[],
  rows: string[][],
  numeric: ReadonlySet<number> = new Set(),
  style: 'text' | 'markdown' = 'text',
): string {
  if (style === 'markdown') {
    const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
    const rule = `| ${head.map((_, j) => (numeric.has(j) ? '---:' : '---')).join(' | ')} |`;
    return [line(head), rule, ...rows.map(line)].join('\n');
  }
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const fmt = (r: string[]): string =>
    r
      .map((cell, j) => (numeric.has(j) ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** Seconds for a table: 3 decimals below 1 s, else 2; "—" when missing. */
export function formatSeconds(v: number | null): string {
  return v === null ? '—' : v.toFixed(v < 1 ? 3 : 2);
}

/** peer ÷ base as "2.61×"; "—" when either is missing or base is 0. */
export function formatRatio(peer: number | null, base: number | null): string {
  return peer === null || base === null || base === 0 ? '—' : `${(peer / base).toFixed(2)}×`;
}
