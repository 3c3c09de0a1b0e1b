/**
 * SQL pieces shared by the cleaning steps: type tests, customer-id normalisation, missing-value counts.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { RawTable } from '../ingest/index.js';

export function isTextType(type: string | undefined): boolean {
  return type === undefined || type === 'VARCHAR' || type.startsWith('VARCHAR') || type === 'JSON';
}

/**
 * Customer ids as text, trimmed, with a float's trailing ".0" removed ("17850.0" → "17850", as exports from
 * spreadsheets and pandas write them); blank → NULL.
 */
export function customerIdExpr(column: string, type: string | undefined, keepIntegers = false): string {
  // Integer ids may stay integers in the large tables (tx, events): grouping 20M rows by an integer is much
  // cheaper than by text. The feature stage turns them into text once per customer.
  if (keepIntegers && type && /^U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?$/.test(type)) return column;
  if (type && /^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(type)) {
    return `CASE WHEN ${column} = floor(${column}) THEN CAST(CAST(${column} AS BIGINT) AS VARCHAR) ELSE CAST(${column} AS VARCHAR) END`;
  }
  if (type && /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?)$/.test(type)) return `CAST(${column} AS VARCHAR)`;
  // The regular expression only runs on values ending in ".0…" (cheap on 20M rows).
  const t = `trim(CAST(${column} AS VARCHAR))`;
  return `nullif(CASE WHEN contains(${t}, '.') THEN regexp_replace(${t}, '^(-?[0-9]+)\\.0+$', '\\1') ELSE ${t} END, '')`;
}

/**
 * Missing values per raw column, in one scan: NULL (the CSV reader reads an empty field as NULL). Values of only
 * spaces count as present here; the parsing rules still treat them as blank.
 */
export async function missingCounts(engine: Engine, raw: RawTable): Promise<Record<string, number>> {
  const q = (s: string) => engine.dialect.quoteIdent(s);
  if (raw.source.format === 'parquet') {
    // Parquet files record null counts per column chunk: no scan needed when every chunk has them.
    const rows = await engine.query(
      `SELECT path_in_schema AS col, sum(stats_null_count) AS nulls, count(*) FILTER (WHERE stats_null_count IS NULL) AS unknown
       FROM parquet_metadata(${engine.dialect.quoteString(raw.source.path)}) GROUP BY 1`,
    );
    const known = new Map(
      rows.filter((r) => Number(r['unknown']) === 0).map((r) => [String(r['col']), Number(r['nulls'])]),
    );
    if (raw.columns.every((c) => known.has(c.name)))
      return Object.fromEntries(raw.columns.map((c) => [c.name, known.get(c.name)!]));
  }
  const exprs = raw.columns.map((c, i) => `count(*) - count(${q(c.name)}) AS m${i}`);
  const [row] = await engine.query(`SELECT ${exprs.join(', ')} FROM ${q(raw.table)}`);
  return Object.fromEntries(raw.columns.map((c, i) => [c.name, Number(row?.[`m${i}`] ?? 0)]));
}

/** reason → count of a rejects table. */
export async function countRejects(engine: Engine, table: string): Promise<Record<string, number>> {
  const rows = await engine.query(
    `SELECT reason, count(*) AS n FROM ${engine.dialect.quoteIdent(table)} GROUP BY reason ORDER BY n DESC, reason`,
  );
  return Object.fromEntries(rows.map((r) => [String(r['reason']), Number(r['n'])]));
}

/**
 * Writes a rejects table: the reader's malformed lines (`line`, with the error and the raw text in `detail`), then
 * every row the flagged table gave a reason (`row`), with its raw columns as text. Returns reason → count.
 */
export async function writeRejects(
  engine: Engine,
  raw: RawTable,
  flagged: string,
  rejects: string,
): Promise<Record<string, number>> {
  const q = (s: string) => engine.dialect.quoteIdent(s);
  const rawText = raw.columns.map((c) => `CAST(r.${q(c.name)} AS VARCHAR) AS ${q(c.name)}`).join(', ');
  const rawNull = raw.columns.map((c) => `NULL::VARCHAR AS ${q(c.name)}`).join(', ');
  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE ${q(rejects)} AS
    SELECT NULL::BIGINT AS "row", line, 'malformed_line' AS reason, error || ' | ' || coalesce(text, '') AS detail, ${rawNull}
      FROM ${q(raw.malformedTable)}
    UNION ALL
    SELECT f._row AS "row", NULL::BIGINT AS line, f.reason, NULL AS detail, ${rawText}
      FROM ${q(flagged)} f JOIN ${q(raw.table)} r USING (_row) WHERE f.reason IS NOT NULL
    ORDER BY "row" NULLS FIRST, line`);
  return countRejects(engine, rejects);
}

/**
 * Creates table `name` (`_row`) of the rows that exactly repeat an earlier row (every raw column equal, NULLs
 * equal; the first occurrence is not listed). Rows are first grouped by a 64-bit hash of all columns, which is
 * cheap on 20M rows, and only rows whose hash occurs more than once are compared column by column — so the
 * answer is exact whatever the hash collides on.
 */
export async function duplicateRows(engine: Engine, raw: RawTable, name: string): Promise<void> {
  const q = (s: string) => engine.dialect.quoteIdent(s);
  const cols = raw.columns.map((c) => q(c.name)).join(', ');
  const t = q(raw.table);
  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE ${q(name)} AS
    WITH repeated AS (SELECT hash(${cols}) AS h FROM ${t} GROUP BY h HAVING count(*) > 1)
    SELECT _row FROM (
      SELECT _row, row_number() OVER (PARTITION BY ${cols} ORDER BY _row) AS rn
      FROM ${t} WHERE hash(${cols}) IN (SELECT h FROM repeated)
    ) WHERE rn > 1`);
}
