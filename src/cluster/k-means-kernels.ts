/**
 * The data-parallel passes of k-means — centring, k-means++ seeding, the assignment steps of Lloyd, Hamerly and
 * Elkan, the M-step sums and inertia — as kernels over blocks of rows, run by the calling thread and `BlockPool`
 * workers alike. The densest run as WebAssembly SIMD (`k-means-wasm.ts`) when the arrays live in wasm memory, else
 * as generated JavaScript (`k-means-generated.ts`) or the plain loops here; all three give identical results.
 * Internal: trusts its typed arrays.
 * @module
 */
import type { BlockKernel } from '../util/parallel.js';
import {
  type FoldBlock,
  type HamerlyBoundedBlock,
  type HamerlyScanBlock,
  type ScoreBlock,
  foldKernel,
  hamerlyBoundedKernel,
  hamerlyScanKernel,
  scoreKernel,
} from './k-means-generated.js';
import { WASM_MAX_DIM, WASM_SIMD, type WasmKernels, wasmKernels } from './k-means-wasm.js';
import {
  type GroupedDistance,
  type NearestTwo,
  type RowDistances,
  groupedDistanceKernel,
  nearestTwoKernel,
  rowDistancesKernel,
} from './squared-distance.js';

/**
 * Everything the kernels read and write, shared by the threads of one `kmeans()` call (typed arrays over one
 * WebAssembly memory or over `SharedArrayBuffer`s when there are workers). Arrays a run does not need have length 0.
 */
export interface KMeansShared {
  /** Centred points, row-major; rows in use: `params[P_ROWS]` (bisecting uses a prefix). */
  x: Float64Array;
  d: number;
  k: number;
  /** Weight per row, or null for unit weights. */
  w: Float64Array | null;
  rowsPerBlock: number;
  /** Values per block in `blockSum` (the k-means++ trials, or 1). */
  slots: number;
  /** Job inputs set by the calling thread before each job; see `P_*`. */
  params: Float64Array;
  labels: Int32Array;
  /** The k × d centroids the assignment kernels compare with. */
  centers: Float64Array;
  /** Per centroid: half the distance to the nearest other one (Hamerly, Elkan), or ‖c‖² (Lloyd). */
  perCenter: Float64Array;
  /** k × k half distances between centroids (Elkan). */
  halfDist: Float64Array;
  /** How far each centroid moved in the last update. */
  shift: Float64Array;
  /** Upper bound per row (Hamerly, Elkan). */
  upper: Float64Array;
  /** Lower bounds: one per row (Hamerly) or k per row (Elkan). */
  lower: Float64Array;
  /**
   * Rows whose label changed in a bounded assignment: one bit per row (row i is bit i & 31 of word i >> 5; a block's
   * 4,096 rows own their 128 words, which its kernel clears first), and their old labels in row order, each block's
   * from its first row's index. A bit a row rather than a 4-byte row number: 3.9 bytes a row less when every row
   * is relabelled (7.4 MB on 2M rows), the lists' worst case.
   */
  changedBits: Int32Array;
  changedFrom: Int32Array;
  /** Per block: rows relabelled. */
  blockCount: Int32Array;
  /** Per block, `slots` partial sums (potentials, inertia), combined by the caller in block order. */
  blockSum: Float64Array;
  /**
   * k-means++: squared distance of each row to its nearest chosen centre, and that centre's number. They share
   * memory with `upper`, `lower`, `changedBits` and `changedFrom` (see `KMeansWorkspace`): valid only while seeding.
   */
  closest: Float64Array;
  nearest: Int32Array;
  /** k-means++: this round's candidate rows (trials × d). */
  candidates: Float64Array;
  /** k-means++: squared distances between chosen centres and candidates (k × trials). */
  cc: Float64Array;
  /**
   * k-means++: the last round's winner (d), not yet folded into `closest` / `nearest` where `pending` says so, and
   * its squared distances to the centres chosen before it (k; `cc`'s column for it, kept for the pruning test).
   */
  winner: Float64Array;
  winnerCC: Float64Array;
  /** k-means++, per block: 1 while the winner still has to be folded into the block's rows (Int32). */
  pending: Int32Array;
  /** `centers` pair-interleaved (`interleavePairs`), for the wasm kernels. */
  centerPairs: Float64Array;
  /** `candidates` pair-interleaved, for the wasm kernels. */
  candidatePairs: Float64Array;
  /**
   * Per block, per-cluster weighted sums of the block's rows (blocks × k × d) and weights (blocks × k), for the
   * M-step; length 0 when a single block, or too many blocks × k × d to pay (then the sums are taken serially).
   */
  blockSums: Float64Array;
  blockWeights: Float64Array;
  /** Per block, the column sums of x (blocks × d), for centring. */
  colSums: Float64Array;
  /** The column means subtracted from x. */
  mean: Float64Array;
  /** The WebAssembly memory every array above lives in, or null (then the JavaScript kernels run). */
  memory: WebAssembly.Memory | null;
  /** Its size in 64 KiB pages. */
  pages: number;
}

