/**
 * A seeded `ReportValue` for report tests, built from simulated customers so its figures agree with each other:
 * grid counts sum to the named segments' sizes, shares sum to 1, CLV quantiles are ordered, the holdout curves
 * are cumulative.
 * @module
 */

import type { ReportValue } from '../../src/report/report-data.js';
import { Random } from '../../src/util/random.js';

/** Options for {@link buildSampleValue}. */
export interface SampleValueOptions {
  /** Customers in total, split between the cluster segments by `segmentSizes`. */
  segmentSizes: number[];
  segmentNames: string[];
  /** Relative spend of each cluster segment's customers (their revenue share per head). */
  segmentSpend: number[];
  /** Net revenue the RFM monetary values are scaled to; 0 gives zero revenue shares. */
  revenue: number;
  /** Include the holdout check. Default true. */
  holdout?: boolean;
  /** Replace the named RFM segments' names (cycled), e.g. with hostile strings. */
  rfmNames?: string[];
  seed?: number;
}

/**
 * The classic R × F segment map (R and F scores 1..5): name, description, and which cells it takes. "Promising"
 * is left empty by the simulation below, as happens when frequency ties push every new-ish buyer into F = 2.
 */
const RFM_MAP: [string, string, (r: number, f: number) => boolean][] = [
  ['Champions', 'Bought recently, buy often. Reward them; ask for reviews.', (r, f) => r === 5 && f >= 4],
  [
    'Loyal customers',
    'Buy often and still active. Upsell; invite to loyalty perks.',
    (r, f) => (r === 3 || r === 4) && f >= 4,
  ],
  [
    'Potential loyalists',
    'Recent, a few orders. Offer membership or a second-order incentive.',
    (r, f) => r >= 4 && (f === 2 || f === 3),
  ],
  ['New customers', 'First order very recently. Onboard them well.', (r, f) => r === 5 && f === 1],
  ['Promising', 'Recent, one order. Build awareness; free trials.', (r, f) => r === 4 && f === 1],
  ['Need attention', 'Average on both. Limited-time offers.', (r, f) => r === 3 && f === 3],
  ['About to sleep', 'Slipping, few orders. Share popular products; discounts.', (r, f) => r === 3 && f <= 2],
  [
    'At risk',
    'Bought often, long ago. Win back with personal emails.',
    (r, f) => r <= 2 && (f === 3 || f === 4),
  ],
  ["Can't lose them", 'Were the best, now gone quiet. Call them; new products.', (r, f) => r <= 2 && f === 5],
  ['Hibernating', 'Long gone, few orders. Re-engage cheaply or let go.', (r, f) => r <= 2 && f <= 2],
];

/**
 * Builds the sample block. Deterministic for a given `seed`.
 *
 * @example
 * buildSampleValue({ segmentSizes: [10, 20], segmentNames: ['A', 'B'], segmentSpend: [2, 1], revenue: 1000 });
 */
