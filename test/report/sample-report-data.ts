/**
 * A realistic, seeded `ReportData` for report tests: an online retailer with RFM-style features, a k sweep and
 * quality figures that add up, so the rendered page looks like the one users will get.
 * @module
 */

import type { ReportData, ReportFeature } from '../../src/report/report-data.js';
import { Random } from '../../src/util/random.js';
import { buildSampleValue } from './sample-value-data.js';

/** Options for {@link buildSampleReportData}; every one has a default that gives the "typical" report. */
export interface SampleOptions {
  /** Number of segments, 1..12 or more. Default 5. */
  segments?: number;
  /** Projection points. Default 2,000. */
  points?: number;
  /** Customers in total. Default 4,338. */
  customers?: number;
  /** Include a k sweep 2..10 (otherwise `kSelection` is null, as when k is fixed). Default true. */
  kSweep?: boolean;
  /** Include categorical attributes. Default true. */
  categories?: boolean;
  /** Net revenue; 0 exercises zero-revenue handling. Default 8,911,407.52. */
  revenue?: number;
  currency?: string;
  /** Replace segment names (cycled if shorter than the segment count). */
  names?: string[];
  /** Include the customer-value block (RFM map, CLV, composite score). Default true. */
  value?: boolean;
  /** Include the CLV holdout check in the value block. Default true. */
  holdout?: boolean;
  seed?: number;
}

const FEATURES: ReportFeature[] = [
  { name: 'recency_days', label: 'Recency (days)', clustered: true },
  { name: 'frequency', label: 'Orders', clustered: true },
  { name: 'monetary', label: 'Net revenue', clustered: true },
  { name: 'avg_basket', label: 'Average basket', clustered: true },
  { name: 'tenure_days', label: 'Tenure (days)', clustered: true },
  { name: 'distinct_products', label: 'Distinct products', clustered: true },
  { name: 'return_rate', label: 'Return rate', clustered: false },
  { name: 'days_between_orders', label: 'Days between orders', clustered: false },
];
/** Overall mean and standard deviation of each feature, in its own units. */
const OVERALL: [number, number][] = [
  [92.5, 100.1],
  [4.27, 7.7],
  [2053.8, 8989.2],
  [418.7, 1604.3],
  [223.4, 117.9],
  [61.7, 85.9],
  [0.034, 0.071],
  [64.2, 52.8],
];

/** Hand-made profiles for the typical five segments: name, relative size, revenue share, z per feature. */
const NAMED: [string, number, number, number[]][] = [
  ['Champions', 0.141, 0.47, [-0.82, 1.9, 1.45, 0.62, 0.95, 1.6, -0.1, -0.75]],
  ['Loyal regulars', 0.254, 0.28, [-0.55, 0.42, 0.18, -0.05, 0.62, 0.5, 0.05, -0.38]],
  ['Big spenders at risk', 0.092, 0.13, [0.85, 0.12, 0.55, 1.35, 0.3, -0.2, 0.62, 0.9]],
  ['New customers', 0.201, 0.07, [-0.68, -0.45, -0.31, -0.12, -1.42, -0.48, -0.2, -0.05]],
  ['Lapsed one-timers', 0.312, 0.05, [1.38, -0.52, -0.22, -0.18, -0.1, -0.55, 0.18, 0.72]],
];
const EXTRA_NAMES = [
  'Seasonal gift buyers',
  'Wholesale-like bulk buyers',
  'Discount hunters',
  'Returners',
  'Weekend browsers',
  'Corporate accounts',
  'Dormant high-value',
];

/**
 * Builds the sample. Deterministic for a given `seed`.
 *
 * @example
 * const data = buildSampleReportData({ segments: 12, kSweep: false });
 */