/** `params` slots. */
export const P_ROWS = 0;
/** Hamerly: largest and second-largest centroid shift, and the centroid that moved most. */
export const P_MAX1 = 1;
export const P_MAX2 = 2;
export const P_ARGMAX = 3;
/** k-means++ fold: the centre number the pending winner becomes. */
export const P_CENTRE = 4;
export const PARAMS = 5;

/** Kernel numbers, in the order `createKernels` returns them. */
export const PP_FIRST = 0;
export const PP_SCORE = 1;
export const PP_FOLD = 2;
export const HAMERLY_SCAN = 3;
export const HAMERLY_BOUNDED = 4;
export const ELKAN_SCAN = 5;
export const ELKAN_BOUNDED = 6;
export const LLOYD_ASSIGN = 7;
export const INERTIA = 8;
export const CENTRE_SUMS = 9;
export const CENTRE_APPLY = 10;
export const ACCUMULATE = 11;

/** Local trials per centre in greedy k-means++: `2 + ⌊ln k⌋`, scikit-learn's choice. */
export function localTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** Lloyd: points per sub-block (their best-so-far distances and labels live in small scratch arrays). */
const LLOYD_POINTS = 256;
/** Lloyd: doubles of centroid data per block (16 KiB), so a centroid block stays in L1 while points stream by. */
const LLOYD_CENTER_DOUBLES = 2048;

/** Per-thread scratch and the distance kernels generated for this (d, k, trials). */
interface Scratch {
  dist2: GroupedDistance;
  nearestTwo: NearestTwo;
  toCandidates: RowDistances;
  toCenters: RowDistances;
  two: Float64Array;
  dist: Float64Array;
  potentials: Float64Array;
  bestDist: Float64Array;
  bestLabel: Int32Array;
  /** The WebAssembly SIMD kernels (`k-means-wasm.ts`) when the arrays live in wasm memory, else null. */
  wasm: WasmKernels | null;
  /** Generated loops (`k-means-generated.ts`), or null where they do not apply (then the plain kernels here). */
  score: ScoreBlock | null;
  fold: FoldBlock | null;
  hamerlyScan: HamerlyScanBlock | null;
  hamerlyBounded: HamerlyBoundedBlock | null;
}

/**
 * The kernels over `s`, numbered as the `PP_*`, `HAMERLY_*`, … constants. Called once per thread. Each kernel is a
 * top-level function taking the state as an argument: measured on a Lloyd pass, reading typed arrays captured by a
 * closure instead was 1.6× slower (V8 reloads them from the closure's context inside the loops).
 */
export function createKernels(s: KMeansShared): readonly BlockKernel[] {
  const { d, k, slots } = s;
  const weighted = s.w !== null;
  const wasm =
    s.memory !== null && WASM_SIMD && d <= WASM_MAX_DIM
      ? wasmKernels(s.memory, s.memory.buffer instanceof SharedArrayBuffer, s.pages, d, k, slots, weighted)
      : null;
  const h: Scratch = {
    dist2: groupedDistanceKernel(d),
    nearestTwo: nearestTwoKernel(d, k),
    toCandidates: rowDistancesKernel(d, slots),
    toCenters: rowDistancesKernel(d, k),
    two: new Float64Array(2),
    dist: new Float64Array(slots),
    potentials: new Float64Array(slots),
    bestDist: new Float64Array(LLOYD_POINTS),
    bestLabel: new Int32Array(LLOYD_POINTS),
    wasm,
    // Generated JavaScript only where the wasm kernels do not run.
    score: wasm === null ? scoreKernel(d, slots, weighted) : null,
    fold: wasm === null ? foldKernel(d) : null,
    hamerlyScan: wasm === null ? hamerlyScanKernel(d, k) : null,
    hamerlyBounded: wasm === null ? hamerlyBoundedKernel(d, k) : null,
  };
  return [
    (b) => ppFirst(s, h, b),
    (b) => ppScore(s, h, b),
    (b) => ppFold(s, h, b),
    (b) => hamerlyScan(s, h, b),
    (b) => hamerlyBounded(s, h, b),
    (b) => elkanScan(s, h, b),
    (b) => elkanBounded(s, h, b),
    (b) => lloydAssign(s, h, b),
    (b) => inertia(s, h, b),
    (b) => centreSums(s, b),
    (b) => centreApply(s, b),
    (b) => accumulate(s, b),
  ];
}

