/**
 * Generated inner loops of k-means' hottest kernels — k-means++ scoring and Hamerly's assignment passes — for one
 * dimension (and k) at a time: the row lives in local variables, distances are unrolled over coordinates in
 * scikit-learn's grouping (`groupedDistanceKernel`, whose results they equal bit for bit) and, up to 1,024 steps,
 * over centroids or candidates too. V8 cannot unroll loops whose trip count is only known at run time, and the
 * per-row calls and loop control cost as much as the arithmetic at d ≈ 10. Every body is built from integers and
 * flags only; no caller-supplied text reaches `Function`. Internal: trusts its typed arrays.
 * @module
 */

/** Beyond this many features, the generic kernels (loops) are used instead. */
const MAX_DIM = 64;
/** Above this many coordinate steps (rows × d), a generated body loops over rows instead of unrolling them. */
const MAX_UNROLLED_STEPS = 1024;

/** `s = ‖row − c[base ..]‖²`, the row in locals `x0 …`, summed in groups of four as scikit-learn does. */
function distance(d: number, base: (t: number) => string): string[] {
  const e = (t: number): string => `x${t} - c[${base(t)}]`;
  const lines: string[] = ['s = 0;'];
  const groups = Math.floor(d / 4);
  for (let g = 0; g < groups; g++) {
    const t = 4 * g;
    lines.push(`e0 = ${e(t)};`, `e1 = ${e(t + 1)};`, `e2 = ${e(t + 2)};`, `e3 = ${e(t + 3)};`);
    lines.push('s += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;');
  }
  for (let t = 4 * groups; t < d; t++) lines.push(`e0 = ${e(t)};`, 's += e0 * e0;');
  return lines;
}

const LOCALS = ['let s = 0;', 'let e0 = 0;', 'let e1 = 0;', 'let e2 = 0;', 'let e3 = 0;'];

function loadRow(d: number): string[] {
  const lines = [`const xo = i * ${d};`];
  for (let t = 0; t < d; t++) lines.push(`const x${t} = x[xo + ${t}];`);
  return lines;
}

/** Nearest (`best`, `d1`) and second-nearest (`d2`) of k centroids for the row in locals; ties → lowest index. */
function scanCentroids(d: number, k: number): string[] {
  const lines = ['d1 = Infinity;', 'd2 = Infinity;', 'best = 0;'];
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
    for (let j = 0; j < k; j++) lines.push(...distance(d, (t) => `${j * d + t}`), ...compare(`${j}`));
  } else {
    lines.push(`for (let j = 0; j < ${k}; j++) {`, `const cj = j * ${d};`);
    lines.push(...distance(d, (t) => `cj + ${t}`), ...compare('j'), '}');
  }
  return lines;
}

/**
 * k-means++ scoring over rows [i0, i1): `pot[q]` = Σ w·min(D², ‖x − y_q‖²), y_q skipped where the triangle
 * inequality rules it out (‖c_a − y_q‖² ≥ 4·D², a the row's centre).
 */
export type ScoreBlock = (
  x: Float64Array,
  w: Float64Array | null,
  closest: Float64Array,
  nearest: Int32Array,
  c: Float64Array,
  cc: Float64Array,
  i0: number,
  i1: number,
  pot: Float64Array,
) => void;

/**
 * k-means++ fold over rows [i0, i1): where `wcc[nearest[i]] < 4·closest[i]` and the winner `y` is closer,
 * `closest[i] = ‖x − y‖²` and `nearest[i] = centre`.
 */
export type FoldBlock = (
  x: Float64Array,
  closest: Float64Array,
  nearest: Int32Array,
  y: Float64Array,
  wcc: Float64Array,
  centre: number,
  i0: number,
  i1: number,
) => void;

/** Hamerly's first assignment over rows [i0, i1): labels, upper bound (nearest distance), lower (second). */
export type HamerlyScanBlock = (
  x: Float64Array,
  c: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  i0: number,
  i1: number,
) => void;

/**
 * Hamerly's bounded assignment over rows [i0, i1) (see `hamerlyBounded` in `k-means-kernels.ts`); relabelled rows
 * get their bit set in `changedBits` (cleared beforehand) and their old labels go to `changedFrom` from index i0;
 * returns how many.
 */
export type HamerlyBoundedBlock = (
  x: Float64Array,
  c: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  half: Float64Array,
  shift: Float64Array,
  max1: number,
  max2: number,
  argMax: number,
  changedBits: Int32Array,
  changedFrom: Int32Array,
  i0: number,
  i1: number,
) => number;

const cache = new Map<string, unknown>();

function cached<T>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (f === undefined) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/**
 * The k-means++ scoring loop for (d, trials): potentials and the row in locals, candidate tests unrolled. Measured
 * on 1M × 10, T = 4, rounds 1, 4 and 7 of a seeding: the per-row loop with unrolled distance calls 127 / 90 / 69 ms,
 * this 75 / 50 / 40 ms. Null where it does not apply (d > 64 or T·d > 1,024).
 */
