/**
 * Mini-batch k-means with scikit-learn's `MiniBatchKMeans` semantics, as a one-shot `miniBatchKMeans()` over a
 * matrix and a streaming `MiniBatchKMeans` class whose `partialFit` takes data as it arrives.
 * @module
 */

import { assertNever } from '../util/errors.js';
import { type Matrix, type MatrixLike, toMatrix } from '../util/matrix.js';
import { Random } from '../util/random.js';
import { checkSampleWeight } from './k-means.js';
import { randomRows, seedPlusPlus } from './k-means-init.js';
import { KMeansWorkspace } from './k-means-steps.js';
import { type NearestTwo, nearestTwoKernel } from './squared-distance.js';

/** Options for `miniBatchKMeans` and `MiniBatchKMeans`; everything but `k` has a default. */
export interface MiniBatchKMeansOptions {
  /** Number of clusters, an integer ≥ 1 (and ≤ the rows used for seeding). */
  k: number;
  /** Rows per mini-batch (capped at the number of rows). Default 1024, scikit-learn's. */
  batchSize?: number;
  /** Passes over the data: the fit takes at most ⌊maxIter · n / batchSize⌋ steps. Default 100. */
  maxIter?: number;
  /** Stop after this many steps without a new minimum of the smoothed batch inertia. Default 10. */
  maxNoImprovement?: number;
  /**
   * Stop when the sum of squared centroid moves in one step is ≤ `tol` × the mean per-feature variance of X.
   * Default 0 (off), as scikit-learn: the smoothed-inertia rule does the stopping.
   */
  tol?: number;
  /** Seeding on a random subset of 3 · batchSize rows: `'k-means++'` (default) or `'random'` rows. */
  init?: 'k-means++' | 'random';
  /** Seedings to try (each scored on a held-out random subset); the best one is refined. Default 3. */
  nInit?: number;
  /**
   * A centroid whose count falls below this fraction of the largest count is moved to a random row of the batch
   * (checked every ≈ 10·k rows, or whenever a centroid has no rows yet). Default 0.01; 0 turns it off.
   */
  reassignmentRatio?: number;
  /** Seed for every random draw; the same seed gives the same result. Default 0. */
  seed?: number;
  /**
   * `miniBatchKMeans` only: non-negative weight per row, as scikit-learn's `sample_weight` in `fit`: batches are
   * drawn with probability ∝ weight (and then count each row once), seeding and the choice among seedings weigh
   * rows, and the final inertia is weighted. For `MiniBatchKMeans` pass weights per batch to `partialFit`.
   */
  sampleWeight?: ArrayLike<number>;
}

/** The documented defaults merged into `MiniBatchKMeansOptions`. */
export const MINI_BATCH_KMEANS_DEFAULTS = {
  batchSize: 1024,
  maxIter: 100,
  maxNoImprovement: 10,
  tol: 0,
  init: 'k-means++',
  nInit: 3,
  reassignmentRatio: 0.01,
  seed: 0,
} as const satisfies Partial<MiniBatchKMeansOptions>;

/** Result of `miniBatchKMeans`. */
export interface MiniBatchKMeansResult {
  /** Nearest centroid of every row of X, in [0, k), against the final centroids. */
  labels: Int32Array;
  /** k × cols centroids, row-major. */
  centroids: Float64Array;
  k: number;
  cols: number;
  /** Σ w·‖x − c_label‖² over all rows of X (not just the batches). */
  inertia: number;
  /** Mini-batch steps taken (scikit-learn's `n_steps_`). */
  nSteps: number;
}

type Resolved = Required<Omit<MiniBatchKMeansOptions, 'sampleWeight'>>;

