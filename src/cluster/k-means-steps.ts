/**
 * The pieces every k-means variant (Lloyd, Elkan, Hamerly) shares: the run contract, the scratch workspace, and the
 * update step that turns per-cluster sums into centroids, relocating empty clusters the way scikit-learn does.
 * Internal: callers have validated their inputs; nothing here checks shapes.
 * @module
 */

import { BlockPool, sharedFloat64, sharedInt32 } from '../util/parallel.js';
import type { KMeansIteration } from './k-means.js';
import {
  ACCUMULATE,
  CENTRE_APPLY,
  CENTRE_SUMS,
  INERTIA,
  type KMeansShared,
  PARAMS,
  P_ROWS,
  createKernels,
  localTrials,
} from './k-means-kernels.js';
import { WASM_MAX_DIM, WASM_SIMD, interleavePairs } from './k-means-wasm.js';

/** Centred points, ready for the cores: point i, feature t is `x[i * d + t]`. */
export interface KMeansData {
  x: Float64Array;
  n: number;
  d: number;
  /** Weight per point, or `null` for unit weights (the common case, and a faster one). */
  w: Float64Array | null;
}

/** What one k-means run is told. */
export interface KMeansRunControl {
  maxIter: number;
  /** Absolute tolerance on the sum of squared centroid shifts (already scaled by the data's variance). */
  tol: number;
  /** Index of this run among `nInit`, passed through to `onIteration`. */
  run: number;
  onIteration: ((progress: KMeansIteration) => void) | undefined;
}

/** What one k-means run reports; labels are in `ws.labels`, centroids written into the caller's buffer. */
export interface KMeansRunOutcome {
  iterations: number;
  converged: boolean;
}

/**
 * Signature shared by the cores: `centers` holds the initial centroids on entry and the final ones on exit; the
 * labels of the rows in use end in `ws.labels`.
 */
export type KMeansCore = (
  ws: KMeansWorkspace,
  centers: Float64Array,
  control: KMeansRunControl,
) => KMeansRunOutcome;

/** Which per-row state a workspace keeps: none beyond labels (Lloyd), or Hamerly's or Elkan's bounds. */
export type KMeansBounds = 'none' | 'hamerly' | 'elkan';

/** How to build a `KMeansWorkspace`. */
export interface KMeansWorkspaceOptions {
  /**
   * Centred rows (n × d), a view of a `SharedArrayBuffer` when `threads` > 1; or undefined, and the workspace
   * allocates `shared.x` for the caller to fill — in WebAssembly memory when it can, for the SIMD kernels.
   */
  x?: Float64Array;
  n: number;
  d: number;
  k: number;
  w: Float64Array | null;
  bounds: KMeansBounds;
  /** Whether k-means++ will seed from this workspace. */
  plusPlus: boolean;
  /** Threads, the calling one included; > 1 starts `BlockPool` workers (close the workspace afterwards). */
  threads: number;
}

/**
 * Rows per block of the data-parallel passes. Fixed, not derived from the thread count: per-block partial sums
 * combine in block order, so results are the same however many threads run — and for n ≤ 4,096 (one block) the
 * sums are taken in plain row order.
 */
export const ROWS_PER_BLOCK = 4096;

/** Most per-block partial sums (blocks × k × d) the M-step accumulates in parallel (32 MiB); beyond, serially. */
const MAX_BLOCK_SUMS = 1 << 22;

/** Most row-to-candidate distances k-means++ keeps between its scoring and folding passes (1 GiB). */
const MAX_KEPT_DISTANCES = 1 << 27;

/** Largest workspace (bytes) put in WebAssembly memory: 2 GiB, so i32 byte offsets never wrap. */
const MAX_WASM_BYTES = 2 ** 31 - 65536;

/** Typed arrays carved, 16-byte aligned, out of one WebAssembly.Memory (shared when threads > 1). */
class Arena {
  readonly memory: WebAssembly.Memory;
  readonly pages: number;
  private offset = 0;

  constructor(bytes: number, shared: boolean) {
    this.pages = Math.max(1, Math.ceil(bytes / 65536));
    this.memory = shared
      ? new WebAssembly.Memory({ initial: this.pages, maximum: this.pages, shared: true })
      : new WebAssembly.Memory({ initial: this.pages });
  }

