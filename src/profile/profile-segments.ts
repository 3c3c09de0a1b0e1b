/**
 * Segment profiles in SQL: size and share, revenue share, mean and median of every feature, lift against the
 * whole base, a standardised difference that says what sets each segment apart, and top categorical values.
 * @module
 */
import type { Engine } from '../engine/index.js';
import type { FeatureDef } from '../features/index.js';
import { nameSegments } from './name-segments.js';

export interface FeatureStats {
  mean: number;
  median: number;
  /** Segment mean / overall mean (NaN when the overall mean is 0). */
  lift: number;
  /** (segment mean − overall mean) / overall SD, on the transformed (log) scale for skewed features. */
  z: number;
  /**
   * Standardised mean difference of the segment against everyone else (Cohen's d): (segment mean − rest mean) /
   * pooled SD, on the same scale as `z`; NaN for an empty segment or when everyone is in it.
   */
  smd: number;
}

export interface SegmentProfile {
  /** 1-based segment number as in segments.csv; 0 for the noise customers of density methods. */
  segment: number;
  name: string;
  size: number;
  share: number;
  revenue: number;
  revenueShare: number;
  features: Record<string, FeatureStats>;
  /** The features that set it apart most, strongest first. */
  distinctive: { feature: string; label: string; z: number; direction: 'higher' | 'lower' }[];
  /** Top values per categorical attribute: attribute → [[value, share in segment]]. */
  categories: Record<string, [string, number][]>;
  /** Warnings about the segment (e.g. very small). */
  flags: string[];
  /** True for segment 0, the customers in no segment (density methods). */
  noise?: boolean;
  /** What the segment means and what to do about it, when its method defines that (the RFM map, predictive). */
  description?: string;
  /**
   * Plain-words rules that pick the segment's customers out, from a shallow tree trained on the segment labels over
   * the unscaled clustered features: coverage is the share of the segment a rule selects, precision the share of
   * what it selects that is in the segment.
   */
  rules?: { text: string; customers: number; coverage: number; precision: number }[];
  /**
   * Permutation importance of each clustered feature for the segment: the share of the segment the rules' tree stops
   * recognising when the feature is shuffled among customers.
   */
  importance?: Record<string, number>;
  /**
   * Mean Jaccard similarity of the segment with its best match when the method is refitted on subsamples
   * (1 = always reproduced; below `segmentation.validation.unstableBelow` it is flagged). Absent when not checked.
   */
  stability?: number;
  /** False when the stability is below the threshold: the segment does not hold up. */
  holdsUp?: boolean;
}

export interface Profiles {
  asOf: string;
  customers: number;
  revenue: number;
  overall: Record<string, { mean: number; median: number; sd: number }>;
  segments: SegmentProfile[];
}

export interface ProfileOptions {
  features: FeatureDef[];
  /** Features whose z is measured on log(1 + x). */
  log1p: readonly string[];
  /** Categorical attributes: SQL expressions over `c` (customers) or derived tables, keyed by display name. */
  categories: { attribute: string; table: string; column: string }[];
  asOf: string;
  k: number;
  /** Whether some customers are noise (label −1): they are profiled as segment 0, `NOISE_NAME`, listed last. */
  noise?: boolean;
}

/** Name of segment 0: customers a density method left out of every segment. */
export const NOISE_NAME = 'Outliers (no segment)';

