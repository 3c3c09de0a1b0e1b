/**
 * The exact silhouette's pair loops as `BlockPool` kernels, run by the calling thread and worker threads alike:
 * sums of distances from each point to each label's members, in cache-sized tiles of rows.
 * Internal: trusts its typed arrays.
 * @module
 */

import { squaredDistanceKernel } from '../cluster/squared-distance.js';
import type { BlockKernel } from '../util/parallel.js';

/** Rows per tile: a tile's points and per-label sums stay in cache while another tile's rows stream past. */
export const TILE = 256;

/** What the threads share (typed arrays over `SharedArrayBuffer`s when there are workers). */
export interface SilhouetteShared {
  /** Points, row-major n × d. */
  x: Float64Array;
  n: number;
  d: number;
  /** Labels coded 0..L−1, and the size of each. */
  codes: Int32Array;
  counts: Float64Array;
  /**
   * Pair path: `sums[i * L + l]`, the total distance from row i to the members of label l (n × L; empty on the
   * row path).
   */
  sums: Float64Array;
  /** Row path: the silhouette of each row (n; empty on the pair path). */
  out: Float64Array;
  /** Pair path, set before each job: `[round, players]` of the tile schedule (see `PAIR_ROUND`). */
  params: Int32Array;
}

/**
 * Kernel 0, the pair path: block s of round r of a round-robin schedule over the tiles — every pair of tiles
 * (and each tile with itself) exactly once over the rounds, every tile in exactly one block of a round. Blocks of
 * a round thus write disjoint rows of `sums`, and every row receives its contributions in round order whatever
 * the number of threads: the result does not depend on it.
 *
 * The schedule is the circle method for an odd number P of players (tiles, plus an empty one when their number is
 * even): in round r, block 0 is tile r with itself (its bye), block s ≥ 1 pairs tiles (r + s) mod P and
 * (r − s) mod P. Tiles {x, y} meet in the round r ≡ (x + y) / 2 (mod P), which exists and is unique as P is odd.
 */
export const PAIR_ROUND = 0;
/**
 * Kernel 1, the row path (many labels): block b is rows [b · TILE, (b + 1) · TILE) against every point, TILE × L
 * sums per thread, each pair measured from both ends; it writes the block's silhouettes to `out`.
 */
export const ROW_BLOCK = 1;

/** Players of the tile schedule for `tiles` tiles: the odd number P ≥ tiles. Rounds: P; blocks a round: (P+1)/2. */
export function schedulePlayers(tiles: number): number {
  return tiles % 2 === 1 ? tiles : tiles + 1;
}

/**
 * Silhouette of row i from its sums to each label, `row[ro + l]`: `(b − a) / max(a, b)` (Rousseeuw 1987, §2), 0
 * for a point alone in its cluster (Rousseeuw's convention and scikit-learn's) or when a = b = 0. Labels with no
 * members (in a jackknife replicate) are skipped.
 */
export function silhouetteOfRow(own: number, counts: Float64Array, row: Float64Array, ro: number): number {
  const nOwn = counts[own]!;
  if (nOwn <= 1) return 0;
  const a = row[ro + own]! / (nOwn - 1);
  let b = Infinity;
  for (let l = 0; l < counts.length; l++) {
    if (l === own || counts[l] === 0) continue;
    const v = row[ro + l]! / counts[l]!;
    if (v < b) b = v;
  }
  if (b === Infinity) return 0; // no other label has members
  const den = a > b ? a : b;
  return den > 0 ? (b - a) / den : 0;
}

/**
 * Distances from `R` consecutive rows i.. i+R−1 to rows [j0, j1), each added to both ends' label sums: row r's
 * to `acc[r · L + label j]` (then to `sums`), row j's to `sums[j · L + label of r]`.
 */
type RowsKernel = (
  x: Float64Array,
  codes: Int32Array,
  sums: Float64Array,
  acc: Float64Array,
  L: number,
  i: number,
  j0: number,
  j1: number,
) => void;

/** Beyond this many features the generated body stops paying for itself; the loop is used instead. */
const MAX_GENERATED_DIM = 64;
const rowsKernels = new Map<string, RowsKernel>();

/**
 * The pair loop for R rows at a time, generated for this d: the R rows' coordinates live in locals and every
 * coordinate of row j loaded is used R times, which halves the loads and bounds checks per pair at R = 2 and
 * quarters them at R = 4. Measured on 8,192 × 10, 4 labels (µs per pair ×1000): one row at a time 20 ns, R = 2
 * 14 ns, R = 4 10 ns, R = 8 11 ns (registers run out); at d = 30, R = 2 and 4 both 28–30 ns against 58 ns.
 * The body is built from the integers d and R only; no caller-supplied text reaches `Function`.
 *
 * Plain version: for each row r, `s = Σ_t (x[(i+r)·d + t] − x[j·d + t])²` in order of t, then `√s` to both ends.
 */
