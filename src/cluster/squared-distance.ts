/**
 * The squared Euclidean distance kernel the k-means hot loops call, specialised to the data's dimension.
 * @module
 */

/** ‖x[xo .. xo+d) − c[co .. co+d)‖² for the d this kernel was made for. */
export type SquaredDistance = (x: Float64Array, xo: number, c: Float64Array, co: number) => number;

/** Beyond this many features the unrolled body stops paying for itself; the loop is used instead. */
const MAX_UNROLLED = 64;

const kernels = new Map<number, SquaredDistance>();

/**
 * Returns a squared-distance function for vectors of length `d`, fully unrolled for d ≤ 64 and cached per d.
 *
 * Why generated: V8 cannot unroll a loop whose trip count is only known at run time, and with d ≈ 10 the loop's
 * compare-and-branch and bounds checks cost as much as the arithmetic. Measured on 1M points × 10 features × 4
 * centres: loop 80–89 ms, hand-unrolled by 2 or 4 no better (80–103 ms), this kernel 57–65 ms (≈ 1.5×). The body
 * is built from the integer d only; no caller-supplied text reaches `Function`.
 *
 * Plain version: `let s = 0; for (let t = 0; t < d; t++) { const e = x[xo + t] - c[co + t]; s += e * e; } return s;`
 *
 * @example
 * const dist2 = squaredDistanceKernel(2);
 * dist2(new Float64Array([0, 0]), 0, new Float64Array([3, 4]), 0); // 25
 */
export function squaredDistanceKernel(d: number): SquaredDistance {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
  let kernel = kernels.get(d);
  if (kernel !== undefined) return kernel;
  if (d > MAX_UNROLLED) {
    kernel = (x, xo, c, co) => {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const e = x[xo + t]! - c[co + t]!;
        s += e * e;
      }
      return s;
    };
  } else {
    const lines: string[] = ['let s = 0;', 'let e = 0;'];
    for (let t = 0; t < d; t++) lines.push(`e = x[xo + ${t}] - c[co + ${t}];`, 's += e * e;');
    lines.push('return s;');
    kernel = new Function('x', 'xo', 'c', 'co', lines.join('\n')) as SquaredDistance;
  }
  kernels.set(d, kernel);
  return kernel;
}

/**
 * Squared distance summed as scikit-learn's `_euclidean_dense_dense` does — `s += ((e₀² + e₁²) + e₂²) + e₃²` per group
 * of four coordinates, then the remaining ones singly — so that k-means' bounded cores compute exactly the distances
 * scikit-learn's Elkan does, and with shorter add chains than the plain loop.
 */
export type GroupedDistance = SquaredDistance;

/** Squared distances from one row to m consecutive rows: `out[oo + j] = ‖x[xo ..] − c[co + j·d ..]‖²`, j < m. */
export type RowDistances = (
  x: Float64Array,
  xo: number,
  c: Float64Array,
  co: number,
  out: Float64Array,
  oo: number,
) => void;

/**
 * The nearest of k consecutive rows of `c` (from offset 0) to row `x[xo ..]`: returns its index (ties → the lowest)
 * and writes its squared distance to `out[0]` and the second smallest to `out[1]` (Infinity when k = 1).
 */
export type NearestTwo = (x: Float64Array, xo: number, c: Float64Array, out: Float64Array) => number;

/** Above this many unrolled coordinate steps (m rows × d) a generated body loops over rows instead. */
const MAX_UNROLLED_STEPS = 1024;

const groupedKernels = new Map<number, GroupedDistance>();
const rowKernels = new Map<string, RowDistances>();
const nearestKernels = new Map<string, NearestTwo>();

/** Local variables `x0 … x{d−1}` holding the row, so each coordinate is read once per row, not once per row pair. */
function loadRow(d: number): string[] {
  const lines: string[] = [];
  for (let t = 0; t < d; t++) lines.push(`const x${t} = x[xo + ${t}];`);
  return lines;
}

/**
 * `s = ‖row − c[base ..]‖²` in scikit-learn's grouping (see `GroupedDistance`), the row in `x0 …` (`fromLocals`) or
 * read from `x[xo + t]`.
 */
function groupedBody(d: number, base: string, fromLocals: boolean): string[] {
  const xt = (t: number): string => (fromLocals ? `x${t}` : `x[xo + ${t}]`);
  const e = (t: number): string => `(${xt(t)} - c[${base} + ${t}])`;
  const lines: string[] = ['s = 0;'];
  const groups = Math.floor(d / 4);
  for (let g = 0; g < groups; g++) {
    const t = 4 * g;
    lines.push(
      `e0 = ${e(t)};`,
      `e1 = ${e(t + 1)};`,
      `e2 = ${e(t + 2)};`,
      `e3 = ${e(t + 3)};`,
      's += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;',
    );
  }
  for (let t = 4 * groups; t < d; t++) lines.push(`e0 = ${e(t)};`, 's += e0 * e0;');
  return lines;
}

const SCRATCH = ['let s = 0;', 'let e0 = 0;', 'let e1 = 0;', 'let e2 = 0;', 'let e3 = 0;'];

function checkDims(d: number, m: number): void {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
  if (!Number.isInteger(m) || m < 1)
    throw new RangeError(`the row count must be a positive integer, got ${m}`);
}