export function scoreKernel(d: number, trials: number, weighted: boolean): ScoreBlock | null {
  if (d > MAX_DIM || trials * d > MAX_UNROLLED_STEPS) return null;
  return cached(`score:${d}:${trials}:${weighted}`, () => {
    const qs = Array.from({ length: trials }, (_, q) => q);
    const mass = (v: string): string => (weighted ? `wi * ${v}` : v);
    const L = [...qs.map((q) => `let p${q} = 0;`), ...LOCALS];
    L.push('for (let i = i0; i < i1; i++) {', 'const ci = closest[i];', 'const far = 4 * ci;');
    L.push(`const ao = nearest[i] * ${trials};`);
    if (weighted) L.push('const wi = w[i];');
    L.push(...qs.map((q) => `const o${q} = cc[ao + ${q}] < far;`));
    L.push(`if (!(${qs.map((q) => `o${q}`).join(' || ')})) {`, ...qs.map((q) => `p${q} += ${mass('ci')};`));
    L.push('continue;', '}', ...loadRow(d));
    for (const q of qs) {
      L.push(`if (o${q}) {`, ...distance(d, (t) => `${q * d + t}`));
      L.push(`p${q} += ${mass('(s < ci ? s : ci)')};`, '} else {', `p${q} += ${mass('ci')};`, '}');
    }
    L.push('}', ...qs.map((q) => `pot[${q}] = p${q};`));
    const args = ['x', 'w', 'closest', 'nearest', 'c', 'cc', 'i0', 'i1', 'pot'];
    return new Function(...args, L.join('\n')) as ScoreBlock;
  });
}

/** The k-means++ fold loop for d: the row loaded and its distance unrolled only where the winner is not pruned. */
export function foldKernel(d: number): FoldBlock | null {
  if (d > MAX_DIM) return null;
  return cached(`fold:${d}`, () => {
    const L = [...LOCALS, 'for (let i = i0; i < i1; i++) {', 'const ci = closest[i];'];
    L.push('if (!(wcc[nearest[i]] < 4 * ci)) continue;', ...loadRow(d), ...distance(d, (t) => `${t}`));
    L.push('if (s < ci) {', 'closest[i] = s;', 'nearest[i] = centre;', '}', '}');
    const args = ['x', 'closest', 'nearest', 'c', 'wcc', 'centre', 'i0', 'i1'];
    return new Function(...args, L.join('\n')) as FoldBlock;
  });
}

/** Hamerly's first assignment loop for (d, k); null where it does not apply (d > 64). */
export function hamerlyScanKernel(d: number, k: number): HamerlyScanBlock | null {
  if (d > MAX_DIM) return null;
  return cached(`scan:${d}:${k}`, () => {
    const L = [...LOCALS, 'let d1 = 0;', 'let d2 = 0;', 'let best = 0;', 'for (let i = i0; i < i1; i++) {'];
    L.push(...loadRow(d), ...scanCentroids(d, k));
    L.push('labels[i] = best;', 'upper[i] = Math.sqrt(d1);', 'lower[i] = Math.sqrt(d2);', '}');
    return new Function('x', 'c', 'labels', 'upper', 'lower', 'i0', 'i1', L.join('\n')) as HamerlyScanBlock;
  });
}

/**
 * Hamerly's bounded assignment loop for (d, k): each row's bounds are read and written once, and the distance to
 * its own centroid and any rescan are inline. Null where it does not apply (d > 64).
 */
export function hamerlyBoundedKernel(d: number, k: number): HamerlyBoundedBlock | null {
  if (d > MAX_DIM) return null;
  return cached(`bounded:${d}:${k}`, () => {
    const L = [...LOCALS, 'let d1 = 0;', 'let d2 = 0;', 'let best = 0;', 'let m = 0;'];
    L.push('for (let i = i0; i < i1; i++) {', 'const a = labels[i];', 'const ub = upper[i] + shift[a];');
    L.push('const lo = lower[i] - (a === argMax ? max2 : max1);', 'const sa = half[a];');
    L.push('const bound = lo > sa ? lo : sa;', 'if (ub <= bound) {', 'upper[i] = ub;', 'lower[i] = lo;');
    L.push('continue;', '}', ...loadRow(d), `const ca = a * ${d};`, ...distance(d, (t) => `ca + ${t}`));
    L.push(
      'const u = Math.sqrt(s);',
      'if (u <= bound) {',
      'upper[i] = u;',
      'lower[i] = lo;',
      'continue;',
      '}',
    );
    L.push(...scanCentroids(d, k), 'upper[i] = Math.sqrt(d1);', 'lower[i] = Math.sqrt(d2);');
    L.push('if (best !== a) {', 'labels[i] = best;', 'changedBits[i >> 5] |= 1 << i;');
    L.push('changedFrom[i0 + m] = a;');
    L.push('m++;', '}', '}', 'return m;');
    const args = ['x', 'c', 'labels', 'upper', 'lower', 'half', 'shift', 'max1', 'max2', 'argMax'];
    args.push('changedBits', 'changedFrom', 'i0', 'i1');
    return new Function(...args, L.join('\n')) as HamerlyBoundedBlock;
  });
}
