// fetchFeatures, fitTransforms, scaleMatrix and featureMatrix: centre and scale equal hand computation for each
// scaling, a constant feature gets scale 1, and the matrix is (transform(x) − centre) / scale in customer order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuckDBEngine, type Engine } from '../engine/index.js';
import { InputError } from '../util/errors.js';
import type { ClusterFeature, FeatureDef, Scaling } from './feature-spec.js';
import { featureMatrix, fetchFeatures, fitTransforms, scaleMatrix, signedLog1p } from './transform.js';
import { CUSTOMER_ORDER } from './customer-features.js';

const withEngine = <T>(fn: (e: DuckDBEngine) => Promise<T>): Promise<T> => DuckDBEngine.using(fn);

function close(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

// Customer ids chosen so that numeric order differs from text order ("10" < "2" as text).
const IDS = ['10', '2', '3', '1', '7'];
const X = [1, 2, 3, 4, 10]; // by row above
const C = [5, 5, 5, 5, 5];
const M = [-20, 0, 5, 100, 1000]; // money with a net returner

const DEFS: FeatureDef[] = ['x', 'c', 'm'].map((name) => ({ name, label: name, source: 'behaviour' }));

async function setup(e: Engine): Promise<void> {
  await e.createTable('features_in', [
    { name: 'customer_id', kind: 'text', values: IDS },
    { name: 'x', kind: 'double', values: Float64Array.from(X) },
    { name: 'c', kind: 'double', values: Float64Array.from(C) },
    { name: 'm', kind: 'double', values: Float64Array.from(M) },
  ]);
  // As buildFeatures writes it: `_pos` numbers customers in output order.
  await e.exec(
    `CREATE TABLE features AS SELECT (row_number() OVER (${CUSTOMER_ORDER}) - 1)::INTEGER AS _pos, * FROM features_in`,
  );
}

/** Customer ids in `_pos` order. */
async function orderedIds(e: Engine): Promise<string[]> {
  return (await e.query('SELECT customer_id FROM features ORDER BY _pos')).map((r) =>
    String(r['customer_id']),
  );
}

// Plain reference statistics.
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sdPop = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
/** Linear-interpolation quantile (numpy's default, DuckDB's quantile_cont). */
function quantile(v: number[], p: number): number {
  const s = [...v].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!);
}
/** The reference transform, written independently of the module's. */
const refLog1p = (x: number) => Math.sign(x) * Math.log(1 + Math.abs(x));

async function fit(e: Engine, names: string[], log1p: string[], scaling: Scaling): Promise<ClusterFeature[]> {
  return fitTransforms(await fetchFeatures(e, DEFS, names, log1p), scaling);
}

describe('fitTransforms', () => {
  it('standard: mean and population SD (√10 for 1,2,3,4,10)', () =>
    withEngine(async (e) => {
      await setup(e);
      const [x] = await fit(e, ['x'], [], 'standard');
      assert.equal(x?.transform, 'none');
      close(x!.center, 4, 'center');
      close(x!.scale, Math.sqrt(10), 'scale'); // deviations −3,−2,−1,0,6 → squares sum 50, /5
    }));

  it('robust: median and interquartile range (3 and 4 − 2)', () =>
    withEngine(async (e) => {
      await setup(e);
      const [x] = await fit(e, ['x'], [], 'robust');
      close(x!.center, 3, 'center');
      close(x!.scale, 2, 'scale');
    }));

  it('minmax: minimum and range (1 and 9)', () =>
    withEngine(async (e) => {
      await setup(e);
      const [x] = await fit(e, ['x'], [], 'minmax');
      close(x!.center, 1, 'center');
      close(x!.scale, 9, 'scale');
    }));

  it('a constant feature gets scale 1 under every scaling', () =>
    withEngine(async (e) => {
      await setup(e);
      for (const scaling of ['standard', 'robust', 'minmax'] as const) {
        const [c] = await fit(e, ['c'], [], scaling);
        assert.equal(c!.scale, 1, scaling);
        close(c!.center, 5, `${scaling} center`);
      }
    }));

  it('log1p features are fitted on sign(x)·ln(1 + |x|); order follows the requested names', () =>
    withEngine(async (e) => {
      await setup(e);
      const fitted = await fit(e, ['m', 'x'], ['m'], 'standard');
      assert.deepEqual(
        fitted.map((f) => [f.name, f.transform]),
        [
          ['m', 'log1p'],
          ['x', 'none'],
        ],
      );
      const t = M.map(refLog1p);
      close(fitted[0]!.center, mean(t), 'm center');
      close(fitted[0]!.scale, sdPop(t), 'm scale');
      const robust = await fit(e, ['m'], ['m'], 'robust');
      close(robust[0]!.center, quantile(t, 0.5), 'm median');
      close(robust[0]!.scale, quantile(t, 0.75) - quantile(t, 0.25), 'm IQR');
    }));

  it('an unknown feature name is an InputError listing every available name', () =>
    withEngine(async (e) => {
      await setup(e);
      await assert.rejects(fetchFeatures(e, DEFS, ['x', 'spend', 'age'], []), (err) => {
        assert.ok(err instanceof InputError);
        assert.match(err.message, /features\.cluster names "spend", "age", not among the features: x, c, m$/);
        return true;
      });
    }));
});

