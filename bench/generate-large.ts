/**
 * Builds the `large-20m` benchmark input — about 20M transaction lines of 2M customers in five planted groups, with
 * returns and guest checkouts — as Parquet, entirely in DuckDB SQL, and caches it under bench/out/large/.
 *
 * Run alone: `node --import tsx bench/generate-large.ts [--force]`.
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** Where the data set is cached. */
export const LARGE_DIR = join(BENCH_DIR, 'out', 'large');
export const LARGE_TRANSACTIONS = join(LARGE_DIR, 'transactions.parquet');
export const LARGE_TRUTH = join(LARGE_DIR, 'truth.parquet');

/** Shape of the data set; changing it means deleting the cache (or `--force`). */
export const LARGE_SPEC = {
  customers: 2_000_000,
  /** Last day of history; the history covers the two years before it. */
  asOf: '2026-06-30',
  historyDays: 730,
  /** Share of invoices later partly returned (a "C" invoice with a negative quantity). */
  returnRate: 0.02,
  /** Share of invoices without a CustomerID (guest checkouts). */
  guestRate: 0.01,
  products: 4000,
} as const;

/**
 * Planted groups: share of customers; invoices per customer (uniform lo..hi); lines per invoice; days since the
 * last order (lo..hi); how far back the other orders reach; quantity multiplier. Tuned so the expected total is
 * about 20M lines (sum of share × mean invoices × mean lines ≈ 10 per customer).
 */
const GROUPS = [
  {
    name: 'champions',
    share: 0.12,
    inv: [6, 14],
    lines: [2, 4],
    lastAgo: [0, 30],
    reach: [300, 700],
    qty: 2,
  },
  { name: 'loyal', share: 0.25, inv: [4, 8], lines: [1, 3], lastAgo: [0, 40], reach: [120, 300], qty: 1 },
  { name: 'new', share: 0.13, inv: [1, 2], lines: [1, 3], lastAgo: [0, 60], reach: [0, 30], qty: 1 },
  { name: 'at_risk', share: 0.15, inv: [4, 8], lines: [2, 3], lastAgo: [150, 365], reach: [60, 300], qty: 3 },
  {
    name: 'hibernating',
    share: 0.35,
    inv: [1, 2],
    lines: [1, 2],
    lastAgo: [200, 700],
    reach: [0, 120],
    qty: 1,
  },
] as const;

/** Info about the cached data set. */
export interface LargeDataset {
  path: string;
  rows: number;
  customers: number;
  bytes: number;
  /** Seconds spent generating, or 0 when the cache was used. */
  generatedSeconds: number;
}

/**
 * Returns the cached data set, generating it first if it is missing (or when `force`). The file is written under
 * a temporary name and renamed, so an interrupted run never leaves a truncated cache behind.
 *
 * @example
 * const { path, rows } = await ensureLargeDataset();
 */
