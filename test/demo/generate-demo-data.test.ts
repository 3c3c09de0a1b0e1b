// Tests of the demo data generator: same seed same bytes, the planted mess is exactly what the bookkeeping says,
// the planted segments show in the data and k-means on log-scaled RFM recovers them.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEMO_DEFAULTS, PLANTED_SEGMENTS, generateDemoData } from '../../src/demo/index.js';
import type { DemoFiles } from '../../src/demo/index.js';
import { Random } from '../../src/util/random.js';

const TX_HEADER =
  'InvoiceNo,StockCode,Description,Category,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const CUSTOMER_HEADER =
  'customer_id,age,gender,income,country,region,city,signup_date,channel_preference,price_sensitivity,interests';
const EVENT_HEADER = 'customer_id,timestamp,event_type,channel';
const TRUTH_HEADER = 'customer_id,planted_segment';
const DAY_MS = 86_400_000;

let root: string;
let demo: DemoFiles;
let tx: Table;
let customers: Table;
let events: Table;
let truth: Map<string, string>;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'segmint-demo-test-'));
  demo = await generateDemoData(join(root, 'default'));
  tx = parseCsv(await readFile(demo.transactions, 'utf8'));
  customers = parseCsv(await readFile(demo.customers, 'utf8'));
  events = parseCsv(await readFile(demo.events, 'utf8'));
  const t = parseCsv(await readFile(demo.truth, 'utf8'));
  truth = new Map(t.rows.map((r) => [r[0]!, r[1]!]));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('generateDemoData: files', () => {
  it('writes the four files with the documented headers, every row as wide as its header', () => {
    assert.equal(tx.header.join(','), TX_HEADER);
    assert.equal(customers.header.join(','), CUSTOMER_HEADER);
    assert.equal(events.header.join(','), EVENT_HEADER);
    assert.equal([...truth.keys()].length, DEMO_DEFAULTS.customers);
    for (const [name, table] of [
      ['transactions', tx],
      ['customers', customers],
      ['events', events],
    ] as const) {
      const bad = table.rows.findIndex((r) => r.length !== table.header.length);
      assert.equal(bad, -1, `${name} row ${bad + 2} has ${table.rows[bad]?.length} fields`);
    }
  });

  it('leaves no temporary files behind', async () => {
    assert.deepEqual((await readdir(join(root, 'default'))).sort(), [
      'customers.csv',
      'events.csv',
      'transactions.csv',
      'truth.csv',
    ]);
  });

  it('is read by DuckDB with the same columns and row counts', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      for (const [path, header, rows] of [
        [demo.transactions, TX_HEADER, demo.counts.transactionRows],
        [demo.customers, CUSTOMER_HEADER, demo.counts.customers],
        [demo.events, EVENT_HEADER, demo.counts.events],
        [demo.truth, TRUTH_HEADER, demo.counts.customers],
      ] as const) {
        const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${sqlString(path)})`);
        assert.equal(
          described
            .getRowObjectsJS()
            .map((r) => r['column_name'])
            .join(','),
          header,
        );
        const counted = await conn.runAndReadAll(
          `SELECT count(*)::INTEGER AS n FROM read_csv(${sqlString(path)})`,
        );
        assert.equal(counted.getRowObjectsJS()[0]!['n'], rows, path);
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('generateDemoData: determinism', () => {
  it('gives byte-identical files for the same seed, whatever the time zone, and different files for another', async () => {
    const tz = process.env['TZ'];
    try {
      process.env['TZ'] = 'Pacific/Auckland';
      const again = await generateDemoData(join(root, 'again'));
      for (const key of ['transactions', 'customers', 'events', 'truth'] as const) {
        assert.ok((await readFile(demo[key])).equals(await readFile(again[key])), `${key} differs`);
      }
      assert.deepEqual(again.counts, demo.counts);
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
    const other = await generateDemoData(join(root, 'other'), { seed: 7 });
    assert.ok(!(await readFile(demo.transactions)).equals(await readFile(other.transactions)));
  });
});

describe('generateDemoData: planted mess is exactly as counted', () => {
  const col = (name: string): number => tx.header.indexOf(name);

  it('counts every kind of transaction row', () => {
    const c = demo.counts;
    assert.equal(tx.rows.length, c.transactionRows);
    assert.equal(
      c.transactionRows,
      c.saleLines +
        c.cancellationLines +
        c.guestLines +
        c.duplicateLines +
        c.zeroPriceLines +
        c.badQuantityLines +
        c.badUnitPriceLines,
    );
    // Small, known amounts, as documented.
    assert.equal(c.duplicateLines, 20);
    assert.equal(c.zeroPriceLines, 10);
    assert.equal(c.badQuantityLines, 2);
    assert.equal(c.badUnitPriceLines, 2);
    assert.equal(c.guestInvoices, 80);
    const cancelShare = c.cancellationInvoices / c.saleInvoices;
    assert.ok(cancelShare > 0.01 && cancelShare < 0.06, `cancellations are ${cancelShare} of invoices`);
  });

  it('has exactly the planted duplicates, each right after its original', () => {
    const seen = new Set<string>();
    let duplicates = 0;
    tx.lines.forEach((line, i) => {
      if (seen.has(line)) {
        duplicates++;
        assert.equal(tx.lines[i - 1], line, `duplicate at row ${i + 2} does not follow its original`);
      }
      seen.add(line);
    });
    assert.equal(duplicates, demo.counts.duplicateLines);
  });

  it('has exactly the planted empty CustomerIDs, zero prices and unparseable values', () => {
    const customer = col('CustomerID');
    const price = col('UnitPrice');
    const qty = col('Quantity');
    assert.equal(tx.rows.filter((r) => r[customer] === '').length, demo.counts.guestLines);
    assert.equal(tx.rows.filter((r) => Number(r[price]) === 0).length, demo.counts.zeroPriceLines);
    assert.equal(tx.rows.filter((r) => !/^-?\d+$/.test(r[qty]!)).length, demo.counts.badQuantityLines);
    assert.equal(tx.rows.filter((r) => !/^\d+\.\d\d$/.test(r[price]!)).length, demo.counts.badUnitPriceLines);
    assert.ok(tx.rows.some((r) => r[qty] === 'n/a'));
    assert.ok(tx.rows.some((r) => r[price]!.startsWith('£')));
  });

  it('makes every "C" line a negative return of something the customer bought earlier', () => {
    const [inv, code, qty, date, customer] = [
      'InvoiceNo',
      'StockCode',
      'Quantity',
      'InvoiceDate',
      'CustomerID',
    ].map(col) as [number, number, number, number, number];
    const bought = new Map<string, { time: string; qty: number }[]>();
    let cancellations = 0;
    for (const r of tx.rows) {
      const key = `${r[customer]}|${r[code]}`;
      const q = Number(r[qty]);
      if (r[inv]!.startsWith('C')) {
        cancellations++;
        assert.ok(q < 0, `cancellation ${r[inv]} has quantity ${r[qty]}`);
        assert.notEqual(r[customer], '');
        const earlier = (bought.get(key) ?? []).filter((b) => b.time < r[date]! && b.qty >= -q);
        assert.ok(earlier.length > 0, `${r[inv]} returns ${r[code]} that ${r[customer]} had not bought`);
      } else if (q > 0) {
        bought.set(key, [...(bought.get(key) ?? []), { time: r[date]!, qty: q }]);
      }
    }
    assert.equal(cancellations, demo.counts.cancellationLines);
    assert.ok(tx.rows.every((r) => r[inv]!.startsWith('C') || Number(r[qty]) > 0 || r[qty] === 'n/a'));
  });

  it('counts the empty cells of customers.csv per column', () => {
    for (const [column, expected] of Object.entries(demo.counts.missing)) {
      const j = customers.header.indexOf(column);
      assert.ok(j >= 0, column);
      assert.equal(customers.rows.filter((r) => r[j] === '').length, expected, column);
    }
    for (const column of ['customer_id', 'country', 'signup_date']) {
      const j = customers.header.indexOf(column);
      assert.equal(customers.rows.filter((r) => r[j] === '').length, 0, column);
    }
  });

  it('writes events and truth rows as counted, with known types and planted segment sizes', () => {
    assert.equal(events.rows.length, demo.counts.events);
    const types = new Set(events.rows.map((r) => `${r[2]}/${r[3]}`));
    assert.deepEqual([...types].sort(), [
      'app_open/app',
      'email_click/email',
      'email_open/email',
      'page_view/app',
      'page_view/web',
      'web_session/web',
    ]);
    const sizes = new Map<string, number>();
    for (const s of truth.values()) sizes.set(s, (sizes.get(s) ?? 0) + 1);
    for (const s of PLANTED_SEGMENTS) {
      assert.equal(sizes.get(s.name), demo.counts.segmentSizes[s.id], s.name);
      assert.ok(Math.abs(sizes.get(s.name)! - s.share * DEMO_DEFAULTS.customers) <= 1, s.name);
    }
  });
});

describe('generateDemoData: realistic shape', () => {
  it('spans ~18 months up to the as-of day, with weekday and opening-hour patterns', () => {
    const j = tx.header.indexOf('InvoiceDate');
    const dates = tx.rows.map((r) => r[j]!);
    assert.ok(dates.every((d) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(d)));
    const sorted = [...dates].sort();
    assert.deepEqual(dates, sorted, 'rows are in time order like an export');
    assert.ok(sorted.at(-1)! <= '2026-06-30 23:59:59' && sorted.at(-1)! >= '2026-06-29');
    const months =
      (Date.parse(`${DEMO_DEFAULTS.asOf}T00:00Z`) - Date.parse(`${sorted[0]!.slice(0, 10)}T00:00Z`)) /
      DAY_MS /
      30.44;
    assert.ok(months > 17 && months < 18.5, `history spans ${months} months`);
    const byWeekday = new Array<number>(7).fill(0);
    const byHour = new Array<number>(24).fill(0);
    for (const d of dates) {
      byWeekday[new Date(`${d.slice(0, 10)}T00:00Z`).getUTCDay()]!++;
      byHour[Number(d.slice(11, 13))]!++;
    }
    assert.ok(byWeekday[6]! < 0.7 * byWeekday[4]!, `Saturdays ${byWeekday[6]} vs Thursdays ${byWeekday[4]}`);
    assert.equal(
      byHour.slice(0, 6).reduce((a, b) => a + b, 0),
      0,
      'no purchases before 6:00',
    );
    assert.ok(byHour[12]! > 2 * byHour[8]! && byHour[12]! > 2 * byHour[19]!, 'lunchtime peak');
  });

  it('has ~200 products in 8 categories, one description and one shelf price per stock code', () => {
    const [code, desc, cat, price] = ['StockCode', 'Description', 'Category', 'UnitPrice'].map((c) =>
      tx.header.indexOf(c),
    ) as [number, number, number, number];
    const products = new Map<string, string>();
    for (const r of tx.rows) {
      if (!/^\d+\.\d\d$/.test(r[price]!) || Number(r[price]) === 0) continue;
      const value = `${r[desc]}|${r[cat]}|${r[price]}`;
      assert.equal(products.get(r[code]!) ?? value, value, `stock code ${r[code]}`);
      products.set(r[code]!, value);
    }
    assert.ok(products.size > 180 && products.size <= demo.counts.products, `${products.size} products`);
    assert.equal(new Set(tx.rows.map((r) => r[cat])).size, 8);
    assert.ok(
      tx.rows.some((r) => r[desc]!.includes(',')),
      'some descriptions need CSV quoting',
    );
  });

  it('makes invoices of several lines', () => {
    const j = tx.header.indexOf('InvoiceNo');
    const invoices = new Set(tx.rows.map((r) => r[j]));
    const perInvoice = tx.rows.length / invoices.size;
    assert.ok(perInvoice > 2.5 && perInvoice < 8, `${perInvoice} lines per invoice`);
  });
});

describe('generateDemoData: planted segments', () => {
  let rfm: Map<string, Rfm>;
  before(() => {
    rfm = rfmFromTransactions(tx, DEMO_DEFAULTS.asOf);
  });

  const bySegment = (f: (r: Rfm) => number): Map<string, number> => {
    const values = new Map<string, number[]>();
    for (const [id, r] of rfm) {
      const s = truth.get(id)!;
      values.set(s, [...(values.get(s) ?? []), f(r)]);
    }
    return new Map([...values].map(([s, v]) => [s, median(v)]));
  };

  it('shows the planted recency, frequency and spend', () => {
    const recency = bySegment((r) => r.recency);
    const frequency = bySegment((r) => r.frequency);
    const monetary = bySegment((r) => r.monetary);
    const g = (m: Map<string, number>, name: string): number => m.get(name)!;
    assert.ok(g(recency, 'Champions') < 14);
    assert.ok(g(recency, 'Champions') < g(recency, 'At-risk big spenders'));
    assert.ok(g(recency, 'At-risk big spenders') > 180 && g(recency, 'At-risk big spenders') < 366);
    assert.ok(g(recency, 'Hibernating bargain hunters') > 240);
    assert.ok(g(frequency, 'Champions') > g(frequency, 'Loyal regulars'));
    assert.ok(g(frequency, 'Loyal regulars') > g(frequency, 'New customers'));
    assert.ok(g(monetary, 'Champions') > g(monetary, 'At-risk big spenders'));
    assert.ok(g(monetary, 'At-risk big spenders') > g(monetary, 'Loyal regulars'));
    assert.ok(g(monetary, 'Loyal regulars') > g(monetary, 'New customers'));
    assert.ok(g(monetary, 'New customers') > g(monetary, 'Hibernating bargain hunters'));
    for (const [id, r] of rfm) {
      const s = truth.get(id);
      if (s === 'New customers') assert.ok(r.firstAgo < 60 && r.frequency <= 2, `new customer ${id}`);
      if (s === 'Hibernating bargain hunters')
        assert.ok(r.recency >= 190 && r.frequency <= 3, `hibernating ${id}`);
    }
  });

  it('leans attributes and engagement the planted way, without making them decisive', () => {
    const col = (name: string): number => customers.header.indexOf(name);
    const mean = (segment: string, column: string): number => {
      const j = col(column);
      const v = customers.rows
        .filter((r) => truth.get(r[0]!) === segment && r[j] !== '')
        .map((r) => Number(r[j]));
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    assert.ok(mean('New customers', 'age') + 10 < mean('Loyal regulars', 'age'));
    assert.ok(
      mean('Hibernating bargain hunters', 'price_sensitivity') > mean('Champions', 'price_sensitivity') + 1.5,
    );
    assert.ok(mean('At-risk big spenders', 'income') > mean('Hibernating bargain hunters', 'income'));
    // Not decisive: every segment has some customers at the other end of the scale.
    const sensitivity = col('price_sensitivity');
    for (const s of PLANTED_SEGMENTS) {
      const values = new Set(
        customers.rows.filter((r) => truth.get(r[0]!) === s.name).map((r) => r[sensitivity]),
      );
      assert.ok(values.has('2') && values.has('4'), `${s.name} price sensitivity spread`);
    }
    const perCustomer = new Map<string, number>();
    for (const r of events.rows) perCustomer.set(r[0]!, (perCustomer.get(r[0]!) ?? 0) + 1);
    const eventsOf = (segment: string): number => {
      const ids = [...truth].filter(([, s]) => s === segment).map(([id]) => id);
      return median(ids.map((id) => perCustomer.get(id) ?? 0));
    };
    assert.ok(eventsOf('Champions') > eventsOf('Loyal regulars'));
    assert.ok(eventsOf('Champions') > 5 * Math.max(1, eventsOf('Hibernating bargain hunters')));
    assert.ok(eventsOf('New customers') > eventsOf('At-risk big spenders'));
  });

  it('is recovered by k-means (k = 5) on standardised log1p recency, frequency and spend', () => {
    const ids = [...rfm.keys()].filter((id) => rfm.get(id)!.monetary > 0);
    const d = 3;
    const x = new Float64Array(ids.length * d);
    ids.forEach((id, i) => {
      const r = rfm.get(id)!;
      x[i * d] = Math.log1p(r.recency);
      x[i * d + 1] = Math.log1p(r.frequency);
      x[i * d + 2] = Math.log1p(r.monetary);
    });
    standardise(x, d);
    const labels = kMeans(x, d, 5, new Random(1));
    const ari = adjustedRandIndex(
      labels,
      ids.map((id) => truth.get(id)!),
    );
    assert.ok(ari > 0.85, `adjusted Rand index ${ari.toFixed(3)}`);
  });
});

describe('generateDemoData: options', () => {
  it('rejects bad options with the offending value', async () => {
    const dir = join(root, 'bad');
    await assert.rejects(generateDemoData(dir, { customers: 0 }), /customers .* got 0/);
    await assert.rejects(generateDemoData(dir, { customers: 2.5 }), RangeError);
    await assert.rejects(generateDemoData(dir, { asOf: '2026-02-30' }), /asOf .*2026-02-30/);
    await assert.rejects(generateDemoData(dir, { asOf: 'yesterday' }), RangeError);
    await assert.rejects(generateDemoData(dir, { seed: Number.NaN }), RangeError);
    await assert.rejects(generateDemoData(''), TypeError);
  });

  it('works for a single customer and moves the history with asOf', async () => {
    const one = await generateDemoData(join(root, 'one'), { customers: 1, asOf: '2024-02-29', seed: 3 });
    const rows = parseCsv(await readFile(one.transactions, 'utf8'));
    assert.equal(rows.rows.length, one.counts.transactionRows);
    const j = rows.header.indexOf('InvoiceDate');
    assert.ok(rows.rows.every((r) => r[j]! <= '2024-02-29 23:59:59' && r[j]! >= '2022-08-01'));
    assert.equal(one.plantedSegments.length, 5);
  });
});

// ---- helpers ----

interface Table {
  header: string[];
  rows: string[][];
  /** Raw data lines (no header), for exact-duplicate checks. */
  lines: string[];
}

/** RFC 4180 parser for the generator's output (quoted fields have no line breaks). */
function parseCsv(text: string): Table {
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'file ends with a newline');
  const split = (line: string): string[] => {
    const out: string[] = [];
    let i = 0;
    for (;;) {
      if (line[i] === '"') {
        let value = '';
        i++;
        for (;;) {
          const q = line.indexOf('"', i);
          assert.ok(q >= 0, `unterminated quote in ${line}`);
          value += line.slice(i, q);
          if (line[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        out.push(value);
      } else {
        const c = line.indexOf(',', i);
        out.push(line.slice(i, c < 0 ? line.length : c));
        i = c < 0 ? line.length : c;
      }
      if (i >= line.length) return out;
      assert.equal(line[i], ',', `field not followed by a comma in ${line}`);
      i++;
    }
  };
  const [header, ...data] = lines;
  return { header: split(header!), rows: data.map(split), lines: data };
}

interface Rfm {
  recency: number;
  frequency: number;
  monetary: number;
  firstAgo: number;
}

/** RFM per customer the way a cleaner would: drop guests, duplicates, zero and unparseable prices; net returns. */
function rfmFromTransactions(t: Table, asOf: string): Map<string, Rfm> {
  const [inv, qtyCol, date, price, customer] = [
    'InvoiceNo',
    'Quantity',
    'InvoiceDate',
    'UnitPrice',
    'CustomerID',
  ].map((c) => t.header.indexOf(c)) as [number, number, number, number, number];
  const end = Date.parse(`${asOf}T00:00Z`) + DAY_MS;
  const seen = new Set<string>();
  const acc = new Map<string, { invoices: Set<string>; last: number; first: number; monetary: number }>();
  t.rows.forEach((r, i) => {
    const line = t.lines[i]!;
    if (seen.has(line)) return;
    seen.add(line);
    const q = Number(r[qtyCol]);
    const p = Number(r[price]);
    if (r[customer] === '' || !Number.isFinite(q) || !(p > 0)) return;
    const when = Date.parse(`${r[date]!.replace(' ', 'T')}Z`);
    const a = acc.get(r[customer]!) ?? { invoices: new Set(), last: -Infinity, first: Infinity, monetary: 0 };
    a.monetary += q * p;
    if (!r[inv]!.startsWith('C')) {
      a.invoices.add(r[inv]!);
      a.last = Math.max(a.last, when);
      a.first = Math.min(a.first, when);
    }
    acc.set(r[customer]!, a);
  });
  return new Map(
    [...acc].map(([id, a]) => [
      id,
      {
        recency: Math.floor((end - a.last) / DAY_MS),
        frequency: a.invoices.size,
        monetary: a.monetary,
        firstAgo: Math.floor((end - a.first) / DAY_MS),
      },
    ]),
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function standardise(x: Float64Array, d: number): void {
  const n = x.length / d;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + j]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i * d + j]! - mean) ** 2;
    const sd = Math.sqrt(ss / n) || 1;
    for (let i = 0; i < n; i++) x[i * d + j] = (x[i * d + j]! - mean) / sd;
  }
}

/**
 * A deliberately small k-means for this test (k-means++ seeding, Arthur & Vassilvitskii 2007, then Lloyd's
 * iterations; best inertia of 10 starts), so the check does not depend on segmint's own clustering code.
 */
function kMeans(x: Float64Array, d: number, k: number, rng: Random): Int32Array {
  const n = x.length / d;
  const dist2 = (i: number, c: Float64Array, j: number): number => {
    let s = 0;
    for (let f = 0; f < d; f++) s += (x[i * d + f]! - c[j * d + f]!) ** 2;
    return s;
  };
  let best = { inertia: Infinity, labels: new Int32Array(n) };
  const nearest = new Float64Array(n);
  for (let start = 0; start < 10; start++) {
    const centres = new Float64Array(k * d);
    const first = rng.int(n);
    for (let f = 0; f < d; f++) centres[f] = x[first * d + f]!;
    for (let j = 1; j < k; j++) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        let m = Infinity;
        for (let c = 0; c < j; c++) m = Math.min(m, dist2(i, centres, c));
        nearest[i] = m;
        total += m;
      }
      let u = rng.next() * total;
      let pickIndex = 0;
      while (pickIndex < n - 1 && (u -= nearest[pickIndex]!) > 0) pickIndex++;
      for (let f = 0; f < d; f++) centres[j * d + f] = x[pickIndex * d + f]!;
    }
    const labels = new Int32Array(n);
    let inertia = Infinity;
    for (let iter = 0; iter < 100; iter++) {
      inertia = 0;
      for (let i = 0; i < n; i++) {
        let bestC = 0;
        let bestD = Infinity;
        for (let c = 0; c < k; c++) {
          const dd = dist2(i, centres, c);
          if (dd < bestD) [bestC, bestD] = [c, dd];
        }
        labels[i] = bestC;
        inertia += bestD;
      }
      const sums = new Float64Array(k * d);
      const counts = new Int32Array(k);
      for (let i = 0; i < n; i++) {
        counts[labels[i]!]!++;
        for (let f = 0; f < d; f++) sums[labels[i]! * d + f]! += x[i * d + f]!;
      }
      let moved = 0;
      for (let c = 0; c < k; c++) {
        if (counts[c] === 0) continue;
        for (let f = 0; f < d; f++) {
          const v = sums[c * d + f]! / counts[c]!;
          moved += Math.abs(v - centres[c * d + f]!);
          centres[c * d + f] = v;
        }
      }
      if (moved < 1e-9) break;
    }
    if (inertia < best.inertia) best = { inertia, labels };
  }
  return best.labels;
}

/** Adjusted Rand index (Hubert & Arabie 1985). */
function adjustedRandIndex(a: Int32Array, b: string[]): number {
  const pairs = (m: number): number => (m * (m - 1)) / 2;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    table.set(`${a[i]}|${b[i]}`, (table.get(`${a[i]}|${b[i]}`) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  const sumCells = [...table.values()].reduce((s, m) => s + pairs(m), 0);
  const sumRows = [...rows.values()].reduce((s, m) => s + pairs(m), 0);
  const sumCols = [...cols.values()].reduce((s, m) => s + pairs(m), 0);
  const expected = (sumRows * sumCols) / pairs(a.length);
  return (sumCells - expected) / ((sumRows + sumCols) / 2 - expected);
}

/** A SQL string literal for a path made by this test (mkdtemp), so it holds no quote of its own to escape. */
function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
