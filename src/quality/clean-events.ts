/**
 * Cleans engagement events (email opens and clicks, sessions, page views, app use): one row per usable event,
 * every other row rejected with a reason.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { RawTable } from '../ingest/index.js';
import type { Config } from '../config/index.js';
import { InputError } from '../util/errors.js';
import { describeSource } from './clean-transactions.js';
import { detectDateFormat } from './date-format.js';
import type { InputQuality } from './quality-report.js';
import { customerIdExpr, duplicateRows, isTextType, missingCounts, writeRejects } from './sql-helpers.js';

export interface CleanEventsResult {
  quality: InputQuality;
  table: string;
  rejectsTable: string;
  /** Event types kept as features (most frequent first). */
  types: string[];
}

export async function cleanEvents(
  engine: Engine,
  raw: RawTable,
  roles: Record<string, string | undefined>,
  config: Config,
  now: Date,
): Promise<CleanEventsResult> {
  const d = engine.dialect;
  const q = (s: string) => d.quoteIdent(s);
  const t = q(raw.table);
  const typeOf = new Map(raw.columns.map((c) => [c.name, c.type]));
  const tsCol = roles['timestamp']!;
  let tsExpr: string;
  if (isTextType(typeOf.get(tsCol))) {
    const fmt = config.events?.dateFormat ?? (await detectDateFormat(engine, raw.table, tsCol)).format;
    tsExpr = d.tryTimestamp(q(tsCol), fmt);
  } else tsExpr = `CAST(${q(tsCol)} AS TIMESTAMP)`;
  const typeExpr = roles['type']
    ? `nullif(lower(trim(CAST(${q(roles['type'])} AS VARCHAR))), '')`
    : `'event'`;
  const maxDate = config.quality.maxDate ?? now.toISOString().slice(0, 19).replace('T', ' ');
  await duplicateRows(engine, raw, 'events_duplicates');
  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE events_flagged AS
    SELECT *, CASE
        WHEN customer_id IS NULL THEN 'missing_customer_id'
        WHEN ts_blank THEN 'missing_timestamp'
        WHEN ts IS NULL THEN 'unparseable_timestamp'
        WHEN ts > ${d.quoteString(maxDate)}::TIMESTAMP OR ts < ${d.quoteString(config.quality.minDate)}::TIMESTAMP THEN 'date_out_of_range'
        WHEN type IS NULL THEN 'missing_event_type'
        ${config.quality.duplicates === 'drop' ? "WHEN dup THEN 'duplicate'" : ''}
        ELSE NULL END AS reason
    FROM (
      SELECT _row, ${customerIdExpr(q(roles['customerId']!), typeOf.get(roles['customerId']!), true)} AS customer_id,
        ${isTextType(typeOf.get(tsCol)) ? `(${q(tsCol)} IS NULL OR trim(${q(tsCol)}) = '')` : `${q(tsCol)} IS NULL`} AS ts_blank,
        ${tsExpr} AS ts, ${typeExpr} AS type,
        _row IN (SELECT _row FROM events_duplicates) AS dup
      FROM ${t})`);
  await engine.exec(
    `CREATE OR REPLACE TABLE events AS SELECT customer_id, ts, type FROM events_flagged WHERE reason IS NULL`,
  );

  const typeRows = await engine.query(
    `SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC, type LIMIT 12`,
  );
  if (typeRows.length === 0) {
    throw new InputError(
      `events file ${raw.source.path}: no usable events (every row was rejected; see the quality report)`,
    );
  }
  const byReason = await writeRejects(engine, raw, 'events_flagged', 'events_rejects');
  const rejected = Object.values(byReason).reduce((a, b) => a + b, 0);
  const missing = await missingCounts(engine, raw);
  const roleOf = new Map(
    Object.entries(roles)
      .filter(([, v]) => v)
      .map(([k, v]) => [v!, k]),
  );
  const rows = raw.rows + raw.malformed;
  return {
    table: 'events',
    rejectsTable: 'events_rejects',
    types: typeRows.map((r) => String(r['type'])),
    quality: {
      input: 'events',
      file: raw.source.path,
      rows,
      used: rows - rejected,
      rejected,
      rejectedByReason: byReason,
      columns: raw.columns.map((c) => ({
        name: c.name,
        missing: missing[c.name] ?? 0,
        ...(roleOf.has(c.name) ? { role: roleOf.get(c.name)! } : {}),
      })),
      checks: [
        {
          name: 'Event types',
          count: typeRows.length,
          action: `kept: ${typeRows.map((r) => r['type']).join(', ')}`,
        },
      ],
      detected: { ...describeSource(raw), columns: roles },
    },
  };
}
