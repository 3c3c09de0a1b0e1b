/**
 * Inner loops of agglomerative clustering generated fully unrolled for the data's dimension d: one row's
 * distances to a run of rows (building the distance matrix), and single linkage's Prim step.
 * @module
 */

/**
 * One Prim step over the rows not yet in the tree: for each position p < count, with the row's coordinates at
 * xr[p·d …], best[p] = min(best[p], ‖row − x[co …]‖) (√ of the squared sum in feature order, as scikit-learn's
 * euclidean `dist`); returns the first position with the smallest best[p] (strictly smaller wins, as
 * scikit-learn's loop) and writes that distance to out[0], or returns −1 (out[0] = +∞) if none is below +∞.
 * `bestSq[p]` is the squared sum whose √ is best[p] (+∞ at first): a squared sum s ≥ bestSq[p] cannot give a
 * smaller √ (√ is monotone), so √ is only taken for s < bestSq[p] — the same updates as comparing every √, most
 * square roots saved. A position whose best is NaN is never updated nor chosen (a tombstone).
 */
export type PrimScan = (
  xr: Float64Array,
  best: Float64Array,
  bestSq: Float64Array,
  count: number,
  x: Float64Array,
  co: number,
  out: Float64Array,
) => number;

/** Beyond this d the loop is used (as `squaredDistanceKernel`). */
const MAX_UNROLLED = 64;

const kernels = new Map<number, PrimScan>();
const pairKernels = new Map<number, PairDistances>();

/**
 * Euclidean distances from row i (coordinates at x[io …]) to rows j ∈ [j0, j1): D[o + j] = √Σ_t (x_it − x_jt)²,
 * summed in feature order as SciPy's `pdist` does.
 */
export type PairDistances = (
  x: Float64Array,
  io: number,
  j0: number,
  j1: number,
  D: Float64Array,
  o: number,
) => void;

/**
 * The distance-matrix kernel for rows of d features, row i's coordinates in locals (generated for the reasons of
 * `primScanKernel`). Plain version: `for (j in [j0, j1)) { s = 0; for (t < d) { e = x[io + t] − x[j·d + t];
 * s += e·e } D[o + j] = √s }`.
 *
 * @example
 * const D = new Float64Array(2);
 * pairDistancesKernel(2)(new Float64Array([0, 0, 3, 4, 6, 8]), 0, 1, 3, D, -1); // D = [5, 10]
 */
export function pairDistancesKernel(d: number): PairDistances {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
  let kernel = pairKernels.get(d);
  if (kernel !== undefined) return kernel;
  if (d > MAX_UNROLLED) {
    kernel = (x, io, j0, j1, D, o) => {
      for (let j = j0; j < j1; j++) {
        const jo = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const e = x[io + t]! - x[jo + t]!;
          s += e * e;
        }
        D[o + j] = Math.sqrt(s);
      }
    };
  } else {
    const L: string[] = [];
    for (let t = 0; t < d; t++) L.push(`const c${t} = x[io + ${t}];`);
    L.push(
      'for (let j = j0; j < j1; j++) {',
      `const jo = j * ${d};`,
      'let e = c0 - x[jo];',
      'let s = e * e;',
    );
    for (let t = 1; t < d; t++) L.push(`e = c${t} - x[jo + ${t}];`, 's += e * e;');
    L.push('D[o + j] = Math.sqrt(s);', '}');
    kernel = new Function('x', 'io', 'j0', 'j1', 'D', 'o', L.join('\n')) as PairDistances;
  }
  pairKernels.set(d, kernel);
  return kernel;
}

/**
 * The Prim scan for rows of d features. Generated because V8 does not unroll the d-long distance loop, whose
 * control costs as much as its arithmetic at d ≈ 5 (as `squaredDistanceKernel`); the row being added stays in
 * locals. The body is built from the integer d only; no caller-supplied text reaches `Function`. Squares of
 * row − current equal those of current − row bit for bit, and the sum runs in feature order, so the distances
 * are those of the plain loop:
 * `for (p < count) { s = 0; for (t < d) { e = xr[p·d + t] − x[co + t]; s += e·e } v = √s; if (v < best[p])
 * best[p] = v; if (best[p] < min) { min = best[p]; arg = p } }` (with the √ skipped as `PrimScan` says).
 *
 * @example
 * const scan = primScanKernel(1);
 * const best = new Float64Array([Infinity, 1]);
 * const bestSq = new Float64Array([Infinity, 1]);
 * const out = new Float64Array(1);
 * scan(new Float64Array([5, 3]), best, bestSq, 2, new Float64Array([0]), 0, out); // 1; best = [5, 1], out[0] = 1
 */
