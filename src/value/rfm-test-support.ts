/**
 * What the tests of rfm-summary.ts and rfm-summary-sql.ts share: the lifetimes fixture and a comparison with its
 * columns. Test code only; not re-exported.
 * @module
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import type { CustomerId, RfmUnit } from './rfm-summary.js';

export interface FixtureCase {
  function: 'summary_data_from_transaction_data' | 'calibration_and_holdout_data';
  freq: string;
  freq_multiplier: number;
  observation_period_end: string;
  calibration_period_end?: string;
  unsupported?: string;
  result?: Record<string, number[]>;
}
export interface Fixture {
  meta: Record<string, string>;
  transactions: { customer_id: number[]; date: string[]; amount: number[] };
  cases: FixtureCase[];
}

export const RFM_FIXTURE: Fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/value/rfm-summary.json', import.meta.url), 'utf8'),
) as Fixture;

export const FREQ_UNITS: Record<string, RfmUnit> = { h: 'hours', D: 'days', W: 'weeks', M: 'months' };

/** A summary's columns, from `rfmSummary` or read back from `rfmSummarySql`'s table. */
export interface SummaryColumns {
  customerIds: CustomerId[];
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
  frequencyHoldout?: ArrayLike<number>;
  monetaryValueHoldout?: ArrayLike<number>;
  durationHoldout?: ArrayLike<number>;
}

/** Asserts a summary equals lifetimes' columns (customer ids in the same order) to `tol` relative. */
export function assertMatchesLifetimes(
  s: SummaryColumns,
  expected: Record<string, number[]>,
  tol: number,
): void {
  assert.deepEqual(s.customerIds, expected['customer_id']);
  const cols: [keyof SummaryColumns, string][] = [
    ['frequency', 'frequency'],
    ['recency', 'recency'],
    ['T', 'T'],
    ['monetaryValue', 'monetary_value'],
    ['frequencyHoldout', 'frequency_holdout'],
    ['monetaryValueHoldout', 'monetary_value_holdout'],
    ['durationHoldout', 'duration_holdout'],
  ];
  for (const [ours, theirs] of cols) {
    const want = expected[theirs];
    const got = s[ours] as ArrayLike<number> | undefined;
    if (!want) {
      assert.equal(got, undefined, `${ours} only with a calibration end`);
      continue;
    }
    assert.ok(got, `${ours} present`);
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) {
      const e = want[i]!;
      assert.ok(
        Math.abs(got[i]! - e) <= tol * Math.max(1, Math.abs(e)),
        `${ours}[${i}] (customer ${String(s.customerIds[i])}): ${got[i]} vs lifetimes ${e}`,
      );
    }
  }
}

/** The unit, multiplier and ends of a fixture case, as rfmSummary options. */
export function caseOptions(c: FixtureCase): {
  unit: RfmUnit;
  multiplier: number;
  observationEnd: string;
  calibrationEnd?: string;
} {
  return {
    unit: FREQ_UNITS[c.freq]!,
    multiplier: c.freq_multiplier,
    observationEnd: c.observation_period_end,
    ...(c.calibration_period_end ? { calibrationEnd: c.calibration_period_end } : {}),
  };
}
