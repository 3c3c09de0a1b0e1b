// rfmSummarySql: lifetimes parity on the fixture log (to 1e-9), and bit-for-bit equality with rfmSummary on
// generated logs (several thousand rows, same-hour and same-day repeats, every unit, with and without a holdout,
// dates as ISO text with and without offsets, as TIMESTAMP and as epoch milliseconds); errors name the column.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DuckDBEngine } from '../engine/index.js';
import { Random } from '../util/random.js';
import { parseDateValue, rfmSummary, type CustomerId, type RfmSummary, type RfmUnit } from './rfm-summary.js';
import { rfmSummarySql, timestampExpr } from './rfm-summary-sql.js';
import { assertMatchesLifetimes, caseOptions, RFM_FIXTURE, type SummaryColumns } from './rfm-test-support.js';

process.env['TZ'] = 'UTC';

let engine: DuckDBEngine;
before(async () => {
  engine = await DuckDBEngine.open({ path: ':memory:', threads: 2 });
});
after(async () => {
  await engine.close();
});

/** Reads a summary table back in customer order. */
async function readSummary(
  table: string,
  holdout: boolean,
  idKind: 'int32' | 'text',
): Promise<SummaryColumns> {
  const cols = ['frequency', 'recency', '"T"', 'monetary_value'];
  if (holdout) cols.push('frequency_holdout', 'monetary_value_holdout', 'duration_holdout');
  const got = await engine.columns(
    `SELECT customer_id, ${cols.join(', ')} FROM ${table} ORDER BY customer_id`,
    [idKind, ...cols.map(() => 'double' as const)],
  );
  const [ids, frequency, recency, T, monetaryValue, frequencyHoldout, monetaryValueHoldout, durationHoldout] =
    got as [Int32Array | string[], ...Float64Array[]];
  return {
    customerIds: Array.from(ids as ArrayLike<CustomerId>),
    frequency: frequency!,
    recency: recency!,
    T: T!,
    monetaryValue: monetaryValue!,
    ...(holdout ? { frequencyHoldout, monetaryValueHoldout, durationHoldout } : {}),
  };
}

