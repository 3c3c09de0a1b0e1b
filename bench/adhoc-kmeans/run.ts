// Ad-hoc k-means speed check, segmint (built dist/) against scikit-learn on the same data, back to back and
// alternating, with the machine's load before each run. Not the official benchmark (that is bench/cluster.ts).
//
//   npm run build && node --import tsx bench/adhoc-kmeans/run.ts [--repeat 3] [--only kmeans-1m-10] [--threads N]
//
// Data (blobs, raw float64) is generated once into bench/out/adhoc-kmeans/ by gen.py (numpy).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type * as SegmintSources from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(root, 'bench', 'out', 'adhoc-kmeans');
const args = process.argv.slice(2);
const opt = (name: string, fallback: string | null): string | null => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const repeat = Number(opt('--repeat', '3'));
const only = opt('--only', null);
const threads = opt('--threads', null);
const python = process.env.SEGMINT_BENCH_PYTHON ?? 'python3';

/** The built library's API as this script uses it (the types of the sources it was built from). */
type Segmint = typeof SegmintSources;

interface Result {
  tool: string;
  wall: number;
  cpu: number;
  inertia: number;
  iterations: number;
  error?: string;
}

const cases = [
  { name: 'kmeans-1m-10', which: 'kmeans', n: 1_000_000, d: 10, k: 8, clusters: 8, nInit: 3, seed: 101 },
  { name: 'kmeans-1m-20', which: 'kmeans', n: 1_000_000, d: 20, k: 20, clusters: 20, nInit: 1, seed: 102 },
  {
    name: 'minibatch-5m-10',
    which: 'minibatch',
    n: 5_000_000,
    d: 10,
    k: 8,
    clusters: 8,
    nInit: 3,
    seed: 103,
  },
];

if (process.argv[2] === '--segmint') {
  // Child mode (`--segmint which path d k nInit seed threads`): one segmint fit, timed around the library
  // call only (as the peer is).
  const [, , , which, path, d, k, nInit, seed, th] = process.argv as string[];
  const lib = (await import(join(root, 'dist', 'index.js'))) as Segmint;
  const buf = readFileSync(path!);
  const data = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const X = { data, rows: data.length / Number(d), cols: Number(d) };
  const o = {
    k: Number(k),
    nInit: Number(nInit),
    seed: Number(seed),
    ...(th === '-' ? {} : { threads: Number(th) }),
  };
  const cpu = process.cpuUsage();
  const t = performance.now();
  const r = which === 'kmeans' ? lib.kmeans(X, o) : lib.miniBatchKMeans(X, { ...o, batchSize: 1024 });
  const wall = (performance.now() - t) / 1000;
  const u = process.cpuUsage(cpu);
  const iterations = 'iterations' in r ? r.iterations : r.nSteps;
  console.log(
    JSON.stringify({ tool: 'segmint', wall, cpu: (u.user + u.system) / 1e6, inertia: r.inertia, iterations }),
  );
  process.exit(0);
}

mkdirSync(out, { recursive: true });
for (const c of cases) {
  if (only && c.name !== only) continue;
  const path = join(out, `${c.name}.f64`);
  if (!existsSync(path))
    execFileSync(python, [join(here, 'gen.py'), c.n, c.d, c.clusters, c.seed, path].map(String));
  const rows: (Result & { load: string })[] = [];
  for (let r = 0; r < repeat; r++) {
    for (const tool of r % 2 === 0 ? ['segmint', 'sklearn'] : ['sklearn', 'segmint']) {
      const load = loadavg()[0]!.toFixed(1);
      const res =
        tool === 'segmint'
          ? spawnSync(
              process.execPath,
              [
                '--import',
                'tsx',
                fileURLToPath(import.meta.url),
                '--segmint',
                c.which,
                path,
                c.d,
                c.k,
                c.nInit,
                0,
                threads ?? '-',
              ].map(String),
              { encoding: 'utf8' },
            )
          : spawnSync(python, [join(here, 'peer.py'), c.which, path, c.d, c.k, c.nInit, 0].map(String), {
              encoding: 'utf8',
              timeout: 1_800_000,
            });
      const line = res.stdout.trim().split('\n').pop();
      const j = line
        ? JSON.parse(line)
        : { tool, wall: NaN, cpu: NaN, inertia: NaN, iterations: NaN, error: res.stderr.slice(-300) };
      rows.push({ ...j, load });
      console.log(
        `${c.name} ${j.tool.padEnd(14)} wall ${j.wall.toFixed(2)} s  cpu ${j.cpu.toFixed(2)} s  inertia ${j.inertia.toPrecision(7)}  iterations ${j.iterations}  (load ${load})${j.error ? ` ${j.error}` : ''}`,
      );
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
  const seg = median(rows.filter((r) => r.tool === 'segmint').map((r) => r.wall));
  const sk = median(rows.filter((r) => r.tool !== 'segmint').map((r) => r.wall));
  console.log(
    `${c.name}: median wall segmint ${seg.toFixed(2)} s, scikit-learn ${sk.toFixed(2)} s, ratio sklearn/segmint ${(sk / seg).toFixed(2)}`,
  );
}
