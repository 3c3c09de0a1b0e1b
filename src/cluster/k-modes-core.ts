/**
 * Internal: the k-prototypes iteration shared by `kModes` (no numeric columns) and `kPrototypes`, a port of the
 * `kmodes` package's `_k_prototypes_single` / `_k_modes_single` (Huang 1997, "Clustering large data sets with mixed
 * numeric and categorical values"; Huang 1998, "Extensions to the k-means algorithm for clustering large data sets
 * with categorical values", §3–4) and its Huang / Cao seedings.
 * @module
 */

import { Random } from '../util/random.js';

/** Validated, encoded data the core trusts. `p` may be 0 (pure k-modes). */
export interface KModesData {
  n: number;
  /** n × p numeric values. */
  num: Float64Array;
  p: number;
  /** n × q dense category codes (−1 only in `predict` input: matches nothing). */
  cat: Int32Array;
  q: number;
  /** Categories per column. */
  nCats: Int32Array;
  /** Weight of one categorical mismatch relative to squared euclidean distance. */
  gamma: number;
}

/** One finished run. */
export interface KModesRun {
  labels: Int32Array;
  numCentroids: Float64Array;
  catCentroids: Int32Array;
  cost: number;
  nIter: number;
  /** Cost after the initial centroid update and after every epoch (kmodes' `epoch_costs_`). */
  epochCosts: number[];
}

export type KModesInit = 'Huang' | 'Cao' | 'random';

/** kmodes' MAX_INIT_TRIES: after this many seedings leave a cluster empty, fall back to random rows. */
const MAX_INIT_TRIES = 20;
/** kmodes' RAISE_INIT_TRIES: give up after this many. */
const RAISE_INIT_TRIES = 100;

/** Dissimilarity of row `i` of (num, cat) to centroid `c`: ‖x − μ‖² + γ · #mismatches (Huang 1997, eq. 3). */
function dissim(
  num: Float64Array,
  cat: Int32Array,
  i: number,
  p: number,
  q: number,
  cn: Float64Array,
  cc: Int32Array,
  c: number,
  gamma: number,
): number {
  let s = 0;
  for (let j = 0; j < p; j++) {
    const t = num[i * p + j]! - cn[c * p + j]!;
    s += t * t;
  }
  let m = 0;
  for (let j = 0; j < q; j++) if (cat[i * q + j] !== cc[c * q + j]) m++;
  return s + gamma * m;
}

/**
 * Nearest centroid of every row (ties → lowest index, as np.argmin) and the total cost: kmodes' `labels_cost`.
 */
export function assignAll(
  num: Float64Array,
  cat: Int32Array,
  n: number,
  p: number,
  q: number,
  cn: Float64Array,
  cc: Int32Array,
  k: number,
  gamma: number,
  labels: Int32Array,
): number {
  let cost = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const d = dissim(num, cat, i, p, q, cn, cc, c, gamma);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    labels[i] = best;
    cost += bestD;
  }
  return cost;
}

/**
 * Cao, Liang & Bai 2009 ("A new initialization method for categorical data clustering", §3): the densest row first,
 * then repeatedly the row maximising min over chosen centroids of density × mismatches. Deterministic.
 */
export function initCao(
  data: KModesData,
  k: number,
  dens: Float64Array = new Float64Array(data.n),
  minDD: Float64Array = new Float64Array(data.n),
): Int32Array {
  const { n, q, cat, nCats } = data;
  dens.fill(0);
  for (let j = 0; j < q; j++) {
    const freq = new Float64Array(nCats[j]!);
    for (let i = 0; i < n; i++) freq[cat[i * q + j]!]!++;
    for (let i = 0; i < n; i++) dens[i]! += freq[cat[i * q + j]!]! / n / q;
  }
  const out = new Int32Array(k * q);
  let first = 0;
  for (let i = 1; i < n; i++) if (dens[i]! > dens[first]!) first = i;
  out.set(cat.subarray(first * q, first * q + q), 0);
  minDD.fill(Infinity);
  for (let ik = 1; ik < k; ik++) {
    // Fold in the centroid chosen last; minDD[i] = min over chosen centroids of dissim × dens.
    let best = 0;
    let bestV = -Infinity;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < q; j++) if (cat[i * q + j] !== out[(ik - 1) * q + j]) m++;
      const v = m * dens[i]!;
      if (v < minDD[i]!) minDD[i] = v;
      if (minDD[i]! > bestV) {
        bestV = minDD[i]!;
        best = i;
      }
    }
    out.set(cat.subarray(best * q, best * q + q), ik * q);
  }
  return out;
}