  private take(bytes: number): number {
    const at = this.offset;
    this.offset += 16 * Math.ceil(bytes / 16);
    return at;
  }

  f64(length: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.take(8 * length), length);
  }

  i32(length: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(4 * length), length);
  }
}

/**
 * Everything one `kmeans()` call works in, allocated once and reused by every run and iteration: the state the
 * data-parallel kernels share (`shared`, over `SharedArrayBuffer`s when there are workers), the pool that runs them,
 * and the calling thread's own M-step scratch (per-cluster sums and weights, the second centroid buffer).
 */
export class KMeansWorkspace {
  readonly shared: KMeansShared;
  readonly d: number;
  readonly k: number;
  /** Per-cluster weighted sums of points, k × d. */
  readonly sums: Float64Array;
  /** Per-cluster total weight (the count for unit weights). */
  readonly weightIn: Float64Array;
  /** Second centroid buffer the cores swap with the caller's. */
  readonly centersNext: Float64Array;
  /** Farthest points found for empty-cluster relocation, at most k of them. */
  readonly farIdx: Int32Array;
  readonly farDist: Float64Array;
  private readonly pool: BlockPool;
  private rows: number;
  private dataView: KMeansData;

  constructor(options: KMeansWorkspaceOptions) {
    const { n, d, k, bounds, plusPlus, threads } = options;
    const parallel = threads > 1;
    const trials = plusPlus ? localTrials(k) : 1;
    const blocks = Math.max(1, Math.ceil(n / ROWS_PER_BLOCK));
    const tracked = bounds !== 'none';
    const keep = plusPlus && trials * n <= MAX_KEPT_DISTANCES;
    const pairs = 2 * Math.ceil(k / 2) * d;
    // Lengths of every shared array (Float64 unless noted), in allocation order.
    const sizes = {
      x: options.x === undefined ? n * d : 0,
      w: options.w !== null && (parallel || options.x === undefined) ? n : 0,
      params: PARAMS,
      labels: n, // Int32
      centers: k * d,
      centerPairs: pairs,
      perCenter: k,
      halfDist: bounds === 'elkan' ? k * k : 0,
      shift: k,
      upper: tracked ? n : 0,
      lower: bounds === 'elkan' ? n * k : tracked ? n : 0,
      changedRows: tracked ? n : 0, // Int32
      changedFrom: tracked ? n : 0, // Int32
      blockCount: blocks, // Int32
      blockSum: blocks * trials,
      closest: plusPlus ? n : 0,
      nearest: plusPlus ? n : 0, // Int32
      candidates: trials * d,
      candidatePairs: 2 * Math.ceil(trials / 2) * d,
      colSums: blocks * d,
      mean: d,
      blockSums: blocks > 1 && blocks * k * d <= MAX_BLOCK_SUMS ? blocks * k * d : 0,
      blockWeights: blocks > 1 && blocks * k * d <= MAX_BLOCK_SUMS ? blocks * k : 0,
      cc: plusPlus ? k * trials : 0,
      // As many doubles as scikit-learn's own distances-to-candidates matrix; beyond 1 GiB, recomputed instead.
      candDist: keep ? trials * n : 0,
    };
    // The wasm kernels need every array they touch in one WebAssembly.Memory: used when the workspace owns x.
    let bytes = 0;
    const int32 = new Set(['labels', 'changedRows', 'changedFrom', 'blockCount', 'nearest']);
    for (const [key, len] of Object.entries(sizes))
      bytes += 16 * Math.ceil(((int32.has(key) ? 4 : 8) * len) / 16);
    const wasm = options.x === undefined && WASM_SIMD && d <= WASM_MAX_DIM && bytes <= MAX_WASM_BYTES;
    let arena: Arena | null = null;
    try {
      if (wasm) arena = new Arena(bytes, parallel);
    } catch {
      // The engine would not reserve that much WebAssembly memory: the JavaScript kernels on ordinary arrays it is.
    }
    const f64 = (length: number): Float64Array =>
      arena !== null ? arena.f64(length) : sharedFloat64(length, parallel);
    const i32 = (length: number): Int32Array =>
      arena !== null ? arena.i32(length) : sharedInt32(length, parallel);
    const x = options.x ?? f64(sizes.x);
    if (parallel && !(x.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError('KMeansWorkspace with threads > 1 needs x over a SharedArrayBuffer');
    }
    let w = options.w;
    if (w !== null && sizes.w > 0) {
      const copy = f64(n);
      copy.set(w);
      w = copy;
    }
    this.shared = {
      x,
      d,
      k,
      w,
      rowsPerBlock: ROWS_PER_BLOCK,
      slots: trials,
      params: f64(sizes.params),
      labels: i32(sizes.labels),
      centers: f64(sizes.centers),
      centerPairs: f64(sizes.centerPairs),
      perCenter: f64(sizes.perCenter),
      halfDist: f64(sizes.halfDist),
      shift: f64(sizes.shift),
      upper: f64(sizes.upper),
      lower: f64(sizes.lower),
      changedRows: i32(sizes.changedRows),
      changedFrom: i32(sizes.changedFrom),
      blockCount: i32(sizes.blockCount),
      blockSum: f64(sizes.blockSum),
      closest: f64(sizes.closest),
      nearest: i32(sizes.nearest),
      candidates: f64(sizes.candidates),
      candidatePairs: f64(sizes.candidatePairs),
      colSums: f64(sizes.colSums),
      mean: f64(sizes.mean),
      blockSums: f64(sizes.blockSums),
      blockWeights: f64(sizes.blockWeights),
      cc: f64(sizes.cc),
      candDist: f64(sizes.candDist),
      memory: arena?.memory ?? null,
      pages: arena?.pages ?? 0,
    };
    this.d = d;
    this.k = k;
    this.sums = new Float64Array(k * d);
    this.weightIn = new Float64Array(k);
    this.centersNext = new Float64Array(k * d);
    this.farIdx = new Int32Array(k);
    this.farDist = new Float64Array(k);
    this.rows = n;
    this.shared.params[P_ROWS] = n;
    this.dataView = { x, n, d, w };
    this.pool = new BlockPool({
      module: new URL('./k-means-kernels.js', import.meta.url),
      shared: this.shared,
      kernels: createKernels(this.shared),
      threads,
    });
  }

  /** Rows in use (a prefix of `x`). */
  get n(): number {
    return this.rows;
  }

  /** The rows in use as the cores' `KMeansData`. */
  get data(): KMeansData {
    return this.dataView;
  }

  /** Labels of the rows in use. */
  get labels(): Int32Array {
    return this.rows === this.shared.labels.length
      ? this.shared.labels
      : this.shared.labels.subarray(0, this.rows);
  }

  /** Blocks of the rows in use. */
  get blocks(): number {
    return Math.max(1, Math.ceil(this.rows / ROWS_PER_BLOCK));
  }

  /** Works on the first `n` rows of `x` from now on (bisecting k-means, one leaf at a time). */
  setRows(n: number): void {
    this.rows = n;
    this.shared.params[P_ROWS] = n;
    this.dataView = { ...this.dataView, n };
  }

  /** Runs kernel `kernel` over every block of the rows in use. */
  run(kernel: number): void {
    this.pool.run(kernel, this.blocks);
  }

  /** Makes `c` the centroids the kernels compare with (also pair-interleaved, for the wasm kernels). */
  publish(c: Float64Array): void {
    const { centers, centerPairs, k, d, memory } = this.shared;
    if (c !== centers) centers.set(c);
    if (memory !== null) interleavePairs(centers, k, d, centerPairs);
  }

  /** Marks the candidate rows (`shared.candidates`) as set for this k-means++ round. */
  publishCandidates(): void {
    const { candidates, candidatePairs, slots, d, memory } = this.shared;
    if (memory !== null) interleavePairs(candidates, slots, d, candidatePairs);
  }

  /** Sum of slot `slot` of the per-block partial sums, in block order. */
  blockTotal(slot = 0): number {
    const { blockSum, slots } = this.shared;
    let total = 0;
    for (let b = 0, blocks = this.blocks; b < blocks; b++) total += blockSum[b * slots + slot]!;
    return total;
  }

  /** Σ w·‖x − c_label‖² of the current labels against centroids `c`. */
  inertia(c: Float64Array): number {
    this.publish(c);
    this.run(INERTIA);
    return this.blockTotal();
  }

  /** Blocks run by worker threads so far (tests: that workers took part). */
  get workerBlocks(): number {
    return this.pool.workerBlocks;
  }

  /** Waits until the workers have started (tests only: so that they surely take blocks); see `BlockPool`. */
  waitForWorkers(): boolean {
    return this.pool.waitForWorkers();
  }

  /**
   * Fills `shared.x` with `data` centred on its column means (as scikit-learn does before fitting, for accuracy),
   * on the workspace's threads: column sums per block, combined in block order (so for n ≤ 4,096 exactly as a
   * plain row-order pass), then the subtraction. Returns the means and the mean per-feature variance.
   */
  centre(data: Float64Array | Float32Array): { mean: Float64Array; meanVariance: number } {
    const { x, d, colSums, mean } = this.shared;
    const n = this.rows;
    x.set(data);
    this.run(CENTRE_SUMS);
    mean.fill(0);
    for (let b = 0, blocks = this.blocks; b < blocks; b++) {
      for (let t = 0; t < d; t++) mean[t]! += colSums[b * d + t]!;
    }
    for (let t = 0; t < d; t++) mean[t]! /= n;
    this.run(CENTRE_APPLY);
    return { mean: mean.slice(), meanVariance: this.blockTotal() / (n * d) };
  }

  /** Stops the worker threads, if any. */
  close(): void {
    this.pool.close();
  }
}

/**
 * After a bounded assignment: the number of relabelled rows and, when `incremental`, each one's weighted
 * coordinates moved between its old and new cluster's sums (unit weights only: counts stay exact integers). The
 * per-block lists are taken in block order, i.e. in row order, as a single-threaded pass would.
 */
export function applyChanges(ws: KMeansWorkspace, incremental: boolean): number {
  const { x, d } = ws.data;
  const { changedRows, changedFrom, blockCount, labels, rowsPerBlock } = ws.shared;
  const { sums, weightIn } = ws;
  let changed = 0;
  for (let b = 0, blocks = ws.blocks; b < blocks; b++) {
    const m = blockCount[b]!;
    changed += m;
    if (!incremental) continue;
    for (let r = b * rowsPerBlock, r1 = r + m; r < r1; r++) {
      const i = changedRows[r]!;
      const from = changedFrom[r]!;
      const to = labels[i]!;
      const xo = i * d;
      for (let t = 0; t < d; t++) {
        const v = x[xo + t]!;
        sums[from * d + t]! -= v;
        sums[to * d + t]! += v;
      }
      weightIn[from]! -= 1;
      weightIn[to]! += 1;
    }
  }
  return changed;
}

/** Recomputes per-cluster sums and weights from the labels (the M-step's accumulation, from scratch). */
export function accumulateSums(data: KMeansData, labels: Int32Array, ws: KMeansWorkspace): void {
  const { x, n, d, w } = data;
  const { sums, weightIn, k } = ws;
  const { blockSums, blockWeights } = ws.shared;
  sums.fill(0);
  weightIn.fill(0);
  if (blockSums.length > 0 && labels === ws.labels) {
    // Per-block sums on the workspace's threads, combined in block order.
    ws.run(ACCUMULATE);
    for (let b = 0, blocks = ws.blocks; b < blocks; b++) {
      for (let q = 0; q < k * d; q++) sums[q]! += blockSums[b * k * d + q]!;
      for (let j = 0; j < k; j++) weightIn[j]! += blockWeights[b * k + j]!;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const so = labels[i]! * d;
    const xo = i * d;
    if (w === null) {
      for (let t = 0; t < d; t++) sums[so + t]! += x[xo + t]!;
      weightIn[labels[i]!]! += 1;
    } else {
      const wi = w[i]!;
      for (let t = 0; t < d; t++) sums[so + t]! += wi * x[xo + t]!;
      weightIn[labels[i]!]! += wi;
    }
  }
}

/**
 * Gives every empty cluster (total weight 0) one of the points farthest from their current centroid, as
 * scikit-learn's `_relocate_empty_clusters_dense` does: the point's weighted coordinates move from its cluster's
 * sum to the empty cluster's, while `labels` is left alone (the next assignment step settles it). The farthest
 * points are taken in decreasing distance, ties to the lower index, so the choice is deterministic.
 *
 * @returns whether any cluster was relocated (so sums no longer match labels).
 */
export function relocateEmptyClusters(
  data: KMeansData,
  labels: Int32Array,
  centersOld: Float64Array,
  k: number,
  ws: KMeansWorkspace,
): boolean {
  const { sums, weightIn, farIdx, farDist } = ws;
  let nEmpty = 0;
  for (let j = 0; j < k; j++) if (weightIn[j] === 0) nEmpty++;
  if (nEmpty === 0) return false;

  const { x, n, d, w } = data;
  // Keep the nEmpty largest distances in farDist/farIdx, sorted decreasing (insertion into a list of ≤ k).
  let found = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const co = labels[i]! * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[xo + t]! - centersOld[co + t]!;
      s += diff * diff;
    }
    if (found === nEmpty && s <= farDist[nEmpty - 1]!) continue;
    let p = found < nEmpty ? found++ : nEmpty - 1;
    while (p > 0 && farDist[p - 1]! < s) {
      farDist[p] = farDist[p - 1]!;
      farIdx[p] = farIdx[p - 1]!;
      p--;
    }
    farDist[p] = s;
    farIdx[p] = i;
  }