/** Profiles segments from tables `features` and `segment_labels(_pos, segment)` (segment 0-based). */
export async function profileSegments(engine: Engine, o: ProfileOptions): Promise<Profiles> {
  const d = engine.dialect;
  const q = (s: string) => d.quoteIdent(s);
  const feats = o.features;
  const t = (f: FeatureDef) => (o.log1p.includes(f.name) ? d.signedLog1p(q(f.name)) : q(f.name));
  const aggs = feats.flatMap((f, i) => [
    `avg(${q(f.name)}) AS mean${i}`,
    `median(${q(f.name)}) AS med${i}`,
    `avg(${t(f)}) AS tmean${i}`,
  ]);
  await engine.exec(
    `CREATE OR REPLACE TEMP TABLE segment_features AS SELECT f.* EXCLUDE (_pos), l.segment FROM features f JOIN segment_labels l USING (_pos)`,
  );
  const money = feats.some((f) => f.name === 'monetary') ? 'sum(monetary)' : '0';
  // Every segment and the whole base in one scan (the grouping set () is the base).
  const rows = await engine.query(
    `SELECT grouping(segment) AS whole, segment, count(*) AS n, ${money} AS revenue, ${aggs.join(', ')},
       ${feats.map((f, i) => `stddev_pop(${t(f)}) AS tsd${i}, stddev_pop(${q(f.name)}) AS sd${i}`).join(', ')}
     FROM segment_features GROUP BY GROUPING SETS ((segment), ()) ORDER BY whole, segment`,
  );
  const all = rows.find((r) => Number(r['whole']) === 1) ?? {};
  const segRows = rows.filter((r) => Number(r['whole']) === 0);
  const num = (r: Record<string, unknown>, k: string) =>
    r[k] === null || r[k] === undefined ? NaN : Number(r[k]);
  const customers = num(all, 'n');
  const revenue = num(all, 'revenue');
  const overall: Profiles['overall'] = {};
  feats.forEach(
    (f, i) =>
      (overall[f.name] = { mean: num(all, `mean${i}`), median: num(all, `med${i}`), sd: num(all, `sd${i}`) }),
  );

  const segments: SegmentProfile[] = [];
  const ids = Array.from({ length: o.k }, (_, s) => s);
  if (o.noise) ids.push(-1);
  for (const s of ids) {
    const r = segRows.find((x) => Number(x['segment']) === s) ?? { n: 0, revenue: 0 };
    const features: Record<string, FeatureStats> = {};
    feats.forEach((f, i) => {
      const mean = num(r, `mean${i}`);
      const om = num(all, `mean${i}`);
      const tsd = num(all, `tsd${i}`);
      // Segment against the rest from the one-scan moments: rest mean and variance by subtraction.
      const nAll = num(all, 'n');
      const nSeg = num(r, 'n');
      const nRest = nAll - nSeg;
      const mAll = num(all, `tmean${i}`);
      const mSeg = num(r, `tmean${i}`);
      const vSeg = num(r, `tsd${i}`) ** 2;
      const mRest = (nAll * mAll - nSeg * mSeg) / nRest;
      const vRest = Math.max(
        0,
        (nAll * (tsd * tsd + mAll * mAll) - nSeg * (vSeg + mSeg * mSeg)) / nRest - mRest * mRest,
      );
      const pooled = Math.sqrt((nSeg * vSeg + nRest * vRest) / nAll);
      features[f.name] = {
        mean,
        median: num(r, `med${i}`),
        lift: om !== 0 ? mean / om : NaN,
        z: tsd > 1e-12 ? (num(r, `tmean${i}`) - num(all, `tmean${i}`)) / tsd : 0,
        smd: nSeg > 0 && nRest > 0 ? (pooled > 1e-12 ? (mSeg - mRest) / pooled : 0) : NaN,
      };
    });
    const distinctive = feats
      .filter((f) => f.source !== 'attribute' || !f.oneHot)
      .map((f) => ({ feature: f.name, label: f.label, z: features[f.name]!.z }))
      .filter((e) => Number.isFinite(e.z) && Math.abs(e.z) >= 0.25)
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .slice(0, 4)
      .map((e) => ({ ...e, direction: e.z > 0 ? ('higher' as const) : ('lower' as const) }));
    const size = num(r, 'n');
    const flags: string[] = [];
    if (s >= 0 && size < Math.max(5, 0.01 * customers)) flags.push(`small segment (${size} customers)`);
    segments.push({
      segment: s + 1,
      name: s < 0 ? NOISE_NAME : '',
      size,
      share: size / customers,
      revenue: num(r, 'revenue'),
      revenueShare: revenue !== 0 ? num(r, 'revenue') / revenue : 0,
      features,
      distinctive,
      categories: {},
      flags,
      ...(s < 0 ? { noise: true } : {}),
    });
  }

  for (const c of o.categories) {
    const rows = await engine.query(
      `WITH x AS (SELECT l.segment, coalesce(CAST(v.${q(c.column)} AS VARCHAR), '(missing)') AS value
                  FROM segment_features l LEFT JOIN ${q(c.table)} v USING (customer_id)),
            counts AS (SELECT segment, value, count(*) AS n FROM x GROUP BY 1, 2),
            ranked AS (SELECT *, n / sum(n) OVER (PARTITION BY segment) AS share,
                              row_number() OVER (PARTITION BY segment ORDER BY n DESC, value) AS rk FROM counts)
       SELECT segment, value, share FROM ranked WHERE rk <= 3 ORDER BY segment, rk`,
    );
    for (const r of rows) {
      const seg = segments.find((x) => x.segment === Number(r['segment']) + 1);
      if (!seg) continue;
      (seg.categories[c.attribute] ??= []).push([String(r['value']), Number(r['share'])]);
    }
  }

  const labels = Object.fromEntries(feats.filter((f) => !f.oneHot).map((f) => [f.name, f.label]));
  const named = segments.filter((s) => !s.noise);
  const names = nameSegments(
    named.map((s) => s.features),
    labels,
  );
  named.forEach((s, i) => (s.name = names[i]!));
  return { asOf: o.asOf, customers, revenue, overall, segments };
}
