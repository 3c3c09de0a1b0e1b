/**
 * How well a run recovered the demo's planted segments: adjusted Rand index between segments.csv and truth.csv.
 * @module
 */
import { DuckDBEngine } from '../engine/index.js';
import { adjustedRandScore } from '../metrics/index.js';

export async function compareWithTruth(
  segmentsCsv: string,
  truthCsv: string,
): Promise<{ ari: number; customers: number }> {
  return DuckDBEngine.using(async (e) => {
    const d = e.dialect;
    const [planted, found] = (await e.columns(
      `SELECT t.planted_segment, CAST(s.segment AS VARCHAR)
       FROM read_csv(${d.quoteString(segmentsCsv)}, all_varchar = true) s
       JOIN read_csv(${d.quoteString(truthCsv)}, all_varchar = true) t USING (customer_id)`,
      ['text', 'text'],
    )) as [string[], string[]];
    return { ari: adjustedRandScore(planted, found), customers: planted.length };
  });
}