/**
 * Huang 1998 §3.2 (kmodes' `init_huang`): draw each attribute of each centroid from the column's values (so by
 * frequency), then replace each centroid by the nearest row not already chosen (ties → lowest row index).
 */
export function initHuang(data: KModesData, k: number, rng: Random): Int32Array {
  const { n, q, cat } = data;
  const draft = new Int32Array(k * q);
  for (let j = 0; j < q; j++) for (let c = 0; c < k; c++) draft[c * q + j] = cat[rng.int(n) * q + j]!;
  const out = new Int32Array(k * q);
  const chosen: number[] = [];
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bestM = Infinity;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < q; j++) if (cat[i * q + j] !== draft[c * q + j]) m++;
      if (m >= bestM) continue;
      let dup = false;
      for (const r of chosen) {
        let same = true;
        for (let j = 0; j < q && same; j++) same = cat[i * q + j] === cat[r * q + j];
        if (same) {
          dup = true;
          break;
        }
      }
      if (!dup) {
        bestM = m;
        best = i;
      }
    }
    if (best < 0) best = rng.int(n); // fewer distinct rows than k: the run will hit the empty-cluster retry
    chosen.push(best);
    out.set(cat.subarray(best * q, best * q + q), c * q);
  }
  return out;
}

/** k distinct random rows (kmodes draws with replacement and retries on empty clusters; distinct rows avoid that). */
function initRandomRows(data: KModesData, k: number, rng: Random): Int32Array {
  const { q, cat } = data;
  const idx = rng.shuffle(Int32Array.from({ length: data.n }, (_, i) => i)).subarray(0, k);
  const out = new Int32Array(k * q);
  for (let c = 0; c < k; c++) out.set(cat.subarray(idx[c]! * q, idx[c]! * q + q), c * q);
  return out;
}

/** Per-run scratch, allocated once per public call and reused by the `nInit` runs. */
export class KModesWorkspace {
  readonly member: Int32Array;
  /** The current run's labels; a run's result points here, so the next run overwrites them. */
  readonly labels: Int32Array;
  /** Cao seeding's per-row density and min density × mismatches (one n-length pair, not one per seeding). */
  readonly dens: Float64Array;
  readonly minDD: Float64Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  /** k × Σ nCats frequency table; column j of cluster c starts at c·total + offset[j]. */
  readonly freq: Float64Array;
  readonly offset: Int32Array;
  readonly total: number;
  constructor(data: KModesData, k: number) {
    this.member = new Int32Array(data.n);
    this.labels = new Int32Array(data.n);
    this.dens = new Float64Array(data.n);
    this.minDD = new Float64Array(data.n);
    this.sums = new Float64Array(k * data.p);
    this.counts = new Float64Array(k);
    this.offset = new Int32Array(data.q + 1);
    for (let j = 0; j < data.q; j++) this.offset[j + 1] = this.offset[j]! + data.nCats[j]!;
    this.total = this.offset[data.q]!;
    this.freq = new Float64Array(k * this.total);
  }
}

/** Code with the highest count in cluster c, column j; ties → lowest code (kmodes' `get_max_value_key`). */
function modeOf(ws: KModesWorkspace, c: number, j: number, m: number): number {
  const base = c * ws.total + ws.offset[j]!;
  let best = 0;
  for (let v = 1; v < m; v++) if (ws.freq[base + v]! > ws.freq[base + best]!) best = v;
  return best;
}

/**
 * One seeded run: kmodes' `_k_prototypes_single`. Draws initial centroids (re-drawing while the first assignment
 * leaves a cluster empty), then online epochs — each row moves to its nearest centroid and both affected centroids
 * update at once (Huang 1998 §4) — until no row moves, the cost stops falling, or `maxIter` epochs.
 */