/** First row of block b. */
function start(s: KMeansShared, b: number): number {
  return b * s.rowsPerBlock;
}

/** Clears block b's words of `changedBits` before a bounded assignment marks its relabelled rows; its first row. */
function clearChanged(s: KMeansShared, b: number): number {
  const i0 = start(s, b);
  s.changedBits.fill(0, i0 >> 5, (end(s, b) + 31) >> 5);
  return i0;
}

/** One past the last row of block b. */
function end(s: KMeansShared, b: number): number {
  return Math.min(s.params[P_ROWS]!, (b + 1) * s.rowsPerBlock);
}

/** k-means++, first centre (candidate row 0): every row's distance to it; block potential Σ w·D². */
function ppFirst(s: KMeansShared, h: Scratch, b: number): void {
  const { x, d, w, closest, nearest, candidates } = s;
  const { dist2 } = h;
  let pot = 0;
  for (let i = start(s, b), i1 = end(s, b); i < i1; i++) {
    const sq = dist2(x, i * d, candidates, 0);
    closest[i] = sq;
    nearest[i] = 0;
    pot += w === null ? sq : w[i]! * sq;
  }
  s.blockSum[b * s.slots] = pot;
  s.pending[b] = 0;
}

/**
 * k-means++: each candidate's potential Σ w·min(D², ‖x − y_q‖²) over the block, skipping (exactly) what the
 * triangle inequality rules out: with a the row's nearest centre, ‖c_a − y_q‖² ≥ 4·D² means y_q cannot be closer.
 * The last round's winner is folded into the block first (`ppFold`), so one pass over the rows per round does both
 * and no row-to-candidate distances need keeping: the winner's potentials are the next round's block potentials.
 * The wasm or generated loop (`scoreKernel`) where it applies, else `ppScoreLoop`.
 */
function ppScore(s: KMeansShared, h: Scratch, b: number): void {
  ppFold(s, h, b);
  const { potentials } = h;
  const i0 = start(s, b);
  const i1 = end(s, b);
  if (h.wasm !== null) {
    const { x, w, closest, nearest, candidatePairs, cc, blockSum, slots } = s;
    h.wasm.score(
      x.byteOffset,
      w === null ? 0 : w.byteOffset,
      closest.byteOffset,
      nearest.byteOffset,
      candidatePairs.byteOffset,
      cc.byteOffset,
      i0,
      i1,
      blockSum.byteOffset + 8 * b * slots,
    );
    return;
  }
  if (h.score !== null) h.score(s.x, s.w, s.closest, s.nearest, s.candidates, s.cc, i0, i1, potentials);
  else ppScoreLoop(s, h, i0, i1);
  s.blockSum.set(potentials, b * s.slots);
}

/** `ppScore`'s plain version (any d and trials): per row, one unrolled call for all candidates if most survive. */
function ppScoreLoop(s: KMeansShared, h: Scratch, i0: number, i1: number): void {
  const { x, d, w, closest, nearest, candidates, cc, slots: trials } = s;
  const { dist2, toCandidates, dist, potentials } = h;
  potentials.fill(0);
  for (let i = i0; i < i1; i++) {
    const ci = closest[i]!;
    const far = 4 * ci;
    const ao = nearest[i]! * trials;
    const wi = w === null ? 1 : w[i]!;
    let open = 0;
    for (let q = 0; q < trials; q++) if (cc[ao + q]! < far) open++;
    const all = 2 * open > trials;
    if (all) toCandidates(x, i * d, candidates, 0, dist, 0);
    for (let q = 0; q < trials; q++) {
      let sq = Infinity;
      if (cc[ao + q]! < far) sq = all ? dist[q]! : dist2(x, i * d, candidates, q * d);
      potentials[q]! += wi * (sq < ci ? sq : ci);
    }
  }
}

