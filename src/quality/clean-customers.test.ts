// cleanCustomers: one row per customer (the first wins), attribute kinds decided from the values or the config,
// every input row used or rejected.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { parseConfig, type ConfigInput } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import { detectSource, loadRawTable } from '../ingest/index.js';
import { InputError } from '../util/errors.js';
import { cleanCustomers, type CleanCustomersResult } from './clean-customers.js';

process.env['TZ'] = 'UTC';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-clean-cust-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const withEngine = <T>(fn: (e: DuckDBEngine) => Promise<T>): Promise<T> => DuckDBEngine.using(fn);

const GENDERS = ['F', 'M', 'X'];
const TIERS = ['bronze', 'silver', 'gold'];

/**
 * 20 customers, then: a later row for id 3 (dropped), id "4.0" (the same customer as 4, dropped), a row
 * without an id. `age` of customer 7 is "unknown".
 */
function customersCsv(): { path: string; rows: number } {
  const lines = ['customer_id,age,gender,signup_date,notes,tier,flag,empty'];
  for (let i = 1; i <= 20; i++) {
    const age = i === 7 ? 'unknown' : String(20 + i);
    const tier = i === 20 ? 'platinum' : TIERS[i % 3];
    const signup = `2010-${String((i % 9) + 1).padStart(2, '0')}-${String(10 + (i % 10)).padStart(2, '0')}`;
    lines.push(
      `${i},${age},${GENDERS[i % 3]},${signup},free note number ${i},${tier},${i % 2 ? 'yes' : 'no'},`,
    );
  }
  lines.push('3,99,F,2010-01-01,later copy,gold,yes,');
  lines.push('4.0,98,F,2010-01-01,float id copy,gold,yes,');
  lines.push(',40,M,2010-01-01,no id,gold,no,');
  const path = join(dir, `customers-${lines.length}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, rows: lines.length - 1 };
}

async function clean(
  e: Engine,
  path: string,
  customers: Partial<NonNullable<ConfigInput['customers']>> = {},
): Promise<CleanCustomersResult> {
  const src = await detectSource(e, path, 'customers');
  const raw = await loadRawTable(e, 'raw_customers', src, 'customers');
  const config = parseConfig(
    { transactions: { path: 'unused.csv' }, customers: { path, ...customers } },
    'test',
  );
  return cleanCustomers(e, raw, 'customer_id', config.customers!);
}

async function assertAccounted(e: Engine, r: CleanCustomersResult, fileRows: number): Promise<void> {
  assert.equal(r.quality.rows, fileRows);
  assert.equal(r.quality.used + r.quality.rejected, r.quality.rows, 'used + rejected = rows');
  const [c] = await e.query(
    `SELECT (SELECT count(*) FROM customers) AS used, (SELECT count(DISTINCT customer_id) FROM customers) AS ids,
            (SELECT count(*) FROM customers_rejects) AS rejected,
            (SELECT count(*) FROM customers_rejects WHERE reason IS NULL) AS no_reason`,
  );
  assert.equal(Number(c?.['used']), r.quality.used);
  assert.equal(Number(c?.['ids']), r.quality.used, 'one row per customer id');
  assert.equal(Number(c?.['rejected']), r.quality.rejected);
  assert.equal(Number(c?.['no_reason']), 0);
}

describe('cleanCustomers', () => {
  it('duplicate ids: the first row is kept; "4.0" is the same id as "4"; a blank id is rejected', () =>
    withEngine(async (e) => {
      const { path, rows } = customersCsv();
      const r = await clean(e, path, { ordinal: { tier: TIERS } });
      await assertAccounted(e, r, rows);
      assert.deepEqual(r.quality.rejectedByReason, { duplicate_customer_id: 2, missing_customer_id: 1 });
      assert.equal(r.quality.used, 20);
      const rejected = await e.query(
        `SELECT "row", reason, customer_id, notes FROM customers_rejects ORDER BY "row"`,
      );
      assert.deepEqual(rejected, [
        { row: 21n, reason: 'duplicate_customer_id', customer_id: '3', notes: 'later copy' },
        { row: 22n, reason: 'duplicate_customer_id', customer_id: '4.0', notes: 'float id copy' },
        { row: 23n, reason: 'missing_customer_id', customer_id: null, notes: 'no id' },
      ]);
      const kept = await e.query(
        `SELECT customer_id, age FROM customers WHERE customer_id IN ('3', '4') ORDER BY 1`,
      );
      assert.deepEqual(kept, [
        { customer_id: '3', age: 23 },
        { customer_id: '4', age: 24 },
      ]);
      const dupCheck = r.quality.checks.find((c) => c.name === 'Duplicate customer ids');
      assert.deepEqual(dupCheck, {
        name: 'Duplicate customer ids',
        count: 2,
        action: 'dropped (first kept)',
      });
    }));

  it('attribute kinds: numeric, categorical, date detected; free text and empty columns ignored; ordinal from config', () =>
    withEngine(async (e) => {
      const { path } = customersCsv();
      const r = await clean(e, path, { ordinal: { tier: TIERS } });
      const kinds = Object.fromEntries(r.attributes.map((a) => [a.name, a.kind]));
      assert.deepEqual(kinds, {
        age: 'numeric',
        gender: 'categorical',
        signup_date: 'date',
        tier: 'ordinal',
        flag: 'categorical',
      });
      assert.deepEqual(r.attributes.find((a) => a.name === 'tier')?.levels, TIERS);
      const ignored = Object.fromEntries(r.ignored.map((i) => [i.name, i.why]));
      assert.deepEqual(Object.keys(ignored).sort(), ['empty', 'notes']);
      assert.equal(ignored['empty'], 'empty');
      assert.match(ignored['notes']!, /free text or an identifier \(23 distinct values\)/);

      const rows = await e.query(
        `SELECT customer_id, age, gender, strftime(signup_date, '%Y-%m-%d') AS signup, tier, flag
         FROM customers WHERE customer_id IN ('1', '2', '3', '7', '20') ORDER BY customer_id::INT`,
      );
      assert.deepEqual(rows, [
        { customer_id: '1', age: 21, gender: 'M', signup: '2010-02-11', tier: 1, flag: 'yes' },
        { customer_id: '2', age: 22, gender: 'X', signup: '2010-03-12', tier: 2, flag: 'no' },
        { customer_id: '3', age: 23, gender: 'F', signup: '2010-04-13', tier: 0, flag: 'yes' },
        { customer_id: '7', age: null, gender: 'M', signup: '2010-08-17', tier: 1, flag: 'yes' }, // "unknown" age
        { customer_id: '20', age: 40, gender: 'X', signup: '2010-03-10', tier: null, flag: 'no' }, // unknown tier level
      ]);
      const cols = await e.query(`DESCRIBE customers`);
      assert.deepEqual(
        cols.map((c) => c['column_name']),
        ['customer_id', 'age', 'gender', 'signup_date', 'tier', 'flag'],
        'ignored columns are not in the clean table',
      );
    }));

  it('without an ordinal config a low-cardinality text column is categorical', () =>
    withEngine(async (e) => {
      const { path } = customersCsv();
      const r = await clean(e, path);
      assert.equal(r.attributes.find((a) => a.name === 'tier')?.kind, 'categorical');
    }));

  it('explicit numeric/categorical lists: only those are used, the rest ignored as "not listed"', () =>
    withEngine(async (e) => {
      const { path } = customersCsv();
      const r = await clean(e, path, { numeric: ['age'], categorical: ['notes'] });
      assert.deepEqual(
        r.attributes.map((a) => [a.name, a.kind]),
        [
          ['age', 'numeric'],
          ['notes', 'categorical'],
        ],
      );
      assert.ok(r.ignored.every((i) => i.why === 'not listed in customers.numeric/categorical'));
      assert.deepEqual(r.ignored.map((i) => i.name).sort(), [
        'empty',
        'flag',
        'gender',
        'signup_date',
        'tier',
      ]);
    }));

  it('a configured column that is not in the file is an InputError naming it and the columns', () =>
    withEngine(async (e) => {
      const { path } = customersCsv();
      await assert.rejects(clean(e, path, { numeric: ['income'] }), (err) => {
        assert.ok(err instanceof InputError);
        assert.match(err.message, /"income"/);
        assert.match(err.message, /columns: customer_id, age, gender/);
        return true;
      });
    }));
});
