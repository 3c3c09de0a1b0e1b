/**
 * The pieces every k-means variant (Lloyd, Elkan, Hamerly) shares: the run contract, the scratch workspace, and the
 * update step that turns per-cluster sums into centroids, relocating empty clusters the way scikit-learn does.
 * Internal: callers have validated their inputs; nothing here checks shapes.
 * @module
 */

import { type BlockKernel, BlockPool } from '../util/parallel.js';
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
 * sums are taken in plain row order. A multiple of 32, so each block owns whole words of `changedBits`.
 */
export const ROWS_PER_BLOCK = 4096;

/** Most per-block partial sums (blocks × k × d) the M-step accumulates in parallel (32 MiB); beyond, serially. */
const MAX_BLOCK_SUMS = 1 << 22;

/** Largest workspace (bytes) put in WebAssembly memory: 2 GiB, so i32 byte offsets never wrap. */
const MAX_WASM_BYTES = 2 ** 31 - 65536;

/**
 * Typed arrays carved, 16-byte aligned, out of one buffer: a WebAssembly.Memory (for the SIMD kernels), else an
 * ArrayBuffer; shared with the worker threads when there are any.
 */
class Arena {
  /** The WebAssembly memory the arrays live in, or null for an ordinary buffer. */
  readonly memory: WebAssembly.Memory | null;
  readonly pages: number;
  private readonly buffer: ArrayBuffer | SharedArrayBuffer;
  private offset = 0;

  constructor(bytes: number, shared: boolean, wasm: boolean) {
    this.pages = wasm ? Math.max(1, Math.ceil(bytes / 65536)) : 0;
    if (wasm) {
      this.memory = shared
        ? new WebAssembly.Memory({ initial: this.pages, maximum: this.pages, shared: true })
        : new WebAssembly.Memory({ initial: this.pages });
      this.buffer = this.memory.buffer;
    } else {
      this.memory = null;
      this.buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    }
  }

  /** Bytes an array of `length` elements of `size` bytes takes here. */
  static bytes(length: number, size: number): number {
    return 16 * Math.ceil((size * length) / 16);
  }

  private take(bytes: number): number {
    const at = this.offset;
    this.offset += Arena.bytes(bytes, 1);
    return at;
  }

  f64(length: number): Float64Array {
    return new Float64Array(this.buffer, this.take(8 * length), length);
  }

  i32(length: number): Int32Array {
    return new Int32Array(this.buffer, this.take(4 * length), length);
  }

