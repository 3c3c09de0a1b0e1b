// rfmScoresSql: the same cuts and scores as rfmScores on generated customers with heavy ties (3, 5 and 10 bins,
// mixed directions, counts not divisible by the bins), scoring with saved cuts, hostile column names; errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DuckDBEngine } from '../engine/index.js';
import { Random } from '../util/random.js';
import { rfmScores, scoreWithCuts, type RfmDirection } from './rfm-scores.js';
import { rfmScoresSql } from './rfm-scores-sql.js';

let engine: DuckDBEngine;
before(async () => {
  engine = await DuckDBEngine.open({ path: ':memory:', threads: 2 });
});
after(async () => {
  await engine.close();
});

async function load(table: string, seed: number, n: number) {
  const rnd = new Random(seed);
  const ids = Array.from({ length: n }, (_, i) => `c${String(i).padStart(6, '0')}`);
  const recency = Float64Array.from({ length: n }, () => rnd.int(400));
  const frequency = Float64Array.from({ length: n }, () => (rnd.next() < 0.45 ? 1 : 1 + rnd.int(15)));
  const monetary = Float64Array.from({ length: n }, () => Math.exp(rnd.normal(4, 1.2)) - 5);
  await engine.createTable(table, [
    { name: 'customer_id', kind: 'text', values: ids },
    { name: 'days "since"', kind: 'double', values: recency },
    { name: 'frequency', kind: 'double', values: frequency },
    { name: 'monetary', kind: 'double', values: monetary },
  ]);
  return { recency, frequency, monetary };
}

async function readScores(table: string) {
  const [r, f, m, cell] = await engine.columns(
    `SELECT r_score, f_score, m_score, rfm_cell FROM ${table} ORDER BY customer_id`,
    ['int32', 'int32', 'int32', 'text'],
  );
  return { r, f, m, cell };
}

describe('rfmScoresSql equals rfmScores', () => {
  const cases: [number, number, number, Partial<RfmDirection>][] = [
    [1, 4_999, 5, {}],
    [2, 1_001, 3, { frequency: 'lower' }],
    [3, 2_503, 10, { recency: 'higher', monetary: 'lower' }],
    [4, 1, 5, {}],
  ];
  for (const [seed, n, bins, direction] of cases) {
    it(`n=${n}, bins=${bins}, direction ${JSON.stringify(direction)}`, async () => {
      const values = await load('cust', seed, n);
      const ts = rfmScores(values, { bins, direction });
      const sql = await rfmScoresSql(engine, {
        table: 'cust',
        into: 'scores',
        recency: 'days "since"',
        bins,
        direction,
      });
      assert.deepEqual(sql.cuts, ts.cuts);
      assert.deepEqual(sql.direction, ts.direction);
      assert.equal(sql.customers, n);
      const got = await readScores('scores');
      assert.deepEqual(got, { r: ts.r, f: ts.f, m: ts.m, cell: ts.cell });
    });
  }

  it('scores new customers with saved cuts', async () => {
    const fitted = rfmScores(await load('cust', 5, 800));
    const fresh = await load('fresh', 6, 300);
    await rfmScoresSql(engine, {
      table: 'fresh',
      into: 'fresh_scores',
      recency: 'days "since"',
      cuts: fitted.cuts,
    });
    const ts = rfmScores(fresh);
    const again = scoreWithCuts(fresh, fitted.cuts);
    assert.notDeepEqual(again.cuts, ts.cuts, 'the saved cuts, not refitted ones');
    const got = await readScores('fresh_scores');
    assert.deepEqual(got, { r: again.r, f: again.f, m: again.m, cell: again.cell });
  });

  it('errors: missing column, NULL values, cuts that do not match bins', async () => {
    await load('cust', 7, 10);
    await assert.rejects(
      rfmScoresSql(engine, { table: 'cust', into: 'x' }),
      /table "cust" has no column "recency" \(option recency; columns: "customer_id", "days \\"since\\"", "frequency", "monetary"\)/,
    );
    await engine.exec(
      `CREATE OR REPLACE TABLE holes AS SELECT 'a' AS customer_id, NULL::DOUBLE AS recency, 'NaN'::DOUBLE AS frequency, 1.0 AS monetary`,
    );
    await assert.rejects(
      rfmScoresSql(engine, { table: 'holes', into: 'x' }),
      /table "holes": 1 row with a NULL or non-finite "recency" \(recency\); 1 row with a NULL or non-finite "frequency"/,
    );
    await assert.rejects(
      rfmScoresSql(engine, {
        table: 'cust',
        into: 'x',
        recency: 'days "since"',
        bins: 4,
        cuts: { recency: [1], frequency: [1], monetary: [1] },
      }),
      /bins is 4 but the cuts are for 2 bins/,
    );
  });
});
