import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFormat, MISSING } from './format.js';

test('numbers, shares and z-scores read like a person would write them', () => {
  const f = createFormat('en-US', 'GBP');
  assert.equal(f.int(1234567.4), '1,234,567');
  assert.equal(f.pct(0.2461), '24.6%');
  assert.equal(f.pct(0), '0.0%');
  assert.equal(f.pct(0.0002), '<0.1%', 'a tiny share is not shown as zero');
  assert.equal(f.pct(-0.031), '-3.1%');
  assert.equal(f.z(1.234), '+1.2σ');
  assert.equal(f.z(-0.44), '\u22120.4σ');
  assert.equal(f.z(0), '0.0σ');
});

test('feature values get precision by magnitude', () => {
  const f = createFormat('en-US');
  assert.equal(f.value(12480.6), '12,481');
  assert.equal(f.value(123.4), '123');
  assert.equal(f.value(48.46), '48.5');
  assert.equal(f.value(3.456), '3.46');
  assert.equal(f.value(0.03412), '0.034');
  assert.equal(f.value(2_345_678), '2.35M');
  assert.equal(f.value(0), '0');
});

test('money with an ISO code, a symbol, or nothing', () => {
  const gbp = createFormat('en-US', 'GBP');
  assert.equal(gbp.currencyCode, 'GBP');
  assert.equal(gbp.money(8911407.52), '£8,911,408');
  assert.equal(gbp.moneyCompact(8911407.52), '£8.9M');
  assert.equal(gbp.moneyCompact(9999), '£9,999');
  assert.equal(gbp.money(-120), '-£120');
  const sym = createFormat('en-US', '€');
  assert.equal(sym.currencyCode, null);
  assert.equal(sym.money(-1234.4), '-€1,234');
  assert.equal(sym.moneyCompact(2_500_000), '€2.5M');
  assert.equal(createFormat('en-US', 'Kč').money(1500), 'Kč 1,500');
  assert.equal(createFormat('en-US').money(1500), '1,500');
});

test('dates read as calendar dates in UTC whatever the machine time zone', () => {
  const f = createFormat('en-GB');
  assert.equal(f.date('2011-12-09'), '9 Dec 2011');
  assert.equal(f.dateTime('2026-03-01T23:30:00-02:00'), '2 Mar 2026, 01:30 UTC');
  assert.equal(f.date('someday'), 'someday', 'unparseable dates are shown as given');
});

test('non-finite input becomes a dash everywhere', () => {
  const f = createFormat('en-US', 'USD');
  for (const fn of [f.int, f.pct, f.money, f.moneyCompact, f.value, f.z]) {
    assert.equal(fn(NaN), MISSING);
    assert.equal(fn(Infinity), MISSING);
  }
});

test('months for time-axis ticks and fixed decimals for side-by-side figures', () => {
  const f = createFormat('en-US');
  assert.equal(f.month('2011-12-09'), 'Dec 2011');
  assert.equal(f.month('2011-12-01'), 'Dec 2011', 'a calendar date, not shifted by a time zone');
  assert.equal(f.month('not a date'), 'not a date');
  assert.equal(f.fixed(0.6812, 2), '0.68');
  assert.equal(f.fixed(1234.5, 1), '1,234.5');
  assert.equal(f.fixed(NaN, 2), MISSING);
  assert.equal(createFormat('de-DE').fixed(0.5, 2), '0,50');
});
