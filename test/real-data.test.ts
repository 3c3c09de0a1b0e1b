// Real-data suite: Online Retail, Mall Customers and Customer Personality Analysis from ../shared/data.
// Skips with a message when the folder is absent. Expected figures are computed here independently of segmint
// (a plain streaming parse of the raw file) or are the data sets' published figures.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { cli, tempDir, readCsv, splitCsvLine, ROOT, SHARED_DATA } from './helpers.js';

const RETAIL = join(SHARED_DATA, 'online_retail', 'online_retail.csv.gz');
const MALL = join(SHARED_DATA, 'mall_customers', 'Mall_Customers.csv');
const MARKETING = join(SHARED_DATA, 'marketing_campaign', 'marketing_campaign.tsv');

function skipUnless(path: string): string | false {
  return existsSync(path) ? false : `real data not found at ${path} (see ../shared/data/README.md)`;
}

describe('Online Retail (541,909 transactions)', { skip: skipUnless(RETAIL) }, () => {
  test('run with no other flag: every row accounted for, every buyer segmented exactly once', async () => {
    const out = join(tempDir(), 'retail');
    const r = cli(['run', '--transactions', RETAIL, '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr);

    // Independent reading of the raw file: rows, rows without a customer, and customers with a purchase
    // (an invoice not starting with C whose positive-price lines sum to more than zero).
    let rows = 0;
    let noCustomer = 0;
    const invoiceTotal = new Map<string, { customer: string; total: number }>();
    const lines = createInterface({ input: createReadStream(RETAIL).pipe(createGunzip()) });
    let header = true;
    for await (const line of lines) {
      if (header) {
        header = false;
        continue;
      }
      rows++;
      const [invoice, , , qty, , price, customer] = splitCsvLine(line);
      if (!customer) {
        noCustomer++;
        continue;
      }
      const amount = Number(qty) * Number(price);
      if (invoice!.startsWith('C') || amount <= 0 || Number(price) < 0) continue;
      const e = invoiceTotal.get(invoice!) ?? { customer: customer.replace(/\.0$/, ''), total: 0 };
      e.total += amount;
      invoiceTotal.set(invoice!, e);
    }
    const buyers = new Set([...invoiceTotal.values()].filter((e) => e.total > 0).map((e) => e.customer));
    assert.equal(rows, 541_909, 'published row count');
    assert.equal(noCustomer, 135_080, 'published count of rows without a CustomerID');

    const q = JSON.parse(readFileSync(join(out, 'quality.json'), 'utf8')) as {
      inputs: { rows: number; used: number; rejected: number; rejectedByReason: Record<string, number> }[];
    };
    const tx = q.inputs[0]!;
    assert.equal(tx.rows, 541_909);
    assert.equal(tx.used + tx.rejected, tx.rows);
    assert.equal(tx.rejectedByReason['missing_customer_id'], noCustomer);

    const seg = readCsv(join(out, 'segments.csv'));
    const ids = seg.rows.map((x) => x[0]!);
    assert.equal(new Set(ids).size, ids.length, 'each customer exactly once');
    assert.deepEqual(new Set(ids), buyers);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
      model: { k: number };
      value: { clv: { params: Record<string, number>; spendParams: Record<string, number> } };
    };
    assert.ok(model.model.k >= 2 && model.model.k <= 10);

    // Lifetime value: the same BG/NBD and Gamma–Gamma parameters as the lifetimes package on its own reading of the
    // file (scripts/fixtures/make_online_retail_clv_fixture.py), to 1e-3 relative.
    const ref = JSON.parse(
      readFileSync(join(ROOT, 'test', 'fixtures', 'clv', 'online-retail.json'), 'utf8'),
    ) as { betaGeo: Record<string, number>; gammaGamma: Record<string, number> };
    for (const [fitted, expected] of [
      [model.value.clv.params, ref.betaGeo],
      [model.value.clv.spendParams, ref.gammaGamma],
    ] as const) {
      for (const [name, v] of Object.entries(expected)) {
        const got = fitted[name]!;
        assert.ok(Math.abs(got - v) <= 1e-3 * Math.abs(v), `${name}: segmint ${got}, lifetimes ${v}`);
      }
    }
    for (const c of ['r_score', 'rfm_segment', 'p_alive', 'predicted_clv'])
      assert.ok(seg.header.includes(c), `segments.csv has ${c}`);
  });
});

describe('Mall Customers (customers file only)', { skip: skipUnless(MALL) }, () => {
  test('income × spending score gives the five well-known groups', () => {
    const d = tempDir();
    writeFileSync(
      join(d, 'segmint.yaml'),
      `customers:\n  path: ${MALL}\nfeatures:\n  cluster: [annual_income_k, spending_score_1_100]\nsegmentation:\n  k: 5\noutput:\n  dir: out\n`,
    );
    const r = cli(['run', join(d, 'segmint.yaml'), '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const seg = readCsv(join(d, 'out', 'segments.csv'));
    assert.equal(seg.rows.length, 200);
    // Planted-in-the-data structure: the five groups of the classic illustration, by their corners.
    const inc = seg.header.indexOf('annual_income_k');
    const score = seg.header.indexOf('spending_score_1_100');
    const groupOf = (row: string[]) => {
      const i = Number(row[inc]);
      const s = Number(row[score]);
      if (i <= 40) return s >= 50 ? 'low-income high-score' : 'low-income low-score';
      if (i >= 70) return s >= 50 ? 'high-income high-score' : 'high-income low-score';
      return 'middle';
    };
    const bySegment = new Map<string, Map<string, number>>();
    for (const row of seg.rows) {
      const m = bySegment.get(row[1]!) ?? new Map<string, number>();
      m.set(groupOf(row), (m.get(groupOf(row)) ?? 0) + 1);
      bySegment.set(row[1]!, m);
    }
    const purity = [...bySegment.values()].reduce((a, m) => a + Math.max(...m.values()), 0) / seg.rows.length;
    assert.ok(purity >= 0.9, `purity ${purity}`);
    assert.equal(
      new Set([...bySegment.values()].map((m) => [...m.entries()].sort((a, b) => b[1] - a[1])[0]![0])).size,
      5,
    );
  });
});

describe('Customer Personality Analysis (TSV, dd-mm-yyyy dates)', { skip: skipUnless(MARKETING) }, () => {
  test('segments every customer on attributes, with dates and categories detected', () => {
    const out = join(tempDir(), 'mkt');
    const r = cli(['run', '--customers', MARKETING, '--out', out, '--k', '4', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const seg = readCsv(join(out, 'segments.csv'));
    assert.equal(seg.rows.length, 2240);
    assert.ok(seg.header.includes('dt_customer_days'), 'Dt_Customer read as a date');
    assert.ok(
      seg.header.some((h) => h.startsWith('education_')),
      'Education one-hot encoded',
    );
    const q = JSON.parse(readFileSync(join(out, 'quality.json'), 'utf8')) as {
      inputs: { columns: { name: string; missing: number }[] }[];
    };
    assert.equal(
      q.inputs[0]!.columns.find((c) => c.name === 'Income')!.missing,
      24,
      'published count of empty incomes',
    );
  });
});
