// cleanTransactions on a hand-made file with one row per rejection reason: each row gets the reason written next
// to it by hand, the counts add up, and the clean table holds exactly the hand-picked rows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { parseConfig, type ConfigInput } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import {
  detectSource,
  loadRawTable,
  resolveColumns,
  TRANSACTION_ROLES,
  type ReadOptions,
} from '../ingest/index.js';
import { InputError } from '../util/errors.js';
import { cleanTransactions, TX_REJECT_REASONS, type CleanTransactionsResult } from './clean-transactions.js';

process.env['TZ'] = 'UTC';

const NOW = new Date('2011-01-01T00:00:00Z');

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-clean-tx-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const HEADER = 'InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,Customer ID,Country';
/** [line, expected reason (null = used)]. The invoice number identifies the row in the rejects table. */
const LINES: [string, string | null][] = [
  ['536365,85123A,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom', null], // float-written id → "17850"
  ['536366,71053,2,2010-12-01 09:00:00,3.00,17850,United Kingdom', null],
  ['536367,22752,1,2010-12-02 10:00:00,5.00,,United Kingdom', 'missing_customer_id'],
  ['536368,22752,1,,5.00,13047,France', 'missing_date'],
  ['536369,22752,1,not a date,5.00,13047,France', 'unparseable_date'],
  ['536370,22752,,2010-12-03 10:00:00,5.00,13047,France', 'missing_amount'],
  ['536371,22752,abc,2010-12-03 11:00:00,5.00,13047,France', 'unparseable_amount'],
  ['536372,22752,1,2030-01-01 10:00:00,5.00,13047,France', 'date_out_of_range'], // after NOW
  ['536366,71053,2,2010-12-01 09:00:00,3.00,17850,United Kingdom', 'duplicate'], // same as line 2
  ['536373,22752,0,2010-12-04 10:00:00,5.00,13047,France', 'zero_amount'],
  ['536374,B,1,2010-12-04 11:00:00,-11062.06,13047,France', 'negative_price'],
  ['536375,POST,1,2010-12-05 10:00:00,18.00,13047,France', 'excluded_product'],
  ['536380,22752,1,2010-12-05 11:00:00,5.00,13047,France,extra', 'malformed_line'], // 8 fields
  ['C536376,85123A,-2,2010-12-06 10:00:00,2.55,17850,United Kingdom', null], // cancellation: used, a return
  ['536377,22752,-1,2010-12-06 11:00:00,5.00,13047,France', null], // negative quantity: used, a return
  ['536378,22752,3,2010-12-07 10:00:00,5.00,13047,France', null],
];

const TX_ROLES = {
  required: ['customerId', 'date'],
  optional: TRANSACTION_ROLES.filter((r) => r !== 'customerId' && r !== 'date'),
};

const withEngine = <T>(fn: (e: DuckDBEngine) => Promise<T>): Promise<T> => DuckDBEngine.using(fn);

/** Detect, load, resolve roles and clean, as the pipeline does. */
async function clean(
  e: Engine,
  path: string,
  quality: ConfigInput['quality'] = {},
  read: ReadOptions = {},
  dateFormat?: string,
): Promise<CleanTransactionsResult> {
  const src = await detectSource(e, path, 'transactions', read);
  const raw = await loadRawTable(e, 'raw_transactions', src, 'transactions');
  const roles = resolveColumns(
    raw.columns.map((c) => c.name),
    { label: 'tx', mapping: {}, configPath: 'transactions.columns', ...TX_ROLES },
  );
  const config = parseConfig(
    { transactions: { path, ...(dateFormat ? { dateFormat } : {}) }, quality },
    'test',
  );
  return cleanTransactions(e, raw, roles, config, NOW);
}

