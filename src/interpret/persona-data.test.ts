// gatherPersonaData on small hand-made tables: every share and lift equals a plain recomputation in JS, and the
// typical customer equals a brute-force argmin of the distance to the segment mean.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBEngine } from '../engine/index.js';
import { Random } from '../util/random.js';
import { gatherPersonaData, segmentMedoids, type PersonaData } from './persona-data.js';

process.env['TZ'] = 'UTC';

const N = 60;
const K = 3;
const PRODUCTS = ['apple', 'bread', 'cheese', 'dates', 'eggs', 'figs'];
const TYPES = ['email_open', 'web_session', 'app_open'];

interface Line {
  customer: number;
  invoice: string;
  ts: Date;
  amount: number;
  product: string;
  ret: boolean;
}

function close(a: number, b: number, what: string) {
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
}

describe('gatherPersonaData', () => {
  let engine: DuckDBEngine;
  let data: PersonaData;
  const rnd = new Random(7);
  const labels = Int32Array.from({ length: N }, (_, i) => (i % 7 === 6 ? -1 : i % K));
  const lines: Line[] = [];
  const events: { customer: number; type: string }[] = [];
  const cmp1: (number | null)[] = [];
  const response: number[] = [];
  const matrix = { data: new Float64Array(N * 2), rows: N, cols: 2 };

  before(async () => {
    for (let c = 0; c < N; c++) {
      const orders = 1 + Math.floor(rnd.next() * 4);
      for (let o = 0; o < orders; o++) {
        // Segment 0 buys on weekends in the evening, the others any time.
        const day = labels[c] === 0 ? 5 + Math.floor(rnd.next() * 2) : Math.floor(rnd.next() * 7);
        const hour = labels[c] === 0 ? 18 + Math.floor(rnd.next() * 4) : Math.floor(rnd.next() * 24);
        const ts = new Date(Date.UTC(2024, 0, 1 + day + 7 * o, hour, 15)); // 2024-01-01 is a Monday
        const invoice = `I${c}-${o}`;
        const nLines = 1 + Math.floor(rnd.next() * 3);
        for (let l = 0; l < nLines; l++) {
          const p =
            labels[c] === 1 && l === 0 ? 'cheese' : PRODUCTS[Math.floor(rnd.next() * PRODUCTS.length)]!;
          lines.push({
            customer: c,
            invoice,
            ts,
            amount: 1 + Math.round(rnd.next() * 50),
            product: p,
            ret: false,
          });
        }
        if (rnd.next() < 0.2)
          lines.push({ customer: c, invoice: `C${c}-${o}`, ts, amount: -5, product: 'apple', ret: true });
      }
      for (const type of TYPES) {
        const n =
          labels[c] === 2 && type === 'app_open' ? 3 : rnd.next() < 0.4 ? 1 + Math.floor(rnd.next() * 3) : 0;
        for (let e = 0; e < n; e++) events.push({ customer: c, type });
      }
      cmp1.push(c % 11 === 0 ? null : rnd.next() < (labels[c] === 1 ? 0.7 : 0.2) ? 1 : 0);
      response.push(rnd.next() < 0.3 ? 1 : 0);
      matrix.data[c * 2] = rnd.next() * 3 + (labels[c] ?? 0);
      matrix.data[c * 2 + 1] = rnd.next();
    }
    engine = await DuckDBEngine.open({ path: ':memory:' });
    const ids = Array.from({ length: N }, (_, c) => `cust-${c}`);
    await engine.createTable('features', [
      { name: '_pos', kind: 'int32', values: Int32Array.from({ length: N }, (_, i) => i) },
      { name: 'customer_id', kind: 'text', values: ids },
      { name: 'frequency', kind: 'double', values: Float64Array.from({ length: N }, (_, i) => i % 5) },
    ]);
    await engine.createTable('segment_labels', [
      { name: '_pos', kind: 'int32', values: Int32Array.from({ length: N }, (_, i) => i) },
      { name: 'segment', kind: 'int32', values: labels },
    ]);
    await engine.createTable('tx_raw', [
      { name: 'customer_id', kind: 'text', values: lines.map((l) => `cust-${l.customer}`) },
      { name: 'invoice_id', kind: 'text', values: lines.map((l) => l.invoice) },
      { name: 'ts_text', kind: 'text', values: lines.map((l) => l.ts.toISOString().slice(0, 19)) },
      { name: 'amount', kind: 'double', values: Float64Array.from(lines, (l) => l.amount) },
      { name: 'product', kind: 'text', values: lines.map((l) => l.product) },
      { name: 'is_return', kind: 'int32', values: Int32Array.from(lines, (l) => (l.ret ? 1 : 0)) },
    ]);
    await engine.exec(
      `CREATE TABLE tx AS SELECT customer_id, invoice_id, CAST(ts_text AS TIMESTAMP) AS ts, amount, product, is_return = 1 AS is_return FROM tx_raw`,
    );
    await engine.createTable('events', [
      { name: 'customer_id', kind: 'text', values: events.map((e) => `cust-${e.customer}`) },
      { name: 'type', kind: 'text', values: events.map((e) => e.type) },
    ]);
    await engine.exec(
      `CREATE TABLE customers (customer_id VARCHAR, AcceptedCmp1 INTEGER, Response INTEGER, Income DOUBLE, campaign_note VARCHAR)`,
    );
    for (let c = 0; c < N; c++) {
      await engine.exec('INSERT INTO customers VALUES (?, ?, ?, ?, ?)', [
        `cust-${c}`,
        cmp1[c]!,
        response[c]!,
        1000 * c,
        'spring sale',
      ]);
    }
    data = await gatherPersonaData(engine, {
      k: K,
      noise: true,
      hasTransactions: true,
      hasProduct: true,
      hasEvents: true,
      hasCustomers: true,
      scaledMatrix: matrix,
      labels,
      topProducts: 3,
    });
  });
  after(() => engine.close());

  const members = (s: number) => Array.from({ length: N }, (_, c) => c).filter((c) => labels[c] === s - 1);

  test('returns segments 1..k, then 0 for noise', () => {
    assert.deepEqual(
      data.segments.map((s) => s.segment),
      [1, 2, 3, 0],
    );
  });

  test('weekday and hour shares count orders (not lines, not returns) per segment and overall', () => {
    const shares = (cs: number[]) => {
      const orders = new Map<string, Date>();
      for (const l of lines) if (!l.ret && cs.includes(l.customer)) orders.set(l.invoice, l.ts);
      const days = new Array<number>(7).fill(0);
      const hours = new Array<number>(24).fill(0);
      for (const ts of orders.values()) {
        days[(ts.getUTCDay() + 6) % 7]!++;
        hours[ts.getUTCHours()]!++;
      }
      return { days: days.map((x) => x / orders.size), hours: hours.map((x) => x / orders.size) };
    };
    for (const s of data.segments) {
      const want = shares(members(s.segment));
      want.days.forEach((x, i) => close(s.weekdays![i]!, x, `segment ${s.segment} weekday ${i}`));
      want.hours.forEach((x, i) => close(s.hours![i]!, x, `segment ${s.segment} hour ${i}`));
    }
    const all = shares(Array.from({ length: N }, (_, c) => c));
    all.days.forEach((x, i) => close(data.overall.weekdays![i]!, x, `overall weekday ${i}`));
    // Segment 0 was planted on Saturday and Sunday evenings.
    close(data.segments[0]!.weekdays![5]! + data.segments[0]!.weekdays![6]!, 1, 'weekend share of segment 1');
  });

  test('top products by share of net spend (returns subtracted), with lift against all customers', () => {
    const spend = (cs: number[]) => {
      const net = new Map<string, number>();
      for (const l of lines) {
        if (!cs.includes(l.customer)) continue;
        net.set(l.product, (net.get(l.product) ?? 0) + l.amount);
      }
      const m = new Map([...net].filter(([, x]) => x > 0));
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      return { m, total };
    };
    const all = spend(Array.from({ length: N }, (_, c) => c));
    for (const s of data.segments) {
      const mine = spend(members(s.segment));
      const want = [...mine.m]
        .map(([product, x]) => ({
          product,
          share: x / mine.total,
          lift: x / mine.total / (all.m.get(product)! / all.total),
        }))
        .sort((a, b) => b.share - a.share || a.product.localeCompare(b.product))
        .slice(0, 3);
      assert.deepEqual(
        s.products.map((p) => p.product),
        want.map((p) => p.product),
      );
      s.products.forEach((p, i) => {
        close(p.share, want[i]!.share, `segment ${s.segment} ${p.product} share`);
        close(p.lift, want[i]!.lift, `segment ${s.segment} ${p.product} lift`);
      });
    }
    assert.equal(data.segments[1]!.products[0]!.product, 'cheese');
  });

  test('channels: reach, events per customer and lift', () => {
    for (const s of data.segments) {
      const cs = members(s.segment);
      for (const type of TYPES) {
        const reached = (set: number[]) =>
          new Set(events.filter((e) => e.type === type && set.includes(e.customer)).map((e) => e.customer))
            .size;
        const got = s.channels.find((c) => c.type === type);
        const r = reached(cs);
        if (r === 0) {
          assert.equal(got, undefined);
          continue;
        }
        close(got!.share, r / cs.length, `segment ${s.segment} ${type} share`);
        close(
          got!.lift,
          r / cs.length / (reached(Array.from({ length: N }, (_, c) => c)) / N),
          `${type} lift`,
        );
        const count = events.filter((e) => e.type === type && cs.includes(e.customer)).length;
        close(got!.perCustomer, count / cs.length, `segment ${s.segment} ${type} per customer`);
      }
    }
    close(
      data.segments[2]!.channels.find((c) => c.type === 'app_open')!.share,
      1,
      'segment 3 all open the app',
    );
  });

  test('campaigns: 0/1 columns named like campaigns, share responding against everyone', () => {
    for (const s of data.segments) {
      assert.deepEqual(
        s.campaigns.map((c) => c.column),
        ['AcceptedCmp1', 'Response'],
        'Income is not named like a campaign, campaign_note is not 0/1',
      );
      const cs = members(s.segment);
      const mean = (xs: (number | null)[]) => {
        const v = xs.filter((x): x is number => x !== null);
        return v.reduce((a, b) => a + b, 0) / v.length;
      };
      const c1 = s.campaigns[0]!;
      close(c1.share, mean(cs.map((c) => cmp1[c]!)), `segment ${s.segment} AcceptedCmp1`);
      close(c1.overall, mean(cmp1), 'AcceptedCmp1 overall');
      close(c1.lift, c1.share / c1.overall, 'AcceptedCmp1 lift');
      close(s.campaigns[1]!.share, mean(cs.map((c) => response[c]!)), `segment ${s.segment} Response`);
    }
  });

  test('typical customer: the brute-force nearest to the segment mean, with its feature row', () => {
    for (const s of data.segments) {
      if (s.segment === 0) {
        assert.equal(s.medoid, null, 'noise has no typical customer');
        continue;
      }
      const cs = members(s.segment);
      const mean = [0, 1].map((j) => cs.reduce((a, c) => a + matrix.data[c * 2 + j]!, 0) / cs.length);
      let best = -1;
      let bestD = Infinity;
      for (const c of cs) {
        const d = (matrix.data[c * 2]! - mean[0]!) ** 2 + (matrix.data[c * 2 + 1]! - mean[1]!) ** 2;
        if (d < bestD) [best, bestD] = [c, d];
      }
      assert.equal(s.medoid?.pos, best);
      assert.equal(s.medoid?.customerId, `cust-${best}`);
      assert.equal(s.medoid?.values['frequency'], best % 5);
    }
  });

  test('segmentMedoids: empty segments give −1, ties the first row', () => {
    const x = { data: Float64Array.of(0, 2, 1, 1, 9), rows: 5, cols: 1 };
    assert.deepEqual([...segmentMedoids(x, Int32Array.of(0, 0, 0, 0, -1), 2)], [2, -1]);
  });

  test('date-only data has no hours; no transactions, events or customers gives empty behaviour', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE tx AS SELECT * REPLACE (date_trunc('day', ts) AS ts) FROM tx`);
    const d = await gatherPersonaData(engine, {
      k: K,
      hasTransactions: true,
      hasProduct: false,
      hasEvents: false,
    });
    assert.equal(d.segments[0]!.hours, null);
    assert.equal(d.segments[0]!.weekdays!.length, 7);
    assert.deepEqual(d.segments[0]!.products, []);
    const none = await gatherPersonaData(engine, {
      k: K,
      hasTransactions: false,
      hasProduct: false,
      hasEvents: false,
    });
    assert.equal(none.segments[0]!.weekdays, null);
    assert.equal(none.segments[0]!.medoid, null);
    assert.equal(none.segments.length, K);
  });

  test('rejects labels that do not match the matrix', async () => {
    await assert.rejects(
      gatherPersonaData(engine, {
        k: K,
        hasTransactions: false,
        hasProduct: false,
        hasEvents: false,
        scaledMatrix: matrix,
      }),
      /labels has no entries for a scaled matrix of 60 customers/,
    );
  });
});