  let e = 0;
  for (let j = 0; j < k && e < found; j++) {
    if (weightIn[j] !== 0) continue;
    const i = farIdx[e++]!;
    const wi = w === null ? 1 : w[i]!;
    const from = labels[i]!;
    const xo = i * d;
    for (let t = 0; t < d; t++) {
      sums[from * d + t]! -= wi * x[xo + t]!;
      sums[j * d + t] = wi * x[xo + t]!;
    }
    weightIn[j] = wi;
    weightIn[from]! -= wi;
  }
  return true;
}

/**
 * Centroids from sums: `sums / weight` per cluster. A cluster left with weight 0 (possible only with zero-weight
 * points) keeps its raw sum, as scikit-learn's `_average_centers` does.
 */
export function averageCenters(ws: KMeansWorkspace, k: number, d: number, out: Float64Array): void {
  const { sums, weightIn } = ws;
  for (let j = 0; j < k; j++) {
    const wj = weightIn[j]!;
    const o = j * d;
    if (wj > 0) for (let t = 0; t < d; t++) out[o + t] = sums[o + t]! / wj;
    else for (let t = 0; t < d; t++) out[o + t] = sums[o + t]!;
  }
}

/** Euclidean shift of each centroid into `ws.shared.shift`; returns the sum of squared shifts (scikit-learn's measure). */
export function centerShifts(
  before: Float64Array,
  after: Float64Array,
  k: number,
  d: number,
  ws: KMeansWorkspace,
): number {
  let total = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = after[j * d + t]! - before[j * d + t]!;
      s += diff * diff;
    }
    ws.shared.shift[j] = Math.sqrt(s);
    total += s;
  }
  return total;
}

/**
 * Half the distance between every pair of centroids into `ws.shared.halfDist` (k × k), and, in `perCenter`, half the
 * distance from each centroid to its nearest other one (`s(j)` in Elkan 2003 and Hamerly 2010; Infinity when k = 1).
 */
export function centerHalfDistances(
  c: Float64Array,
  k: number,
  d: number,
  ws: KMeansWorkspace,
  full: boolean,
): void {
  const { halfDist, perCenter } = ws.shared;
  perCenter.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = c[a * d + t]! - c[b * d + t]!;
        s += diff * diff;
      }
      const h = 0.5 * Math.sqrt(s);
      if (full) {
        halfDist[a * k + b] = h;
        halfDist[b * k + a] = h;
      }
      if (h < perCenter[a]!) perCenter[a] = h;
      if (h < perCenter[b]!) perCenter[b] = h;
    }
  }
}