/**
 * Returns `‖x[xo ..] − c[co ..]‖²` for vectors of length d, summed in scikit-learn's grouping (`GroupedDistance`),
 * unrolled for d ≤ 64 and cached per d. The k-means cores use it, so their distances — hence labels in near-ties —
 * are those of scikit-learn's Elkan. (`squaredDistanceKernel` keeps the plain order other modules rely on.)
 *
 * Plain version: `let s = 0; for (t = 0; t + 4 ≤ d; t += 4) s += e(t)² + e(t+1)² + e(t+2)² + e(t+3)²; then s += e(t)²`.
 */
export function groupedDistanceKernel(d: number): GroupedDistance {
  checkDims(d, 1);
  let kernel = groupedKernels.get(d);
  if (kernel !== undefined) return kernel;
  if (d > MAX_UNROLLED) {
    kernel = (x, xo, c, co) => {
      let s = 0;
      let t = 0;
      for (; t + 4 <= d; t += 4) {
        const e0 = x[xo + t]! - c[co + t]!;
        const e1 = x[xo + t + 1]! - c[co + t + 1]!;
        const e2 = x[xo + t + 2]! - c[co + t + 2]!;
        const e3 = x[xo + t + 3]! - c[co + t + 3]!;
        s += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
      }
      for (; t < d; t++) {
        const e0 = x[xo + t]! - c[co + t]!;
        s += e0 * e0;
      }
      return s;
    };
  } else {
    const lines = [...SCRATCH, ...groupedBody(d, 'co', false), 'return s;'];
    kernel = new Function('x', 'xo', 'c', 'co', lines.join('\n')) as GroupedDistance;
  }
  groupedKernels.set(d, kernel);
  return kernel;
}

/**
 * Returns a function computing the squared distances from one row to m rows at once (k-means++ candidates, Elkan's
 * first pass), each equal to `groupedDistanceKernel(d)`'s. The row is loaded into locals once and, up to 1,024
 * coordinate steps, the body is unrolled over rows and coordinates. Measured on 1M rows × 10 features × 4
 * candidates: four kernel calls per row 100–110 ms, this 55–69 ms. Cached per (d, m); built from integers only.
 *
 * Plain version: `for (let j = 0; j < m; j++) out[oo + j] = dist2(x, xo, c, co + j * d);`
 */
export function rowDistancesKernel(d: number, m: number): RowDistances {
  checkDims(d, m);
  const key = `${d}:${m}`;
  let kernel = rowKernels.get(key);
  if (kernel !== undefined) return kernel;
  const lines = [...loadRow(d), ...SCRATCH];
  if (m * d <= MAX_UNROLLED_STEPS) {
    for (let j = 0; j < m; j++) lines.push(...groupedBody(d, `co + ${j * d}`, true), `out[oo + ${j}] = s;`);
  } else {
    lines.push(`for (let j = 0; j < ${m}; j++) {`, `const cj = co + j * ${d};`);
    lines.push(...groupedBody(d, 'cj', true), 'out[oo + j] = s;', '}');
  }
  kernel = new Function('x', 'xo', 'c', 'co', 'out', 'oo', lines.join('\n')) as RowDistances;
  rowKernels.set(key, kernel);
  return kernel;
}

/**
 * Returns a function finding the nearest and second-nearest of k centroids for one row (Hamerly's full scan, the
 * assignment of mini-batch k-means), with `groupedDistanceKernel(d)`'s distances and the comparisons of the plain
 * loop, so ties resolve identically. Unrolled like `rowDistancesKernel`. Measured on 2M rows × 10 features, k = 8:
 * one distance call per centroid 25 ns per distance, this 15–16 ns.
 *
 * Plain version: `for (j …) { s = dist2(x, xo, c, j·d); if (s < d1) { d2 = d1; d1 = s; best = j; } else if (s < d2) d2 = s; }`
 */
export function nearestTwoKernel(d: number, k: number): NearestTwo {
  checkDims(d, k);
  const key = `${d}:${k}`;
  let kernel = nearestKernels.get(key);
  if (kernel !== undefined) return kernel;
  const lines = [...loadRow(d), ...SCRATCH, 'let d1 = Infinity;', 'let d2 = Infinity;', 'let best = 0;'];
  const compare = (j: string): string[] => [
    'if (s < d1) {',
    'd2 = d1;',
    'd1 = s;',
    `best = ${j};`,
    '} else if (s < d2) {',
    'd2 = s;',
    '}',
  ];
  if (k * d <= MAX_UNROLLED_STEPS) {
    for (let j = 0; j < k; j++) lines.push(...groupedBody(d, `${j * d}`, true), ...compare(`${j}`));
  } else {
    lines.push(`for (let j = 0; j < ${k}; j++) {`, `const cj = j * ${d};`);
    lines.push(...groupedBody(d, 'cj', true), ...compare('j'), '}');
  }
  lines.push('out[0] = d1;', 'out[1] = d2;', 'return best;');
  kernel = new Function('x', 'xo', 'c', 'out', lines.join('\n')) as NearestTwo;
  nearestKernels.set(key, kernel);
  return kernel;
}
