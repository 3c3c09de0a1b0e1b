/**
 * Turns the features table into the matrix a model clusters on: log1p on skewed features, then standard, robust
 * or min-max scaling. Parameters are fitted in SQL and saved in the model so new customers are scaled alike.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { Matrix } from '../util/matrix.js';
import { InputError } from '../util/errors.js';
import type { ClusterFeature, FeatureDef, Scaling } from './feature-spec.js';

const ORDER = 'ORDER BY TRY_CAST(customer_id AS BIGINT) NULLS LAST, customer_id';

/** The SQL expression of a feature after its transform, before scaling. */
export function transformedExpr(engine: Engine, f: Pick<ClusterFeature, 'name' | 'transform'>): string {
  const c = engine.dialect.quoteIdent(f.name);
  return f.transform === 'log1p' ? engine.dialect.signedLog1p(c) : c;
}

/** Fits centre and scale for each clustered feature (a constant feature gets scale 1, as scikit-learn does). */
export async function fitTransforms(
  engine: Engine,
  defs: readonly FeatureDef[],
  names: readonly string[],
  log1p: readonly string[],
  scaling: Scaling,
  where = 'the features',
): Promise<ClusterFeature[]> {
  const known = new Set(defs.map((f) => f.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new InputError(
      `features.cluster names ${unknown.map((u) => `"${u}"`).join(', ')}, not among ${where}: ${[...known].join(', ')}`,
    );
  }
  const feats = names.map((name) => ({ name, transform: log1p.includes(name) ? ('log1p' as const) : ('none' as const) }));
  const aggs = feats.map((f, i) => {
    const x = transformedExpr(engine, f);
    return `avg(${x}) AS mean${i}, stddev_pop(${x}) AS sd${i}, median(${x}) AS med${i},
      quantile_cont(${x}, 0.25) AS q1_${i}, quantile_cont(${x}, 0.75) AS q3_${i}, min(${x}) AS min${i}, max(${x}) AS max${i}`;
  });
  const [r] = await engine.query(`SELECT ${aggs.join(', ')} FROM features`);
  const v = (k: string) => Number(r?.[k] ?? 0);
  return feats.map((f, i) => {
    let center: number;
    let scale: number;
    switch (scaling) {
      case 'standard':
        center = v(`mean${i}`);
        scale = v(`sd${i}`);
        break;
      case 'robust':
        center = v(`med${i}`);
        scale = v(`q3_${i}`) - v(`q1_${i}`);
        break;
      case 'minmax':
        center = v(`min${i}`);
        scale = v(`max${i}`) - v(`min${i}`);
        break;
    }
    if (!Number.isFinite(scale) || scale < 1e-12 * Math.max(1, Math.abs(center))) scale = 1;
    return { ...f, center, scale };
  });
}

/** Fetches the scaled matrix (customers in `features` order) and the customer ids. */
export async function featureMatrix(engine: Engine, cluster: readonly ClusterFeature[]): Promise<{ matrix: Matrix; ids: string[] }> {
  const d = engine.dialect;
  const cols = cluster.map((f) => `(${transformedExpr(engine, f)} - ${d.number(f.center)}) / ${d.number(f.scale)}`);
  const fetched = await engine.columns(
    `SELECT customer_id, ${cols.join(', ')} FROM features ${ORDER}`,
    ['text', ...cluster.map(() => 'double' as const)],
  );
  const ids = fetched[0] as string[];
  const n = ids.length;
  const k = cluster.length;
  const data = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const col = fetched[j + 1] as Float64Array;
    for (let i = 0; i < n; i++) {
      const x = col[i]!;
      if (!Number.isFinite(x)) throw new TypeError(`feature ${cluster[j]!.name} is not finite for customer ${ids[i]}`);
      data[i * k + j] = x;
    }
  }
  return { matrix: { data, rows: n, cols: k }, ids };
}

export { ORDER as FEATURE_ORDER };
