/**
 * RFM scores computed in SQL on the engine, by `rfmScores`' rule (same cuts, same scores), for tables of
 * customers too large to score in JavaScript.
 * @module
 */
import type { Engine } from '../engine/index.js';
import {
  checkBins,
  checkCuts,
  cutRank,
  resolveDirection,
  type RfmCuts,
  type RfmDirection,
  type ScoreDirection,
} from './rfm-scores.js';

export interface RfmScoresSqlOptions {
  /** Table with one row per customer. */
  table: string;
  /** Table to create (replaced if it exists), with `customer_id`, `r_score`, `f_score`, `m_score`, `rfm_cell`. */
  into: string;
  /** Columns of `table`; defaults 'customer_id', 'recency', 'frequency', 'monetary'. */
  customerId?: string;
  recency?: string;
  frequency?: string;
  monetary?: string;
  /** Default 5; with `cuts`, must match them. */
  bins?: number;
  direction?: Partial<RfmDirection>;
  /** Cut points fitted before (`rfmScores(…).cuts`): score with them instead of fitting new ones. */
  cuts?: RfmCuts;
  /** Create `into` as a temporary table. Default true. */
  temporary?: boolean;
}

export interface RfmScoresSqlResult {
  table: string;
  customers: number;
  cuts: RfmCuts;
  bins: number;
  direction: RfmDirection;
}

/**
 * Creates `into` with each customer's R, F and M scores (INTEGER 1..bins) and cell (VARCHAR), by the rule of
 * `rfmScores`: cut k is the ⌈n·k/bins⌉-th smallest value (picked by `row_number()` over the sorted column, so no
 * engine's own quantile definition enters), and a value's bin is 1 + the number of cuts strictly below it. Cuts
 * go into the SQL as 17-significant-digit literals, which read back as the same doubles, so the scores equal
 * `rfmScores`' on the same values.
 *
 * Throws a TypeError naming a missing column, a RangeError counting NULL or non-finite values.
 *
 * @example
 * const { cuts } = await rfmScoresSql(engine, { table: 'rfm_input', into: 'rfm_scores' });
 * // later, new customers scored the same way:
 * await rfmScoresSql(engine, { table: 'new_customers', into: 'new_scores', cuts });
 */
export async function rfmScoresSql(
  engine: Engine,
  options: RfmScoresSqlOptions,
): Promise<RfmScoresSqlResult> {
  const d = engine.dialect;
  const q = (s: string) => d.quoteIdent(s);
  const cols = {
    recency: options.recency ?? 'recency',
    frequency: options.frequency ?? 'frequency',
    monetary: options.monetary ?? 'monetary',
  };
  const customerId = options.customerId ?? 'customer_id';
  const bins = options.cuts ? checkCuts(options.cuts, options.bins) : (options.bins ?? 5);
  checkBins(bins);
  const direction = resolveDirection(options.direction);
  const table = q(options.table);

  const described = await engine.query(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${table})`);
  const present = described.map((r) => String(r['column_name']));
  for (const [key, name] of [['customerId', customerId], ...Object.entries(cols)] as const) {
    if (!present.includes(name)) {
      throw new TypeError(
        `table ${JSON.stringify(options.table)} has no column ${JSON.stringify(name)} (option ${key}; columns: ${present.map((c) => JSON.stringify(c)).join(', ')})`,
      );
    }
  }

  const dims = ['recency', 'frequency', 'monetary'] as const;
  const [check] = await engine.query(
    `SELECT count(*) AS n, ${dims
      .map((dim) => {
        const x = `CAST(${q(cols[dim])} AS DOUBLE)`;
        return `count(*) FILTER (WHERE ${x} IS NULL OR isnan(${x}) OR isinf(${x})) AS ${q(`bad_${dim}`)}`;
      })
      .join(', ')} FROM ${table}`,
  );
  const n = Number(check?.['n'] ?? 0);
  const bad = dims.filter((dim) => Number(check?.[`bad_${dim}`] ?? 0) > 0);
  if (bad.length > 0) {
    throw new RangeError(
      `table ${JSON.stringify(options.table)}: ${bad.map((dim) => `${rowCount(Number(check?.[`bad_${dim}`]))} with a NULL or non-finite ${JSON.stringify(cols[dim])} (${dim})`).join('; ')}`,
    );
  }

  let cuts: RfmCuts;
  if (options.cuts) {
    cuts = options.cuts;
  } else {
    if (n === 0) throw new RangeError(`table ${JSON.stringify(options.table)} has no customers to score`);
    const ranks = Array.from({ length: bins - 1 }, (_, k) => cutRank(n, k + 1, bins));
    cuts = { recency: [], frequency: [], monetary: [] };
    for (const dim of dims) {
      const [row] = await engine.query(
        `SELECT ${ranks.map((rank, k) => `max(x) FILTER (WHERE rn = ${rank}) AS c${k}`).join(', ')}
         FROM (SELECT x, row_number() OVER (ORDER BY x) AS rn FROM (SELECT CAST(${q(cols[dim])} AS DOUBLE) AS x FROM ${table}))`,
      );
      cuts[dim] = ranks.map((_, k) => Number(row?.[`c${k}`]));
    }
  }

  const score = (dim: (typeof dims)[number], dir: ScoreDirection) => {
    const x = `CAST(${q(cols[dim])} AS DOUBLE)`;
    const below = cuts[dim].map((c) => `(${x} > ${d.number(c)})::INTEGER`).join(' + ');
    return dir === 'higher' ? `(1 + ${below})` : `(${bins} - (${below}))`;
  };
  const sep = bins > 9 ? `|| '-' ||` : '||';
  await engine.exec(
    `CREATE OR REPLACE ${options.temporary === false ? '' : 'TEMP '}TABLE ${q(options.into)} AS
     SELECT customer_id, r_score, f_score, m_score,
       CAST(r_score AS VARCHAR) ${sep} CAST(f_score AS VARCHAR) ${sep} CAST(m_score AS VARCHAR) AS rfm_cell
     FROM (SELECT ${q(customerId)} AS customer_id,
       ${score('recency', direction.recency)}::INTEGER AS r_score,
       ${score('frequency', direction.frequency)}::INTEGER AS f_score,
       ${score('monetary', direction.monetary)}::INTEGER AS m_score
       FROM ${table})`,
  );
  return {
    table: options.into,
    customers: n,
    cuts: { recency: [...cuts.recency], frequency: [...cuts.frequency], monetary: [...cuts.monetary] },
    bins,
    direction,
  };
}

function rowCount(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}