export function runKModes(
  data: KModesData,
  k: number,
  init: KModesInit,
  maxIter: number,
  rng: Random,
  ws: KModesWorkspace,
): KModesRun {
  const { n, p, q, num, cat, nCats, gamma } = data;
  const cn = new Float64Array(k * p);
  let cc: Int32Array = new Int32Array(k * q);
  const { member, sums, counts, freq, offset, total } = ws;

  // Numeric spread for seeding: kmodes draws numeric centroids as mean + N(0, 1) × std per column.
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j]! += num[i * p + j]!;
  for (let j = 0; j < p; j++) mean[j]! /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) sd[j]! += (num[i * p + j]! - mean[j]!) ** 2;
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]! / n);

  let method: KModesInit = init;
  for (let tries = 1; ; tries++) {
    switch (method) {
      case 'Cao':
        cc = initCao(data, k, ws.dens, ws.minDD);
        break;
      case 'Huang':
        cc = initHuang(data, k, rng);
        break;
      case 'random':
        cc = initRandomRows(data, k, rng);
        break;
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < p; j++) cn[c * p + j] = mean[j]! + rng.normal() * sd[j]!;
    sums.fill(0);
    counts.fill(0);
    freq.fill(0);
    // Initial assignment against the fixed seeds (kmodes does not update centroids during this pass).
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = dissim(num, cat, i, p, q, cn, cc, c, gamma);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      member[i] = best;
      counts[best]!++;
      for (let j = 0; j < p; j++) sums[best * p + j]! += num[i * p + j]!;
      for (let j = 0; j < q; j++) freq[best * total + offset[j]! + cat[i * q + j]!]!++;
    }
    let empty = false;
    for (let c = 0; c < k; c++) if (counts[c] === 0) empty = true;
    if (!empty) break;
    if (tries >= RAISE_INIT_TRIES) {
      throw new RangeError(
        `could not seed k = ${k} non-empty clusters in ${tries} tries: the data has too few distinct rows`,
      );
    }
    if (tries >= MAX_INIT_TRIES) method = 'random';
  }

  // Initial centroid update.
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < p; j++) cn[c * p + j] = sums[c * p + j]! / counts[c]!;
    for (let j = 0; j < q; j++) cc[c * q + j] = modeOf(ws, c, j, nCats[j]!);
  }

  const labels = ws.labels;
  let cost = assignAll(num, cat, n, p, q, cn, cc, k, gamma, labels);
  const epochCosts = [cost];
  let nIter = 0;
  let converged = false;

  const updateMean = (c: number): void => {
    for (let j = 0; j < p; j++) cn[c * p + j] = counts[c]! > 0 ? sums[c * p + j]! / counts[c]! : 0;
  };
  const move = (i: number, to: number, from: number): void => {
    member[i] = to;
    counts[to]!++;
    counts[from]!--;
    for (let j = 0; j < p; j++) {
      const v = num[i * p + j]!;
      sums[to * p + j]! += v;
      sums[from * p + j]! -= v;
    }
    for (let j = 0; j < q; j++) {
      const v = cat[i * q + j]!;
      const toBase = to * total + offset[j]!;
      const fromBase = from * total + offset[j]!;
      freq[toBase + v]!++;
      if (freq[toBase + cc[to * q + j]!]! < freq[toBase + v]!) cc[to * q + j] = v;
      freq[fromBase + v]!--;
      if (cc[from * q + j] === v) cc[from * q + j] = modeOf(ws, from, j, nCats[j]!);
    }
    // Both centroids (was `for (const c of [to, from])`: an array per move, ≈ 8 MB of young garbage per epoch).
    updateMean(to);
    updateMean(from);
  };

  while (nIter < maxIter && !converged) {
    nIter++;
    let moves = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = dissim(num, cat, i, p, q, cn, cc, c, gamma);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      const old = member[i]!;
      if (best === old) continue;
      moves++;
      move(i, best, old);
      if (counts[old] === 0) {
        // Empty cluster: take a random row of the largest cluster (kmodes' `_k_prototypes_iter`).
        let from = 0;
        for (let c = 1; c < k; c++) if (counts[c]! > counts[from]!) from = c;
        // The pick-th member in row order (as drawing from the list of members, without building it).
        let pick = rng.int(counts[from]!);
        let r = 0;
        for (; r < n; r++) if (member[r] === from && pick-- === 0) break;
        move(r, old, from);
      }
    }
    const ncost = assignAll(num, cat, n, p, q, cn, cc, k, gamma, labels);
    converged = moves === 0 || ncost >= cost;
    epochCosts.push(ncost);
    cost = ncost;
  }
  return { labels, numCentroids: cn, catCentroids: cc, cost, nIter, epochCosts };
}

/** Best of `nInit` runs by cost (first minimum wins, as kmodes' argmin). Shared by `kModes` and `kPrototypes`. */
export function bestOfRuns(
  data: KModesData,
  k: number,
  init: 'Huang' | 'Cao' | 'random',
  nInit: number,
  maxIter: number,
  seed: number,
): KModesRun {
  const rng = new Random(seed);
  const ws = new KModesWorkspace(data, k);
  // A run's labels live in the workspace: the best run's are copied out (once per improvement, not per run).
  const bestLabels = new Int32Array(data.n);
  let best: KModesRun | undefined;
  for (let r = 0; r < nInit; r++) {
    const run = runKModes(data, k, init, maxIter, rng, ws);
    if (best === undefined || run.cost < best.cost) {
      bestLabels.set(run.labels);
      best = { ...run, labels: bestLabels };
    }
  }
  return best!;
}