function writeCsv(name: string, header: string, lines: readonly string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${header}\n${lines.join('\n')}\n`);
  return p;
}

/** Checks the invariants every cleaning result must hold. */
async function assertAccounted(e: Engine, r: CleanTransactionsResult, fileRows: number): Promise<void> {
  assert.equal(r.quality.rows, fileRows, 'every data line is an input row');
  assert.equal(r.quality.used + r.quality.rejected, r.quality.rows, 'used + rejected = rows');
  const sum = Object.values(r.quality.rejectedByReason).reduce((a, b) => a + b, 0);
  assert.equal(sum, r.quality.rejected, 'reasons add up to rejected');
  const [c] = await e.query(
    `SELECT (SELECT count(*) FROM tx) AS used, (SELECT count(*) FROM tx_rejects) AS rejected,
            (SELECT count(*) FROM tx_rejects WHERE reason IS NULL) AS no_reason,
            (SELECT count(*) - count(DISTINCT coalesce("row", -line)) FROM tx_rejects) AS repeated`,
  );
  assert.equal(Number(c?.['used']), r.quality.used, 'clean table has `used` rows');
  assert.equal(Number(c?.['rejected']), r.quality.rejected, 'rejects table has `rejected` rows');
  assert.equal(Number(c?.['no_reason']), 0, 'every reject has a reason');
  assert.equal(Number(c?.['repeated']), 0, 'every input row is rejected at most once');
  for (const reason of Object.keys(r.quality.rejectedByReason)) {
    assert.ok((TX_REJECT_REASONS as readonly string[]).includes(reason), `unknown reason ${reason}`);
  }
}

describe('cleanTransactions: one row per rejection reason', () => {
  it('each row gets its reason; counts add up; the clean table is exactly the used rows', () =>
    withEngine(async (e) => {
      const path = writeCsv(
        'reasons.csv',
        HEADER,
        LINES.map(([l]) => l),
      );
      // The delimiter is forced because of the sniffer bug shown in detect-source.test.ts.
      const r = await clean(e, path, { excludeProducts: ['POST'] }, { delimiter: ',' });
      await assertAccounted(e, r, LINES.length);

      const expectedByReason: Record<string, number> = {};
      for (const [, reason] of LINES)
        if (reason) expectedByReason[reason] = (expectedByReason[reason] ?? 0) + 1;
      assert.deepEqual(r.quality.rejectedByReason, expectedByReason);
      assert.equal(r.quality.used, LINES.filter(([, reason]) => reason === null).length);

      // Each rejected row by its invoice number (the malformed line has no parsed fields, only its text).
      const rejects = await e.query(`SELECT "row", line, reason, detail, "InvoiceNo" AS inv FROM tx_rejects`);
      const byInvoice = new Map<string, string>();
      for (const row of rejects) {
        if (row['reason'] === 'malformed_line') {
          assert.equal(row['row'], null);
          assert.equal(Number(row['line']), 14, 'header is line 1, so the 13th data line is line 14');
          assert.match(String(row['detail']), /536380,22752,1,2010-12-05 11:00:00,5.00,13047,France,extra/);
          byInvoice.set('536380', 'malformed_line');
        } else {
          assert.equal(row['line'], null);
          const inv = String(row['inv']);
          // The duplicate shares its invoice with a used row: key it apart.
          byInvoice.set(
            byInvoice.has(inv) || row['reason'] === 'duplicate' ? `${inv}#dup` : inv,
            String(row['reason']),
          );
        }
      }
      for (const [line, reason] of LINES) {
        if (!reason) continue;
        const inv = line.split(',')[0]!;
        const key = reason === 'duplicate' ? `${inv}#dup` : inv;
        assert.equal(byInvoice.get(key), reason, `row ${line}`);
      }
      // The duplicate is the later copy: its first occurrence (data row 2) is used.
      const [dup] = await e.query(`SELECT "row" FROM tx_rejects WHERE reason = 'duplicate'`);
      assert.equal(Number(dup?.['row']), 9);

      const used = await e.query(`
        SELECT customer_id, invoice_id, strftime(ts, '%Y-%m-%d %H:%M:%S') AS ts, quantity, unit_price,
               round(amount, 10) AS amount, product, country, is_return
        FROM tx ORDER BY ts`);
      assert.deepEqual(used, [
        {
          customer_id: '17850',
          invoice_id: '536365',
          ts: '2010-12-01 08:26:00',
          quantity: 6,
          unit_price: 2.55,
          amount: 15.3,
          product: '85123A',
          country: 'United Kingdom',
          is_return: false,
        },
        {
          customer_id: '17850',
          invoice_id: '536366',
          ts: '2010-12-01 09:00:00',
          quantity: 2,
          unit_price: 3,
          amount: 6,
          product: '71053',
          country: 'United Kingdom',
          is_return: false,
        },
        {
          customer_id: '17850',
          invoice_id: 'C536376',
          ts: '2010-12-06 10:00:00',
          quantity: -2,
          unit_price: 2.55,
          amount: -5.1,
          product: '85123A',
          country: 'United Kingdom',
          is_return: true,
        },
        {
          customer_id: '13047',
          invoice_id: '536377',
          ts: '2010-12-06 11:00:00',
          quantity: -1,
          unit_price: 5,
          amount: -5,
          product: '22752',
          country: 'France',
          is_return: true,
        },
        {
          customer_id: '13047',
          invoice_id: '536378',
          ts: '2010-12-07 10:00:00',
          quantity: 3,
          unit_price: 5,
          amount: 15,
          product: '22752',
          country: 'France',
          is_return: false,
        },
      ]);

      assert.deepEqual(r.quality.dateRange, { min: '2010-12-01 08:26:00', max: '2010-12-07 10:00:00' });
      const check = (name: RegExp) => r.quality.checks.find((c) => name.test(c.name))?.count;
      assert.equal(check(/^Exact duplicate lines$/), 1);
      assert.equal(check(/^Cancelled invoices/), 1);
      assert.equal(check(/^Negative quantities$/), 2, 'the C invoice and the plain negative quantity');
      assert.equal(check(/^Dates after 2011-01-01 00:00:00$/), 1);
      const missing = Object.fromEntries(r.quality.columns.map((c) => [c.name, c.missing]));
      assert.deepEqual(missing, {
        InvoiceNo: 0,
        StockCode: 0,
        Quantity: 1,
        InvoiceDate: 1,
        UnitPrice: 0,
        'Customer ID': 1,
        Country: 0,
      });
    }));

  it('without excludeProducts the POST line is used, and nothing else changes', () =>
    withEngine(async (e) => {
      const path = writeCsv(
        'reasons-noexcl.csv',
        HEADER,
        LINES.map(([l]) => l),
      );
      const r = await clean(e, path, {}, { delimiter: ',' });
      await assertAccounted(e, r, LINES.length);
      assert.equal(r.quality.rejectedByReason['excluded_product'], undefined);
      assert.equal(r.quality.used, 6);
      const [post] = await e.query(`SELECT count(*) AS n FROM tx WHERE product = 'POST'`);
      assert.equal(Number(post?.['n']), 1);
    }));

  it('cancellations: drop rejects every return with reason "cancellation"', () =>
    withEngine(async (e) => {
      const path = writeCsv(
        'reasons-drop.csv',
        HEADER,
        LINES.map(([l]) => l),
      );
      const r = await clean(
        e,
        path,
        { excludeProducts: ['POST'], cancellations: 'drop' },
        { delimiter: ',' },
      );
      await assertAccounted(e, r, LINES.length);
      assert.equal(r.quality.rejectedByReason['cancellation'], 2);
      const inv = await e.query(
        `SELECT "InvoiceNo" AS i FROM tx_rejects WHERE reason = 'cancellation' ORDER BY 1`,
      );
      assert.deepEqual(
        inv.map((x) => x['i']),
        ['536377', 'C536376'],
      );
      const [ret] = await e.query(`SELECT count(*) FILTER (WHERE is_return) AS n FROM tx`);
      assert.equal(Number(ret?.['n']), 0);
    }));

  it('duplicates: keep, zeroAmounts: keep, negativePrices: keep use those rows', () =>
    withEngine(async (e) => {
      const path = writeCsv(
        'reasons-keep.csv',
        HEADER,
        LINES.map(([l]) => l),
      );
      const r = await clean(
        e,
        path,
        { duplicates: 'keep', zeroAmounts: 'keep', negativePrices: 'keep' },
        { delimiter: ',' },
      );
      await assertAccounted(e, r, LINES.length);
      for (const reason of ['duplicate', 'zero_amount', 'negative_price']) {
        assert.equal(r.quality.rejectedByReason[reason], undefined, reason);
      }
      assert.equal(r.quality.used, 6 + 3);
    }));

  it('outliers: drop rejects a far-out amount (Tukey fence on log(1 + |amount|))', () =>
    withEngine(async (e) => {
      // 20 ordinary lines with amounts 10..29, one of 1e9.
      const lines: string[] = [];
      for (let i = 0; i < 20; i++)
        lines.push(
          `${1000 + i},P${i},1,2010-11-${String(i + 1).padStart(2, '0')} 10:00:00,${10 + i},${i},UK`,
        );
      lines.push('2000,BIG,1,2010-11-25 10:00:00,1000000000,99,UK');
      const path = writeCsv('outliers.csv', HEADER, lines);
      const r = await clean(e, path, { outliers: { action: 'drop' } });
      await assertAccounted(e, r, 21);
      assert.deepEqual(r.quality.rejectedByReason, { outlier: 1 });
      const [row] = await e.query(`SELECT "InvoiceNo" AS i FROM tx_rejects`);
      assert.equal(row?.['i'], '2000');
    }));
});

