/**
 * Detects how a text column writes dates, by trying common formats on a sample and keeping the one that parses
 * the most values (ISO first; day-first vs month-first decided by which parses everything).
 * @module
 */
import type { Engine } from '../engine/index.js';

/** Formats tried after ISO 8601, in order of preference when several parse everything. */
export const DATE_FORMATS = [
  '%Y-%m-%d %H:%M:%S',
  '%Y-%m-%d %H:%M',
  '%Y-%m-%d',
  '%Y/%m/%d %H:%M:%S',
  '%Y/%m/%d',
  '%d/%m/%Y %H:%M:%S',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y',
  '%m/%d/%Y %H:%M:%S',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y',
  '%d-%m-%Y %H:%M:%S',
  '%d-%m-%Y %H:%M',
  '%d-%m-%Y',
  '%m-%d-%Y',
  '%d.%m.%Y %H:%M:%S',
  '%d.%m.%Y %H:%M',
  '%d.%m.%Y',
  '%m/%d/%y %H:%M',
  '%d/%m/%y %H:%M',
  '%m/%d/%y',
  '%d/%m/%y',
  '%Y%m%d',
];

export interface DetectedDateFormat {
  /** strptime format, or undefined for ISO 8601 via a plain cast. */
  format: string | undefined;
  /** Share of sampled non-blank values it parses. */
  parsed: number;
  /** Another format parsed the sample equally well (e.g. every day ≤ 12). */
  ambiguousWith?: string;
}

/** Tries formats on up to 2,000 distinct non-blank values of `column` in `table`. */
export async function detectDateFormat(
  engine: Engine,
  table: string,
  column: string,
): Promise<DetectedDateFormat> {
  const d = engine.dialect;
  const col = d.quoteIdent(column);
  // Distinct values among the first 50,000 non-blank ones (a DISTINCT over the whole column costs a full scan).
  const sample = `(SELECT DISTINCT v FROM (SELECT trim(${col}) AS v FROM ${d.quoteIdent(table)} WHERE ${col} IS NOT NULL AND trim(${col}) <> '' LIMIT 50000) LIMIT 2000)`;
  // Only plausible years count: DuckDB's %Y also reads "10" as the year 0010, which would let "%m/%d/%Y" win
  // over "%m/%d/%y" on two-digit years.
  const plausible = (e: string) => `count(CASE WHEN year(${e}) BETWEEN 1900 AND 2200 THEN 1 END)`;
  const exprs = [
    `${plausible(d.tryTimestamp('v'))} AS f0`,
    ...DATE_FORMATS.map((f, i) => `${plausible(d.tryTimestamp('v', f))} AS f${i + 1}`),
  ];
  const [row] = await engine.query(`SELECT count(*) AS n, ${exprs.join(', ')} FROM ${sample}`);
  const n = Number(row?.['n'] ?? 0);
  if (n === 0) return { format: undefined, parsed: 0 };
  const counts = [undefined, ...DATE_FORMATS].map((f, i) => ({ f, c: Number(row?.[`f${i}`] ?? 0) }));
  let best = counts[0]!;
  for (const x of counts) if (x.c > best.c) best = x;
  const tie = counts.find(
    (x) =>
      x !== best &&
      x.c === best.c &&
      x.f !== undefined &&
      best.f !== undefined &&
      isDayMonthSwap(x.f, best.f),
  );
  return { format: best.f, parsed: best.c / n, ...(tie?.f ? { ambiguousWith: tie.f } : {}) };
}

function isDayMonthSwap(a: string, b: string): boolean {
  return a.replace('%d', '#').replace('%m', '%d').replace('#', '%m') === b;
}
