/**
 * Table `segments` — customer id, segment number and name, then every feature, in customer order — built once
 * and copied to segments.csv / segments.parquet (run) or the scored file (assign).
 * @module
 */
import type { Engine } from '../engine/index.js';
import { FEATURE_ORDER } from '../features/index.js';

/** Joins `features` with `segment_labels` (0-based) and the segment names into table `segments` (1-based). */
export async function createSegmentsTable(
  engine: Engine,
  names: readonly { segment: number; name: string }[],
): Promise<void> {
  await engine.createTable('segment_names', [
    { name: 'segment', kind: 'int32', values: Int32Array.from(names.map((s) => s.segment - 1)) },
    { name: 'segment_name', kind: 'text', values: names.map((s) => s.name) },
  ]);
  await engine.exec(`
    CREATE OR REPLACE TABLE segments AS
    SELECT f.customer_id, l.segment + 1 AS segment, n.segment_name, f.* EXCLUDE (customer_id)
    FROM features f JOIN segment_labels l USING (customer_id) JOIN segment_names n ON n.segment = l.segment
    ${FEATURE_ORDER.replaceAll('customer_id', 'f.customer_id')}`);
}