export function buildSampleReportData(options: SampleOptions = {}): ReportData {
  const k = options.segments ?? 5;
  const nPoints = options.points ?? 2000;
  const customers = options.customers ?? 4338;
  const revenue = options.revenue ?? 8_911_407.52;
  const rng = new Random(options.seed ?? 7);
  const f = FEATURES.length;

  // Sizes, revenue shares and z-profiles: the named five, then random ones.
  const weights: number[] = [];
  const revWeights: number[] = [];
  const zs: number[][] = [];
  const names: string[] = [];
  for (let s = 0; s < k; s++) {
    const named = k <= NAMED.length ? NAMED[s] : undefined;
    if (named) {
      names.push(named[0]);
      weights.push(named[1]);
      revWeights.push(named[2]);
      zs.push([...named[3]]);
    } else {
      names.push(NAMED[s]?.[0] ?? EXTRA_NAMES[(s - NAMED.length) % EXTRA_NAMES.length] ?? `Segment ${s + 1}`);
      weights.push(0.3 + rng.next());
      revWeights.push(0.1 + rng.next() * rng.next());
      zs.push(Array.from({ length: f }, () => Math.round(rng.normal(0, 0.8) * 100) / 100));
    }
  }
  if (options.names && options.names.length > 0) {
    for (let s = 0; s < k; s++) names[s] = options.names[s % options.names.length]!;
  }
  const wSum = weights.reduce((a, b) => a + b, 0);
  const rSum = revWeights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.round((w / wSum) * customers));
  sizes[0]! += customers - sizes.reduce((a, b) => a + b, 0);
  if (k === 1) zs[0] = zs[0]!.map(() => 0);

  const means = zs.map((row) =>
    row.map((z, j) => Math.max(OVERALL[j]![0] * 0.08, OVERALL[j]![0] + z * OVERALL[j]![1] * 0.8)),
  );
  const z = means.map((row) => row.map((m, j) => round((m - OVERALL[j]![0]) / OVERALL[j]![1], 3)));
  const medians = means.map((row) => row.map((m) => m * 0.78));

  // Projection: one Gaussian blob per segment, placed by its profile, points in proportion to size.
  const x: number[] = [];
  const y: number[] = [];
  const segment: number[] = [];
  const shown = Math.min(nPoints, customers);
  for (let s = 0; s < k; s++) {
    const row = zs[s]!;
    const cx = 2.2 * (row[1]! + row[2]! - row[0]!);
    const cy = 2.2 * (row[4]! - row[3]! + 0.5 * row[5]!);
    const count = s === k - 1 ? shown - x.length : Math.round((sizes[s]! / customers) * shown);
    const spread = 0.7 + 0.3 * rng.next();
    for (let i = 0; i < count; i++) {
      x.push(round(rng.normal(cx, spread), 4));
      y.push(round(rng.normal(cy, spread * 0.8), 4));
      segment.push(s);
    }
  }

  const ks = [2, 3, 4, 5, 6, 7, 8, 9, 10];
  const silhouette = [0.31, 0.35, 0.38, 0.42, 0.37, 0.34, 0.33, 0.3, 0.29];
  const inertia = ks.map((kk) => Math.round(26_000 * kk ** -0.85 + 900 * rng.next()));

  const rejectedByReason: Record<string, number> = {
    'missing customer id': 135_080,
    'zero or negative price': 2_517,
    'duplicate row': 5_268,
    'unparseable date': 12,
  };
  const rejectedRows = Object.values(rejectedByReason).reduce((a, b) => a + b, 0);
  const inputRows = 541_909;

  const countries = ['United Kingdom', 'Germany', 'France', 'EIRE', 'Spain', 'Netherlands', 'Belgium'];
  const channels = ['Web', 'Email', 'Paid search', 'Referral', 'Marketplace'];
  const topValues = (values: string[], lead: number): [string, number][] => {
    const rest = values.slice(1).map(() => rng.next());
    const total = rest.reduce((a, b) => a + b, 0);
    return [
      [values[0]!, round(lead, 3)] as [string, number],
      ...values.slice(1).map((v, i): [string, number] => [v, round(((1 - lead) * rest[i]!) / total, 3)]),
    ]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
  };

  return {
    title: 'Online Retail II — customer segments',
    generatedAt: '2026-03-02T09:41:17.000Z',
    version: '0.1.0',
    inputs: { transactions: 'online_retail_II.csv', customers: 'customers.parquet' },
    summary: {
      customers,
      revenue,
      ...(options.currency === '' ? {} : { currency: options.currency ?? 'GBP' }),
      method: 'k-means',
      k,
      kReason:
        options.kSweep === false
          ? `k = ${k} was set in the configuration.`
          : 'k = 5 had the highest silhouette (0.42) among k = 2..10.',
      asOf: '2011-12-10',
    },
    segments: names.map((name, s) => ({
      id: s,
      name,
      size: sizes[s]!,
      share: sizes[s]! / customers,
      revenueShare: revenue === 0 ? 0 : revWeights[s]! / rSum,
      stability: s === 2 ? 0.52 : round(0.8 + 0.15 * rng.next(), 2),
      ...(s === 2 ? { flags: ['does not hold up: refits reproduce it at Jaccard 0.52 (below 0.6)'] } : {}),
    })),
    features: FEATURES.map((feat) => ({ ...feat })),
    profile: { means, medians, overall: OVERALL.map(([m]) => m), z },
    categories:
      options.categories === false
        ? []
        : [
            {
              attribute: 'Country',
              perSegment: names.map(() => topValues(countries, 0.78 + 0.17 * rng.next())),
            },
            {
              attribute: 'Acquisition channel',
              perSegment: names.map(() => topValues(channels, 0.3 + 0.3 * rng.next())),
            },
          ],
    projection: { method: 'PCA', explained: [0.384, 0.213], x, y, segment, shown, total: customers },
    kSelection:
      options.kSweep === false
        ? null
        : {
            criterion: 'silhouette',
            ks,
            silhouette,
            inertia,
            chosen: ks.includes(k) ? k : 5,
            note: 'fitted on all 4,338 customers',
            calinskiHarabasz: ks.map((kk) => round(2400 - 90 * (kk - 5) ** 2 + 40 * rng.next(), 1)),
            daviesBouldin: ks.map((kk) => round(0.62 + 0.04 * Math.abs(kk - 5) + 0.02 * rng.next(), 3)),
            gap: ks.map((kk) => round(0.4 + (0.5 * Math.min(kk, 5)) / 5 - 0.01 * Math.max(0, kk - 5), 3)),
            gapSE: ks.map(() => round(0.012 + 0.004 * rng.next(), 3)),
            stability: ks.map((kk) => round(kk <= 5 ? 0.93 - 0.01 * kk : 0.6 - 0.03 * (kk - 6), 2)),
            stabilitySD: ks.map(() => round(0.03 + 0.05 * rng.next(), 2)),
            predictionStrength: ks.map((kk) => round(kk <= 5 ? 0.95 - 0.02 * kk : 0.55 - 0.04 * (kk - 6), 2)),
            elbow: 5,
            votes: [
              { criterion: 'elbow', k: 5, rule: 'knee of the inertia curve (Kneedle)' },
              { criterion: 'silhouette', k: 5, rule: 'highest silhouette (0.42)' },
              { criterion: 'Calinski–Harabasz', k: 5, rule: 'highest Calinski–Harabasz' },
              { criterion: 'Davies–Bouldin', k: 5, rule: 'lowest Davies–Bouldin' },
              { criterion: 'gap statistic', k: 5, rule: 'smallest k with Gap(k) ≥ Gap(k+1) − s(k+1)' },
              { criterion: 'stability', k: 5, rule: 'largest k whose refits agree (ARI ≥ 0.8)' },
              { criterion: 'prediction strength', k: 4, rule: 'largest k with prediction strength ≥ 0.8' },
            ],
            structure: 'clear',
            reasons: ['6 of 7 criteria agree on k = 5; prediction strength prefers 4.'],
          },
    silhouettePlot:
      options.kSweep === false
        ? null
        : {
            segments: names.map((_, s) => {
              const values = Array.from({ length: 60 }, (_, i) =>
                round(0.75 - (i / 59) * (0.8 + 0.1 * s), 3),
              );
              return {
                id: s,
                values,
                mean: values.reduce((a, b) => a + b, 0) / values.length,
                size: sizes[s]!,
                negative: values.filter((v) => v < 0).length / values.length,
              };
            }),
            average: 0.42,
            shown: 2000,
            total: customers,
          },
    value:
      options.value === false
        ? null
        : buildSampleValue({
            segmentSizes: sizes,
            segmentNames: names,
            segmentSpend: revWeights.map((r, s) => r / rSum / (weights[s]! / wSum)),
            revenue,
            holdout: options.holdout !== false,
          }),
    quality: {
      inputRows,
      usedRows: inputRows - rejectedRows,
      rejectedRows,
      rejectedByReason,
      checks: [
        { name: 'Cancellations (invoice starts with C)', count: 8_905, action: 'netted against purchases' },
        {
          name: 'Non-product stock codes (postage, fees)',
          count: 1_981,
          action: 'kept out of product features',
        },
        { name: 'Extreme quantities (> 99.9th percentile)', count: 2, action: 'capped' },
        { name: 'Customers with a single order', count: 1_493, action: 'kept; recency-only profile' },
      ],
      customersExcluded: [
        { reason: 'only returns in the period', count: 38 },
        { reason: 'net revenue ≤ 0 after netting returns', count: 12 },
      ],
    },
  };
}

function round(v: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(v * p) / p;
}
