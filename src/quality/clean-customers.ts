/**
 * Cleans the customers file: one row per customer id (the first wins), attributes typed as numeric or
 * categorical, free-text columns set aside; every row used or rejected with a reason.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { RawTable } from '../ingest/index.js';
import type { Config } from '../config/index.js';
import { InputError } from '../util/errors.js';
import { describeSource } from './clean-transactions.js';
import { detectDateFormat } from './date-format.js';
import type { InputQuality } from './quality-report.js';
import { customerIdExpr, isTextType, missingCounts, writeRejects } from './sql-helpers.js';

export interface CustomerAttribute {
  /** Column name in the clean table `customers` (the file's own name). */
  name: string;
  kind: 'numeric' | 'categorical' | 'ordinal' | 'date';
  /** Ordinal levels in order. */
  levels?: string[];
}

export interface CleanCustomersResult {
  quality: InputQuality;
  table: string;
  rejectsTable: string;
  attributes: CustomerAttribute[];
  /** Columns not used, with why (e.g. free text). */
  ignored: { name: string; why: string }[];
}

export async function cleanCustomers(
  engine: Engine,
  raw: RawTable,
  idColumn: string,
  config: NonNullable<Config['customers']>,
): Promise<CleanCustomersResult> {
  const d = engine.dialect;
  const q = (s: string) => d.quoteIdent(s);
  const t = q(raw.table);
  const idType = raw.columns.find((c) => c.name === idColumn)?.type;
  const others = raw.columns.filter((c) => c.name !== idColumn);

  // Decide each attribute's kind: configured, or from its values.
  const attributes: CustomerAttribute[] = [];
  const ignored: { name: string; why: string }[] = [];
  const configured = new Set([
    ...(config.categorical ?? []),
    ...(config.numeric ?? []),
    ...Object.keys(config.ordinal),
  ]);
  for (const name of configured) {
    if (!raw.columns.some((c) => c.name === name)) {
      throw new InputError(
        `customers.${'categorical/numeric/ordinal'} names column "${name}", which is not in ${raw.source.path}; columns: ${raw.columns.map((c) => c.name).join(', ')}`,
      );
    }
  }
  const [stats] = await engine.query(
    `SELECT count(*) AS n, ${others
      .map((c, i) =>
        isTextType(c.type)
          ? `count(DISTINCT nullif(trim(${q(c.name)}), '')) AS d${i}, count(nullif(trim(${q(c.name)}), '')) AS nn${i}, count(${d.tryDouble(q(c.name))}) AS num${i}`
          : `count(DISTINCT ${q(c.name)}) AS d${i}, count(${q(c.name)}) AS nn${i}, count(${q(c.name)}) AS num${i}`,
      )
      .join(', ')} FROM ${t}`,
  );
  const n = Number(stats?.['n'] ?? 0);
  for (const [i, c] of others.entries()) {
    const distinct = Number(stats?.[`d${i}`] ?? 0);
    const nonNull = Number(stats?.[`nn${i}`] ?? 0);
    const numeric = Number(stats?.[`num${i}`] ?? 0);
    if (config.ordinal[c.name])
      attributes.push({ name: c.name, kind: 'ordinal', levels: config.ordinal[c.name]!.map(String) });
    else if (config.numeric?.includes(c.name)) attributes.push({ name: c.name, kind: 'numeric' });
    else if (config.categorical?.includes(c.name)) attributes.push({ name: c.name, kind: 'categorical' });
    else if (config.numeric || config.categorical)
      ignored.push({ name: c.name, why: 'not listed in customers.numeric/categorical' });
    else if (nonNull === 0) ignored.push({ name: c.name, why: 'empty' });
    else if (!isTextType(c.type) && /^(DATE|TIMESTAMP)/.test(c.type))
      attributes.push({ name: c.name, kind: 'date' });
    else if (numeric >= 0.95 * nonNull && !(isTextType(c.type) && distinct <= 2))
      attributes.push({ name: c.name, kind: 'numeric' });
    else if (isTextType(c.type) && (await detectDateFormat(engine, raw.table, c.name)).parsed >= 0.95) {
      attributes.push({ name: c.name, kind: 'date' });
    } else if (distinct <= Math.max(50, 0.05 * n) && distinct < 0.9 * nonNull)
      attributes.push({ name: c.name, kind: 'categorical' });
    else ignored.push({ name: c.name, why: `free text or an identifier (${distinct} distinct values)` });
  }

  const attrExprs: string[] = [];
  for (const a of attributes) {
    const c = q(a.name);
    const type = raw.columns.find((x) => x.name === a.name)?.type;
    switch (a.kind) {
      case 'numeric':
        attrExprs.push(`${isTextType(type) ? d.tryDouble(c) : `CAST(${c} AS DOUBLE)`} AS ${c}`);
        break;
      case 'categorical':
        attrExprs.push(`nullif(trim(CAST(${c} AS VARCHAR)), '') AS ${c}`);
        break;
      case 'ordinal':
        attrExprs.push(
          `CASE trim(CAST(${c} AS VARCHAR)) ${a.levels!.map((l, k) => `WHEN ${d.quoteString(l)} THEN ${k}`).join(' ')} ELSE NULL END::DOUBLE AS ${c}`,
        );
        break;
      case 'date': {
        const fmt = isTextType(type) ? (await detectDateFormat(engine, raw.table, a.name)).format : undefined;
        attrExprs.push(`${isTextType(type) ? d.tryTimestamp(c, fmt) : `CAST(${c} AS TIMESTAMP)`} AS ${c}`);
        break;
      }
    }
  }
  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE customers_flagged AS
    SELECT _row, ${customerIdExpr(q(idColumn), idType)} AS customer_id ${attrExprs.length ? ',' : ''} ${attrExprs.join(', ')}
    FROM ${t}`);
  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE customers_flagged AS
    SELECT *, CASE WHEN customer_id IS NULL THEN 'missing_customer_id'
                   WHEN row_number() OVER (PARTITION BY customer_id ORDER BY _row) > 1 THEN 'duplicate_customer_id'
                   ELSE NULL END AS reason
    FROM customers_flagged`);
  await engine.exec(
    `CREATE OR REPLACE TABLE customers AS SELECT * EXCLUDE (_row, reason) FROM customers_flagged WHERE reason IS NULL`,
  );

  const byReason = await writeRejects(engine, raw, 'customers_flagged', 'customers_rejects');
  const rejected = Object.values(byReason).reduce((a, b) => a + b, 0);
  const missing = await missingCounts(engine, raw);
  const rows = raw.rows + raw.malformed;
  return {
    table: 'customers',
    rejectsTable: 'customers_rejects',
    attributes,
    ignored,
    quality: {
      input: 'customers',
      file: raw.source.path,
      rows,
      used: rows - rejected,
      rejected,
      rejectedByReason: byReason,
      columns: raw.columns.map((c) => ({
        name: c.name,
        missing: missing[c.name] ?? 0,
        ...(c.name === idColumn ? { role: 'customerId' } : {}),
        ...(attributes.find((a) => a.name === c.name)
          ? { role: `${attributes.find((a) => a.name === c.name)!.kind} attribute` }
          : {}),
      })),
      checks: [
        {
          name: 'Duplicate customer ids',
          count: byReason['duplicate_customer_id'] ?? 0,
          action: 'dropped (first kept)',
        },
        ...ignored.map((i) => ({
          name: `Column "${i.name}" not used: ${i.why}`,
          count: 0,
          action: 'ignored',
        })),
      ],
      detected: { ...describeSource(raw), customerId: idColumn, attributes },
    },
  };
}
