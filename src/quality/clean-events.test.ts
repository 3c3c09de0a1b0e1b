// cleanEvents: one row per usable event, every other row rejected with the reason written next to it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { parseConfig, type ConfigInput } from '../config/index.js';
import { DuckDBEngine, type Engine } from '../engine/index.js';
import { detectSource, loadRawTable, resolveColumns } from '../ingest/index.js';
import { InputError } from '../util/errors.js';
import { cleanEvents, type CleanEventsResult } from './clean-events.js';

process.env['TZ'] = 'UTC';

const NOW = new Date('2011-06-01T00:00:00Z');

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-clean-ev-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const withEngine = <T>(fn: (e: DuckDBEngine) => Promise<T>): Promise<T> => DuckDBEngine.using(fn);

/** [line, expected reason (null = used)]. */
const LINES: [string, string | null][] = [
  ['1,2011-01-01 10:00:00,Open', null],
  ['1,2011-01-02 10:00:00,click', null],
  ['2,2011-01-03 10:00:00, open ', null],
  ['2.0,2011-01-05 10:00:00,open', null], // float-written id → "2"
  [',2011-01-03 10:00:00,open', 'missing_customer_id'],
  ['2,,open', 'missing_timestamp'],
  ['2,yesterday,open', 'unparseable_timestamp'],
  ['2,2030-01-01 00:00:00,open', 'date_out_of_range'],
  ['2,1980-01-01 00:00:00,open', 'date_out_of_range'],
  ['2,2011-01-04 10:00:00,', 'missing_event_type'],
  ['1,2011-01-01 10:00:00,Open', 'duplicate'],
];

async function clean(
  e: Engine,
  lines: readonly string[],
  name: string,
  quality: ConfigInput['quality'] = {},
): Promise<CleanEventsResult> {
  const path = join(dir, name);
  writeFileSync(path, `user_id,event_time,event_type\n${lines.join('\n')}\n`);
  const raw = await loadRawTable(e, 'raw_events', await detectSource(e, path, 'events'), 'events');
  const roles = resolveColumns(
    raw.columns.map((c) => c.name),
    {
      label: 'events',
      mapping: {},
      required: ['customerId', 'timestamp'],
      optional: ['type'],
      configPath: 'events.columns',
    },
  );
  assert.deepEqual(roles, { customerId: 'user_id', timestamp: 'event_time', type: 'event_type' });
  return cleanEvents(
    e,
    raw,
    roles,
    parseConfig({ transactions: { path: 'unused.csv' }, quality }, 'test'),
    NOW,
  );
}

describe('cleanEvents', () => {
  it('each row gets its reason, counts add up, the clean table holds the used events', () =>
    withEngine(async (e) => {
      const r = await clean(
        e,
        LINES.map(([l]) => l),
        'events.csv',
      );
      const expected: Record<string, number> = {};
      for (const [, reason] of LINES) if (reason) expected[reason] = (expected[reason] ?? 0) + 1;
      assert.deepEqual(r.quality.rejectedByReason, expected);
      assert.equal(r.quality.rows, LINES.length);
      assert.equal(r.quality.used + r.quality.rejected, r.quality.rows);
      assert.equal(r.quality.used, 4);

      const rejects = await e.query(`SELECT "row", reason FROM events_rejects ORDER BY "row"`);
      assert.deepEqual(
        rejects.map((x) => [Number(x['row']), x['reason']]),
        LINES.flatMap(([, reason], i) => (reason ? [[i + 1, reason]] : [])),
      );

      const events = await e.query(
        `SELECT customer_id, strftime(ts, '%Y-%m-%d %H:%M') AS ts, type FROM events ORDER BY ts`,
      );
      assert.deepEqual(events, [
        { customer_id: '1', ts: '2011-01-01 10:00', type: 'open' }, // type lower-cased
        { customer_id: '1', ts: '2011-01-02 10:00', type: 'click' },
        { customer_id: '2', ts: '2011-01-03 10:00', type: 'open' }, // type trimmed
        { customer_id: '2', ts: '2011-01-05 10:00', type: 'open' },
      ]);
      assert.deepEqual(r.types, ['open', 'click'], 'most frequent first');
    }));

  it('duplicates: keep uses the repeated line', () =>
    withEngine(async (e) => {
      const r = await clean(
        e,
        LINES.map(([l]) => l),
        'events-keep.csv',
        { duplicates: 'keep' },
      );
      assert.equal(r.quality.rejectedByReason['duplicate'], undefined);
      assert.equal(r.quality.used, 5);
      assert.equal(r.quality.used + r.quality.rejected, r.quality.rows);
    }));

  it('no usable event at all is an InputError', () =>
    withEngine(async (e) => {
      await assert.rejects(
        clean(e, ['2,yesterday,open', ',2011-01-01,open', '3,never,open'], 'none.csv'),
        (err) => {
          assert.ok(err instanceof InputError);
          assert.match(err.message, /no usable events/);
          return true;
        },
      );
    }));
});
