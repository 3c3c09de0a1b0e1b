/**
 * What a persona card needs beyond the segment profile, gathered in SQL on the engine: when each segment buys
 * (weekday and hour), what it buys (products by share of spend, with lift against all customers), which engagement
 * channels it uses, how it answered past campaigns, and its typical customer (the one nearest the segment mean).
 * @module
 */
import type { Engine, Row } from '../engine/index.js';
import { segmentMeans } from '../segment/partition.js';
import type { Matrix } from '../util/matrix.js';

/** A share of a segment with its lift: the segment's share over the same share among all customers. */
export interface ShareWithLift {
  share: number;
  /** share / all customers' share; NaN when nobody at all has it. */
  lift: number;
}

/** One segment's behaviour beyond its features. */
export interface SegmentBehaviour {
  /** 1-based segment number as in segments.csv; 0 for the noise customers. */
  segment: number;
  /** Share of the segment's purchases on each weekday, Monday first (7 entries); null without transactions. */
  weekdays: number[] | null;
  /** Share of the segment's purchases in each hour 0..23; null without transactions or when no time is recorded. */
  hours: number[] | null;
  /** Top products by share of the segment's net spend (returns subtracted), largest first. */
  products: (ShareWithLift & { product: string })[];
  /** Per event type: share of the segment's customers with at least one such event, and events per customer. */
  channels: (ShareWithLift & { type: string; perCustomer: number })[];
  /** Per campaign column of the customers file: share of the segment that responded (1), and of everyone. */
  campaigns: (ShareWithLift & { column: string; overall: number })[];
  /** The customer nearest the segment mean in the scaled feature space; null without a matrix or for an empty segment. */
  medoid: { pos: number; customerId: string; values: Record<string, number | string | null> } | null;
}

export interface PersonaData {
  /** Per segment 1..k, then segment 0 (noise) when there is noise. */
  segments: SegmentBehaviour[];
  /** All customers' weekday and hour shares (null like the segments'). */
  overall: { weekdays: number[] | null; hours: number[] | null };
}

export interface PersonaDataOptions {
  /** Segments 0..k−1 in `segment_labels`. */
  k: number;
  /** Whether some labels are −1 (noise): gathered as segment 0. */
  noise?: boolean;
  /** Whether table `tx` exists. */
  hasTransactions: boolean;
  /** Whether `tx.product` holds products (the transactions file had a product column). */
  hasProduct: boolean;
  /** Whether table `events(customer_id, ts, type)` exists. */
  hasEvents: boolean;
  /** Whether table `customers` exists; campaign columns are looked for there. Default false. */
  hasCustomers?: boolean;
  /** Scaled clustered features in `features._pos` order, for the typical customer. */
  scaledMatrix?: Matrix;
  /** Segment labels (0-based, −1 noise) in `_pos` order; required with `scaledMatrix`. */
  labels?: Int32Array;
  /** Products listed per segment. Default 5. */
  topProducts?: number;
}

/**
 * A 0/1 customers column is read as a campaign response when its name says so (Customer Personality Analysis'
 * AcceptedCmp1..5 and Response).
 */
export const CAMPAIGN_COLUMN = /cmp|campaign|response/i;

/**
 * Gathers per-segment behaviour from `features`, `segment_labels` and, where present, `tx`, `events` and
 * `customers`. Everything is measured on the segmented customers only.
 *
 * @example
 * const data = await gatherPersonaData(engine, { k: 4, hasTransactions: true, hasProduct: true, hasEvents: false });
 * data.segments[0]?.weekdays; // [0.16, 0.15, …] Monday..Sunday
 */
