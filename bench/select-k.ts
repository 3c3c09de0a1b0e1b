/**
 * Times `selectK` over k = 2..12 with every criterion on (gap statistic with 10 references, stability with 10
 * refits, prediction strength) on synthetic customers — issue 4's goal: a full sweep with stability on 1M customers
 * in under 60 s. `selectK` fits on a seeded sample (20,000 rows by default), so most of the time is fitting
 * that sample some 250 times; the 1M rows cost one pass to validate and sample. A script, never a timed test.
 *
 * Usage: npm run bench:select-k -- [--rows N] [--cols D] [--clusters C] [--method M] [--seed S]
 * @module
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Random } from '../src/util/random.js';
import type { Matrix } from '../src/util/matrix.js';
import { selectK, type SelectKMethod } from '../src/validate/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    cols: { type: 'string', default: '5' },
    clusters: { type: 'string', default: '6' },
    method: { type: 'string', default: 'kmeans' },
    seed: { type: 'string', default: '1' },
  },
});
const rows = Number(values.rows);
const cols = Number(values.cols);
const clusters = Number(values.clusters);
const seed = Number(values.seed);

/**
 * Customers as scaled features: `clusters` planted segments of unequal sizes (weights 1..C) and spreads, centres
 * uniform in [−4, 4]^cols, so segments overlap a little, as real ones do.
 */
function customers(): Matrix {
  const rng = new Random(seed);
  const centres = Array.from({ length: clusters * cols }, () => -4 + 8 * rng.next());
  const spread = Array.from({ length: clusters }, () => 0.4 + 0.5 * rng.next());
  const weights = Array.from({ length: clusters }, (_, c) => c + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let u = rng.next() * total;
    let c = 0;
    while (u >= weights[c]!) u -= weights[c++]!;
    for (let j = 0; j < cols; j++) data[i * cols + j] = rng.normal(centres[c * cols + j]!, spread[c]!);
  }
  return { data, rows, cols };
}

const fmtLoad = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
let t = performance.now();
const x = customers();
console.log(
  `generated ${rows.toLocaleString('en-US')} × ${cols}, ${clusters} planted segments in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
console.log(`load average before: ${fmtLoad()}`);

const stages = new Map<string, number>();
let last = performance.now();
let lastStage = 'setup';
t = performance.now();
const result = selectK(x, {
  kMin: 2,
  kMax: 12,
  method: values.method as SelectKMethod,
  seed,
  onProgress: (message) => {
    const now = performance.now();
    const stage = message.replace(/^k = \d+: /, '');
    stages.set(lastStage, (stages.get(lastStage) ?? 0) + now - last);
    last = now;
    lastStage = stage;
  },
});
const seconds = (performance.now() - t) / 1000;
console.log(`load average after: ${fmtLoad()}`);
console.log(
  `selectK k = 2..12 (${result.method}; gap, stability, prediction strength) on ${rows.toLocaleString('en-US')} rows: ` +
    `${seconds.toFixed(1)} s (fitted on ${result.fittedOn.toLocaleString('en-US')}, sampled: ${result.sampled})`,
);
console.log(
  'time by stage (s): ' +
    [...stages]
      .filter(([s]) => s !== 'done')
      .map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)}`)
      .join(', '),
);
console.log(`recommended k = ${result.recommended} (planted ${clusters}), structure: ${result.structure}`);
for (const v of result.votes) console.log(`  ${v.criterion}: ${v.k ?? '—'} (${v.rule})`);
for (const r of result.reasons) console.log(`  - ${r}`);