describe('cleanTransactions: other shapes', () => {
  it('amount column instead of quantity × price; no invoice column', () =>
    withEngine(async (e) => {
      const path = writeCsv('amount.csv', 'customer_id,order_date,amount', [
        '1,2010-05-01,10.5',
        '2,2010-05-02,-3',
        '3,2010-05-03,',
        '4,2010-05-04,0',
        ' 5 ,2010-05-05,7',
      ]);
      const r = await clean(e, path);
      await assertAccounted(e, r, 5);
      assert.deepEqual(r.quality.rejectedByReason, { missing_amount: 1, zero_amount: 1 });
      const rows = await e.query(
        `SELECT customer_id, invoice_id, amount, quantity, is_return FROM tx ORDER BY customer_id`,
      );
      assert.deepEqual(rows, [
        { customer_id: '1', invoice_id: null, amount: 10.5, quantity: null, is_return: false },
        { customer_id: '2', invoice_id: null, amount: -3, quantity: null, is_return: true },
        { customer_id: '5', invoice_id: null, amount: 7, quantity: null, is_return: false },
      ]);
    }));

  it('Parquet with typed columns: float customer ids become integers as text, typed timestamps are used as is', () =>
    withEngine(async (e) => {
      const path = join(dir, 'typed.parquet');
      await e.exec(
        e.dialect.copyTo(
          `SELECT * FROM (VALUES
             (17850.0::DOUBLE, TIMESTAMP '2010-12-01 08:26:00', 6.0::DOUBLE, 2.55::DOUBLE, 'A'),
             (13047.0, TIMESTAMP '2010-12-02 09:00:00', 1.0, 5.0, 'B'),
             (NULL, TIMESTAMP '2010-12-03 09:00:00', 1.0, 5.0, 'C'),
             (12345.5, NULL, 1.0, 5.0, 'D'),
             (12346.0, TIMESTAMP '2030-01-01 00:00:00', 1.0, 5.0, 'E')
           ) t("Customer ID", "InvoiceDate", "Quantity", "UnitPrice", "StockCode")`,
          path,
          'parquet',
        ),
      );
      const r = await clean(e, path);
      await assertAccounted(e, r, 5);
      assert.deepEqual(r.quality.rejectedByReason, {
        missing_customer_id: 1,
        missing_date: 1,
        date_out_of_range: 1,
      });
      assert.equal(r.quality.detected['dateFormat'], 'typed');
      const rows = await e.query(
        `SELECT customer_id, strftime(ts, '%Y-%m-%d %H:%M') AS ts FROM tx ORDER BY ts`,
      );
      assert.deepEqual(rows, [
        { customer_id: '17850', ts: '2010-12-01 08:26' },
        { customer_id: '13047', ts: '2010-12-02 09:00' },
      ]);
      // A non-integral float id is kept as written, not truncated.
      const [odd] = await e.query(`SELECT customer_id FROM tx_parsed WHERE customer_id LIKE '12345%'`);
      assert.equal(odd?.['customer_id'], '12345.5');
    }));

  it('day-first dates with times are parsed day-first', () =>
    withEngine(async (e) => {
      const path = writeCsv('dmy.csv', 'CustomerID,InvoiceDate,Amount', [
        '1,01/12/2010 08:26,10',
        '2,13/12/2010 17:05,10',
        '3,31/12/2010 23:59,10',
      ]);
      const r = await clean(e, path);
      await assertAccounted(e, r, 3);
      assert.equal(r.dateFormat, '%d/%m/%Y %H:%M');
      const ts = await e.query(`SELECT strftime(ts, '%Y-%m-%d %H:%M') AS ts FROM tx ORDER BY ts`);
      assert.deepEqual(
        ts.map((x) => x['ts']),
        ['2010-12-01 08:26', '2010-12-13 17:05', '2010-12-31 23:59'],
      );
    }));

  it('ambiguous dates are noted in the quality report; a configured format decides', () =>
    withEngine(async (e) => {
      const lines = ['1,01/02/2010,10', '2,03/04/2010,10', '3,05/06/2010,10'];
      const path = writeCsv('amb.csv', 'CustomerID,InvoiceDate,Amount', lines);
      const r = await clean(e, path);
      assert.match(String(r.quality.detected['dateFormat']), /ambiguous with %m\/%d\/%Y/);
      const us = await clean(e, path, {}, {}, '%m/%d/%Y');
      assert.equal(us.dateFormat, '%m/%d/%Y');
      assert.equal(us.quality.detected['dateFormat'], '%m/%d/%Y');
      const [first] = await e.query(`SELECT strftime(min(ts), '%Y-%m-%d') AS d FROM tx`);
      assert.equal(first?.['d'], '2010-01-02');
    }));

  it('dates that mostly do not parse: InputError with an example and the dateFormat hint', () =>
    withEngine(async (e) => {
      const path = writeCsv('baddates.csv', 'CustomerID,InvoiceDate,Amount', [
        '1,yesterday,10',
        '2,last week,10',
        '3,2010-01-01,5',
      ]);
      await assert.rejects(clean(e, path), (err) => {
        assert.ok(err instanceof InputError);
        assert.match(err.message, /cannot read dates in column "InvoiceDate" \(e\.g\. "yesterday"\)/);
        assert.match(err.message, /transactions\.dateFormat/);
        return true;
      });
    }));

  it('two-digit years ("12/1/10 8:26", as in some Online Retail exports) are read as 2010', {}, () =>
    withEngine(async (e) => {
      const path = writeCsv('yy.csv', 'CustomerID,InvoiceDate,Amount', [
        '1,12/1/10 8:26,10',
        '2,12/31/10 17:00,10',
      ]);
      const r = await clean(e, path);
      await assertAccounted(e, r, 2);
      assert.equal(r.quality.used, 2);
      const [d] = await e.query(`SELECT strftime(min(ts), '%Y-%m-%d %H:%M') AS d FROM tx`);
      assert.equal(d?.['d'], '2010-12-01 08:26');
    }),
  );
});
