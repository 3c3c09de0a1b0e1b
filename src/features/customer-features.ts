/**
 * Per-customer features, computed in SQL from the clean tables: behaviour from transactions (recency,
 * frequency, net monetary value, order value, tenure, inter-purchase interval, products, returns), engagement
 * from events, and encoded customer attributes. Produces table `features` with one row per segmentable customer.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { CustomerAttribute } from '../quality/index.js';
import { BEHAVIOUR_FEATURES, type FeatureDef, type FeatureSpec } from './feature-spec.js';

export interface FeatureContext {
  /** Transactions were given; without them customers are segmented on their attributes alone. */
  hasTransactions: boolean;
  /** Transactions have a product column. */
  hasProduct: boolean;
  /** Event types to count (when events were given). */
  eventTypes?: string[];
  /** Customer attributes (when a customers file was given). */
  attributes?: CustomerAttribute[];
  /** Fixed reference date (ISO), else the day after the last purchase. */
  asOf?: string;
  maxCategories: number;
}

export interface FeaturesResult {
  table: 'features';
  asOf: string;
  asOfFrom: 'config' | 'data';
  features: FeatureDef[];
  customers: number;
  /** Customers in the clean data not segmented, and why. */
  excluded: { reason: string; count: number }[];
}

/**
 * Builds the `features` table. With `spec` (scoring new data with a saved model) the same encodings, levels and
 * imputation values are used; without it they are fitted here.
 */
