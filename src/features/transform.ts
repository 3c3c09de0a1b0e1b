/**
 * Turns the features table into the matrix a model clusters on: log1p on skewed features, then standard, robust
 * or min-max scaling. Parameters are fitted here, in one sequential pass per column so they are identical from
 * run to run (a parallel SQL aggregate of doubles is not), and saved in the model so new customers are scaled
 * alike.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { Matrix } from '../util/matrix.js';
import { InputError } from '../util/errors.js';
import type { ClusterFeature, FeatureDef, Scaling, Transform } from './feature-spec.js';

/** A fetched, transformed (not yet scaled) matrix; row i is the customer with `_pos = i` in `features`. */
export interface FeatureColumns {
  rows: number;
  names: string[];
  transforms: Transform[];
  /** Column-major transformed values, one array per feature. */
  columns: Float64Array[];
}

/** Fetches the named features (customers in `features` order) and applies each one's transform. */
export async function fetchFeatures(
  engine: Engine,
  defs: readonly FeatureDef[],
  names: readonly string[],
  log1p: readonly string[],
  where = 'the features',
): Promise<FeatureColumns> {
  const known = new Set(defs.map((f) => f.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new InputError(
      `features.cluster names ${unknown.map((u) => `"${u}"`).join(', ')}, not among ${where}: ${[...known].join(', ')}`,
    );
  }
  const q = (s: string) => engine.dialect.quoteIdent(s);
  if (names.length === 0) {
    // k-modes clusters on categories alone: no numeric column, but the customers still count.
    const [row] = await engine.query('SELECT count(*) AS n FROM features');
    return { rows: Number(row?.['n'] ?? 0), names: [], transforms: [], columns: [] };
  }
  const columns = (await engine.columns(
    `SELECT ${names.map(q).join(', ')} FROM features ORDER BY _pos`,
    names.map(() => 'double' as const),
  )) as Float64Array[];
  const transforms = names.map((n) => (log1p.includes(n) ? ('log1p' as const) : ('none' as const)));
  for (const [j, col] of columns.entries()) {
    if (transforms[j] === 'log1p') for (let i = 0; i < col.length; i++) col[i] = signedLog1p(col[i]!);
    const bad = col.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      const [row] = await engine.query(`SELECT customer_id FROM features WHERE _pos = ${bad}`);
      throw new TypeError(`feature ${names[j]} is not finite for customer ${String(row?.['customer_id'])}`);
    }
  }
  return { rows: columns[0]?.length ?? 0, names: [...names], transforms, columns };
}

/** One categorical attribute as k-prototypes / k-modes cluster on it: its one-hot features' levels, in order. */
export interface CategoricalAttribute {
  name: string;
  /** Level per one-hot feature; null = missing, "other" = the grouped rare values. */
  levels: (string | null)[];
}

/** The categorical attributes behind the one-hot features (in feature order), optionally only those named. */
export function categoricalAttributes(
  defs: readonly FeatureDef[],
  names?: readonly string[],
): CategoricalAttribute[] {
  const byName = new Map<string, CategoricalAttribute>();
  for (const f of defs) {
    if (!f.oneHot) continue;
    const a = byName.get(f.oneHot.attribute) ?? { name: f.oneHot.attribute, levels: [] };
    a.levels.push(f.oneHot.level === '\u0000other' ? 'other' : f.oneHot.level);
    byName.set(a.name, a);
  }
  if (!names) return [...byName.values()];
  return names.map((n) => {
    const a = byName.get(n) ?? [...byName.values()].find((v) => v.name.toLowerCase() === n.toLowerCase());
    if (!a) {
      throw new InputError(
        `segmentation.categorical names "${n}", not a categorical attribute of the customers file (${[...byName.keys()].join(', ') || 'it has none'})`,
      );
    }
    return a;
  });
}

/**
 * Level codes of categorical attributes per customer (`features` order): row i, attribute j is the index of the
 * level whose one-hot feature is 1, or −1 when none is (a value the model never saw, with no "other" level).
 */
export async function fetchCategoryCodes(
  engine: Engine,
  defs: readonly FeatureDef[],
  attributes: readonly CategoricalAttribute[],
): Promise<Int32Array[]> {
  if (attributes.length === 0) return [];
  const q = (s: string) => engine.dialect.quoteIdent(s);
  const exprs = attributes.map((a) => {
    const cols = defs.filter((f) => f.oneHot?.attribute === a.name).map((f) => f.name);
    if (cols.length !== a.levels.length) {
      throw new InputError(
        `attribute ${a.name} has ${cols.length} levels in the features but ${a.levels.length} in the model`,
      );
    }
    return `CASE ${cols.map((c, i) => `WHEN ${q(c)} = 1 THEN ${i}`).join(' ')} ELSE -1 END`;
  });
  return (await engine.columns(
    `SELECT ${exprs.join(', ')} FROM features ORDER BY _pos`,
    attributes.map(() => 'int32' as const),
  )) as Int32Array[];
}

/** sign(x)·log(1 + |x|): log1p that keeps net returners' negative money negative. */
export function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

/** Fits centre and scale for each column (a constant column gets scale 1, as scikit-learn does). */
export function fitTransforms(f: FeatureColumns, scaling: Scaling): ClusterFeature[] {
  return f.columns.map((col, j) => {
    let center: number;
    let scale: number;
    switch (scaling) {
      case 'standard': {
        let mean = 0;
        for (let i = 0; i < col.length; i++) mean += col[i]!;
        mean /= col.length;
        let ss = 0;
        for (let i = 0; i < col.length; i++) ss += (col[i]! - mean) ** 2;
        center = mean;
        scale = Math.sqrt(ss / col.length);
        break;
      }
      case 'robust': {
        const sorted = Float64Array.from(col).sort();
        center = quantile(sorted, 0.5);
        scale = quantile(sorted, 0.75) - quantile(sorted, 0.25);
        break;
      }
      case 'minmax': {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < col.length; i++) {
          lo = Math.min(lo, col[i]!);
          hi = Math.max(hi, col[i]!);
        }
        center = lo;
        scale = hi - lo;
        break;
      }
    }
    if (!Number.isFinite(scale) || scale <= 1e-12 * Math.max(1, Math.abs(center))) scale = 1;
    return { name: f.names[j]!, transform: f.transforms[j]!, center, scale };
  });
}

/** Linear-interpolated quantile of sorted values (as numpy's default and DuckDB's quantile_cont). */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Scales fetched columns with fitted parameters into a row-major matrix. */
export function scaleMatrix(f: FeatureColumns, params: readonly ClusterFeature[]): Matrix {
  const n = f.rows;
  const d = params.length;
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const col = f.columns[j]!;
    const { center, scale } = params[j]!;
    for (let i = 0; i < n; i++) data[i * d + j] = (col[i]! - center) / scale;
  }
  return { data, rows: n, cols: d };
}

/** Fetches and scales the matrix a saved spec describes (scoring new customers). */
export async function featureMatrix(
  engine: Engine,
  defs: readonly FeatureDef[],
  cluster: readonly ClusterFeature[],
): Promise<Matrix> {
  const f = await fetchFeatures(
    engine,
    defs,
    cluster.map((c) => c.name),
    cluster.filter((c) => c.transform === 'log1p').map((c) => c.name),
  );
  return scaleMatrix(f, cluster);
}