/**
 * k-means++: folds the last round's winner into the block's `closest` / `nearest`, once (`pending`), with the
 * scoring's pruning test, so each row ends as the winner's column of the scoring left it. Run by `ppScore` and, for
 * the block a draw searches, by the calling thread (`KMeansWorkspace.runBlock`).
 */
function ppFold(s: KMeansShared, h: Scratch, b: number): void {
  if (s.pending[b] === 0) return;
  s.pending[b] = 0;
  const { x, d, closest, nearest, winner, winnerCC, params } = s;
  const c = params[P_CENTRE]!;
  const i0 = start(s, b);
  const i1 = end(s, b);
  if (h.wasm !== null) {
    const o = [closest.byteOffset, nearest.byteOffset, winner.byteOffset, winnerCC.byteOffset] as const;
    h.wasm.fold(x.byteOffset, ...o, c, i0, i1);
    return;
  }
  if (h.fold !== null) {
    h.fold(x, closest, nearest, winner, winnerCC, c, i0, i1);
    return;
  }
  const { dist2 } = h;
  for (let i = i0; i < i1; i++) {
    const ci = closest[i]!;
    if (!(winnerCC[nearest[i]!]! < 4 * ci)) continue;
    const sq = dist2(x, i * d, winner, 0);
    if (sq < ci) {
      closest[i] = sq;
      nearest[i] = c;
    }
  }
}

/** Hamerly, first assignment: nearest centroid, its distance (upper bound) and the runner-up's (lower bound). */
function hamerlyScan(s: KMeansShared, h: Scratch, b: number): void {
  const { x, d, labels, upper, lower, centers } = s;
  const { nearestTwo, two } = h;
  if (h.wasm !== null) {
    const o = [labels.byteOffset, upper.byteOffset, lower.byteOffset, start(s, b), end(s, b)] as const;
    h.wasm.hamerlyScan(x.byteOffset, s.centerPairs.byteOffset, ...o);
    return;
  }
  if (h.hamerlyScan !== null) {
    h.hamerlyScan(x, centers, labels, upper, lower, start(s, b), end(s, b));
    return;
  }
  for (let i = start(s, b), i1 = end(s, b); i < i1; i++) {
    labels[i] = nearestTwo(x, i * d, centers, two);
    upper[i] = Math.sqrt(two[0]!);
    lower[i] = Math.sqrt(two[1]!);
  }
}

/**
 * Hamerly 2010, Algorithm 2: bounded assignment. The last update's bound moves are applied here rather than in a
 * pass of their own (one sweep over the bounds per iteration); the lower bound drops by the largest shift of any
 * *other* centroid, hence the runner-up for a row in the top mover. A row is rescanned only when its upper bound
 * exceeds both its lower bound and half the distance from its centroid to the nearest other one (§3).
 */
function hamerlyBounded(s: KMeansShared, h: Scratch, b: number): void {
  const { x, d, labels, upper, lower, centers, perCenter: half, shift, changedBits, changedFrom, params } = s;
  const { dist2, nearestTwo, two } = h;
  const max1 = params[P_MAX1]!;
  const max2 = params[P_MAX2]!;
  const argMax = params[P_ARGMAX]!;
  const i0 = clearChanged(s, b);
  if (h.wasm !== null) {
    s.blockCount[b] = h.wasm.hamerlyBounded(
      x.byteOffset,
      centers.byteOffset,
      s.centerPairs.byteOffset,
      labels.byteOffset,
      upper.byteOffset,
      lower.byteOffset,
      half.byteOffset,
      shift.byteOffset,
      changedBits.byteOffset,
      changedFrom.byteOffset,
      i0,
      end(s, b),
      max1,
      max2,
      argMax,
    );
    return;
  }
  if (h.hamerlyBounded !== null) {
    const args = [max1, max2, argMax, changedBits, changedFrom, i0, end(s, b)] as const;
    s.blockCount[b] = h.hamerlyBounded(x, centers, labels, upper, lower, half, shift, ...args);
    return;
  }
  let m = 0;
  for (let i = i0, i1 = end(s, b); i < i1; i++) {
    const a = labels[i]!;
    const ub = upper[i]! + shift[a]!;
    const lo = lower[i]! - (a === argMax ? max2 : max1);
    upper[i] = ub;
    lower[i] = lo;
    const sa = half[a]!;
    const bound = lo > sa ? lo : sa;
    if (ub <= bound) continue;
    const u = Math.sqrt(dist2(x, i * d, centers, a * d));
    upper[i] = u;
    if (u <= bound) continue;
    const best = nearestTwo(x, i * d, centers, two);
    upper[i] = Math.sqrt(two[0]!);
    lower[i] = Math.sqrt(two[1]!);
    if (best === a) continue;
    labels[i] = best;
    changedBits[i >> 5]! |= 1 << i; // bit i & 31: shift counts are taken mod 32
    changedFrom[i0 + m] = a;
    m++;
  }
  s.blockCount[b] = m;
}

