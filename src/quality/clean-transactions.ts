/**
 * Cleans raw transactions in SQL: parses every field, decides for every row whether it is used or rejected (one
 * reason per row, first that applies), and writes the clean table, the rejects table and the quality figures.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { RawTable } from '../ingest/index.js';
import type { Config } from '../config/index.js';
import { InputError } from '../util/errors.js';
import { detectDateFormat } from './date-format.js';
import type { ColumnQuality, InputQuality, QualityCheck } from './quality-report.js';
import { customerIdExpr, duplicateRows, isTextType, missingCounts, writeRejects } from './sql-helpers.js';

/** Columns of the clean transactions table `tx`. */
export const CLEAN_TX_COLUMNS = [
  'customer_id',
  'invoice_id',
  'ts',
  'quantity',
  'unit_price',
  'amount',
  'product',
  'country',
  'is_return',
] as const;

export interface CleanTransactionsResult {
  quality: InputQuality;
  /** Clean table name. */
  table: string;
  /** Rejects table name: `row`, `line`, `reason`, `detail`, then the raw columns as text. */
  rejectsTable: string;
  dateFormat: string | undefined;
}

/**
 * Rejection reasons, in the order they are tested (a row gets the first that applies).
 * Cancellations are used (netted) unless the config drops them.
 */
export const TX_REJECT_REASONS = [
  'malformed_line',
  'missing_customer_id',
  'missing_date',
  'unparseable_date',
  'missing_amount',
  'unparseable_amount',
  'date_out_of_range',
  'duplicate',
  'zero_amount',
  'negative_price',
  'excluded_product',
  'cancellation',
  'outlier',
] as const;