function checkInteger(value: unknown, name: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** Validates the options once (k against rows is checked where the rows are known). */
function resolveOptions(options: MiniBatchKMeansOptions, what: string): Resolved {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${what} options must be an object with at least k, got ${String(options)}`);
  }
  const D = MINI_BATCH_KMEANS_DEFAULTS;
  const init = options.init ?? D.init;
  if (init !== 'k-means++' && init !== 'random') {
    throw new TypeError(`init must be 'k-means++' or 'random', got '${String(init)}'`);
  }
  const seed = options.seed ?? D.seed;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
  }
  return {
    k: checkInteger(options.k, 'k', 1),
    batchSize: checkInteger(options.batchSize ?? D.batchSize, 'batchSize', 1),
    maxIter: checkInteger(options.maxIter ?? D.maxIter, 'maxIter', 1),
    maxNoImprovement: checkInteger(options.maxNoImprovement ?? D.maxNoImprovement, 'maxNoImprovement', 1),
    tol: checkNonNegative(options.tol ?? D.tol, 'tol'),
    init,
    nInit: checkInteger(options.nInit ?? D.nInit, 'nInit', 1),
    reassignmentRatio: checkNonNegative(
      options.reassignmentRatio ?? D.reassignmentRatio,
      'reassignmentRatio',
    ),
    seed,
  };
}

function asFloat64(m: Matrix): Float64Array {
  return m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
}

/** Copies rows `idx[0..m)` of x into `out` (m × d). */
function gatherRows(x: Float64Array, d: number, idx: Int32Array, m: number, out: Float64Array): void {
  // Element by element: `out.set(x.subarray(…))` allocates a view per row (measured 5M × 10, 2,455 batches of
  // 1,024: 2.6 s of a 5.8 s fit, most of it garbage collection).
  for (let b = 0; b < m; b++) {
    const from = idx[b]! * d;
    const to = b * d;
    for (let t = 0; t < d; t++) out[to + t] = x[from + t]!;
  }
}

/** Nearest centroid of each of the n rows into `labels` (ties → lower index); returns Σ w·‖x − c‖². */
function assign(
  x: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  labels: Int32Array,
  w: Float64Array | null,
  nearest: NearestTwo,
  two: Float64Array,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    labels[i] = nearest(x, i * d, centers, two);
    inertia += w === null ? two[0]! : w[i]! * two[0]!;
  }
  return inertia;
}

/**
 * The state a mini-batch run carries from step to step — centroids, per-centroid counts, the reassignment clock —
 * plus scratch sized for one batch, allocated once. Shared by `miniBatchKMeans` and `MiniBatchKMeans`.
 */
class MiniBatchCore {
  readonly centers: Float64Array;
  readonly counts: Float64Array;
  private readonly batchSums: Float64Array;
  private readonly batchCounts: Float64Array;
  /** The centroids before a step, kept only to measure the shift when `tol` > 0. */
  private readonly previous: Float64Array;
  private batchLabels: Int32Array;
  private readonly order: Int32Array;
  private readonly reassignFlags: Uint8Array;
  readonly nearest: NearestTwo;
  readonly two = new Float64Array(2);
  private sinceReassign = 0;

  constructor(
    readonly k: number,
    readonly d: number,
    /** scikit-learn's `_batch_size`: advances the reassignment clock, and halves into the reassignment cap. */
    readonly batchSize: number,
    private readonly reassignmentRatio: number,
  ) {
    this.centers = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.batchSums = new Float64Array(k * d);
    this.batchCounts = new Float64Array(k);
    this.previous = new Float64Array(k * d);
    this.batchLabels = new Int32Array(batchSize);
    this.order = new Int32Array(k);
    this.reassignFlags = new Uint8Array(k);
    this.nearest = nearestTwoKernel(d, k);
  }

  /** scikit-learn's `_random_reassign`: due when a centroid has no count yet or ≥ 10·k rows went by. */
  private reassignDue(): boolean {
    this.sinceReassign += this.batchSize;
    let anyEmpty = false;
    for (let j = 0; j < this.k; j++) if (this.counts[j] === 0) anyEmpty = true;
    if (anyEmpty || this.sinceReassign >= 10 * this.k) {
      this.sinceReassign = 0;
      return true;
    }
    return false;
  }

  /**
   * One mini-batch step on the m rows of `batch` (scikit-learn's `_mini_batch_step`): assign each row to its
   * nearest centroid, then move each centroid with per-centre learning rate 1 / count (Sculley 2010, "Web-scale
   * k-means clustering", WWW, Algorithm 1; in batch form, c ← (count·c + Σ batch rows) / (count + batch count),
   * which is the running mean of every row the centroid has been given), then reassign starved centroids.
   *
   * With weights `bw` (`partialFit`), rows count by weight: in the inertia, the sums and the counts.
   *
   * @returns the batch inertia against the centroids before the step, and (only when `wantShift`) Σ of squared
   * centroid moves over the step, reassignments included, as scikit-learn measures it.
   */
  step(
    batch: Float64Array,
    m: number,
    rng: Random,
    wantShift: boolean,
    bw: Float64Array | null = null,
  ): { inertia: number; shift: number } {
    // Streaming batches may outgrow the first one; grow the label scratch then (not per step in `fit`).
    if (m > this.batchLabels.length) this.batchLabels = new Int32Array(m);
    const { d, centers, counts, batchSums, batchCounts, batchLabels: labels, k } = this;
    const reassign = this.reassignDue();
    const inertia = assign(batch, m, d, centers, labels, bw, this.nearest, this.two);

    batchSums.fill(0);
    batchCounts.fill(0);
    for (let b = 0; b < m; b++) {
      const so = labels[b]! * d;
      const wb = bw === null ? 1 : bw[b]!;
      for (let t = 0; t < d; t++) batchSums[so + t]! += wb * batch[b * d + t]!;
      batchCounts[labels[b]!]! += wb;
    }
    let shift = 0;
    if (wantShift) this.previous.set(centers);
    for (let j = 0; j < k; j++) {
      const bc = batchCounts[j]!;
      if (!(bc > 0)) continue;
      const total = counts[j]! + bc;
      const o = j * d;
      for (let t = 0; t < d; t++) centers[o + t] = (centers[o + t]! * counts[j]! + batchSums[o + t]!) / total;
      counts[j] = total;
    }

    if (reassign && this.reassignmentRatio > 0) this.reassignStarved(batch, m, rng);
    if (wantShift) {
      const previous = this.previous;
      for (let q = 0; q < centers.length; q++) shift += (centers[q]! - previous[q]!) ** 2;
    }
    return { inertia, shift };
  }

  /** The reassignment half of `_mini_batch_step`: starved centroids jump to distinct random rows of the batch. */
  private reassignStarved(batch: Float64Array, m: number, rng: Random): void {
    const { k, d, centers, counts, reassignFlags: flag, order } = this;
    let max = 0;
    for (let j = 0; j < k; j++) if (counts[j]! > max) max = counts[j]!;
    const threshold = this.reassignmentRatio * max;
    let nFlagged = 0;
    for (let j = 0; j < k; j++) {
      flag[j] = counts[j]! < threshold ? 1 : 0;
      nFlagged += flag[j]!;
    }
    if (nFlagged === 0) return;
    // At most half a batch of centroids move: only the ⌊m/2⌋ smallest counts stay eligible.
    const cap = Math.floor(0.5 * m);
    if (nFlagged > 0.5 * m) {
      for (let j = 0; j < k; j++) order[j] = j;
      order.sort((a, b) => counts[a]! - counts[b]! || a - b);
      for (let r = cap; r < k; r++) flag[order[r]!] = 0;
      nFlagged = 0;
      for (let j = 0; j < k; j++) nFlagged += flag[j]!;
    }
    if (nFlagged > 0) {
      // Rare (a few times per fit), so the small index array is allocated here.
      const rows = rng.sampleIndices(m, nFlagged);
      let r = 0;
      for (let j = 0; j < k; j++) {
        if (flag[j] === 0) continue;
        const b = rows[r++]!;
        centers.set(batch.subarray(b * d, b * d + d), j * d);
      }
    }
    // Reset the moved counts to the smallest count kept, so they are not reassigned again at once.
    let minKept = Infinity;
    for (let j = 0; j < k; j++) if (flag[j] === 0 && counts[j]! < minKept) minKept = counts[j]!;
    if (minKept === Infinity) return;
    for (let j = 0; j < k; j++) if (flag[j] === 1) counts[j] = minKept;
  }
}

/**
 * Seeding on a random subset of `initSize` rows (drawn with replacement, as scikit-learn's `randint`), or on all rows
 * when there are no more than that; subset buffers and the k-means++ workspace are allocated once.
 */
class Seeder {
  private readonly rows: Float64Array;
  private readonly rowWeights: Float64Array | null;
  private readonly idx: Int32Array;
  private readonly ws: KMeansWorkspace;

  constructor(
    private readonly x: Float64Array,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
    private readonly w: Float64Array | null,
    private readonly initSize: number,
    private readonly init: 'k-means++' | 'random',
  ) {
    const subset = initSize < n;
    this.rows = subset ? new Float64Array(initSize * d) : x;
    this.rowWeights = subset && w !== null ? new Float64Array(initSize) : w;
    this.idx = new Int32Array(subset ? initSize : 0);
    this.ws = new KMeansWorkspace({
      x: this.rows,
      n: subset ? initSize : n,
      d,
      k,
      w: this.rowWeights,
      bounds: 'none',
      plusPlus: init === 'k-means++',
      threads: 1,
    });
  }

  /** Draws a subset (if seeding on one) and seeds k centroids from it into `out`, weighing rows by their weights. */
  seed(rng: Random, out: Float64Array): void {
    const { x, n, d, w, initSize, idx } = this;
    if (initSize < n) {
      for (let i = 0; i < initSize; i++) idx[i] = rng.int(n);
      gatherRows(x, d, idx, initSize, this.rows);
      if (w !== null) for (let i = 0; i < initSize; i++) this.rowWeights![i] = w[idx[i]!]!;
    }
    switch (this.init) {
      case 'k-means++':
        seedPlusPlus(this.ws, this.k, rng, out);
        break;
      case 'random':
        randomRows(this.ws.data, this.k, rng, out);
        break;
      default:
        assertNever(this.init, 'init');
    }
  }
}

/**
 * Draws rows with probability ∝ weight (with replacement), as numpy's `choice(n, p=w / Σw)` does: the first row
 * whose cumulative weight exceeds a uniform draw scaled by the total. With integer weights this picks the same row
 * as a uniform draw over the weights' repeated rows. The cumulative sums are built once, so a draw costs O(log n).
 */
class WeightedRows {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(w: Float64Array) {
    this.cumulative = new Float64Array(w.length);
    let acc = 0;
    for (let i = 0; i < w.length; i++) this.cumulative[i] = acc += w[i]!;
    this.total = acc;
  }

  draw(rng: Random): number {
    const { cumulative } = this;
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** scikit-learn's `_init_size` default: 3 · batch (at least 3k), at most n. */
function initSizeFor(batch: number, k: number, n: number): number {
  let size = 3 * batch;
  if (size < k) size = 3 * k;
  return Math.min(size, n);
}

/**
 * Mini-batch k-means (Sculley 2010, "Web-scale k-means clustering", WWW) with the semantics of scikit-learn's
 * `MiniBatchKMeans` (1.x): `nInit` seedings on random subsets of 3 · batchSize rows, each scored on another random
 * subset, the best refined by steps on batches drawn with replacement; per-centroid learning rates from counts;
 * starved centroids reassigned; early stop when the exponentially weighted average of the per-row batch inertia
 * (weight 2 · batch / (n + 1)) has not reached a new minimum for `maxNoImprovement` steps, or on `tol`. Labels and
 * inertia are then computed on all of X. Random draws use segmint's generator, so seeded runs match scikit-learn in
 * quality, not bit for bit.
 *
 * Cost: O(batch · k · d) per step, independent of n; one final O(n · k · d) pass for the labels.
 *
 * @throws TypeError for a wrong type (e.g. an unknown `init`); RangeError for a bad value (non-finite data, empty
 * input, k outside [1, rows], a non-positive batchSize), naming the value.
 *
 * @example
 * const { labels, centroids, inertia, nSteps } = miniBatchKMeans(customers, { k: 8, batchSize: 2048, seed: 1 });
 */
export function miniBatchKMeans(X: MatrixLike, options: MiniBatchKMeansOptions): MiniBatchKMeansResult {
  const o = resolveOptions(options, 'miniBatchKMeans');
  const mat = toMatrix(X, 'X');
  const { rows: n, cols: d } = mat;
  const k = checkInteger(o.k, 'k', 1, n);
  const x = asFloat64(mat);
  const w = options.sampleWeight === undefined ? null : checkSampleWeight(options.sampleWeight, n);
  const batch = Math.min(o.batchSize, n);
  const initSize = initSizeFor(batch, k, n);
  const rng = new Random(o.seed);

  // scikit-learn's `_tolerance`: tol × mean per-feature variance.
  let tol = 0;
  if (o.tol > 0) {
    let variance = 0;
    for (let t = 0; t < d; t++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x[i * d + t]!;
      mean /= n;
      for (let i = 0; i < n; i++) variance += (x[i * d + t]! - mean) ** 2;
    }
    tol = (o.tol * variance) / (n * d);
  }

  const scratchIdx = new Int32Array(Math.max(initSize, batch));
  const validation = new Float64Array(initSize * d);
  for (let i = 0; i < initSize; i++) scratchIdx[i] = rng.int(n);
  gatherRows(x, d, scratchIdx, initSize, validation);
  const validationWeights =
    w === null ? null : Float64Array.from(scratchIdx.subarray(0, initSize), (i) => w[i]!);
  const validationLabels = new Int32Array(initSize);

  const core = new MiniBatchCore(k, d, batch, o.reassignmentRatio);
  const seeder = new Seeder(x, n, d, k, w, initSize, o.init);
  const candidate = new Float64Array(k * d);
  const { nearest, two } = core;
  let bestInertia = Infinity;
  for (let run = 0; run < o.nInit; run++) {
    seeder.seed(rng, candidate);
    const inertia = assign(
      validation,
      initSize,
      d,
      candidate,
      validationLabels,
      validationWeights,
      nearest,
      two,
    );
    if (inertia < bestInertia) {
      bestInertia = inertia;
      core.centers.set(candidate);
    }
  }

  const nSteps = Math.floor((o.maxIter * n) / batch);
  const batchRows = new Float64Array(batch * d);
  // Weighted fits draw batches ∝ weight and then count each drawn row once (scikit-learn's unit batch weights).
  const weighted = w === null ? null : new WeightedRows(w);
  // The EWA of the per-row batch inertia (scikit-learn's `_mini_batch_convergence`).
  const alpha = Math.min((batch * 2) / (n + 1), 1);
  let ewa = NaN;
  let ewaMin = Infinity;
  let noImprovement = 0;
  let step = 0;
  while (step < nSteps) {
    if (weighted === null) for (let b = 0; b < batch; b++) scratchIdx[b] = rng.int(n);
    else for (let b = 0; b < batch; b++) scratchIdx[b] = weighted.draw(rng);
    gatherRows(x, d, scratchIdx, batch, batchRows);
    const { inertia, shift } = core.step(batchRows, batch, rng, tol > 0);
    step++;
    if (step === 1) continue; // the first step starts from the seeding: its inertia says little
    const perRow = inertia / batch;
    ewa = Number.isNaN(ewa) ? perRow : ewa * (1 - alpha) + perRow * alpha;
    if (tol > 0 && shift <= tol) break;
    if (ewa < ewaMin) {
      ewaMin = ewa;
      noImprovement = 0;
    } else if (++noImprovement >= o.maxNoImprovement) {
      break;
    }
  }

  const labels = new Int32Array(n);
  const centroids = core.centers;
  const inertia = assign(x, n, d, centroids, labels, w, nearest, two);
  return { labels, centroids, k, cols: d, inertia, nSteps: step };
}

/**
 * Streaming mini-batch k-means for data that arrives in batches (scikit-learn's `MiniBatchKMeans.partial_fit`):
 * the first batch seeds the centroids (one seeding, on up to 3 · batchSize of its rows), and every batch — the
 * first included — is one mini-batch step. Memory is O(k · d + batch), whatever the total volume.
 *
 * @example
 * const model = new MiniBatchKMeans({ k: 6, seed: 3 });
 * for await (const chunk of chunks) model.partialFit(chunk);
 * const segment = model.predict(newCustomers);
 */
export class MiniBatchKMeans {
  private readonly options: Resolved;
  private readonly rng: Random;
  private core: MiniBatchCore | null = null;
  private steps = 0;
  private lastInertia = NaN;

  constructor(options: MiniBatchKMeansOptions) {
    this.options = resolveOptions(options, 'MiniBatchKMeans');
    this.rng = new Random(this.options.seed);
  }

  /**
   * One mini-batch step on `batch` (seeding first, on the first call). Batches may have any number of rows;
   * the first needs at least k. With `sampleWeight` (one non-negative weight per row of the batch, as
   * scikit-learn's `partial_fit`), rows count by weight in the seeding, the centroid update and the counts.
   *
   * @throws RangeError when the first batch has fewer than k rows, a later one has a different column count, or
   * the weights are invalid.
   */
  partialFit(batch: MatrixLike, sampleWeight?: ArrayLike<number>): this {
    const mat = toMatrix(batch, 'batch');
    const { rows: m, cols: d } = mat;
    const x = asFloat64(mat);
    let core = this.core;
    if (core !== null && d !== core.d) {
      throw new RangeError(`batch has ${d} columns but the model was fitted on ${core.d}`);
    }
    const w = sampleWeight === undefined ? null : checkSampleWeight(sampleWeight, m);
    if (core === null) {
      const { k, batchSize, init, reassignmentRatio } = this.options;
      checkInteger(k, 'k', 1, m);
      const batchEff = Math.min(batchSize, m);
      core = new MiniBatchCore(k, d, batchEff, reassignmentRatio);
      new Seeder(x, m, d, k, w, initSizeFor(batchEff, k, m), init).seed(this.rng, core.centers);
      this.core = core;
    }
    this.lastInertia = core.step(x, m, this.rng, false, w).inertia;
    this.steps++;
    return this;
  }

  /** Nearest centroid of each row of X (ties → lower index). @throws RangeError before the first `partialFit`. */
  predict(X: MatrixLike): Int32Array {
    const core = this.fitted();
    const mat = toMatrix(X, 'X');
    if (mat.cols !== core.d)
      throw new RangeError(`X has ${mat.cols} columns but the model was fitted on ${core.d}`);
    const labels = new Int32Array(mat.rows);
    assign(asFloat64(mat), mat.rows, core.d, core.centers, labels, null, core.nearest, core.two);
    return labels;
  }

  /** A copy of the current k × d centroids. */
  get centroids(): Float64Array {
    return this.fitted().centers.slice();
  }

  /** Rows (or weight) each centroid has absorbed so far (scikit-learn's `_counts`; reset on reassignment). */
  get counts(): Float64Array {
    return this.fitted().counts.slice();
  }

  /** `partialFit` calls so far (scikit-learn's `n_steps_`). */
  get nSteps(): number {
    return this.steps;
  }

  /** Σ w·‖x − c‖² of the last batch against the centroids before its step (NaN before the first). */
  get lastBatchInertia(): number {
    return this.lastInertia;
  }

  private fitted(): MiniBatchCore {
    if (this.core === null)
      throw new RangeError('MiniBatchKMeans has no centroids yet: call partialFit first');
    return this.core;
  }
}
