/**
 * Table `segments` — customer id, segment number and name, every feature, then the value columns (RFM scores,
 * predicted lifetime value), in customer order — built once
 * and copied to segments.csv / segments.parquet (run) or the scored file (assign).
 * @module
 */
import type { Engine } from '../engine/index.js';
import { NOISE_NAME } from '../profile/index.js';

/** Table `segment_labels(_pos, segment)`: label i (0-based) belongs to the customer with `_pos = i` in `features`. */
export async function createLabelsTable(engine: Engine, labels: Int32Array): Promise<void> {
  await engine.createTable(
    'segment_labels',
    [
      { name: '_pos', kind: 'int32', values: Int32Array.from({ length: labels.length }, (_, i) => i) },
      { name: 'segment', kind: 'int32', values: labels },
    ],
    { temporary: true },
  );
}

/**
 * Joins `features` with `segment_labels` (0-based) and the segment names into table `segments` (1-based; noise,
 * label −1, becomes segment 0 named `NOISE_NAME`).
 */
export async function createSegmentsTable(
  engine: Engine,
  names: readonly { segment: number; name: string }[],
  /** Columns of table `customer_value(_pos, …)` to add after the features (RFM scores, predicted CLV…). */
  valueColumns: readonly string[] = [],
): Promise<void> {
  const d = engine.dialect;
  // Names by a CASE expression rather than a join; a positional zip of features and labels was measured slower
  // (single-threaded) than this hash join and sort on 2M customers.
  const named = names.filter((s) => s.segment > 0);
  const name = `CASE l.segment ${named.map((s) => `WHEN ${s.segment - 1} THEN ${d.quoteString(s.name)}`).join(' ')} WHEN -1 THEN ${d.quoteString(NOISE_NAME)} END`;
  await engine.exec(`
    CREATE OR REPLACE TABLE segments AS
    SELECT f.customer_id, l.segment + 1 AS segment, ${name} AS segment_name, f.* EXCLUDE (customer_id, _pos)
      ${valueColumns.map((c) => `, v.${d.quoteIdent(c)}`).join('')}
    FROM features f JOIN segment_labels l USING (_pos)
      ${valueColumns.length > 0 ? 'JOIN customer_value v USING (_pos)' : ''}
    ORDER BY _pos`);
}