export async function cleanTransactions(
  engine: Engine,
  raw: RawTable,
  roles: Record<string, string | undefined>,
  config: Config,
  now: Date,
): Promise<CleanTransactionsResult> {
  const d = engine.dialect;
  const q = (s: string) => d.quoteIdent(s);
  const typeOf = new Map(raw.columns.map((c) => [c.name, c.type]));
  const col = (role: string) => (roles[role] ? q(roles[role]!) : 'NULL');
  const blank = (role: string) => {
    const c = roles[role];
    if (!c) return 'TRUE';
    return isTextType(typeOf.get(c)) ? `(${q(c)} IS NULL OR trim(${q(c)}) = '')` : `${q(c)} IS NULL`;
  };
  // Decimal commas ("2,55", "1.234,50"), as semicolon-delimited European exports write amounts.
  const decimalComma =
    config.transactions?.decimal === ',' ||
    (config.transactions?.decimal === undefined &&
      raw.source.csv !== undefined &&
      raw.source.csv.delimiter !== ',' &&
      (await usesDecimalComma(
        engine,
        raw.table,
        ['amount', 'quantity', 'unitPrice']
          .map((r) => roles[r])
          .filter((c): c is string => !!c && isTextType(typeOf.get(c))),
      )));
  const num = (role: string) => {
    const c = roles[role];
    if (!c) return 'NULL::DOUBLE';
    if (!isTextType(typeOf.get(c))) return `CAST(${q(c)} AS DOUBLE)`;
    return decimalComma
      ? d.tryDouble(`replace(replace(trim(${q(c)}), '.', ''), ',', '.')`)
      : d.tryDouble(q(c));
  };

  // Dates: typed columns as they are; text detected (or the configured format).
  const dateCol = roles['date']!;
  let dateFormat = config.transactions?.dateFormat;
  let dateExpr: string;
  let dateNote = 'typed';
  if (isTextType(typeOf.get(dateCol))) {
    if (!dateFormat) {
      const det = await detectDateFormat(engine, raw.table, dateCol);
      if (det.parsed < 0.5) {
        const [ex] = await engine.query(
          `SELECT ${q(dateCol)} AS v FROM ${q(raw.table)} WHERE trim(${q(dateCol)}) <> '' LIMIT 1`,
        );
        throw new InputError(
          `transactions file ${raw.source.path}: cannot read dates in column "${dateCol}" (e.g. "${String(ex?.['v'] ?? '')}"); ` +
            `set transactions.dateFormat in the config or --date-format, e.g. '%d/%m/%Y %H:%M'`,
        );
      }
      dateFormat = det.format;
      dateNote = det.format ?? 'ISO 8601';
      if (det.ambiguousWith) dateNote += ` (ambiguous with ${det.ambiguousWith}; set dateFormat to choose)`;
    } else dateNote = dateFormat;
    dateExpr = d.tryTimestamp(q(dateCol), dateFormat);
  } else {
    dateExpr = `CAST(${q(dateCol)} AS TIMESTAMP)`;
  }

  const amountExpr = roles['amount'] ? num('amount') : `${num('quantity')} * ${num('unitPrice')}`;
  const amountBlank = roles['amount'] ? blank('amount') : `(${blank('quantity')} OR ${blank('unitPrice')})`;
  // Text as read: trimmed for CSV; typed sources (Parquet, JSON) are taken as written, which saves a string copy
  // per value on large files.
  const text = (role: string) => {
    const c = roles[role];
    if (!c) return 'NULL::VARCHAR';
    return isTextType(typeOf.get(c)) && raw.source.format === 'csv'
      ? `trim(${q(c)})`
      : `CAST(${q(c)} AS VARCHAR)`;
  };
  const returnExpr = `(coalesce(starts_with(upper(invoice_id), 'C'), FALSE) OR coalesce(quantity < 0, FALSE) OR coalesce(amount < 0, FALSE))`;
  const maxDate = config.quality.maxDate ?? now.toISOString().slice(0, 19).replace('T', ' ');
  const qc = config.quality;
  const excluded = qc.excludeProducts.map((p) => d.quoteString(p)).join(', ');

  // Parsing is a view: the fence query reads only the amount, and the flagged table is the one pass that
  // materialises everything (on 20M rows each materialised copy costs seconds and gigabytes).
  await duplicateRows(engine, raw, 'tx_duplicates');
  await engine.exec(`
    CREATE OR REPLACE TEMP VIEW tx_parsed AS
    SELECT _row,
      ${customerIdExpr(col('customerId'), typeOf.get(roles['customerId']!), true)} AS customer_id,
      ${text('invoiceId')} AS invoice_id,
      ${blank('date')} AS date_blank,
      ${dateExpr} AS ts,
      ${amountBlank} AS amount_blank,
      ${amountExpr} AS amount,
      ${num('quantity')} AS quantity,
      ${num('unitPrice')} AS unit_price,
      ${text('product')} AS product,
      ${text('country')} AS country,
      _row IN (SELECT _row FROM tx_duplicates) AS is_duplicate
    FROM ${q(raw.table)}`);

  // Outlier fence on log(1 + |amount|) over every non-zero amount (Tukey 1977, "far out": Q3 + 3·IQR). Past a
  // million rows the quartiles come from a 1-in-16 sample chosen by a hash of the row number: the same rows every
  // run, and 8× faster on 20M rows. When outliers are only reported (the default) the fence is taken after the
  // verdicts, from the parsed amounts; when they are dropped it must come first, from the raw ones.
  const fenceOf = async (relation: string, amount: string): Promise<number> => {
    const sample = raw.rows > 1_000_000 ? 'WHERE hash(_row) % 16 = 0' : '';
    const [f] = await engine.query(`
      SELECT quantile_cont(l, 0.25) AS q1, quantile_cont(l, 0.75) AS q3
      FROM (SELECT ln(1 + abs(${amount})) AS l FROM ${relation} ${sample}) WHERE l > 0 AND isfinite(l)`);
    const q1 = Number(f?.['q1'] ?? 0);
    const q3 = Number(f?.['q3'] ?? 0);
    return q3 + qc.outliers.fence * (q3 - q1);
  };
  const dropOutliers = qc.outliers.action === 'drop';
  const upperFirst = dropOutliers ? await fenceOf(q(raw.table), amountExpr) : NaN;

  const reason = `CASE
      WHEN customer_id IS NULL THEN 'missing_customer_id'
      WHEN date_blank THEN 'missing_date'
      WHEN ts IS NULL THEN 'unparseable_date'
      WHEN amount_blank THEN 'missing_amount'
      WHEN amount IS NULL OR NOT isfinite(amount) THEN 'unparseable_amount'
      WHEN ts > ${d.quoteString(maxDate)}::TIMESTAMP OR ts < ${d.quoteString(qc.minDate)}::TIMESTAMP THEN 'date_out_of_range'
      ${qc.duplicates === 'drop' ? "WHEN is_duplicate THEN 'duplicate'" : ''}
      ${qc.zeroAmounts === 'drop' ? "WHEN amount = 0 THEN 'zero_amount'" : ''}
      ${qc.negativePrices === 'drop' ? "WHEN unit_price < 0 THEN 'negative_price'" : ''}
      ${excluded ? `WHEN product IN (${excluded}) THEN 'excluded_product'` : ''}
      ${qc.cancellations === 'drop' ? "WHEN is_return THEN 'cancellation'" : ''}
      ${dropOutliers ? `WHEN ln(1 + abs(amount)) > ${d.number(upperFirst)} THEN 'outlier'` : ''}
      ELSE NULL END`;

  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE tx_flagged AS
    SELECT *, ${reason} AS reason FROM (
      SELECT *, ${returnExpr} AS is_return FROM tx_parsed
    )`);
  const upper = dropOutliers ? upperFirst : await fenceOf('tx_flagged', 'amount');

  // The clean transactions: a view over the flagged rows, or a table in segmint.duckdb with
  // output.keepTransactions (on 20M rows a second copy costs seconds and gigabytes).
  await engine.exec(`
    CREATE OR REPLACE ${config.output.keepTransactions ? 'TABLE' : 'TEMP VIEW'} tx AS
    SELECT customer_id, invoice_id, ts, quantity, unit_price, amount, product, country, is_return
    FROM tx_flagged WHERE reason IS NULL`);

  const rejectsTable = 'tx_rejects';

  // Figures for the report.
  const [f] = await engine.query(`
    SELECT count(*) FILTER (WHERE is_duplicate) AS duplicates,
      count(*) FILTER (WHERE is_return AND (reason IS NULL OR reason = 'cancellation')) AS returns,
      count(*) FILTER (WHERE starts_with(upper(invoice_id), 'C')) AS cancellations,
      count(*) FILTER (WHERE quantity < 0) AS negative_quantities,
      count(*) FILTER (WHERE amount = 0) AS zero_amounts,
      count(*) FILTER (WHERE unit_price < 0) AS negative_prices,
      count(*) FILTER (WHERE ts > ${d.quoteString(maxDate)}::TIMESTAMP) AS future_dates,
      count(*) FILTER (WHERE ts < ${d.quoteString(qc.minDate)}::TIMESTAMP) AS early_dates,
      count(*) FILTER (WHERE ln(1 + abs(amount)) > ${d.number(upper)}) AS outliers,
      count(*) FILTER (WHERE NOT amount_blank AND amount IS NULL) AS bad_amount,
      count(*) FILTER (WHERE NOT date_blank AND ts IS NULL) AS bad_date,
      ${excluded ? `count(*) FILTER (WHERE product IN (${excluded}))` : '0'} AS excluded_products,
      strftime(min(ts) FILTER (WHERE reason IS NULL), '%Y-%m-%d %H:%M:%S') AS min_ts,
      strftime(max(ts) FILTER (WHERE reason IS NULL), '%Y-%m-%d %H:%M:%S') AS max_ts
    FROM tx_flagged`);
  const n = (k: string) => Number(f?.[k] ?? 0);
  const checks: QualityCheck[] = [
    {
      name: 'Exact duplicate lines',
      count: n('duplicates'),
      action: qc.duplicates === 'drop' ? 'dropped (first kept)' : 'kept',
    },
    {
      name: 'Return and cancellation lines of otherwise valid rows',
      count: n('returns'),
      action: qc.cancellations === 'net' ? 'netted against purchases' : 'dropped',
    },
    {
      name: 'Cancelled invoices (number starts with C)',
      count: n('cancellations'),
      action: 'counted as returns',
    },
    { name: 'Negative quantities', count: n('negative_quantities'), action: 'counted as returns' },
    {
      name: 'Zero amounts',
      count: n('zero_amounts'),
      action: qc.zeroAmounts === 'drop' ? 'dropped' : 'kept',
    },
    {
      name: 'Negative unit prices',
      count: n('negative_prices'),
      action: qc.negativePrices === 'drop' ? 'dropped' : 'kept',
    },
    { name: `Dates after ${maxDate}`, count: n('future_dates'), action: 'dropped' },
    { name: `Dates before ${qc.minDate}`, count: n('early_dates'), action: 'dropped' },
    { name: 'Unparseable dates', count: n('bad_date'), action: 'dropped' },
    { name: 'Unparseable amounts, quantities or prices', count: n('bad_amount'), action: 'dropped' },
    {
      name: `Extreme amounts (log(1+|amount|) above Q3 + ${qc.outliers.fence}·IQR = ${Math.expm1(upper).toFixed(2)})`,
      count: n('outliers'),
      action: qc.outliers.action === 'drop' ? 'dropped' : 'kept',
    },
  ];
  if (roles['product']) {
    if (excluded)
      checks.push({
        name: 'Product codes listed in quality.excludeProducts',
        count: n('excluded_products'),
        action: 'dropped',
      });
    // Codes with no digit are often postage, fees or manual adjustments rather than products: say which.
    // (Grouped first, so the pattern is tested once per distinct code rather than once per line.)
    const top = await engine.query(
      `WITH codes AS (SELECT product, count(*) AS n FROM tx_flagged WHERE product IS NOT NULL GROUP BY 1)
       SELECT product, n, sum(n) OVER () AS total FROM codes WHERE NOT regexp_matches(product, '[0-9]')
       ORDER BY n DESC, product LIMIT 6`,
    );
    if (top.length > 0) {
      checks.push({
        name: `Product codes without digits (often postage, fees, adjustments): ${top.map((r) => `${String(r['product'])} (${Number(r['n'])})`).join(', ')}`,
        count: Number(top[0]!['total']),
        action: excluded
          ? 'kept unless listed in quality.excludeProducts'
          : 'kept; list codes in quality.excludeProducts to drop them',
      });
    }
  }
  const missing = await missingCounts(engine, raw);
  const roleOf = new Map(
    Object.entries(roles)
      .filter(([, v]) => v)
      .map(([k, v]) => [v!, k]),
  );
  const columns: ColumnQuality[] = raw.columns.map((c) => ({
    name: c.name,
    ...(roleOf.has(c.name) ? { role: roleOf.get(c.name)! } : {}),
    missing: missing[c.name] ?? 0,
  }));
  const byReason = await writeRejects(engine, raw, 'tx_flagged', rejectsTable);
  const rejected = Object.values(byReason).reduce((a, b) => a + b, 0);
  const rows = raw.rows + raw.malformed;
  return {
    table: 'tx',
    rejectsTable,
    dateFormat,
    quality: {
      input: 'transactions',
      file: raw.source.path,
      rows,
      used: rows - rejected,
      rejected,
      rejectedByReason: byReason,
      columns,
      checks,
      detected: {
        ...describeSource(raw),
        dateFormat: dateNote,
        decimal: decimalComma ? ',' : '.',
        columns: roles,
      },
      ...(f?.['min_ts'] ? { dateRange: { min: String(f['min_ts']), max: String(f['max_ts']) } } : {}),
    },
  };
}

export function describeSource(raw: RawTable): Record<string, unknown> {
  const s = raw.source;
  return {
    format: s.format,
    compression: s.compression,
    ...(s.csv
      ? { delimiter: s.csv.delimiter, header: s.csv.header, encoding: s.csv.encoding, quote: s.csv.quote }
      : {}),
  };
}

/** Whether number columns write decimals with a comma: values that parse only once "," is read as the point. */
async function usesDecimalComma(engine: Engine, table: string, columns: string[]): Promise<boolean> {
  if (columns.length === 0) return false;
  const q = (s: string) => engine.dialect.quoteIdent(s);
  const parts = columns.map(
    (c) =>
      `SELECT trim(${q(c)}) AS v FROM (SELECT ${q(c)} FROM ${q(table)} WHERE ${q(c)} IS NOT NULL LIMIT 5000)`,
  );
  const [r] = await engine.query(`
    SELECT count(*) FILTER (WHERE TRY_CAST(v AS DOUBLE) IS NULL AND TRY_CAST(replace(replace(v, '.', ''), ',', '.') AS DOUBLE) IS NOT NULL) AS comma,
           count(*) FILTER (WHERE TRY_CAST(v AS DOUBLE) IS NOT NULL AND contains(v, '.')) AS dot
    FROM (${parts.join(' UNION ALL ')})`);
  const comma = Number(r?.['comma'] ?? 0);
  return comma > 0 && comma >= Number(r?.['dot'] ?? 0);
}