describe('fitTransforms without the engine', () => {
  it('an even count: median and quartiles interpolate (1,2,3,4 → 2.5, IQR 1.5)', () => {
    const cols = {
      rows: 4,
      names: ['v'],
      transforms: ['none' as const],
      columns: [Float64Array.from([4, 1, 3, 2])],
    };
    const [r] = fitTransforms(cols, 'robust');
    close(r!.center, 2.5, 'median');
    close(r!.scale, 1.5, 'IQR'); // quartiles 1.75 and 3.25
  });

  it('signedLog1p keeps the sign and is 0 at 0', () => {
    for (const x of [-1000, -1, -1e-9, 0, 1e-9, 1, 1000]) close(signedLog1p(x), refLog1p(x), `x = ${x}`);
    assert.equal(signedLog1p(0), 0);
  });
});

describe('scaleMatrix and featureMatrix', () => {
  it('rows in numeric customer order, values (transform(x) − centre) / scale, row-major', () =>
    withEngine(async (e) => {
      await setup(e);
      const fetched = await fetchFeatures(e, DEFS, ['x', 'm', 'c'], ['m']);
      const cluster = fitTransforms(fetched, 'standard');
      const matrix = scaleMatrix(fetched, cluster);
      const ids = await orderedIds(e);
      assert.deepEqual(ids, ['1', '2', '3', '7', '10']);
      assert.equal(matrix.rows, 5);
      assert.equal(matrix.cols, 3);
      assert.equal(matrix.data.length, 15);
      const raw = new Map(IDS.map((id, i) => [id, { x: X[i]!, m: M[i]!, c: C[i]! }]));
      const tm = M.map(refLog1p);
      for (const [i, id] of ids.entries()) {
        const r = raw.get(id)!;
        close(matrix.data[i * 3]!, (r.x - mean(X)) / sdPop(X), `x of ${id}`);
        close(matrix.data[i * 3 + 1]!, (refLog1p(r.m) - mean(tm)) / sdPop(tm), `m of ${id}`);
        close(matrix.data[i * 3 + 2]!, 0, `c of ${id}`); // (5 − 5) / 1
      }
      // Standardised columns have mean 0 and population SD 1.
      for (const j of [0, 1]) {
        const col = Array.from({ length: 5 }, (_, i) => matrix.data[i * 3 + j]!);
        close(mean(col), 0, `column ${j} mean`);
        close(sdPop(col), 1, `column ${j} sd`);
      }
      // Scoring with the saved parameters reproduces the same matrix.
      const scored = await featureMatrix(e, DEFS, cluster);
      assert.deepEqual(scored, matrix);
    }));

  it('scoring uses the saved parameters, not ones refitted on the new customers', () =>
    withEngine(async (e) => {
      await setup(e);
      const params: ClusterFeature[] = [{ name: 'x', transform: 'none', center: 100, scale: 10 }];
      const matrix = await featureMatrix(e, DEFS, params);
      const ids = await orderedIds(e);
      const raw = new Map(IDS.map((id, i) => [id, X[i]!]));
      ids.forEach((id, i) => close(matrix.data[i]!, (raw.get(id)! - 100) / 10, id));
    }));

  it('a missing value is a TypeError naming the feature and the customer', () =>
    withEngine(async (e) => {
      await setup(e);
      await e.exec(`UPDATE features SET x = NULL WHERE customer_id = '3'`);
      await assert.rejects(fetchFeatures(e, DEFS, ['x'], []), (err) => {
        assert.ok(err instanceof TypeError);
        assert.match(err.message, /feature x is not finite for customer 3/);
        return true;
      });
    }));
});