export async function gatherPersonaData(engine: Engine, o: PersonaDataOptions): Promise<PersonaData> {
  if (!Number.isInteger(o.k) || o.k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${o.k}`);
  if (o.scaledMatrix && (!o.labels || o.labels.length !== o.scaledMatrix.rows)) {
    throw new RangeError(
      `labels has ${o.labels?.length ?? 'no'} entries for a scaled matrix of ${o.scaledMatrix.rows} customers`,
    );
  }
  const ids = Array.from({ length: o.k }, (_, s) => s);
  if (o.noise) ids.push(-1);
  const segments: SegmentBehaviour[] = ids.map((s) => ({
    segment: s + 1,
    weekdays: null,
    hours: null,
    products: [],
    channels: [],
    campaigns: [],
    medoid: null,
  }));
  const bySegment = new Map(ids.map((s, i) => [s, segments[i]!]));
  const at = (r: Row) => bySegment.get(Number(r['segment']));

  // `tx_id` is the member's id in the type of tx's own column, so the joins with tx compare tx's ids as they are:
  // casting each of 20M lines' ids to text for the join cost ≈ 1 s per query.
  let txId = 'NULL';
  if (o.hasTransactions) {
    const [t] = await engine.query(`SELECT column_type FROM (DESCRIBE SELECT customer_id FROM tx)`);
    txId = `TRY_CAST(f.customer_id AS ${String(t?.['column_type'] ?? 'VARCHAR')})`;
  }
  await engine.exec(
    `CREATE OR REPLACE TEMP TABLE persona_members AS
     SELECT CAST(f.customer_id AS VARCHAR) AS customer_id, ${txId} AS tx_id, l.segment
     FROM features f JOIN segment_labels l USING (_pos)`,
  );
  const overall: PersonaData['overall'] = { weekdays: null, hours: null };
  if (o.hasTransactions) await timing(engine, segments, at, overall);
  if (o.hasTransactions && o.hasProduct) await products(engine, at, o.topProducts ?? 5);
  if (o.hasEvents) await channels(engine, at);
  if (o.hasCustomers) await campaigns(engine, at);
  if (o.scaledMatrix && o.labels) await medoids(engine, o.scaledMatrix, o.labels, bySegment);
  return { segments, overall };
}

/**
 * Purchases per weekday and hour. A purchase is an order: its invoice, or (without invoice numbers) the customer's
 * lines at one timestamp, so a basket of ten lines counts once. Returns are left out.
 */
async function timing(
  engine: Engine,
  segments: SegmentBehaviour[],
  at: (r: Row) => SegmentBehaviour | undefined,
  overall: PersonaData['overall'],
): Promise<void> {
  const rows = await engine.query(
    `WITH orders AS (
       SELECT DISTINCT m.segment, t.customer_id, coalesce(CAST(t.invoice_id AS VARCHAR), CAST(t.ts AS VARCHAR)) AS o,
              isodow(t.ts) AS dow, hour(t.ts) AS h, (t.ts <> date_trunc('day', t.ts)) AS timed
       FROM tx t JOIN persona_members m ON t.customer_id = m.tx_id
       WHERE NOT t.is_return AND t.ts IS NOT NULL)
     SELECT grouping(segment) AS whole, segment, dow, h, count(*) AS n, count(*) FILTER (WHERE timed) AS timed
     FROM orders GROUP BY GROUPING SETS ((segment, dow, h), (dow, h))`,
  );
  const count = (s: SegmentBehaviour | null) => {
    const mine = rows.filter((r) =>
      s === null ? Number(r['whole']) === 1 : Number(r['whole']) === 0 && at(r) === s,
    );
    const days = new Float64Array(7);
    const hours = new Float64Array(24);
    let n = 0;
    let timed = 0;
    for (const r of mine) {
      const c = Number(r['n']);
      days[Number(r['dow']) - 1]! += c;
      hours[Number(r['h'])]! += c;
      n += c;
      timed += Number(r['timed']);
    }
    return { days, hours, n, timed };
  };
  const all = count(null);
  // Date-only data puts every purchase at midnight: no hours to show.
  const hasTime = all.timed > 0;
  const shares = (a: Float64Array, n: number) => Array.from(a, (x) => (n > 0 ? x / n : 0));
  overall.weekdays = shares(all.days, all.n);
  overall.hours = hasTime ? shares(all.hours, all.n) : null;
  for (const s of segments) {
    const c = count(s);
    s.weekdays = shares(c.days, c.n);
    s.hours = hasTime ? shares(c.hours, c.n) : null;
  }
}

/**
 * Top products per segment by share of its net spend (returns and cancellations subtracted, so an order cancelled in
 * full does not make a product look popular), over the products the segment spent a positive net amount on, with
 * lift against everyone's net spend share.
 */
async function products(engine: Engine, at: (r: Row) => SegmentBehaviour | undefined, top: number) {
  const rows = await engine.query(
    `WITH lines AS (
       SELECT m.segment, t.product, t.amount FROM tx t JOIN persona_members m ON t.customer_id = m.tx_id
       WHERE t.product IS NOT NULL),
     seg AS (SELECT segment, product, sum(amount) AS spend FROM lines GROUP BY ALL HAVING sum(amount) > 0),
     segshare AS (SELECT *, spend / sum(spend) OVER (PARTITION BY segment) AS share FROM seg),
     allnet AS (SELECT product, sum(amount) AS spend FROM lines GROUP BY product HAVING sum(amount) > 0),
     whole AS (SELECT product, spend / sum(spend) OVER () AS overall FROM allnet),
     ranked AS (SELECT s.segment, s.product, s.share, w.overall,
                       row_number() OVER (PARTITION BY s.segment ORDER BY s.share DESC, s.product) AS rk
                FROM segshare s LEFT JOIN whole w USING (product))
     SELECT * FROM ranked WHERE rk <= ? ORDER BY segment, rk`,
    [top],
  );
  for (const r of rows) {
    const share = Number(r['share']);
    const o = r['overall'] === null ? NaN : Number(r['overall']);
    at(r)?.products.push({ product: String(r['product']), share, lift: o > 0 ? share / o : NaN });
  }
}

/** Per event type: reach (share of customers with one or more) and events per customer, segment against all. */
async function channels(engine: Engine, at: (r: Row) => SegmentBehaviour | undefined) {
  const rows = await engine.query(
    `WITH sizes AS (SELECT segment, count(*) AS n FROM persona_members GROUP BY segment),
     per AS (SELECT m.segment, e.type, CAST(e.customer_id AS VARCHAR) AS customer_id, count(*) AS events
             FROM events e JOIN persona_members m ON CAST(e.customer_id AS VARCHAR) = m.customer_id
             WHERE e.type IS NOT NULL GROUP BY ALL),
     seg AS (SELECT segment, type, count(*) AS reached, sum(events) AS events FROM per GROUP BY ALL),
     whole AS (SELECT type, sum(reached) / (SELECT sum(n) FROM sizes) AS overall FROM seg GROUP BY type)
     SELECT s.segment, s.type, s.reached / z.n AS share, s.events / z.n AS per_customer, w.overall
     FROM seg s JOIN sizes z USING (segment) JOIN whole w USING (type) ORDER BY s.segment, share DESC, s.type`,
  );
  for (const r of rows) {
    const share = Number(r['share']);
    const o = Number(r['overall']);
    at(r)?.channels.push({
      type: String(r['type']),
      share,
      perCustomer: Number(r['per_customer']),
      lift: o > 0 ? share / o : NaN,
    });
  }
}

/** 0/1 columns of `customers` named like campaigns: share of the segment that responded, and of everyone. */
async function campaigns(engine: Engine, at: (r: Row) => SegmentBehaviour | undefined) {
  const q = (c: string) => engine.dialect.quoteIdent(c);
  const named = (await engine.query('SELECT column_name FROM (DESCRIBE customers)'))
    .map((r) => String(r['column_name']))
    .filter((c) => c !== 'customer_id' && CAMPAIGN_COLUMN.test(c));
  if (named.length === 0) return;
  const v = (c: string) => `TRY_CAST(${q(c)} AS DOUBLE)`;
  // A campaign column holds only 0 and 1 (missing allowed) and is not empty.
  const check = await engine.query(
    `SELECT ${named.map((c, i) => `count(*) FILTER (WHERE ${q(c)} IS NOT NULL AND (${v(c)} IS NULL OR ${v(c)} NOT IN (0, 1))) AS bad${i}, count(${v(c)}) AS n${i}`).join(', ')} FROM customers`,
  );
  const ok = named.filter((_, i) => Number(check[0]?.[`bad${i}`]) === 0 && Number(check[0]?.[`n${i}`]) > 0);
  if (ok.length === 0) return;
  const rows = await engine.query(
    `WITH x AS (SELECT m.segment, ${ok.map((c, i) => `${v(c)} AS c${i}`).join(', ')}
                FROM persona_members m LEFT JOIN customers c ON CAST(c.customer_id AS VARCHAR) = m.customer_id)
     SELECT grouping(segment) AS whole, segment, ${ok.map((_, i) => `avg(c${i}) AS c${i}`).join(', ')}
     FROM x GROUP BY GROUPING SETS ((segment), ())`,
  );
  const all = rows.find((r) => Number(r['whole']) === 1) ?? {};
  for (const r of rows) {
    if (Number(r['whole']) === 1) continue;
    const s = at(r);
    ok.forEach((column, i) => {
      const share = r[`c${i}`] === null ? NaN : Number(r[`c${i}`]);
      const overall = all[`c${i}`] === null ? NaN : Number(all[`c${i}`]);
      s?.campaigns.push({ column, share, overall, lift: overall > 0 ? share / overall : NaN });
    });
  }
}

async function medoids(
  engine: Engine,
  x: Matrix,
  labels: Int32Array,
  bySegment: Map<number, SegmentBehaviour>,
): Promise<void> {
  const k = Math.max(0, ...[...bySegment.keys()].map((s) => s + 1));
  const nearest = segmentMedoids(x, labels, k);
  const picks: { s: number; pos: number }[] = [];
  nearest.forEach((pos, s) => {
    if (pos >= 0 && bySegment.has(s)) picks.push({ s, pos });
  });
  if (picks.length === 0) return;
  const rows = await engine.query(
    `SELECT * FROM features WHERE _pos IN (${picks.map(() => '?').join(', ')})`,
    picks.map((p) => p.pos),
  );
  for (const { s, pos } of picks) {
    const r = rows.find((row) => Number(row['_pos']) === pos);
    if (!r) continue;
    const values: Record<string, number | string | null> = {};
    for (const [key, value] of Object.entries(r)) {
      if (key === '_pos' || key === 'customer_id') continue;
      values[key] =
        value === null || value === undefined ? null : typeof value === 'number' ? value : String(value);
    }
    bySegment.get(s)!.medoid = { pos, customerId: String(r['customer_id']), values };
  }
}

/**
 * Per segment 0..k−1, the row of `x` nearest (squared Euclidean) to the segment's mean, or −1 for an empty segment;
 * ties go to the first row. Noise (−1) and labels ≥ k are skipped. Two passes over the data: O(n·d).
 *
 * @example
 * segmentMedoids({ data: Float64Array.of(0, 1, 5, 6), rows: 4, cols: 1 }, Int32Array.of(0, 0, 1, 1), 2); // [0, 2]
 */
export function segmentMedoids(x: Matrix, labels: Int32Array, k: number): Int32Array {
  const { data, rows: n, cols: d } = x;
  const means = segmentMeans(x, labels, k);
  const best = new Int32Array(k).fill(-1);
  const bestDist = new Float64Array(k).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < 0 || l >= k) continue;
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const diff = data[i * d + j]! - means[l * d + j]!;
      dist += diff * diff;
    }
    if (dist < bestDist[l]!) {
      bestDist[l] = dist;
      best[l] = i;
    }
  }
  return best;
}
