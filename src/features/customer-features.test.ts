// buildFeatures: behavioural features equal a plain TypeScript re-computation on generated data; engagement,
// one-hot, ordinal, numeric and date attributes equal hand-computed values; a saved spec reproduces the columns.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { parseConfig } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import { detectSource, loadRawTable, resolveColumns, TRANSACTION_ROLES } from '../ingest/index.js';
import { cleanTransactions, type CustomerAttribute } from '../quality/index.js';
import { Random } from '../util/random.js';
import { buildFeatures, snake, type FeatureContext, type FeaturesResult } from './customer-features.js';
import { BEHAVIOUR_FEATURES, type FeatureSpec } from './feature-spec.js';

process.env['TZ'] = 'UTC';

const DAY = 86_400_000;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-features-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const withEngine = <T>(fn: (e: DuckDBEngine) => Promise<T>): Promise<T> => DuckDBEngine.using(fn);

function close(actual: number, expected: number, what: string): void {
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

type FeatureRow = Record<string, number | string | null>;

/** The features table as plain rows keyed by customer id. */
async function featureRows(e: Engine): Promise<Map<string, FeatureRow>> {
  const rows = await e.query(`SELECT * FROM features`);
  return new Map(rows.map((r) => [String(r['customer_id']), r as FeatureRow]));
}

function assertRow(actual: FeatureRow | undefined, expected: Record<string, number>, who: string): void {
  assert.ok(actual, `${who} is in the features table`);
  for (const [k, v] of Object.entries(expected)) close(Number(actual[k]), v, `${who}.${k}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Reference implementation, written from the comments in customer-features.ts:
// - an order is (customer, invoice); its time is its first line's; it is a purchase when its non-return lines sum
//   to more than zero;
// - monetary = purchases − returns (over all orders); avg order value = purchases / purchase orders;
// - asOf = the day after the last non-return line; recency/tenure from the last/first purchase order;
// - interpurchase = (last − first) / (orders − 1), or tenure for a single order;
// - distinct products among non-return lines; return rate = min(1, returns / purchases);
// - customers without a purchase order are left out (and counted).
// ---------------------------------------------------------------------------------------------------------------

interface Line {
  invoice: string;
  product: string;
  quantity: number;
  price: string;
  ts: number;
  customer: string;
}

function isReturn(l: Line): boolean {
  return l.invoice.toUpperCase().startsWith('C') || l.quantity < 0 || l.quantity * Number(l.price) < 0;
}

interface Expected {
  asOf: string;
  features: Map<string, Record<string, number>>;
  excluded: number;
}

function reference(lines: readonly Line[]): Expected {
  let maxPurchaseTs = -Infinity;
  for (const l of lines) if (!isReturn(l)) maxPurchaseTs = Math.max(maxPurchaseTs, l.ts);
  const asOf = Math.floor(maxPurchaseTs / DAY) * DAY + DAY;

  const orders = new Map<string, { customer: string; ts: number; gross: number; returned: number }>();
  const products = new Map<string, Set<string>>();
  for (const l of lines) {
    const key = `${l.customer}\u0000${l.invoice}`;
    const o = orders.get(key) ?? { customer: l.customer, ts: l.ts, gross: 0, returned: 0 };
    o.ts = Math.min(o.ts, l.ts);
    const amount = l.quantity * Number(l.price);
    if (isReturn(l)) o.returned -= amount;
    else {
      o.gross += amount;
      if (!products.has(l.customer)) products.set(l.customer, new Set());
      products.get(l.customer)!.add(l.product);
    }
    orders.set(key, o);
  }
  const per = new Map<string, { n: number; first: number; last: number; gross: number; returned: number }>();
  for (const o of orders.values()) {
    const p = per.get(o.customer) ?? { n: 0, first: Infinity, last: -Infinity, gross: 0, returned: 0 };
    p.gross += o.gross;
    p.returned += o.returned;
    if (o.gross > 0) {
      p.n++;
      p.first = Math.min(p.first, o.ts);
      p.last = Math.max(p.last, o.ts);
    }
    per.set(o.customer, p);
  }
  const features = new Map<string, Record<string, number>>();
  let excluded = 0;
  for (const [c, p] of per) {
    if (p.n === 0) {
      excluded++;
      continue;
    }
    const tenure = (asOf - p.first) / DAY;
    features.set(c, {
      recency_days: (asOf - p.last) / DAY,
      frequency: p.n,
      monetary: p.gross - p.returned,
      avg_order_value: p.gross / p.n,
      tenure_days: tenure,
      interpurchase_days: p.n > 1 ? (p.last - p.first) / DAY / (p.n - 1) : tenure,
      distinct_products: products.get(c)?.size ?? 0,
      return_rate: Math.min(1, p.returned / p.gross),
    });
  }
  return { asOf: new Date(asOf).toISOString().slice(0, 10), features, excluded };
}

/** Seeded transactions: multi-line invoices, cancellations, returns inside purchases, return-only customers. */
function generate(seed: number): Line[] {
  const rng = new Random(seed);
  const lines: Line[] = [];
  const start = Date.UTC(2011, 0, 1);
  const when = () => start + rng.int(180 * 24 * 60) * 60_000;
  const price = () => ((rng.int(2000) + 50) / 100).toFixed(2);
  const product = () => `P${String(rng.int(15)).padStart(2, '0')}`;
  let inv = 500000;
  for (let c = 1; c <= 60; c++) {
    const customer = String(12000 + c);
    const nOrders = rng.int(5);
    const bought: { product: string; price: string }[] = [];
    let firstTs = Infinity;
    for (let o = 0; o < nOrders; o++) {
      const invoice = String(inv++);
      const ts = when();
      firstTs = Math.min(firstTs, ts);
      const nLines = 1 + rng.int(3);
      const used = new Set<string>();
      for (let k = 0; k < nLines; k++) {
        let p = product();
        while (used.has(p)) p = product();
        used.add(p);
        const line = { invoice, product: p, quantity: 1 + rng.int(6), price: price(), ts, customer };
        lines.push(line);
        bought.push(line);
      }
      // A return line inside a purchase invoice (negative quantity, same invoice number).
      if (rng.next() < 0.15) {
        const b = bought[rng.int(bought.length)]!;
        lines.push({ invoice, product: b.product, quantity: -1, price: b.price, ts, customer });
      }
    }
    if (nOrders > 0 && rng.next() < 0.3) {
      // A cancellation invoice after the first purchase; sometimes larger than everything bought.
      const b = bought[rng.int(bought.length)]!;
      const quantity = rng.next() < 0.2 ? -50 : -(1 + rng.int(3));
      lines.push({
        invoice: `C${inv++}`,
        product: b.product,
        quantity,
        price: b.price,
        ts: firstTs + DAY,
        customer,
      });
    }
    if (nOrders === 0 && rng.next() < 0.5) {
      lines.push({
        invoice: `C${inv++}`,
        product: product(),
        quantity: -2,
        price: price(),
        ts: when(),
        customer,
      });
    }
  }
  return lines;
}

function fmt(ts: number): string {
  return new Date(ts).toISOString().slice(0, 19).replace('T', ' ');
}

/** Writes `lines` to a CSV, and cleans it into `tx` as the pipeline does. */
async function loadTx(e: Engine, lines: readonly Line[], name: string, withInvoice = true): Promise<void> {
  const header = withInvoice
    ? 'InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID'
    : 'StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID';
  const body = lines.map((l) =>
    [...(withInvoice ? [l.invoice] : []), l.product, l.quantity, fmt(l.ts), l.price, l.customer].join(','),
  );
  const path = join(dir, name);
  writeFileSync(path, `${header}\n${body.join('\n')}\n`);
  const raw = await loadRawTable(
    e,
    'raw_transactions',
    await detectSource(e, path, 'transactions'),
    'transactions',
  );
  const roles = resolveColumns(
    raw.columns.map((c) => c.name),
    {
      label: 'tx',
      mapping: {},
      required: ['customerId', 'date'],
      optional: TRANSACTION_ROLES.filter((r) => r !== 'customerId' && r !== 'date'),
      configPath: 'transactions.columns',
    },
  );
  const r = await cleanTransactions(
    e,
    raw,
    roles,
    parseConfig({ transactions: { path } }, 'test'),
    new Date('2012-01-01T00:00:00Z'),
  );
  assert.equal(
    r.quality.used,
    lines.length,
    `precondition: every generated line is clean (${JSON.stringify(r.quality.rejectedByReason)})`,
  );
}

const CTX: FeatureContext = { hasTransactions: true, hasProduct: true, maxCategories: 12 };

describe('buildFeatures: behaviour equals a plain TypeScript computation', () => {
  for (const seed of [1, 2, 3]) {
    it(`generated transactions, seed ${seed}`, () =>
      withEngine(async (e) => {
        const lines = generate(seed);
        await loadTx(e, lines, `gen-${seed}.csv`);
        const expected = reference(lines);
        const r = await buildFeatures(e, CTX);

        assert.equal(r.asOf, expected.asOf);
        assert.equal(r.asOfFrom, 'data');
        assert.deepEqual(
          r.features.map((f) => f.name),
          BEHAVIOUR_FEATURES.map((f) => f.name),
        );
        assert.ok(r.features.every((f) => f.source === 'behaviour'));
        assert.equal(r.customers, expected.features.size);
        assert.ok(expected.excluded > 0, 'the generator makes some return-only customers');
        assert.deepEqual(r.excluded, [
          { reason: 'no purchase (only returns or cancellations)', count: expected.excluded },
        ]);

        const rows = await featureRows(e);
        assert.deepEqual([...rows.keys()].sort(), [...expected.features.keys()].sort());
        for (const [c, f] of expected.features) assertRow(rows.get(c), f, `customer ${c}`);
        // Some customers exercise the cap and the in-invoice returns.
        assert.ok([...expected.features.values()].some((f) => f['frequency']! > 1));
        assert.ok([...expected.features.values()].some((f) => f['return_rate'] === 1 && f['monetary']! < 0));

        // Rows come out sorted by numeric customer id.
        const order = await e.query(`SELECT customer_id FROM features`);
        const ids = order.map((x) => Number(x['customer_id']));
        assert.deepEqual(
          ids,
          [...ids].sort((a, b) => a - b),
        );
      }));
  }

  it('without a product column distinct_products is not a feature', () =>
    withEngine(async (e) => {
      const lines = generate(4);
      await loadTx(e, lines, 'gen-noproduct.csv');
      const r = await buildFeatures(e, { ...CTX, hasProduct: false });
      assert.ok(!r.features.some((f) => f.name === 'distinct_products'));
      const cols = (await e.query(`DESCRIBE features`)).map((c) => c['column_name']);
      assert.ok(!cols.includes('distinct_products'));
    }));
});

describe('buildFeatures: hand-computed cases', () => {
  it('without invoice numbers, lines at the same time form one order', () =>
    withEngine(async (e) => {
      const t = (s: string) => Date.parse(`${s}Z`);
      const lines: Line[] = [
        { invoice: '', customer: '1', product: 'p1', quantity: 1, price: '10', ts: t('2011-01-01T10:00') },
        { invoice: '', customer: '1', product: 'p2', quantity: 2, price: '10', ts: t('2011-01-05T10:00') },
        { invoice: '', customer: '1', product: 'p2', quantity: -1, price: '5', ts: t('2011-01-05T10:00') },
        { invoice: '', customer: '2', product: 'p1', quantity: 1, price: '7', ts: t('2011-01-03T12:00') },
        { invoice: '', customer: '3', product: 'p1', quantity: -1, price: '7', ts: t('2011-01-03T12:00') },
        { invoice: '', customer: '4', product: 'p3', quantity: 1, price: '10', ts: t('2011-01-02T00:00') },
        { invoice: '', customer: '4', product: 'p3', quantity: -3, price: '10', ts: t('2011-01-04T00:00') },
      ];
      await loadTx(e, lines, 'no-invoice.csv', false);
      const r = await buildFeatures(e, CTX);
      assert.equal(r.asOf, '2011-01-06'); // last purchase 2011-01-05 10:00
      assert.equal(r.customers, 3);
      assert.deepEqual(r.excluded, [{ reason: 'no purchase (only returns or cancellations)', count: 1 }]);
      const rows = await featureRows(e);
      assert.equal(rows.has('3'), false, 'customer 3 only returned');
      // Customer 1: orders on Jan 1 (10) and Jan 5 (20 bought, 5 returned in the same order).
      assertRow(
        rows.get('1'),
        {
          recency_days: 14 / 24,
          frequency: 2,
          monetary: 25,
          avg_order_value: 15,
          tenure_days: 4 + 14 / 24,
          interpurchase_days: 4,
          distinct_products: 2,
          return_rate: 5 / 30,
        },
        'customer 1',
      );
      assertRow(
        rows.get('2'),
        {
          recency_days: 2.5,
          frequency: 1,
          monetary: 7,
          avg_order_value: 7,
          tenure_days: 2.5,
          interpurchase_days: 2.5,
          distinct_products: 1,
          return_rate: 0,
        },
        'customer 2',
      );
      // Customer 4 returned three times what was bought: the return is its own order, the rate is capped.
      assertRow(
        rows.get('4'),
        { recency_days: 4, frequency: 1, monetary: -20, avg_order_value: 10, tenure_days: 4, return_rate: 1 },
        'customer 4',
      );
      // The reference agrees with the hand values (the same lines, keyed by time).
      const ref = reference(lines.map((l) => ({ ...l, invoice: fmt(l.ts) })));
      for (const [c, f] of ref.features) assertRow(rows.get(c), f, `reference ${c}`);
    }));

  it('asOf from the config: recency and tenure measured from it', () =>
    withEngine(async (e) => {
      const lines: Line[] = [
        {
          invoice: '1',
          customer: '1',
          product: 'p1',
          quantity: 1,
          price: '10',
          ts: Date.parse('2011-01-01T12:00Z'),
        },
      ];
      await loadTx(e, lines, 'asof.csv');
      const r = await buildFeatures(e, { ...CTX, asOf: '2011-02-01' });
      assert.equal(r.asOf, '2011-02-01');
      assert.equal(r.asOfFrom, 'config');
      assertRow((await featureRows(e)).get('1'), { recency_days: 30.5, tenure_days: 30.5 }, 'customer 1');
    }));

  it(
    'asOf from the config: a customer who bought before it and again after it is not excluded as "no purchase"',
    {},
    () =>
      withEngine(async (e) => {
        const lines: Line[] = [
          {
            invoice: '1',
            customer: '1',
            product: 'p1',
            quantity: 1,
            price: '10',
            ts: Date.parse('2011-01-01T12:00Z'),
          },
          {
            invoice: '2',
            customer: '1',
            product: 'p1',
            quantity: 1,
            price: '10',
            ts: Date.parse('2011-03-01T12:00Z'),
          },
          {
            invoice: '3',
            customer: '2',
            product: 'p1',
            quantity: 1,
            price: '10',
            ts: Date.parse('2011-01-15T12:00Z'),
          },
        ];
        await loadTx(e, lines, 'asof-later.csv');
        const r = await buildFeatures(e, { ...CTX, asOf: '2011-02-01' });
        assert.deepEqual(r.excluded, [], 'both customers bought on or before asOf');
        const row = (await featureRows(e)).get('1');
        assert.ok(row, 'customer 1 bought on 2011-01-01, before asOf');
      }),
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Engagement and attributes, on tables shaped as cleanEvents and cleanCustomers produce them.
// ---------------------------------------------------------------------------------------------------------------

const ATTRIBUTES: CustomerAttribute[] = [
  { name: 'age', kind: 'numeric' },
  { name: 'Region', kind: 'categorical' },
  { name: 'tier', kind: 'ordinal', levels: ['lo', 'mid', 'hi'] },
  { name: 'signup', kind: 'date' },
];

/** Customers 1..6 buy once each, on Jan 1..6 2011 at noon (asOf = Jan 7); 7 is only in the customers file. */
async function setupAttributes(
  e: Engine,
  regions: (string | null)[] = ['A', 'A', 'B', 'C', null],
): Promise<void> {
  await e.exec(`CREATE OR REPLACE TABLE tx AS
    SELECT CAST(i AS VARCHAR) AS customer_id, 'inv' || i AS invoice_id, TIMESTAMP '2011-01-01 12:00:00' + INTERVAL (i - 1) DAY AS ts,
           1.0::DOUBLE AS quantity, 10.0 * i AS unit_price, 10.0 * i AS amount, 'p' AS product, NULL::VARCHAR AS country,
           FALSE AS is_return
    FROM range(1, 7) r(i)`);
  await e.exec(
    `CREATE OR REPLACE TABLE customers (customer_id VARCHAR, age DOUBLE, "Region" VARCHAR, tier DOUBLE, signup TIMESTAMP)`,
  );
  const rows: [string, number | null, string | null, number | null, string | null][] = [
    ['1', 30, regions[0]!, 0, '2010-01-07 00:00:00'],
    ['2', 40, regions[1]!, 1, null],
    ['3', null, regions[2]!, 2, '2010-07-07 00:00:00'],
    ['4', 50, regions[3]!, null, '2011-01-01 00:00:00'],
    ['5', 60, regions[4]!, 1, '2010-12-08 00:00:00'],
    ['7', 20, 'D', 0, '2009-01-07 00:00:00'],
  ];
  for (const r of rows) await e.exec(`INSERT INTO customers VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP))`, r);
  await e.exec(`CREATE OR REPLACE TABLE events (customer_id VARCHAR, ts TIMESTAMP, type VARCHAR)`);
  await e.exec(`INSERT INTO events VALUES
    ('1', '2011-01-02 10:00:00', 'open'), ('1', '2011-01-02 15:00:00', 'open'), ('1', '2011-01-04 10:00:00', 'click'),
    ('1', '2011-02-01 00:00:00', 'open'), ('2', '2011-01-06 00:00:00', 'click')`);
}

const ATTR_CTX: FeatureContext = {
  ...CTX,
  eventTypes: ['open', 'click'],
  attributes: ATTRIBUTES,
  maxCategories: 2,
};

const NEVER = 4 + 14 / 24; // from the first event (Jan 2 10:00) to asOf (Jan 7)

describe('buildFeatures: engagement and attributes', () => {
  it('engagement counts, one-hot levels with "other" and "missing", ordinal ranks, date ages, median imputation', () =>
    withEngine(async (e) => {
      await setupAttributes(e);
      const r = await buildFeatures(e, ATTR_CTX);
      assert.equal(r.asOf, '2011-01-07');
      assert.deepEqual(
        r.features.map((f) => f.name),
        [
          ...BEHAVIOUR_FEATURES.map((f) => f.name),
          'engagement_events',
          'engagement_active_days',
          'engagement_recency_days',
          'events_open',
          'events_click',
          'age',
          'region_a',
          'region_b',
          'region_other',
          'region_missing',
          'tier',
          'signup_days',
        ],
      );
      const byName = new Map(r.features.map((f) => [f.name, f]));
      assert.deepEqual(byName.get('region_a')?.oneHot, { attribute: 'Region', level: 'A' });
      assert.deepEqual(byName.get('region_missing')?.oneHot, { attribute: 'Region', level: null });
      // Medians of the segmented customers' known values: age [30,40,50,60], tier [0,1,2,1], signup [365,184,6,30].
      assert.equal(byName.get('age')?.impute, 45);
      assert.equal(byName.get('tier')?.impute, 1);
      assert.equal(byName.get('signup_days')?.impute, 107);
      assert.equal(byName.get('region_a')?.impute, undefined, 'one-hot columns are never imputed');

      assert.equal(r.customers, 6);
      assert.deepEqual(r.excluded, [
        { reason: 'in the customers file but with no valid transaction', count: 1 },
      ]);

      const rows = await featureRows(e);
      const expected: Record<string, Record<string, number>> = {
        '1': {
          engagement_events: 3,
          engagement_active_days: 2,
          engagement_recency_days: 2 + 14 / 24,
          events_open: 2,
          events_click: 1,
          age: 30,
          region_a: 1,
          region_b: 0,
          region_other: 0,
          region_missing: 0,
          tier: 0,
          signup_days: 365,
        },
        '2': {
          engagement_events: 1,
          engagement_active_days: 1,
          engagement_recency_days: 1,
          events_open: 0,
          events_click: 1,
          age: 40,
          region_a: 1,
          region_b: 0,
          region_other: 0,
          region_missing: 0,
          tier: 1,
          signup_days: 107,
        },
        '3': {
          engagement_events: 0,
          engagement_active_days: 0,
          engagement_recency_days: NEVER,
          events_open: 0,
          events_click: 0,
          age: 45,
          region_a: 0,
          region_b: 1,
          region_other: 0,
          region_missing: 0,
          tier: 2,
          signup_days: 184,
        },
        '4': {
          engagement_events: 0,
          engagement_active_days: 0,
          engagement_recency_days: NEVER,
          events_open: 0,
          events_click: 0,
          age: 50,
          region_a: 0,
          region_b: 0,
          region_other: 1,
          region_missing: 0,
          tier: 1,
          signup_days: 6,
        },
        '5': {
          engagement_events: 0,
          engagement_active_days: 0,
          engagement_recency_days: NEVER,
          events_open: 0,
          events_click: 0,
          age: 60,
          region_a: 0,
          region_b: 0,
          region_other: 0,
          region_missing: 1,
          tier: 1,
          signup_days: 30,
        },
        '6': {
          engagement_events: 0,
          engagement_active_days: 0,
          engagement_recency_days: NEVER,
          events_open: 0,
          events_click: 0,
          age: 45,
          region_a: 0,
          region_b: 0,
          region_other: 0,
          region_missing: 1,
          tier: 1,
          signup_days: 107,
        },
      };
      assert.deepEqual([...rows.keys()], ['1', '2', '3', '4', '5', '6']);
      for (const [c, f] of Object.entries(expected)) {
        assertRow(rows.get(c), f, `customer ${c}`);
        // Exactly one one-hot column is set per customer.
        const hot = ['region_a', 'region_b', 'region_other', 'region_missing'].map((k) =>
          Number(rows.get(c)?.[k]),
        );
        assert.equal(
          hot.reduce((a, b) => a + b, 0),
          1,
          `customer ${c} one-hot`,
        );
      }
      const [nulls] = await e.query(
        `SELECT count(*) FILTER (WHERE age IS NULL OR tier IS NULL OR signup_days IS NULL) AS n FROM features`,
      );
      assert.equal(Number(nulls?.['n']), 0, 'no missing values after imputation');
    }));

  it('scoring with the saved spec: same data gives the same table', () =>
    withEngine(async (e) => {
      await setupAttributes(e);
      const fitted = await buildFeatures(e, ATTR_CTX);
      const before = await e.query(`SELECT * FROM features`);
      const spec = specOf(fitted);
      const scored = await buildFeatures(e, { ...CTX, attributes: ATTRIBUTES }, spec);
      assert.deepEqual(
        scored.features.map((f) => f.name),
        fitted.features.map((f) => f.name),
      );
      assert.deepEqual(await e.query(`SELECT * FROM features`), before);
    }));

  it('scoring with the saved spec on new data keeps the fitted levels and imputation values', () =>
    withEngine(async (e) => {
      await setupAttributes(e);
      const spec = specOf(await buildFeatures(e, ATTR_CTX));
      // New data: other regions and more missing ages; the fitted levels (A, B) and medians must be kept.
      await setupAttributes(e, ['D', 'B', 'C', null, 'A']);
      await e.exec(`UPDATE customers SET age = NULL WHERE customer_id = '1'`);
      const scored = await buildFeatures(e, { ...CTX, attributes: ATTRIBUTES, maxCategories: 12 }, spec);
      assert.deepEqual(
        scored.features.map((f) => f.name),
        spec.features.map((f) => f.name),
      );
      const rows = await featureRows(e);
      const hot = (c: string) =>
        ['region_a', 'region_b', 'region_other', 'region_missing'].filter(
          (k) => Number(rows.get(c)?.[k]) === 1,
        );
      assert.deepEqual(hot('1'), ['region_other']); // D: not a fitted level
      assert.deepEqual(hot('2'), ['region_b']);
      assert.deepEqual(hot('3'), ['region_other']);
      assert.deepEqual(hot('4'), ['region_missing']);
      assert.deepEqual(hot('5'), ['region_a']);
      assert.equal(Number(rows.get('1')?.['age']), 45, 'the spec median, not the new data median (50)');
    }));

  it('scoring with a spec that has no engagement features needs no events table', {}, () =>
    withEngine(async (e) => {
      await setupAttributes(e);
      await e.exec(`DROP TABLE events`);
      const fitted = await buildFeatures(e, { ...CTX, attributes: ATTRIBUTES });
      const scored = await buildFeatures(e, { ...CTX, attributes: ATTRIBUTES }, specOf(fitted));
      assert.deepEqual(
        scored.features.map((f) => f.name),
        fitted.features.map((f) => f.name),
      );
    }),
  );
});

describe('buildFeatures: customers only', () => {
  it('without transactions: attribute features for every customer, asOf the day after the latest date attribute', () =>
    withEngine(async (e) => {
      await setupAttributes(e);
      const r = await buildFeatures(e, {
        hasTransactions: false,
        hasProduct: false,
        attributes: ATTRIBUTES,
        maxCategories: 2,
      });
      assert.equal(r.asOf, '2011-01-02'); // latest signup 2011-01-01
      assert.deepEqual(
        r.features.map((f) => f.name),
        ['age', 'region_a', 'region_b', 'region_other', 'region_missing', 'tier', 'signup_days'],
      );
      assert.equal(r.customers, 6);
      assert.deepEqual(r.excluded, []);
      const rows = await featureRows(e);
      assert.deepEqual([...rows.keys()], ['1', '2', '3', '4', '5', '7']);
      // Medians over all six customers: age [30,40,50,60,20] → 40; signup days [360,179,1,25,725] → 179.
      assertRow(rows.get('1'), { age: 30, region_a: 1, tier: 0, signup_days: 360 }, 'customer 1');
      assertRow(rows.get('2'), { age: 40, region_a: 1, tier: 1, signup_days: 179 }, 'customer 2');
      assertRow(rows.get('3'), { age: 40, region_b: 1, tier: 2, signup_days: 179 }, 'customer 3');
      assertRow(rows.get('4'), { age: 50, region_other: 1, tier: 1, signup_days: 1 }, 'customer 4');
      assertRow(rows.get('5'), { age: 60, region_missing: 1, tier: 1, signup_days: 25 }, 'customer 5');
      assertRow(rows.get('7'), { age: 20, region_other: 1, tier: 0, signup_days: 725 }, 'customer 7');
    }));
});

function specOf(r: FeaturesResult): FeatureSpec {
  return {
    asOf: r.asOf,
    asOfFrom: r.asOfFrom,
    features: structuredClone(r.features),
    cluster: [],
    scaling: 'standard',
  };
}

describe('snake', () => {
  it('makes safe column-name parts', () => {
    assert.equal(snake('Region'), 'region');
    assert.equal(snake('signupDate'), 'signup_date');
    assert.equal(snake('Île-de-France'), 'ile_de_france');
    assert.equal(snake('  a  b  '), 'a_b');
    assert.equal(snake('日本'), '');
    assert.equal(snake('x'.repeat(60)).length, 40);
  });
});
