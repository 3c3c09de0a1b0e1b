/**
 * Seeding for k-means: greedy k-means++ and uniform random rows, with scikit-learn's choices of how to draw.
 * Internal: trusts its typed arrays.
 * @module
 */

import type { Random } from '../util/random.js';
import { PP_FIRST, PP_FOLD, PP_SCORE, P_CENTRE } from './k-means-kernels.js';
import { type KMeansData, KMeansWorkspace } from './k-means-steps.js';
import { groupedDistanceKernel } from './squared-distance.js';

export { localTrials } from './k-means-kernels.js';

/**
 * Scratch for `kmeansPlusPlus` when seeding outside `kmeans()` (e.g. Gaussian mixtures): a single-threaded
 * `KMeansWorkspace`, made on first use and reused while the data stay the same.
 */
export interface PlusPlusScratch {
  n: number;
  d: number;
  k: number;
  ws: KMeansWorkspace | null;
  data: KMeansData | null;
}

export function createPlusPlusScratch(n: number, d: number, k: number): PlusPlusScratch {
  return { n, d, k, ws: null, data: null };
}

/** One index drawn with probability proportional to `w` (uniformly when `w` is null). */
function drawWeighted(w: Float64Array | null, n: number, total: number, rng: Random): number {
  if (w === null) return rng.int(n);
  const r = rng.next() * total;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += w[i]!;
    if (acc > r && w[i]! > 0) return i;
  }
  // Rounding left r at the very top: take the last point that has weight.
  for (let i = n - 1; i >= 0; i--) if (w[i]! > 0) return i;
  return n - 1;
}

/**
 * The row at which the running sum of `w · closest` first reaches `r` (numpy's `searchsorted` on the cumulative
 * sum, as scikit-learn draws), found from the per-block potentials the last pass left in slot `slot` of
 * `blockSum`: the block first, then the row within it, once the last winner is folded into that block. Rows of zero
 * mass (already a centre) are never returned; rounding that leaves `r` past the end gives the last row with mass.
 */
function drawRow(ws: KMeansWorkspace, r: number, slot: number): number {
  const { blockSum, slots, closest, w, rowsPerBlock } = ws.shared;
  const n = ws.n;
  let acc = 0;
  let lastBlock = -1;
  for (let b = 0, blocks = ws.blocks; b < blocks; b++) {
    const p = blockSum[b * slots + slot]!;
    if (!(p > 0)) continue;
    lastBlock = b;
    if (acc + p < r) {
      acc += p;
      continue;
    }
    ws.runBlock(PP_FOLD, b);
    let last = -1;
    for (let i = b * rowsPerBlock, i1 = Math.min(n, i + rowsPerBlock); i < i1; i++) {
      const v = w === null ? closest[i]! : w[i]! * closest[i]!;
      if (!(v > 0)) continue;
      acc += v;
      last = i;
      if (acc >= r) return i;
    }
    return last;
  }
  if (lastBlock < 0) return -1;
  ws.runBlock(PP_FOLD, lastBlock);
  for (let i = Math.min(n, (lastBlock + 1) * rowsPerBlock) - 1; i >= 0; i--) {
    if ((w === null ? closest[i]! : w[i]! * closest[i]!) > 0) return i;
  }
  return -1;
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, "k-means++: The advantages of careful seeding", SODA; the
 * greedy variant with `2 + ⌊ln k⌋` local trials is §"Greedy" of their tech report and scikit-learn's
 * `_kmeans_plusplus`): the first centre is a weighted-uniform row; each next one draws that many candidates with
 * probability ∝ w·D(x)² and keeps the candidate that lowers the potential Σ w·D(x)² the most.
 *
 * Exact pruning by the triangle inequality (as in Raff 2021, "Exact acceleration of k-means++ and k-means‖",
 * IJCAI): a point whose nearest centre a lies at D(x) satisfies ‖x − y‖ ≥ ‖c_a − y‖ − D(x), so a candidate y with
 * ‖c_a − y‖² ≥ 4·D(x)² cannot lower D(x) and needs no distance computation. Each round reads the data once, over
 * blocks of rows on the workspace's threads: a block first folds the last round's winner into D (lazily: the winner's
 * per-block potentials from the scoring are already the next draws' block totals, and a draw folds just the block it
 * lands in), then scores all candidates together. So no row-to-candidate distances are kept (scikit-learn keeps
 * trials × n of them; here that was 32 MB on 1M rows) and there is no separate folding pass.
 *
 * @param out - receives the k × d centres (rows of `ws.shared.x`).
 * @returns the chosen row indices.
 */