export async function ensureLargeDataset(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<LargeDataset> {
  const log = options.log ?? (() => undefined);
  let generatedSeconds = 0;
  if (options.force || !existsSync(LARGE_TRANSACTIONS) || !existsSync(LARGE_TRUTH)) {
    const t0 = performance.now();
    log(`generating ${LARGE_TRANSACTIONS} (once; cached afterwards)…`);
    await generate(log);
    generatedSeconds = (performance.now() - t0) / 1000;
    log(`generated in ${generatedSeconds.toFixed(1)} s`);
  }
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(
      `SELECT count(*)::BIGINT AS n, count(DISTINCT CustomerID)::BIGINT AS c FROM read_parquet(${sqlPath(LARGE_TRANSACTIONS)})`,
    );
    const row = reader.getRowObjectsJS()[0]!;
    return {
      path: LARGE_TRANSACTIONS,
      rows: Number(row['n']),
      customers: Number(row['c']),
      bytes: (await stat(LARGE_TRANSACTIONS)).size,
      generatedSeconds,
    };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

async function generate(log: (line: string) => void): Promise<void> {
  await mkdir(LARGE_DIR, { recursive: true });
  const tmpTx = `${LARGE_TRANSACTIONS}.tmp`;
  const tmpTruth = `${LARGE_TRUTH}.tmp`;
  const db = await DuckDBInstance.create(':memory:', { temp_directory: join(LARGE_DIR, 'duckdb-tmp') });
  const conn = await db.connect();
  try {
    for (const [label, sql] of statements(tmpTx, tmpTruth)) {
      const t0 = performance.now();
      await conn.run(sql);
      log(`  ${label} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    await rename(tmpTx, LARGE_TRANSACTIONS);
    await rename(tmpTruth, LARGE_TRUTH);
  } catch (e) {
    await rm(tmpTx, { force: true });
    await rm(tmpTruth, { force: true });
    throw new Error(`could not generate the large data set: ${(e as Error).message}`, { cause: e });
  } finally {
    conn.closeSync();
    db.closeSync();
    await rm(join(LARGE_DIR, 'duckdb-tmp'), { recursive: true, force: true });
  }
}

/** The SQL, step by step. Randomness is a hash of (key, stream) mapped to [0, 1), so the output is deterministic. */
function statements(txPath: string, truthPath: string): [string, string][] {
  const s = LARGE_SPEC;
  // Group g holds customers whose u(cid, 1) falls in [cut[g], cut[g + 1]).
  const cuts: number[] = [];
  let acc = 0;
  for (const g of GROUPS) cuts.push((acc += g.share));
  const groupCase = `CASE ${cuts
    .slice(0, -1)
    .map((c, g) => `WHEN u(cid, 1) < ${c} THEN ${g}`)
    .join(' ')} ELSE ${GROUPS.length - 1} END`;
  const param = (field: (g: (typeof GROUPS)[number]) => number): string =>
    `[${GROUPS.map((g) => field(g)).join(', ')}][grp + 1]`;
  const between = (lo: string, hi: string, stream: string): string =>
    `(${lo} + floor(${stream} * (${hi} - ${lo} + 1)))::INTEGER`;
  return [
    [
      'macros',
      // hash(key, stream) with two arguments is correlated across streams of one key; hashing one mixed
      // integer is not (streams < 64).
      `CREATE MACRO u(key, stream) AS (hash(key::BIGINT * 64 + stream) >> 11) / 9007199254740992.0;
       CREATE MACRO lo_hi(lo, hi, x) AS (lo + floor(x * (hi - lo + 1)))::INTEGER;`,
    ],
    [
      'customers',
      `CREATE TABLE cust AS
       SELECT cid, grp,
         ${between(
           param((g) => g.inv[0]),
           param((g) => g.inv[1]),
           'u(cid, 2)',
         )} AS n_inv,
         ${between(
           param((g) => g.lastAgo[0]),
           param((g) => g.lastAgo[1]),
           'u(cid, 3)',
         )} AS last_ago,
         ${between(
           param((g) => g.reach[0]),
           param((g) => g.reach[1]),
           'u(cid, 4)',
         )} AS reach,
         ${param((g) => g.lines[0])} AS lines_lo, ${param((g) => g.lines[1])} AS lines_hi,
         ${param((g) => g.qty)} AS qty_mult,
         CASE WHEN u(cid, 5) < 0.82 THEN 'United Kingdom' WHEN u(cid, 5) < 0.88 THEN 'Germany'
              WHEN u(cid, 5) < 0.93 THEN 'France' WHEN u(cid, 5) < 0.97 THEN 'Ireland' ELSE 'Netherlands' END
           AS country
       FROM (SELECT range AS cid, ${groupCase} AS grp FROM range(${s.customers}));`,
    ],
    [
      'invoices',
      // Invoice k = 0 is the last order; the others spread back over the customer's reach. Invoice numbers are
      // unique per (customer, k): 32 slots per customer.
      `CREATE TABLE inv AS
       SELECT cid, grp, country, qty_mult, lines_lo, lines_hi,
         cid * 32 + k AS inv_id,
         TIMESTAMP '${s.asOf}' - INTERVAL (least(${s.historyDays - 1},
             last_ago + CASE WHEN k = 0 THEN 0 ELSE floor(u(cid * 32 + k, 6) * (reach + 1))::INTEGER END)) DAY
           + INTERVAL (8 * 3600 + floor(u(cid * 32 + k, 7) * 12 * 3600)::INTEGER) SECOND AS ts
       FROM (SELECT *, unnest(range(n_inv)) AS k FROM cust);`,
    ],
    [
      'lines',
      // Line j of an invoice takes product (base + 37 j) mod P: distinct within an invoice, popular ones more often.
      `CREATE TABLE lines AS
       SELECT inv_id, cid, country, ts, j,
         ((floor(pow(u(inv_id, 8), 1.6) * ${s.products})::INTEGER + 37 * j) % ${s.products}) AS product,
         (qty_mult * (1 + floor(pow(u(inv_id * 16 + j, 9), 2) * 12)))::INTEGER AS qty
       FROM (SELECT *, unnest(range(lo_hi(lines_lo, lines_hi, u(inv_id, 10)))) AS j FROM inv);`,
    ],
    [
      'transactions.parquet',
      `COPY (
         WITH priced AS (
           SELECT *, round(0.45 + floor(u(product, 11) * 2000) / 100.0, 2) AS price,
             u(inv_id, 12) < ${s.guestRate} AS guest
           FROM lines),
         sales AS (
           SELECT CAST(1000000 + inv_id AS VARCHAR) AS InvoiceNo, CAST(20000 + product AS VARCHAR) AS StockCode,
             qty AS Quantity, ts AS InvoiceDate, price AS UnitPrice,
             CASE WHEN guest THEN NULL ELSE (100000 + cid)::INTEGER END AS CustomerID, country AS Country
           FROM priced),
         returns AS (
           SELECT 'C' || CAST(1000000 + inv_id AS VARCHAR), CAST(20000 + product AS VARCHAR),
             -greatest(1, qty // 2), least(ts + INTERVAL (1 + floor(u(inv_id, 13) * 10)::INTEGER) DAY,
               TIMESTAMP '${s.asOf}' + INTERVAL 20 HOUR),
             price, (100000 + cid)::INTEGER, country
           FROM priced WHERE j = 0 AND NOT guest AND u(inv_id, 14) < ${s.returnRate})
         SELECT * FROM sales UNION ALL SELECT * FROM returns
         ORDER BY InvoiceDate, InvoiceNo, StockCode
       ) TO ${sqlPath(txPath)} (FORMAT parquet, COMPRESSION zstd);`,
    ],
    [
      'truth.parquet',
      `COPY (SELECT (100000 + cid)::INTEGER AS CustomerID,
               [${GROUPS.map((g) => `'${g.name}'`).join(', ')}][grp + 1] AS planted_group
             FROM cust ORDER BY cid)
       TO ${sqlPath(truthPath)} (FORMAT parquet);`,
    ],
  ];
}

/** A file path as a SQL string literal (COPY and read_parquet take no bound parameter for the path). */
function sqlPath(path: string): string {
  return `'${resolve(path).replace(/'/g, "''")}'`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const info = await ensureLargeDataset({
    force: process.argv.includes('--force'),
    log: (l) => console.log(l),
  });
  console.log(
    `${info.path}: ${info.rows.toLocaleString('en')} rows, ${info.customers.toLocaleString('en')} customers, ` +
      `${(info.bytes / 1e6).toFixed(0)} MB`,
  );
}