export function buildSampleValue(options: SampleValueOptions): ReportValue {
  const rng = new Random(options.seed ?? 11);
  const bins = 5;
  const k = options.segmentSizes.length;

  // Simulated customers: a latent engagement drives both scores (with noise), spend follows frequency.
  const cellCustomers = new Float64Array(bins * bins);
  const cellSpend = new Float64Array(bins * bins);
  const score = (x: number): number => Math.min(bins, Math.max(1, Math.ceil(bins * normalCdf(x))));
  const clvBySegment: number[][] = [];
  const aliveBySegment: number[] = [];
  const scores: number[] = [];
  for (let s = 0; s < k; s++) {
    const size = options.segmentSizes[s]!;
    const lift = Math.log(Math.max(0.05, options.segmentSpend[s]!));
    const clv: number[] = [];
    let alive = 0;
    for (let i = 0; i < size; i++) {
      const e = rng.normal(0.6 * lift, 1);
      const r = score(0.75 * e + 0.65 * rng.normal());
      let f = score(0.8 * e + 0.55 * rng.normal() - 0.25);
      if (r === 4 && f === 1) f = 2; // ties in frequency: see RFM_MAP
      const spend = Math.exp(5.6 + 0.45 * f + 0.5 * lift + 0.6 * rng.normal());
      cellCustomers[(r - 1) * bins + f - 1]! += 1;
      cellSpend[(r - 1) * bins + f - 1]! += spend;
      const pAlive = Math.min(0.99, Math.max(0.02, 0.15 + 0.16 * r + 0.05 * rng.normal()));
      alive += pAlive;
      clv.push(Math.max(0, pAlive * spend * (0.25 + 0.12 * f) * Math.exp(0.35 * rng.normal())));
      // The composite as the pipeline builds it: weighted percentile ranks (R and F scores are quintiles).
      scores.push(
        (0.3 * (r - rng.next())) / bins +
          (0.3 * (f - rng.next())) / bins +
          0.4 * normalCdf((Math.log(spend) - 7) / 0.9),
      );
    }
    clvBySegment.push(clv.sort((a, b) => a - b));
    aliveBySegment.push(size > 0 ? alive / size : 0);
  }
  const spendTotal = cellSpend.reduce((a, b) => a + b, 0);
  const scale = spendTotal > 0 ? options.revenue / spendTotal : 0;

  const names = RFM_MAP.map(([name], i) =>
    options.rfmNames && options.rfmNames.length > 0 ? options.rfmNames[i % options.rfmNames.length]! : name,
  );
  const segmentOf = (r: number, f: number): number => RFM_MAP.findIndex(([, , has]) => has(r, f));
  const grid: NonNullable<ReportValue['rfm']>['grid'] = [];
  const named = RFM_MAP.map(() => ({ customers: 0, spend: 0 }));
  const customers = options.segmentSizes.reduce((a, b) => a + b, 0);
  for (let r = bins; r >= 1; r--) {
    for (let f = 1; f <= bins; f++) {
      const c = cellCustomers[(r - 1) * bins + f - 1]!;
      const spend = cellSpend[(r - 1) * bins + f - 1]! * scale;
      const s = segmentOf(r, f);
      named[s]!.customers += c;
      named[s]!.spend += spend;
      grid.push({ r, f, customers: c, meanMonetary: c > 0 ? round(spend / c, 2) : 0, segment: names[s]! });
    }
  }

  const months = 12;
  const perSegment = options.segmentSizes.map((size, s) => {
    const v = clvBySegment[s]!;
    const total = v.reduce((a, b) => a + b, 0) * (scale || 1);
    const q = (p: number): number => round(quantile(v, p) * (scale || 1), 2);
    return {
      id: s,
      name: options.segmentNames[s]!,
      p10: q(0.1),
      p25: q(0.25),
      p50: q(0.5),
      p75: q(0.75),
      p90: q(0.9),
      mean: size > 0 ? round(total / size, 2) : 0,
      total: round(total, 2),
      meanProbabilityAlive: round(aliveBySegment[s]!, 4),
    };
  });
  const aliveTotal = aliveBySegment.reduce((a, p, s) => a + p * options.segmentSizes[s]!, 0);

  return {
    rfm: {
      bins,
      grid,
      segments: RFM_MAP.map(([, description], i) => ({
        name: names[i]!,
        description,
        customers: named[i]!.customers,
        share: customers > 0 ? named[i]!.customers / customers : 0,
        revenueShare: options.revenue === 0 ? 0 : named[i]!.spend / options.revenue,
      })),
    },
    clv: {
      model: 'BG/NBD',
      params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      spendParams: { p: 6.249, q: 3.745, v: 15.447 },
      unit: 'days',
      months,
      discountRate: 0.01,
      totalClv: round(
        perSegment.reduce((a, s) => a + s.total, 0),
        2,
      ),
      meanProbabilityAlive: round(aliveTotal / Math.max(1, customers), 4),
      perSegment,
      holdout: options.holdout === false ? null : sampleHoldout(rng, customers),
    },
    composite: sampleComposite(scores),
  };
}