export function seedPlusPlus(ws: KMeansWorkspace, k: number, rng: Random, out: Float64Array): Int32Array {
  const { x, d, w, cc, candidates, params, blockSum, pending, winner, winnerCC, slots: trials } = ws.shared;
  const n = ws.n;
  const dist2 = groupedDistanceKernel(d);
  const chosen = new Int32Array(k);
  const candidateIdx = new Int32Array(trials);
  let totalWeight = n;
  if (w !== null) {
    totalWeight = 0;
    for (let i = 0; i < n; i++) totalWeight += w[i]!;
  }

  const first = drawWeighted(w, n, totalWeight, rng);
  chosen[0] = first;
  out.set(x.subarray(first * d, first * d + d), 0);
  candidates.set(x.subarray(first * d, first * d + d), 0);
  ws.run(PP_FIRST);

  const blocks = ws.blocks;
  // The blockSum slot holding the current per-block potentials: PP_FIRST's, then the last winner's.
  let slot = 0;
  for (let c = 1; c < k; c++) {
    const potential = ws.blockTotal(slot);
    for (let q = 0; q < trials; q++) {
      let cand = drawRow(ws, rng.next() * potential, slot);
      // Every row is already a centre (fewer distinct rows than k): row 0, as scikit-learn's search gives.
      if (cand < 0) cand = 0;
      candidates.set(x.subarray(cand * d, cand * d + d), q * d);
      candidateIdx[q] = cand;
      for (let a = 0; a < c; a++) cc[a * trials + q] = dist2(out, a * d, candidates, q * d);
    }
    ws.publishCandidates();
    ws.run(PP_SCORE);
    let best = 0;
    let bestPotential = Infinity;
    for (let q = 0; q < trials; q++) {
      let p = 0;
      for (let b = 0; b < blocks; b++) p += blockSum[b * trials + q]!;
      if (p < bestPotential) {
        bestPotential = p;
        best = q;
      }
    }
    // The winner is folded into each block when next scored or drawn from (after the last round, never).
    if (c < k - 1) {
      winner.set(candidates.subarray(best * d, best * d + d));
      for (let a = 0; a < c; a++) winnerCC[a] = cc[a * trials + best]!;
      params[P_CENTRE] = c;
      pending.fill(1, 0, blocks);
      slot = best;
    }
    chosen[c] = candidateIdx[best]!;
    out.set(candidates.subarray(best * d, best * d + d), c * d);
  }
  return chosen;
}

/**
 * `seedPlusPlus` for callers outside `kmeans()`, on one thread: `data` rows, with `scratch` from
 * `createPlusPlusScratch(n, d, k)` reused across calls on the same data.
 */
export function kmeansPlusPlus(
  data: KMeansData,
  k: number,
  rng: Random,
  out: Float64Array,
  scratch: PlusPlusScratch,
): Int32Array {
  const prev = scratch.data;
  if (
    scratch.ws === null ||
    prev === null ||
    prev.x !== data.x ||
    prev.n !== data.n ||
    prev.d !== data.d ||
    prev.w !== data.w ||
    scratch.ws.k !== k
  ) {
    scratch.ws = new KMeansWorkspace({
      x: data.x,
      n: data.n,
      d: data.d,
      k,
      w: data.w,
      bounds: 'none',
      plusPlus: true,
      threads: 1,
    });
    scratch.data = { ...data };
  }
  return seedPlusPlus(scratch.ws, k, rng, out);
}

/**
 * k distinct rows chosen at random (scikit-learn's `init='random'`): uniformly, or with probability ∝ weight
 * without replacement when weights are given.
 *
 * @throws RangeError when fewer than k rows have positive weight.
 */
export function randomRows(data: KMeansData, k: number, rng: Random, out: Float64Array): Int32Array {
  const { x, n, d, w } = data;
  let chosen: Int32Array;
  if (w === null) {
    chosen = rng.sampleIndices(n, k);
  } else {
    chosen = new Int32Array(k);
    const remaining = Float64Array.from(w);
    let total = 0;
    let positive = 0;
    for (let i = 0; i < n; i++) {
      total += remaining[i]!;
      if (remaining[i]! > 0) positive++;
    }
    if (positive < k) {
      throw new RangeError(`init 'random' needs k = ${k} rows with positive sampleWeight, found ${positive}`);
    }
    for (let c = 0; c < k; c++) {
      const i = drawWeighted(remaining, n, total, rng);
      chosen[c] = i;
      total -= remaining[i]!;
      remaining[i] = 0;
    }
  }
  for (let c = 0; c < k; c++) out.set(x.subarray(chosen[c]! * d, chosen[c]! * d + d), c * d);
  return chosen;
}