/** Elkan, first assignment: exact distances to every centroid initialise all bounds; ties → lowest index. */
function elkanScan(s: KMeansShared, h: Scratch, b: number): void {
  const { x, d, k, labels, upper, lower, centers } = s;
  const { toCenters } = h;
  if (h.wasm !== null) {
    const o = [labels.byteOffset, upper.byteOffset, lower.byteOffset, start(s, b), end(s, b)] as const;
    h.wasm.elkanScan(x.byteOffset, s.centerPairs.byteOffset, ...o);
    return;
  }
  for (let i = start(s, b), i1 = end(s, b); i < i1; i++) {
    const lo = i * k;
    toCenters(x, i * d, centers, 0, lower, lo);
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const dj = Math.sqrt(lower[lo + j]!);
      lower[lo + j] = dj;
      if (dj < bestD) {
        bestD = dj;
        best = j;
      }
    }
    labels[i] = best;
    upper[i] = bestD;
  }
}

/**
 * Elkan 2003, steps 1–3: skip a row whose upper bound is within half the gap to the nearest other centroid;
 * otherwise test each centroid j against the two triangle-inequality bounds (`u > l(x, j)`, `u > ½‖c_a − c_j‖`),
 * tightening u once before the first distance. The last update's bound moves (steps 5–6) are applied first, so
 * the n × k lower bounds are swept once per iteration.
 */
function elkanBounded(s: KMeansShared, h: Scratch, b: number): void {
  const {
    x,
    d,
    k,
    labels,
    upper,
    lower,
    centers,
    perCenter: half,
    halfDist,
    shift,
    changedBits,
    changedFrom,
  } = s;
  const { dist2 } = h;
  const i0 = clearChanged(s, b);
  let m = 0;
  for (let i = i0, i1 = end(s, b); i < i1; i++) {
    const a0 = labels[i]!;
    const lo = i * k;
    for (let j = 0; j < k; j++) {
      const v = lower[lo + j]! - shift[j]!;
      lower[lo + j] = v > 0 ? v : 0;
    }
    let u = upper[i]! + shift[a0]!;
    upper[i] = u;
    if (u <= half[a0]!) continue;
    let a = a0;
    let tight = false;
    for (let j = 0; j < k; j++) {
      if (j === a || u <= lower[lo + j]! || u <= halfDist[a * k + j]!) continue;
      if (!tight) {
        u = Math.sqrt(dist2(x, i * d, centers, a * d));
        lower[lo + a] = u;
        tight = true;
        if (u <= lower[lo + j]! || u <= halfDist[a * k + j]!) continue;
      }
      const dj = Math.sqrt(dist2(x, i * d, centers, j * d));
      lower[lo + j] = dj;
      if (dj < u) {
        a = j;
        u = dj;
      }
    }
    upper[i] = u;
    if (a === a0) continue;
    labels[i] = a;
    changedBits[i >> 5]! |= 1 << i;
    changedFrom[i0 + m] = a0;
    m++;
  }
  s.blockCount[b] = m;
}

/**
 * Lloyd: nearest centroid by `‖c‖² − 2x·c` (the `‖x‖²` term is common to all centroids), as scikit-learn's chunked
 * Lloyd computes it, blocked over points and centroids for cache; ties → lowest index. Counts relabelled rows.
 */