export function primScanKernel(d: number): PrimScan {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
  let kernel = kernels.get(d);
  if (kernel !== undefined) return kernel;
  if (d > MAX_UNROLLED) {
    kernel = (xr, best, bestSq, count, x, co, out) => {
      let min = Infinity;
      let arg = -1;
      for (let p = 0; p < count; p++) {
        const o = p * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const e = xr[o + t]! - x[co + t]!;
          s += e * e;
        }
        let b = best[p]!;
        if (s < bestSq[p]!) {
          const v = Math.sqrt(s);
          if (v < b) {
            best[p] = v;
            bestSq[p] = s;
            b = v;
          }
        }
        if (b < min) {
          min = b;
          arg = p;
        }
      }
      out[0] = min;
      return arg;
    };
  } else {
    const L: string[] = [];
    for (let t = 0; t < d; t++) L.push(`const c${t} = x[co + ${t}];`);
    L.push(
      'let min = Infinity;',
      'let arg = -1;',
      'for (let p = 0; p < count; p++) {',
      `const o = p * ${d};`,
    );
    L.push('let e = xr[o] - c0;', 'let s = e * e;');
    for (let t = 1; t < d; t++) L.push(`e = xr[o + ${t}] - c${t};`, 's += e * e;');
    L.push('let b = best[p];', 'if (s < bestSq[p]) {', 'const v = Math.sqrt(s);', 'if (v < b) {');
    L.push('best[p] = v;', 'bestSq[p] = s;', 'b = v;', '}', '}');
    L.push('if (b < min) {', 'min = b;', 'arg = p;', '}', '}', 'out[0] = min;', 'return arg;');
    kernel = new Function('xr', 'best', 'bestSq', 'count', 'x', 'co', 'out', L.join('\n')) as PrimScan;
  }
  kernels.set(d, kernel);
  return kernel;
}

/**
 * One step of Ward's nearest-neighbour chain over the live clusters (`live[0, count)`, increasing): for each live
 * j ≠ x0, v = (2·n_x0·n_j / (n_x0 + n_j)) · ‖c_x0 − c_j‖² (`wardSquared`, the squared sum in feature order); returns
 * the first j with v < the running minimum, which starts at `start` (strictly smaller wins, as SciPy's scan), and
 * writes that v to out[0]; −1 if none is below `start`.
 */
export type WardScan = (
  centroid: Float64Array,
  size: Float64Array,
  live: Int32Array,
  count: number,
  x0: number,
  start: number,
  out: Float64Array,
) => number;

const wardKernels = new Map<number, WardScan>();

/**
 * The Ward chain scan for d features (generated for the reasons of `primScanKernel`; x0's centroid in locals).
 * Plain version: `for (p < count) { j = live[p]; if (j = x0) continue; s = Σ_t (c_x0,t − c_j,t)²;
 * v = (2·n_x0·n_j / (n_x0 + n_j))·s; if (v < min) { min = v; arg = j } }`.
 */
export function wardScanKernel(d: number): WardScan {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
  let kernel = wardKernels.get(d);
  if (kernel !== undefined) return kernel;
  if (d > MAX_UNROLLED) {
    kernel = (centroid, size, live, count, x0, start, out) => {
      const xo = x0 * d;
      const nx = size[x0]!;
      let min = start;
      let arg = -1;
      for (let p = 0; p < count; p++) {
        const j = live[p]!;
        if (j === x0) continue;
        const jo = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const e = centroid[xo + t]! - centroid[jo + t]!;
          s += e * e;
        }
        const nj = size[j]!;
        const v = ((2 * nx * nj) / (nx + nj)) * s;
        if (v < min) {
          min = v;
          arg = j;
        }
      }
      out[0] = min;
      return arg;
    };
  } else {
    const L: string[] = ['const xo = x0 * ' + d + ';', 'const nx = size[x0];'];
    for (let t = 0; t < d; t++) L.push(`const c${t} = centroid[xo + ${t}];`);
    L.push('let min = start;', 'let arg = -1;', 'for (let p = 0; p < count; p++) {', 'const j = live[p];');
    L.push('if (j === x0) continue;', `const jo = j * ${d};`, 'let e = c0 - centroid[jo];', 'let s = e * e;');
    for (let t = 1; t < d; t++) L.push(`e = c${t} - centroid[jo + ${t}];`, 's += e * e;');
    L.push('const nj = size[j];', 'const v = ((2 * nx * nj) / (nx + nj)) * s;');
    L.push('if (v < min) {', 'min = v;', 'arg = j;', '}', '}', 'out[0] = min;', 'return arg;');
    const args = ['centroid', 'size', 'live', 'count', 'x0', 'start', 'out'];
    kernel = new Function(...args, L.join('\n')) as WardScan;
  }
  wardKernels.set(d, kernel);
  return kernel;
}
