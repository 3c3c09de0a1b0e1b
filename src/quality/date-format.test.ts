// Date-format detection: the format that parses every sampled value wins, ISO first, and a day/month swap that
// parses equally well is reported as ambiguous.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuckDBEngine } from '../engine/index.js';
import { DATE_FORMATS, detectDateFormat, type DetectedDateFormat } from './date-format.js';

process.env['TZ'] = 'UTC';

async function detect(values: (string | null)[]): Promise<DetectedDateFormat> {
  const e = await DuckDBEngine.open({ path: ':memory:' });
  try {
    await e.createTable('d', [{ name: 'when', kind: 'text', values }]);
    return await detectDateFormat(e, 'd', 'when');
  } finally {
    await e.close();
  }
}

/** Parses `values` with the detected format in DuckDB and returns them as 'YYYY-MM-DD HH:MM'. */
async function parseWith(values: string[], format: string | undefined): Promise<(string | null)[]> {
  const e = await DuckDBEngine.open({ path: ':memory:' });
  try {
    await e.createTable('d', [{ name: 'v', kind: 'text', values }]);
    const rows = await e.query(
      `SELECT strftime(${e.dialect.tryTimestamp('v', format)}, '%Y-%m-%d %H:%M') AS t FROM d`,
    );
    return rows.map((r) => (r['t'] === null ? null : String(r['t'])));
  } finally {
    await e.close();
  }
}

describe('detectDateFormat', () => {
  it('ISO 8601 (with and without time, with T) needs no format', async () => {
    const values = ['2011-01-05 10:00:00', '2011-12-31T23:59:59', '2011-02-03'];
    const r = await detect([...values, null, '  ']);
    assert.deepEqual(r, { format: undefined, parsed: 1 });
    assert.deepEqual(await parseWith(values, r.format), [
      '2011-01-05 10:00',
      '2011-12-31 23:59',
      '2011-02-03 00:00',
    ]);
  });

  it('dd/mm/yyyy hh:mm when a day above 12 decides it', async () => {
    const values = ['25/12/2010 08:26', '01/02/2011 10:00', '13/01/2011 09:15'];
    const r = await detect(values);
    assert.deepEqual(r, { format: '%d/%m/%Y %H:%M', parsed: 1 });
    assert.deepEqual(await parseWith(values, r.format), [
      '2010-12-25 08:26',
      '2011-02-01 10:00',
      '2011-01-13 09:15',
    ]);
  });

  it('mm/dd/yyyy when a month-second value above 12 decides it', async () => {
    const values = ['12/25/2010', '01/31/2011', '02/03/2011'];
    const r = await detect(values);
    assert.deepEqual(r, { format: '%m/%d/%Y', parsed: 1 });
    assert.deepEqual(await parseWith(values, r.format), [
      '2010-12-25 00:00',
      '2011-01-31 00:00',
      '2011-02-03 00:00',
    ]);
  });

  it('every day ≤ 12: day-first chosen, month-first reported as ambiguous', async () => {
    assert.deepEqual(await detect(['01/02/2011', '03/04/2011', '05/06/2011']), {
      format: '%d/%m/%Y',
      parsed: 1,
      ambiguousWith: '%m/%d/%Y',
    });
    assert.deepEqual(await detect(['01/02/2011 10:00', '03/04/2011 11:00']), {
      format: '%d/%m/%Y %H:%M',
      parsed: 1,
      ambiguousWith: '%m/%d/%Y %H:%M',
    });
  });

  it('a decided sample is not reported as ambiguous', async () => {
    const r = await detect(['01/02/2011', '25/04/2011']);
    assert.equal(r.ambiguousWith, undefined);
  });

  it('other layouts: dotted day-first, compact yyyymmdd', async () => {
    assert.deepEqual(await detect(['25.12.2010', '01.02.2011']), { format: '%d.%m.%Y', parsed: 1 });
    assert.deepEqual(await detect(['20101225', '20110131']), { format: '%Y%m%d', parsed: 1 });
  });

  it('parsed is the share of distinct non-blank values the best format reads', async () => {
    // Distinct non-blank: 2011-01-01, garbage, nope, no → 1 of 4.
    const r = await detect(['2011-01-01', '2011-01-01', 'garbage', 'nope', 'no', '', null]);
    assert.equal(r.parsed, 0.25);
  });

  it('an empty column parses nothing', async () => {
    assert.deepEqual(await detect([null, '', '   ']), { format: undefined, parsed: 0 });
  });

  it('two-digit years are read as 20xx, not year 00xx', {}, async () => {
    const values = ['12/1/10 8:26', '12/31/10 17:00'];
    const r = await detect(values);
    assert.deepEqual(await parseWith(values, r.format), ['2010-12-01 08:26', '2010-12-31 17:00']);
  });

  it('DATE_FORMATS lists each format once, each with a year', () => {
    assert.equal(new Set(DATE_FORMATS).size, DATE_FORMATS.length);
    for (const f of DATE_FORMATS) assert.match(f, /%Y|%y/, `${f} has a year`);
  });
});