function lloydAssign(s: KMeansShared, h: Scratch, b: number): void {
  const { x, d, k, labels, centers, perCenter: cNorm } = s;
  const { bestDist, bestLabel } = h;
  if (h.wasm !== null) {
    const o = [labels.byteOffset, start(s, b), end(s, b)] as const;
    s.blockCount[b] = h.wasm.lloydAssign(x.byteOffset, s.centerPairs.byteOffset, cNorm.byteOffset, ...o);
    return;
  }
  const centerBlock = Math.max(1, Math.floor(LLOYD_CENTER_DOUBLES / d));
  let changed = 0;
  for (let p0 = start(s, b), i1 = end(s, b); p0 < i1; p0 += LLOYD_POINTS) {
    const p1 = Math.min(i1, p0 + LLOYD_POINTS);
    bestDist.fill(Infinity);
    bestLabel.fill(0);
    for (let j0 = 0; j0 < k; j0 += centerBlock) {
      const j1 = Math.min(k, j0 + centerBlock);
      for (let i = p0; i < p1; i++) {
        const xo = i * d;
        let bd = bestDist[i - p0]!;
        let bl = bestLabel[i - p0]!;
        for (let j = j0; j < j1; j++) {
          const co = j * d;
          let dot = 0;
          for (let t = 0; t < d; t++) dot += x[xo + t]! * centers[co + t]!;
          const dj = cNorm[j]! - 2 * dot;
          if (dj < bd) {
            bd = dj;
            bl = j;
          }
        }
        bestDist[i - p0] = bd;
        bestLabel[i - p0] = bl;
      }
    }
    for (let i = p0; i < p1; i++) {
      const l = bestLabel[i - p0]!;
      if (labels[i] !== l) {
        labels[i] = l;
        changed++;
      }
    }
  }
  s.blockCount[b] = changed;
}

/** Σ w·‖x − c_label‖² over the block (explicit differences, so rows on their centroid add exactly 0). */
function inertia(s: KMeansShared, h: Scratch, b: number): void {
  const { x, d, w, labels, centers } = s;
  const { dist2 } = h;
  let total = 0;
  for (let i = start(s, b), i1 = end(s, b); i < i1; i++) {
    const sq = dist2(x, i * d, centers, labels[i]! * d);
    total += w === null ? sq : w[i]! * sq;
  }
  s.blockSum[b * s.slots] = total;
}

/** Centring, first pass: the block's column sums of x (raw data copied in). */
function centreSums(s: KMeansShared, b: number): void {
  const { x, d, colSums } = s;
  const o = b * d;
  colSums.fill(0, o, o + d);
  for (let i = start(s, b), i1 = end(s, b); i < i1; i++) {
    for (let t = 0; t < d; t++) colSums[o + t]! += x[i * d + t]!;
  }
}

/** Centring, second pass: x −= mean over the block; block sum of squares (for the mean variance) in `blockSum`. */
function centreApply(s: KMeansShared, b: number): void {
  const { x, d, mean } = s;
  let sq = 0;
  for (let i = start(s, b), i1 = end(s, b); i < i1; i++) {
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t]! - mean[t]!;
      x[i * d + t] = v;
      sq += v * v;
    }
  }
  s.blockSum[b * s.slots] = sq;
}

/** M-step accumulation over the block: per-cluster Σ w·x and Σ w of its rows, in row order, into its own slot. */
function accumulate(s: KMeansShared, b: number): void {
  const { x, d, k, w, labels, blockSums, blockWeights } = s;
  const so = b * k * d;
  const wo = b * k;
  blockSums.fill(0, so, so + k * d);
  blockWeights.fill(0, wo, wo + k);
  for (let i = start(s, b), i1 = end(s, b); i < i1; i++) {
    const l = labels[i]!;
    const o = so + l * d;
    const xo = i * d;
    if (w === null) {
      for (let t = 0; t < d; t++) blockSums[o + t]! += x[xo + t]!;
      blockWeights[wo + l]! += 1;
    } else {
      const wi = w[i]!;
      for (let t = 0; t < d; t++) blockSums[o + t]! += wi * x[xo + t]!;
      blockWeights[wo + l]! += wi;
    }
  }
}