/** Weekly cumulative repeat purchases over two years, the last 26 weeks held out. */
function sampleHoldout(
  rng: Random,
  customers: number,
): NonNullable<NonNullable<ReportValue['clv']>['holdout']> {
  const weeks = 104;
  const calibrationIndex = 78;
  const start = Date.UTC(2009, 11, 1);
  const dates: string[] = [];
  const actual: number[] = [];
  const predicted: number[] = [];
  let a = 0;
  let p = 0;
  for (let w = 1; w <= weeks; w++) {
    dates.push(new Date(start + w * 7 * 86_400_000).toISOString().slice(0, 10));
    // Purchases per week grow as the cohort is acquired, with a pre-Christmas peak the model does not know about.
    const rate = customers * 0.011 * (1 - Math.exp(-w / 30));
    const season = 1 + 0.45 * Math.exp(-(((w % 52) - 49) ** 2) / 18);
    p += rate;
    a += Math.max(0, rate * season * (1 + 0.08 * rng.normal()));
    predicted.push(round(p, 1));
    actual.push(Math.round(a));
  }
  const holdoutPredicted = predicted[weeks - 1]! - predicted[calibrationIndex - 1]!;
  const holdoutActual = actual[weeks - 1]! - actual[calibrationIndex - 1]!;
  const frequencies = ['0', '1', '2', '3', '4', '5', '6', '7+'];
  const calibrated = Math.round(customers * 0.86);
  // Customers by calibration frequency fall off geometrically; per-customer means rise with frequency and are
  // scaled so the groups add up to the holdout totals.
  const weights = frequencies.map((_, i) => Math.exp(-0.55 * i) + (i === 7 ? 0.05 : 0));
  const wSum = weights.reduce((x, y) => x + y, 0);
  const groups = weights.map((w) => Math.round((calibrated * w) / wSum));
  groups[0]! += calibrated - groups.reduce((x, y) => x + y, 0);
  const rawPredicted = frequencies.map((_, i) => 0.12 + 0.62 * i ** 1.1);
  const rawActual = rawPredicted.map((m) => Math.max(0, m * (1 + 0.12 * rng.normal())));
  const dot = (m: number[]): number => m.reduce((x, v, i) => x + v * groups[i]!, 0);
  const pScale = holdoutPredicted / dot(rawPredicted);
  const aScale = holdoutActual / dot(rawActual);
  return {
    calibrationEnd: dates[calibrationIndex - 1]!,
    observationEnd: dates[weeks - 1]!,
    customers: calibrated,
    predicted: round(holdoutPredicted, 1),
    actual: holdoutActual,
    mae: 0.87,
    correlation: 0.68,
    byFrequency: frequencies.map((frequency, i) => ({
      frequency,
      customers: groups[i]!,
      predicted: round(rawPredicted[i]! * pScale, 3),
      actual: round(rawActual[i]! * aScale, 3),
    })),
    tracking: { dates, actual, predicted, calibrationIndex },
  };
}

function sampleComposite(scores: number[]): NonNullable<ReportValue['composite']> {
  const bins = 20;
  const edges = Array.from({ length: bins + 1 }, (_, i) => round(i / bins, 4));
  const counts = new Array<number>(bins).fill(0);
  for (const s of scores) counts[Math.min(bins - 1, Math.floor(s * bins))]! += 1;
  const sorted = [...scores].sort((a, b) => a - b);
  return {
    weights: { recency_days: 0.3, frequency: 0.3, monetary: 0.4 },
    normalise: 'percentile rank (recency reversed)',
    histogram: { edges, counts },
    cuts: [0.5, 0.8].map((p) => round(quantile(sorted, p), 3)),
  };
}

/** Linear-interpolation quantile of sorted values (type 7, as numpy's default). */
function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!);
}

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const tail =
    d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - tail : tail;
}

function round(v: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(v * p) / p;
}