  /**
   * Runs `first` and `second` from the same offset, so the arrays each allocates share memory (for arrays whose
   * lifetimes never overlap); the arena continues after the longer of the two.
   */
  overlay<A, B>(first: () => A, second: () => B): [A, B] {
    const at = this.offset;
    const a = first();
    const firstEnd = this.offset;
    this.offset = at;
    const b = second();
    this.offset = Math.max(firstEnd, this.offset);
    return [a, b];
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
  /** The calling thread's kernels (the pool runs them too), for single blocks: `runBlock`. */
  private readonly kernels: readonly BlockKernel[];
  private rows: number;
  private dataView: KMeansData;

  constructor(options: KMeansWorkspaceOptions) {
    const { n, d, k, bounds, plusPlus, threads } = options;
    const parallel = threads > 1;
    const trials = plusPlus ? localTrials(k) : 1;
    const blocks = Math.max(1, Math.ceil(n / ROWS_PER_BLOCK));
    const tracked = bounds !== 'none';
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
      changedBits: tracked ? Math.ceil(n / 32) : 0, // Int32
      changedFrom: tracked ? n : 0, // Int32
      blockCount: blocks, // Int32
      blockSum: blocks * trials,
      closest: plusPlus ? n : 0,
      nearest: plusPlus ? n : 0, // Int32
      candidates: trials * d,
      candidatePairs: 2 * Math.ceil(trials / 2) * d,
      winner: plusPlus ? d : 0,
      winnerCC: plusPlus ? k : 0,
      pending: plusPlus ? blocks : 0, // Int32
      colSums: blocks * d,
      mean: d,
      blockSums: blocks > 1 && blocks * k * d <= MAX_BLOCK_SUMS ? blocks * k * d : 0,
      blockWeights: blocks > 1 && blocks * k * d <= MAX_BLOCK_SUMS ? blocks * k : 0,
      cc: plusPlus ? k * trials : 0,
    };
    // k-means++'s per-row state and the bounds' never live at once (a run seeds, then iterates, and the first
    // iteration rewrites every bound), so they share memory: on 1M rows at k = 8 that is 12 MB less.
    const seeding = ['closest', 'nearest'] as const;
    const iterating = ['upper', 'lower', 'changedBits', 'changedFrom'] as const;
    const int32 = new Set(['labels', 'changedBits', 'changedFrom', 'blockCount', 'nearest', 'pending']);
    const bytesOf = (keys: readonly string[]): number =>
      keys.reduce((t, key) => t + Arena.bytes(sizes[key as keyof typeof sizes], int32.has(key) ? 4 : 8), 0);
    const overlaid = new Set<string>([...seeding, ...iterating]);
    const bytes =
      bytesOf(Object.keys(sizes).filter((key) => !overlaid.has(key))) +
      Math.max(bytesOf(seeding), bytesOf(iterating));
    // The wasm kernels need every array they touch in one WebAssembly.Memory: used when the workspace owns x.
    const wasm = options.x === undefined && WASM_SIMD && d <= WASM_MAX_DIM && bytes <= MAX_WASM_BYTES;
    let arena: Arena | null = null;
    try {
      if (wasm) arena = new Arena(bytes, parallel, true);
    } catch {
      // The engine would not reserve that much WebAssembly memory: the JavaScript kernels on an ordinary buffer.
    }
    arena ??= new Arena(bytes, parallel, false);
    const f64 = (length: number): Float64Array => arena.f64(length);
    const i32 = (length: number): Int32Array => arena.i32(length);
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
    const [plusPlusRows, boundRows] = arena.overlay(
      () => ({ closest: f64(sizes.closest), nearest: i32(sizes.nearest) }),
      () => ({
        upper: f64(sizes.upper),
        lower: f64(sizes.lower),
        changedBits: i32(sizes.changedBits),
        changedFrom: i32(sizes.changedFrom),
      }),
    );
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
      ...boundRows,
      blockCount: i32(sizes.blockCount),
      blockSum: f64(sizes.blockSum),
      ...plusPlusRows,
      candidates: f64(sizes.candidates),
      candidatePairs: f64(sizes.candidatePairs),
      colSums: f64(sizes.colSums),
      mean: f64(sizes.mean),
      blockSums: f64(sizes.blockSums),
      blockWeights: f64(sizes.blockWeights),
      cc: f64(sizes.cc),
      winner: f64(sizes.winner),
      winnerCC: f64(sizes.winnerCC),
      pending: i32(sizes.pending),
      memory: arena.memory,
      pages: arena.pages,
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
    this.kernels = createKernels(this.shared);
    this.pool = new BlockPool({
      module: new URL('./k-means-kernels.js', import.meta.url),
      shared: this.shared,
      kernels: this.kernels,
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

  /** Runs kernel `kernel` over block `b` alone, on the calling thread (between `run`s, never during one). */
  runBlock(kernel: number, b: number): void {
    this.kernels[kernel]!(b);
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
 * blocks' marked rows are taken in block order and, within a block, in row order (the order their old labels were
 * listed in), i.e. in row order, as a single-threaded pass would.
 */
export function applyChanges(ws: KMeansWorkspace, incremental: boolean): number {
  const { x, d } = ws.data;
  const { changedBits, changedFrom, blockCount, labels, rowsPerBlock } = ws.shared;
  const { sums, weightIn } = ws;
  const n = ws.n;
  let changed = 0;
  for (let b = 0, blocks = ws.blocks; b < blocks; b++) {
    const m = blockCount[b]!;
    changed += m;
    if (!incremental || m === 0) continue;
    let r = b * rowsPerBlock;
    for (let q = r >> 5, q1 = (Math.min(n, r + rowsPerBlock) + 31) >> 5; q < q1; q++) {
      // Set bits lowest first: `bits & −bits` isolates the lowest, 31 − clz32 numbers it.
      for (let bits = changedBits[q]!; bits !== 0; bits &= bits - 1) {
        const i = (q << 5) + 31 - Math.clz32(bits & -bits);
        const from = changedFrom[r++]!;
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