describe('rfmSummarySql against lifetimes', () => {
  before(async () => {
    const tx = RFM_FIXTURE.transactions;
    await engine.createTable('fixture_tx', [
      { name: 'customer_id', kind: 'int32', values: Int32Array.from(tx.customer_id) },
      { name: 'date', kind: 'text', values: tx.date },
      { name: 'amount', kind: 'double', values: Float64Array.from(tx.amount) },
    ]);
  });
  for (const c of RFM_FIXTURE.cases) {
    if (c.unsupported) continue;
    it(`${c.function} freq=${c.freq} ×${c.freq_multiplier}`, async () => {
      const opts = caseOptions(c);
      const r = await rfmSummarySql(engine, {
        table: 'fixture_tx',
        customerId: 'customer_id',
        date: 'date',
        amount: 'amount',
        into: 'fixture_summary',
        ...opts,
      });
      assertMatchesLifetimes(
        await readSummary('fixture_summary', !!opts.calibrationEnd, 'int32'),
        c.result!,
        1e-9,
      );
      const ts = rfmSummary(RFM_FIXTURE.transactions, {
        customerId: 'customer_id',
        date: 'date',
        amount: 'amount',
        ...opts,
      });
      assert.deepEqual(r.counts, ts.counts);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Generated logs: customers with bursts of purchases (same hour, same day), long gaps, some only after the end,
// amounts with cents and arbitrary doubles (so sums depend on their order), dates in several text forms.
// ---------------------------------------------------------------------------------------------------------------

interface Log {
  ids: string[];
  /** ms since 1970. */
  ms: number[];
  text: string[];
  amounts: number[];
}

function generate(seed: number, customers: number): Log {
  const rnd = new Random(seed);
  const log: Log = { ids: [], ms: [], text: [], amounts: [] };
  const start = Date.UTC(2021, 0, 1);
  const span = 700 * 86_400_000;
  for (let c = 0; c < customers; c++) {
    const id = `c${String(rnd.int(100_000)).padStart(5, '0')}`;
    let t = start + Math.floor(rnd.next() * span);
    const count = 1 + Math.floor(-Math.log(1 - rnd.next()) * 6);
    for (let k = 0; k < count; k++) {
      log.ids.push(id);
      log.ms.push(t);
      const a = rnd.next() < 0.5 ? Math.round(rnd.next() * 20_000) / 100 : rnd.next() * 300 - 20;
      log.amounts.push(a);
      const u = rnd.next();
      t +=
        u < 0.2
          ? rnd.int(3_600_000)
          : u < 0.4
            ? rnd.int(86_400_000)
            : Math.floor(-Math.log(1 - rnd.next()) * 40 * 86_400_000);
    }
  }
  // Dates as text in the forms rfmSummary reads: naive, T or space, Z, offsets, date only at midnight.
  log.text = log.ms.map((t, i) => {
    const iso = new Date(t).toISOString(); // 2021-03-04T05:06:07.089Z
    switch (i % 5) {
      case 0:
        return iso.slice(0, 19);
      case 1:
        return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
      case 2:
        return iso;
      case 3: {
        const shifted = new Date(t + 5.5 * 3_600_000).toISOString();
        return `${shifted.slice(0, 23)}+05:30`;
      }
      default:
        return t % 86_400_000 === 0
          ? iso.slice(0, 10)
          : `${new Date(t - 7 * 3_600_000).toISOString().slice(0, 19)}-0700`;
    }
  });
  return log;
}

function sameSummary(sql: SummaryColumns, ts: RfmSummary, what: string): void {
  assert.deepEqual(sql.customerIds, ts.customerIds, `${what}: customers`);
  for (const k of [
    'frequency',
    'recency',
    'T',
    'monetaryValue',
    'frequencyHoldout',
    'monetaryValueHoldout',
    'durationHoldout',
  ] as const) {
    const a = sql[k];
    const b = ts[k];
    if (b === undefined) {
      assert.equal(a, undefined, `${what}: ${k}`);
      continue;
    }
    assert.ok(a, `${what}: ${k} present`);
    for (let i = 0; i < b.length; i++) {
      if (!Object.is(a[i], b[i])) {
        assert.fail(
          `${what}: ${k}[${i}] (customer ${String(ts.customerIds[i])}) SQL ${a[i]} vs TypeScript ${b[i]}`,
        );
      }
    }
  }
}

describe('rfmSummarySql equals rfmSummary bit for bit', () => {
  const log = generate(7, 900);
  before(async () => {
    assert.ok(log.ids.length > 4_000, `${log.ids.length} rows`);
    await engine.createTable('gen_tx', [
      { name: 'customer id', kind: 'text', values: log.ids },
      { name: 'when', kind: 'text', values: log.text },
      { name: 'ms', kind: 'double', values: Float64Array.from(log.ms) },
      { name: 'amount', kind: 'double', values: Float64Array.from(log.amounts) },
    ]);
    await engine.exec(
      `CREATE OR REPLACE VIEW gen_tx_ts AS SELECT "customer id", epoch_ms(ms::BIGINT) AS "when", amount FROM gen_tx`,
    );
  });

  const ends: { observationEnd: string; calibrationEnd?: string }[] = [
    { observationEnd: '2022-09-17T13:30:00' },
    { observationEnd: '2022-09-17T13:30:00', calibrationEnd: '2022-02-02T08:00:00' },
  ];
  for (const unit of ['hours', 'days', 'weeks', 'months'] as RfmUnit[]) {
    for (const e of ends) {
      for (const multiplier of unit === 'hours' ? [1, 24] : [1]) {
        const what = `${unit} ×${multiplier}${e.calibrationEnd ? ' with holdout' : ''}`;
        it(what, async () => {
          const opts = { unit, multiplier, ...e };
          const ts = rfmSummary(
            { id: log.ids, at: log.text, eur: log.amounts },
            { customerId: 'id', date: 'at', amount: 'eur', ...opts },
          );
          assert.ok(ts.counts.rowsAfterObservationEnd > 0 && ts.counts.customersOnlyAfterObservationEnd > 0);
          if (e.calibrationEnd) assert.ok(ts.counts.customersOnlyInHoldout > 0);
          assert.ok(ts.frequency.some((f) => f > 0) && ts.frequency.some((f) => f === 0));
          for (const [table, date] of [
            ['gen_tx', 'when'],
            ['gen_tx_ts', 'when'],
            ['gen_tx', 'ms'],
          ] as const) {
            const r = await rfmSummarySql(engine, {
              table,
              customerId: 'customer id',
              date,
              amount: 'amount',
              into: 'gen_summary',
              ...opts,
            });
            sameSummary(
              await readSummary('gen_summary', !!e.calibrationEnd, 'text'),
              ts,
              `${what}, ${table}.${date}`,
            );
            assert.deepEqual(r.counts, ts.counts);
            assert.equal(r.observationEnd, ts.observationEnd);
          }
        });
      }
    }
  }
});

describe('dates in SQL are read as rfmSummary reads them', () => {
  it('the same instant, or unreadable on both sides', async () => {
    const texts = [
      '2024-01-04',
      ' 2024-01-04 ',
      '2024-01-04T10:00',
      '2024-01-04 10:00:59',
      '2024-01-04T10:00:00.5',
      '2024-01-04T10:00:00.123456789',
      '2024-01-04T10:00Z',
      '2024-01-04T10:00+01',
      '2024-01-04 10:00-0730',
      '2024-01-04T10:00:00.999+05:30',
      '2024-01-04T23:30:00-02:00',
      '1969-12-31T23:59:59.9999',
      '0099-03-01',
      '2024-02-29',
      '2023-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-04 24:00',
      '2024-01-04T10:60',
      '2024-01-04T10:00:00+24:00',
      '2024-01-04Z',
      '2024-1-4',
      '04/01/2024',
      '2024-01-04T10',
      '',
      'now',
      '2024-01-04T10:00:00 +01:00',
      '20240104',
    ];
    await engine.createTable('dates', [{ name: 'd', kind: 'text', values: texts }]);
    const [sql] = (await engine.columns(
      `SELECT epoch_ms(${timestampExpr('d', 'VARCHAR', 'd')})::DOUBLE FROM dates`,
      ['double'],
    )) as [Float64Array];
    texts.forEach((t, i) =>
      assert.ok(
        Object.is(sql[i], parseDateValue(t)),
        `${JSON.stringify(t)}: SQL ${sql[i]}, TypeScript ${parseDateValue(t)}`,
      ),
    );
    assert.ok(sql.filter((x) => !Number.isNaN(x)).length >= 14);
  });
});

describe('rfmSummarySql errors', () => {
  before(async () => {
    await engine.exec(`CREATE OR REPLACE TABLE bad_tx AS SELECT * FROM (VALUES
      ('a', '2024-01-01', 1.0, 'x'), ('a', '2024-02-30', 2.0, 'x'), (NULL, '2024-01-03', 3.0, 'x'),
      ('b', '2024-01-04 10:00+01', 'NaN'::DOUBLE, 'x'), ('b', '01/05/2024', 4.0, 'x')) t(id, "at", eur, label)`);
  });
  const base = {
    table: 'bad_tx',
    customerId: 'id',
    date: 'at',
    amount: 'eur',
    unit: 'days' as const,
    observationEnd: '2024-02-01',
    into: 'bad_summary',
  };
  it('counts unreadable rows, with an example of each', async () => {
    await assert.rejects(
      rfmSummarySql(engine, base),
      /table "bad_tx": 1 row with no customer id \(column "id"\); 2 rows whose "at" cannot be read as a date, e\.g\. "01\/05\/2024".*; 1 row whose "eur" is missing, not finite or beyond ±1000000000000, e\.g\. nan/,
    );
  });
  it("names a missing column and lists the table's", async () => {
    await assert.rejects(
      rfmSummarySql(engine, { ...base, amount: 'value' }),
      /table "bad_tx" has no column "value" \(option amount; columns: "id", "at", "eur", "label"\)/,
    );
  });
  it('refuses a text amount and a boolean date', async () => {
    await assert.rejects(
      rfmSummarySql(engine, { ...base, amount: 'label' }),
      /column "label" \(amount\) must be numeric, not VARCHAR/,
    );
    await engine.exec(`CREATE OR REPLACE VIEW bad_tx2 AS SELECT id, true AS "at", eur FROM bad_tx`);
    await assert.rejects(
      rfmSummarySql(engine, { ...base, table: 'bad_tx2' }),
      /column "at" \(date\) must hold dates.*not BOOLEAN/,
    );
  });
  it('checks the ends before touching the engine', async () => {
    await assert.rejects(
      rfmSummarySql(engine, { ...base, calibrationEnd: '2024-03-01' }),
      /observationEnd .* is before calibrationEnd/,
    );
  });
});
