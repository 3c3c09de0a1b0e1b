// rfmSummary: lifetimes parity (summary_data_from_transaction_data and calibration_and_holdout_data for 'D', 'W',
// 'h' and 'h' × 24, to 1e-9) on the fixture log; months and weeks against a brute-force reference written from
// the calendar (not from periodIndex); records and columns give the same summary; every error names its value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseDateValue, periodIndex, rfmSummary, type RfmUnit } from './rfm-summary.js';
import { assertMatchesLifetimes, caseOptions, RFM_FIXTURE } from './rfm-test-support.js';

process.env['TZ'] = 'UTC';

describe('rfmSummary against lifetimes', () => {
  const tx = RFM_FIXTURE.transactions;
  for (const c of RFM_FIXTURE.cases) {
    const name = `${c.function} freq=${c.freq} ×${c.freq_multiplier}`;
    if (c.unsupported) {
      it(`${name}: lifetimes cannot (${c.unsupported.slice(0, 40)}…); months are checked against a reference below`, () => {
        assert.equal(c.freq, 'M');
      });
      continue;
    }
    it(name, () => {
      const s = rfmSummary(tx, {
        customerId: 'customer_id',
        date: 'date',
        amount: 'amount',
        ...caseOptions(c),
      });
      assertMatchesLifetimes(s, c.result!, 1e-9);
      // Nothing dropped silently: every customer of the log is in the summary or in a count.
      const all = new Set(tx.customer_id).size;
      assert.equal(
        s.counts.customers + s.counts.customersOnlyInHoldout + s.counts.customersOnlyAfterObservationEnd,
        all,
      );
      assert.equal(s.counts.rows, tx.customer_id.length);
      assert.ok(s.counts.rowsAfterObservationEnd > 0, 'the log has purchases after the end');
      if (c.calibration_period_end) assert.ok(s.counts.customersOnlyInHoldout > 0);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Reference for weeks and months written from the calendar: a period is named by the date of its first day
// (Monday of the ISO week; the 1st of the month) as a string, periods are distinct strings, and the distance
// between two periods is counted by stepping one period at a time.
// ---------------------------------------------------------------------------------------------------------------

function periodStart(ms: number, unit: 'weeks' | 'months'): string {
  const d = new Date(ms);
  if (unit === 'months') return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
  const back = (d.getUTCDay() + 6) % 7; // days since Monday
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - back))
    .toISOString()
    .slice(0, 10);
}

function stepsBetween(a: string, b: string, unit: 'weeks' | 'months'): number {
  let steps = 0;
  const d = new Date(`${a}T00:00:00Z`);
  while (d.toISOString().slice(0, 10) < b) {
    if (unit === 'weeks') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
    steps++;
  }
  assert.equal(d.toISOString().slice(0, 10), b);
  return steps;
}

function referenceSummary(
  tx: { customer_id: number[]; date: string[]; amount: number[] },
  unit: 'weeks' | 'months',
  end: string,
): Map<number, { frequency: number; recency: number; T: number; monetary: number }> {
  const endP = periodStart(parseDateValue(end), unit);
  const byCustomer = new Map<number, Map<string, number>>();
  tx.customer_id.forEach((id, i) => {
    const p = periodStart(parseDateValue(tx.date[i]!), unit);
    if (p > endP) return;
    const periods = byCustomer.get(id) ?? new Map<string, number>();
    periods.set(p, (periods.get(p) ?? 0) + tx.amount[i]!);
    byCustomer.set(id, periods);
  });
  const out = new Map<number, { frequency: number; recency: number; T: number; monetary: number }>();
  for (const [id, periods] of byCustomer) {
    const keys = [...periods.keys()].sort();
    const repeats = keys.slice(1).map((k) => periods.get(k)!);
    out.set(id, {
      frequency: keys.length - 1,
      recency: stepsBetween(keys[0]!, keys.at(-1)!, unit),
      T: stepsBetween(keys[0]!, endP, unit),
      monetary: repeats.length ? repeats.reduce((a, b) => a + b, 0) / repeats.length : 0,
    });
  }
  return out;
}

describe('rfmSummary in weeks and months against a calendar reference', () => {
  for (const unit of ['weeks', 'months'] as const) {
    it(unit, () => {
      const tx = RFM_FIXTURE.transactions;
      const end = '2022-10-15 12:00:00';
      const s = rfmSummary(tx, {
        customerId: 'customer_id',
        date: 'date',
        amount: 'amount',
        unit,
        observationEnd: end,
      });
      const ref = referenceSummary(tx, unit, end);
      assert.equal(s.customerIds.length, ref.size);
      s.customerIds.forEach((id, i) => {
        const r = ref.get(id as number)!;
        assert.equal(s.frequency[i], r.frequency, `frequency of ${id}`);
        assert.equal(s.recency[i], r.recency, `recency of ${id}`);
        assert.equal(s.T[i], r.T, `T of ${id}`);
        assert.ok(Math.abs(s.monetaryValue[i]! - r.monetary) <= 1e-9 * Math.max(1, r.monetary));
      });
    });
  }

  it('weeks start on Monday, months on the 1st, also before 1970 and across a year end', () => {
    const cases: [string, RfmUnit, string][] = [
      ['2020-03-15T23:59:59', 'weeks', '2020-03-09'], // Sunday → its Monday
      ['2020-03-16T00:00:00', 'weeks', '2020-03-16'],
      ['1969-12-31T10:00:00', 'weeks', '1969-12-29'],
      ['2021-01-02T10:00:00', 'weeks', '2020-12-28'],
      ['1969-11-30T22:30:00', 'months', '1969-11-01'],
      ['2024-02-29T12:00:00', 'months', '2024-02-01'],
    ];
    const monday = parseDateValue('1970-01-05');
    for (const [at, unit, start] of cases) {
      const p = periodIndex(parseDateValue(at), unit);
      const s = parseDateValue(start);
      if (unit === 'weeks') assert.equal(p, (s - monday) / (7 * 86_400_000), at);
      else {
        const months =
          start < '1970-01-01'
            ? -stepsBetween(start, '1970-01-01', 'months')
            : stepsBetween('1970-01-01', start, 'months');
        assert.equal(p, months, at);
      }
    }
  });
});

describe('rfmSummary conventions', () => {
  const opts = {
    customerId: 'id',
    date: 'at',
    amount: 'eur',
    unit: 'days' as const,
    observationEnd: '2024-01-31',
  };

  it('the documented example', () => {
    const s = rfmSummary(
      [
        { id: 'a', at: '2024-01-01 10:00', eur: 10 },
        { id: 'a', at: '2024-01-01 18:00', eur: 5 },
        { id: 'a', at: '2024-01-08', eur: 20 },
      ],
      opts,
    );
    assert.deepEqual([...s.frequency, ...s.recency, ...s.T, ...s.monetaryValue], [1, 7, 30, 20]);
  });

  it('records and columns give the same summary; row order does not matter', () => {
    const tx = RFM_FIXTURE.transactions;
    const records = tx.customer_id.map((id, i) => ({ id, at: tx.date[i]!, eur: tx.amount[i]! }));
    const fromRecords = rfmSummary(records, {
      ...opts,
      observationEnd: '2022-10-15',
      calibrationEnd: '2022-02-01',
    });
    const fromColumns = rfmSummary(
      { id: Int32Array.from(tx.customer_id), at: tx.date, eur: Float64Array.from(tx.amount) },
      { ...opts, observationEnd: '2022-10-15', calibrationEnd: '2022-02-01' },
    );
    assert.deepEqual(fromColumns, fromRecords);
    const reversed = rfmSummary(records.slice().reverse(), {
      ...opts,
      observationEnd: '2022-10-15',
      calibrationEnd: '2022-02-01',
    });
    assert.deepEqual(reversed, fromRecords);
  });

  it('reads offsets, Z and Date objects as instants; naive strings as UTC', () => {
    assert.equal(parseDateValue('2024-03-01T12:00:00+02:00'), Date.UTC(2024, 2, 1, 10));
    assert.equal(parseDateValue('2024-03-01 12:00-0530'), Date.UTC(2024, 2, 1, 17, 30));
    assert.equal(parseDateValue('2024-03-01T12:00:00.1239Z'), Date.UTC(2024, 2, 1, 12, 0, 0, 123));
    assert.equal(parseDateValue(' 2024-03-01 '), Date.UTC(2024, 2, 1));
    assert.equal(parseDateValue(new Date(Date.UTC(2024, 2, 1))), Date.UTC(2024, 2, 1));
    for (const bad of [
      '2023-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-03-01 24:00',
      '2024-03-01Z',
      '01/03/2024',
      1.5,
      null,
    ]) {
      assert.ok(Number.isNaN(parseDateValue(bad)), String(bad));
    }
  });

  it('counts purchases after the end, and customers seen only there', () => {
    const s = rfmSummary(
      [
        { id: 1, at: '2024-01-01', eur: 1 },
        { id: 1, at: '2024-01-31T20:00', eur: 2 }, // the end day: counts (the end names a period)
        { id: 1, at: '2024-02-01', eur: 4 },
        { id: 2, at: '2024-02-03', eur: 8 },
      ],
      opts,
    );
    assert.deepEqual(s.customerIds, [1]);
    assert.deepEqual([...s.frequency, ...s.monetaryValue], [1, 2]);
    assert.deepEqual(s.counts, {
      rows: 4,
      rowsAfterObservationEnd: 2,
      customers: 1,
      customersOnlyInHoldout: 0,
      customersOnlyAfterObservationEnd: 1,
    });
  });

  it('holdout: instants, not periods; mean over holdout transactions; empty holdout is zeros', () => {
    const tx = [
      { id: 1, at: '2024-01-01T09:00', eur: 1 },
      { id: 1, at: '2024-01-10T09:00', eur: 2 }, // calibration end instant: calibration
      { id: 1, at: '2024-01-10T09:01', eur: 4 }, // same day, after: holdout
      { id: 1, at: '2024-01-12', eur: 8 },
      { id: 1, at: '2024-01-12T05:00', eur: 16 },
      { id: 1, at: '2024-01-31T12:00:01', eur: 32 }, // after the observation end instant
      { id: 2, at: '2024-01-20', eur: 64 }, // first seen in the holdout
    ];
    const s = rfmSummary(tx, {
      ...opts,
      calibrationEnd: '2024-01-10T09:00',
      observationEnd: '2024-01-31T12:00',
    });
    assert.deepEqual(s.customerIds, [1]);
    assert.deepEqual(
      [
        s.frequency[0],
        s.recency[0],
        s.T[0],
        s.monetaryValue[0],
        s.frequencyHoldout![0],
        s.monetaryValueHoldout![0],
        s.durationHoldout![0],
      ],
      [1, 9, 9, 2, 2, 28 / 3, 21],
    );
    assert.equal(s.counts.customersOnlyInHoldout, 1);
    assert.equal(s.counts.rowsAfterObservationEnd, 1);
    const empty = rfmSummary(tx.slice(0, 2), {
      ...opts,
      calibrationEnd: '2024-01-10T09:00',
      observationEnd: '2024-01-31T12:00',
    });
    assert.deepEqual([...empty.frequencyHoldout!, ...empty.monetaryValueHoldout!], [0, 0]);
  });

  it('amounts are summed exactly in millionths, whatever the row order', () => {
    const amounts = [0.1, 0.2, 0.3, 1e9, -1e9, 1 / 3, 2.0000005, -2.0000005];
    const rows = amounts.map((eur, k) => ({ id: 1, at: `2024-01-${String(2 + k).padStart(2, '0')}`, eur }));
    const first = { id: 1, at: '2024-01-01', eur: 7 };
    const a = rfmSummary([first, ...rows], opts);
    const b = rfmSummary([first, ...rows.reverse()], opts);
    // 0.1 + 0.2 + 0.3 + 1e9 − 1e9 + 0.333333 + 2.000001 − 2.000001 = 0.933333, over 8 repeat days.
    assert.equal(a.monetaryValue[0], 0.933333 / 8);
    assert.equal(b.monetaryValue[0], a.monetaryValue[0]);
  });

  it('customer order: numbers ascending, then strings', () => {
    const s = rfmSummary(
      ['b', 10, 'a', 9, '10'].map((id) => ({ id, at: '2024-01-01', eur: 1 })),
      opts,
    );
    assert.deepEqual(s.customerIds, [9, 10, '10', 'a', 'b']);
  });

  it('errors name the offending value and where it is', () => {
    const ok = { id: 1, at: '2024-01-01', eur: 1 };
    const cases: [unknown, object, RegExp][] = [
      [[ok, { ...ok, at: '2024-02-30' }], opts, /transactions\[1\]\.at: cannot read "2024-02-30" as a date/],
      [[ok, { id: 1, eur: 1 }], opts, /transactions\[1\]\.at: cannot read undefined \(missing\)/],
      [[{ ...ok, eur: '3' }], opts, /transactions\[0\]\.eur: an amount must be a finite number, got "3"/],
      [
        [{ ...ok, eur: -2e12 }],
        opts,
        /transactions\[0\]\.eur: an amount must lie within ±1000000000000, got -2000000000000/,
      ],
      [[{ ...ok, id: null }], opts, /transactions\[0\]\.id: a customer id must be/],
      [{ id: [1], at: ['2024-01-01'] }, opts, /no column "eur" \(columns: "id", "at"\)/],
      [{ id: [1], at: ['2024-01-01'], eur: [1, 2] }, opts, /column "eur" has 2 values, "id" has 1/],
      [[ok], { ...opts, unit: 'years' }, /unit must be .* got "years"/],
      [[ok], { ...opts, multiplier: 0 }, /multiplier must be a finite number > 0, got 0/],
      [[ok], { ...opts, observationEnd: 'soon' }, /observationEnd: cannot read "soon"/],
      [
        [ok],
        { ...opts, calibrationEnd: '2024-02-01' },
        /observationEnd \(2024-01-31T00:00:00.000Z\) is before calibrationEnd \(2024-02-01/,
      ],
      [null, opts, /transactions must be an array of records or an object of columns, got null/],
    ];
    for (const [tx, o, re] of cases) {
      assert.throws(() => rfmSummary(tx as never, o as never), re);
    }
  });
});