function rowsKernel(d: number, R: number): RowsKernel {
  const key = `${d},${R}`;
  let kernel = rowsKernels.get(key);
  if (kernel !== undefined) return kernel;
  const rows = Array.from({ length: R }, (_, r) => r);
  const lines: string[] = [`const xo = i * ${d};`];
  for (const r of rows) {
    for (let t = 0; t < d; t++) lines.push(`const a${r}_${t} = x[xo + ${r * d + t}];`);
    lines.push(`const c${r} = codes[i + ${r}];`);
  }
  lines.push(
    `acc.fill(0, 0, ${R} * L);`,
    'for (let j = j0; j < j1; j++) {',
    `const yo = j * ${d};`,
    'let y = 0;',
  );
  for (const r of rows) lines.push(`let s${r} = 0;`, `let e${r} = 0;`);
  for (let t = 0; t < d; t++) {
    lines.push(`y = x[yo + ${t}];`);
    for (const r of rows) lines.push(`e${r} = a${r}_${t} - y;`, `s${r} += e${r} * e${r};`);
  }
  lines.push('const cj = codes[j];', 'const q = j * L;');
  for (const r of rows) {
    lines.push(`s${r} = Math.sqrt(s${r});`, `acc[${r} * L + cj] += s${r};`, `sums[q + c${r}] += s${r};`);
  }
  lines.push('}');
  lines.push(`for (let r = 0; r < ${R}; r++) {`, 'const so = (i + r) * L;', 'const ao = r * L;');
  lines.push('for (let l = 0; l < L; l++) sums[so + l] += acc[ao + l];', '}');
  kernel = new Function('x', 'codes', 'sums', 'acc', 'L', 'i', 'j0', 'j1', lines.join('\n')) as RowsKernel;
  rowsKernels.set(key, kernel);
  return kernel;
}

/** The same as a `rowsKernel(d, 1)` for any d, with a loop over the features (for d > MAX_GENERATED_DIM). */
function rowLoop(d: number): RowsKernel {
  const dist2 = squaredDistanceKernel(d);
  return (x, codes, sums, acc, L, i, j0, j1) => {
    const xo = i * d;
    const ci = codes[i]!;
    acc.fill(0, 0, L);
    for (let j = j0; j < j1; j++) {
      const dist = Math.sqrt(dist2(x, xo, x, j * d));
      acc[codes[j]!]! += dist;
      sums[j * L + ci]! += dist;
    }
    const so = i * L;
    for (let l = 0; l < L; l++) sums[so + l]! += acc[l]!;
  };
}

/** The kernels, numbered `PAIR_ROUND`, `ROW_BLOCK`, over the shared state; scratch is per thread. */
export function createKernels(s: SilhouetteShared): readonly BlockKernel[] {
  const { x, n, d, codes, counts, sums, out, params } = s;
  const L = counts.length;
  const tiles = Math.ceil(n / TILE);
  const generated = d <= MAX_GENERATED_DIM;
  const R = !generated ? 1 : d <= 16 ? 4 : 2;
  const many = generated ? rowsKernel(d, R) : rowLoop(d);
  const one = generated ? rowsKernel(d, 1) : many;
  const acc = new Float64Array(R * L);

  /** Pairs (i, j), i in tile `ti`, j in tile `tj`, i < j when the tiles are the same: each credited to both ends. */
  const tilePair = (ti: number, tj: number): void => {
    const i0 = ti * TILE;
    const i1 = Math.min(n, i0 + TILE);
    const j1 = Math.min(n, tj * TILE + TILE);
    const same = ti === tj;
    let i = i0;
    for (; i + R <= i1; i += R) {
      many(x, codes, sums, acc, L, i, same ? i + R : tj * TILE, j1);
      // Within one tile, the pairs among the R rows themselves.
      if (same) for (let r = 0; r < R - 1; r++) one(x, codes, sums, acc, L, i + r, i + r + 1, i + R);
    }
    for (; i < i1; i++) one(x, codes, sums, acc, L, i, same ? i + 1 : tj * TILE, j1);
  };

  const pairRound: BlockKernel = (block) => {
    const r = params[0]!;
    const players = params[1]!;
    if (block === 0) {
      if (r < tiles) tilePair(r, r);
      return;
    }
    const a = (r + block) % players;
    const b = (r - block + players) % players;
    if (a < tiles && b < tiles) tilePair(Math.min(a, b), Math.max(a, b));
  };

  let blockAcc: Float64Array | null = null; // TILE × L, allocated on a thread's first row block
  const dist2 = squaredDistanceKernel(d);
  const rowBlock: BlockKernel = (block) => {
    const acc = (blockAcc ??= new Float64Array(TILE * L));
    const i0 = block * TILE;
    const i1 = Math.min(n, i0 + TILE);
    acc.fill(0);
    for (let j = 0; j < n; j++) {
      const yo = j * d;
      const cj = codes[j]!;
      for (let i = i0; i < i1; i++) acc[(i - i0) * L + cj]! += Math.sqrt(dist2(x, i * d, x, yo));
    }
    for (let i = i0; i < i1; i++) out[i] = silhouetteOfRow(codes[i]!, counts, acc, (i - i0) * L);
  };

  return [pairRound, rowBlock];
}
