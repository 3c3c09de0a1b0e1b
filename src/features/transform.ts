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