export async function buildFeatures(
  engine: Engine,
  ctx: FeatureContext,
  spec?: FeatureSpec,
): Promise<FeaturesResult> {
  const d = engine.dialect;
  const q = (s: string) => d.quoteIdent(s);
  const days = (from: string, to: string) => d.daysBetween(from, to);

  let asOf: string;
  let asOfFrom: 'config' | 'data';
  if (ctx.asOf) {
    asOf = new Date(ctx.asOf).toISOString().slice(0, 10);
    asOfFrom = 'config';
  } else if (spec && spec.asOfFrom === 'config') {
    asOf = spec.asOf;
    asOfFrom = 'config';
  } else {
    // The day after the last purchase; without transactions, after the latest date attribute.
    const dateCols = (ctx.attributes ?? []).filter((a) => a.kind === 'date').map((a) => `max(${q(a.name)})`);
    const sql = ctx.hasTransactions
      ? `SELECT max(ts) AS m FROM tx WHERE NOT is_return`
      : `SELECT ${dateCols.length ? `greatest(${dateCols.join(', ')})` : 'NULL::TIMESTAMP'} AS m FROM customers`;
    const [r] = await engine.query(
      `SELECT strftime(date_trunc('day', m) + INTERVAL 1 DAY, '%Y-%m-%d') AS d FROM (${sql})`,
    );
    asOf = r?.['d'] ? String(r['d']) : '1970-01-01';
    asOfFrom = 'data';
  }
  const asOfTs = `${d.quoteString(asOf)}::TIMESTAMP`;

  // Behaviour. An order is a purchase when its non-return lines add up to more than zero. Money is summed as
  // DECIMAL: a parallel sum of doubles depends on the order threads combine it, and segments.csv must be
  // identical from run to run.
  // Only lines before asOf count; every customer in the data gets a row in customer_orders, so those with no
  // purchase are counted without another scan. Orders are invoices (or, without invoice numbers, timestamps).
  if (ctx.hasTransactions) {
    await engine.exec(`
    CREATE OR REPLACE TEMP TABLE customer_orders AS
    WITH orders AS (
      SELECT customer_id, min(ts) AS ts,
        coalesce(sum(CAST(amount AS DECIMAL(18, 4))) FILTER (WHERE NOT is_return), 0) AS gross,
        coalesce(-sum(CAST(amount AS DECIMAL(18, 4))) FILTER (WHERE is_return), 0) AS returned
      FROM tx GROUP BY customer_id, invoice_id, CASE WHEN invoice_id IS NULL THEN ts END
    )
    SELECT CAST(customer_id AS VARCHAR) AS customer_id,
      count(*) FILTER (WHERE gross > 0 AND ts < ${asOfTs}) AS frequency,
      max(ts) FILTER (WHERE gross > 0 AND ts < ${asOfTs}) AS last_ts,
      min(ts) FILTER (WHERE gross > 0 AND ts < ${asOfTs}) AS first_ts,
      coalesce(sum(gross) FILTER (WHERE ts < ${asOfTs}), 0) AS gross,
      coalesce(sum(returned) FILTER (WHERE ts < ${asOfTs}), 0) AS returned
    FROM orders GROUP BY orders.customer_id`);
    await engine.exec(`
    CREATE OR REPLACE TEMP TABLE customer_behaviour AS
    WITH per AS (SELECT * FROM customer_orders WHERE frequency > 0),
    -- One pass over purchase lines: distinct products, and the country of the latest purchase.
    lines AS (
      SELECT CAST(cid AS VARCHAR) AS customer_id, distinct_products, country FROM (
        SELECT customer_id AS cid, ${ctx.hasProduct ? 'count(DISTINCT product)' : 'NULL'} AS distinct_products,
          arg_max(country, ts) AS country
        FROM tx WHERE NOT is_return AND ts < ${asOfTs} GROUP BY cid))
    SELECT per.customer_id,
      ${days('last_ts', asOfTs)} AS recency_days,
      frequency::DOUBLE AS frequency,
      CAST(gross - returned AS DOUBLE) AS monetary,
      CAST(gross AS DOUBLE) / frequency AS avg_order_value,
      ${days('first_ts', asOfTs)} AS tenure_days,
      CASE WHEN frequency > 1 THEN ${days('first_ts', 'last_ts')} / (frequency - 1) ELSE ${days('first_ts', asOfTs)} END AS interpurchase_days,
      ${ctx.hasProduct ? 'coalesce(lines.distinct_products, 0)::DOUBLE' : 'NULL::DOUBLE'} AS distinct_products,
      least(1.0, CAST(returned AS DOUBLE) / CAST(gross AS DOUBLE)) AS return_rate,
      lines.country
    FROM per LEFT JOIN lines USING (customer_id)`);
  } else
    await engine.exec(`CREATE OR REPLACE TEMP TABLE customer_behaviour AS SELECT customer_id FROM customers`);

  const behaviour = ctx.hasTransactions ? BEHAVIOUR_FEATURES : [];
  const defs: FeatureDef[] = behaviour
    .filter((f) => ctx.hasProduct || f.name !== 'distinct_products')
    .map((f) => ({
      ...f,
      source: 'behaviour' as const,
    }));
  const selects: string[] = defs.map((f) => `b.${q(f.name)}`);
  const joins: string[] = [];

  // Engagement.
  const eventTypes = spec
    ? spec.features.some((f) => f.source === 'engagement')
      ? spec.features.filter((f) => f.eventType && f.eventType !== '*').map((f) => f.eventType!)
      : undefined
    : ctx.eventTypes;
  if (eventTypes) {
    const typeCols = eventTypes.map((t) => ({ t, name: `events_${snake(t)}` }));
    await engine.exec(`
      CREATE OR REPLACE TEMP TABLE customer_engagement AS
      SELECT CAST(events.customer_id AS VARCHAR) AS customer_id, count(*)::DOUBLE AS engagement_events,
        count(DISTINCT CAST(ts AS DATE))::DOUBLE AS engagement_active_days,
        ${days('max(ts)', asOfTs)} AS engagement_recency_days
        ${typeCols.map((c) => `, count(*) FILTER (WHERE type = ${d.quoteString(c.t)})::DOUBLE AS ${q(c.name)}`).join('')}
      FROM events WHERE ts < ${asOfTs} GROUP BY events.customer_id`);
    // A customer with no events: counts 0, recency = the span of the events data (never seen engaging).
    const [span] = await engine.query(`SELECT ${days('min(ts)', asOfTs)} AS s FROM events`);
    const never = Number(span?.['s'] ?? 0);
    joins.push('LEFT JOIN customer_engagement e USING (customer_id)');
    const eng: FeatureDef[] = [
      { name: 'engagement_events', label: 'Engagement events', source: 'engagement', eventType: '*' },
      { name: 'engagement_active_days', label: 'Days with engagement', source: 'engagement', eventType: '*' },
      {
        name: 'engagement_recency_days',
        label: 'Days since last engagement',
        source: 'engagement',
        eventType: '*',
      },
      ...typeCols.map((c) => ({
        name: c.name,
        label: `Events: ${c.t.replaceAll('_', ' ')}`,
        source: 'engagement' as const,
        eventType: c.t,
      })),
    ];
    for (const f of eng) {
      const fill = f.name === 'engagement_recency_days' ? d.number(Math.max(0, never)) : '0';
      selects.push(`coalesce(e.${q(f.name)}, ${fill}) AS ${q(f.name)}`);
    }
    defs.push(...eng);
  }

  // Attributes.
  const attrDefs = spec
    ? spec.features.filter((f) => f.source === 'attribute')
    : await fitAttributeDefs(engine, ctx);
  if (attrDefs.length > 0) {
    joins.push('LEFT JOIN customers c USING (customer_id)');
    for (const f of attrDefs) {
      if (f.oneHot) {
        const a = `c.${q(f.oneHot.attribute)}`;
        const levels = attrDefs.filter(
          (g) =>
            g.oneHot?.attribute === f.oneHot!.attribute &&
            g.oneHot.level !== null &&
            g.oneHot.level !== '\u0000other',
        );
        const cond =
          f.oneHot.level === null
            ? `${a} IS NULL`
            : f.oneHot.level === '\u0000other'
              ? `${a} IS NOT NULL AND ${a} NOT IN (${levels.map((g) => d.quoteString(g.oneHot!.level!)).join(', ') || 'NULL'})`
              : `${a} = ${d.quoteString(f.oneHot.level)}`;
        selects.push(`CASE WHEN ${cond} THEN 1.0 ELSE 0.0 END AS ${q(f.name)}`);
      } else if (f.ordinal) {
        selects.push(`c.${q(f.ordinal.attribute)} AS ${q(f.name)}`);
      } else if (f.attribute?.kind === 'date') {
        selects.push(`${days(`c.${q(f.attribute.column)}`, asOfTs)} AS ${q(f.name)}`);
      } else if (f.attribute) {
        selects.push(`c.${q(f.attribute.column)} AS ${q(f.name)}`);
      }
    }
    defs.push(...attrDefs);
  }

  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE features_raw AS
    SELECT b.customer_id, ${selects.join(', ')} FROM customer_behaviour b ${joins.join(' ')}`);

  // Impute missing values with the training median (saved in the spec for scoring).
  const nullable = defs.filter((f) => f.source === 'attribute' && !f.oneHot);
  if (!spec && nullable.length > 0) {
    const [med] = await engine.query(
      `SELECT ${nullable.map((f, i) => `median(${q(f.name)}) AS m${i}`).join(', ')} FROM features_raw`,
    );
    nullable.forEach((f, i) => {
      const m = Number(med?.[`m${i}`]);
      f.impute = Number.isFinite(m) ? m : 0;
    });
  }
  const finalCols = defs.map((f) =>
    f.impute !== undefined ? `coalesce(${q(f.name)}, ${d.number(f.impute)}) AS ${q(f.name)}` : q(f.name),
  );
  // `_pos` numbers customers in output order (numeric ids first, then text): models receive rows in that order
  // and hand labels back by position, so customer ids never travel through JavaScript.
  await engine.exec(`
    CREATE OR REPLACE TEMP TABLE features AS
    SELECT (row_number() OVER (${CUSTOMER_ORDER}) - 1)::INTEGER AS _pos, customer_id, ${finalCols.join(', ')}
    FROM features_raw ORDER BY _pos`);

  const [counts] = await engine.query(
    ctx.hasTransactions
      ? `SELECT (SELECT count(*) FROM features) AS n, (SELECT count(*) FROM customer_orders WHERE frequency = 0) AS no_purchase`
      : `SELECT (SELECT count(*) FROM features) AS n, 0 AS no_purchase`,
  );
  const excluded: { reason: string; count: number }[] = [];
  const noPurchase = Number(counts?.['no_purchase'] ?? 0);
  if (noPurchase > 0) {
    excluded.push({
      reason:
        asOfFrom === 'config'
          ? `no purchase before ${asOf} (the reference date)`
          : 'no purchase (only returns or cancellations)',
      count: noPurchase,
    });
  }
  if (ctx.hasTransactions && (ctx.attributes || spec?.features.some((f) => f.source === 'attribute'))) {
    const [c] = await engine.query(
      `SELECT count(*) AS n FROM customers WHERE customer_id NOT IN (SELECT customer_id FROM customer_orders)`,
    );
    const n = Number(c?.['n'] ?? 0);
    if (n > 0) excluded.push({ reason: 'in the customers file but with no valid transaction', count: n });
  }
  return {
    table: 'features',
    asOf,
    asOfFrom,
    features: defs,
    customers: Number(counts?.['n'] ?? 0),
    excluded,
  };
}

async function fitAttributeDefs(engine: Engine, ctx: FeatureContext): Promise<FeatureDef[]> {
  const d = engine.dialect;
  const q = (s: string) => d.quoteIdent(s);
  const out: FeatureDef[] = [];
  for (const a of ctx.attributes ?? []) {
    const base = snake(a.name);
    switch (a.kind) {
      case 'numeric':
        out.push({
          name: base,
          label: a.name,
          source: 'attribute',
          attribute: { column: a.name, kind: 'numeric' },
        });
        break;
      case 'date':
        out.push({
          name: `${base}_days`,
          label: `Days since ${a.name}`,
          source: 'attribute',
          attribute: { column: a.name, kind: 'date' },
        });
        break;
      case 'ordinal':
        out.push({
          name: base,
          label: `${a.name} (rank)`,
          source: 'attribute',
          ordinal: { attribute: a.name, levels: a.levels ?? [] },
        });
        break;
      case 'categorical': {
        // One-hot for the most frequent levels among segmented customers; the rest as "other", blanks as "missing".
        const rows = await engine.query(
          `SELECT c.${q(a.name)} AS v, count(*) AS n FROM customers c JOIN customer_behaviour USING (customer_id)
           GROUP BY 1 ORDER BY n DESC, v NULLS LAST`,
        );
        const levels = rows.filter((r) => r['v'] !== null).map((r) => String(r['v']));
        const kept = levels.slice(0, ctx.maxCategories);
        const used = new Set<string>();
        for (const level of kept) {
          let name = `${base}_${snake(level) || 'value'}`;
          while (used.has(name)) name += '_';
          used.add(name);
          out.push({
            name,
            label: `${a.name} = ${level}`,
            source: 'attribute',
            oneHot: { attribute: a.name, level },
          });
        }
        if (levels.length > kept.length) {
          out.push({
            name: `${base}_other`,
            label: `${a.name} = other`,
            source: 'attribute',
            oneHot: { attribute: a.name, level: '\u0000other' },
          });
        }
        if (rows.some((r) => r['v'] === null)) {
          out.push({
            name: `${base}_missing`,
            label: `${a.name} missing`,
            source: 'attribute',
            oneHot: { attribute: a.name, level: null },
          });
        }
        break;
      }
    }
  }
  return out;
}

/** Output order of customers: numeric ids by value, then the others as text. */
export const CUSTOMER_ORDER = 'ORDER BY TRY_CAST(customer_id AS BIGINT) NULLS LAST, customer_id';

/** A safe snake_case column-name part. */
export function snake(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
}
