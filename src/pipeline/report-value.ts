/**
 * The report's customer-value block from the value stage's columns and the final segments: the RFM grid and named
 * segments, the CLV distribution per segment, the holdout check and the composite score's histogram.
 * @module
 */
import type { Profiles } from '../profile/index.js';
import type { ReportValue } from '../report/report-data.js';
import type { SegmentationResult } from '../segment/index.js';
import type { CustomerValue } from '../value/index.js';

const HISTOGRAM_BINS = 30;

export function reportValue(
  value: CustomerValue | null,
  seg: SegmentationResult,
  profiles: Profiles,
): ReportValue | null {
  if (!value || (!value.rfm && !value.clv && !value.composite)) return null;
  return {
    rfm: rfmBlock(value),
    clv: clvBlock(value, seg, profiles),
    composite: compositeBlock(value),
  };
}

function rfmBlock(value: CustomerValue): ReportValue['rfm'] {
  const rfm = value.rfm;
  const saved = value.saved.rfm;
  if (!rfm || !saved) return null;
  const { bins, map } = saved;
  const n = rfm.r.length;
  const cells = bins * bins;
  const customers = new Float64Array(cells);
  const spend = new Float64Array(cells);
  // Names per cell: counts per map rule, to report the most common one when M splits a cell.
  const names = new Float64Array(cells * map.length);
  const perRule = new Float64Array(map.length);
  const revenuePerRule = new Float64Array(map.length);
  let revenue = 0;
  for (let i = 0; i < n; i++) {
    const c = (rfm.r[i]! - 1) * bins + (rfm.f[i]! - 1);
    const s = rfm.segment[i]!;
    const money = rfm.monetary[i]!;
    customers[c]!++;
    spend[c]! += money;
    revenue += money;
    if (s >= 0) {
      names[c * map.length + s]!++;
      perRule[s]!++;
      revenuePerRule[s]! += money;
    }
  }
  const grid: NonNullable<ReportValue['rfm']>['grid'] = [];
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      const c = (r - 1) * bins + (f - 1);
      let best = -1;
      for (let s = 0; s < map.length; s++) {
        if (names[c * map.length + s]! > (best < 0 ? 0 : names[c * map.length + best]!)) best = s;
      }
      // An empty cell is named by the first rule covering it, as a customer landing there would be.
      if (best < 0) best = map.findIndex((rule) => inRange(rule.r, r) && inRange(rule.f, f));
      grid.push({
        r,
        f,
        customers: customers[c]!,
        meanMonetary: customers[c]! > 0 ? spend[c]! / customers[c]! : NaN,
        segment: best >= 0 ? map[best]!.name : '',
      });
    }
  }
  return {
    bins,
    grid,
    segments: map.map((rule, s) => ({
      name: rule.name,
      description: rule.description ?? '',
      customers: perRule[s]!,
      share: n > 0 ? perRule[s]! / n : 0,
      revenueShare: revenue !== 0 ? revenuePerRule[s]! / revenue : 0,
    })),
  };
}

function inRange(range: readonly [number, number] | undefined, v: number): boolean {
  return range === undefined || (v >= range[0] && v <= range[1]);
}

function clvBlock(value: CustomerValue, seg: SegmentationResult, profiles: Profiles): ReportValue['clv'] {
  const c = value.clv;
  const saved = value.saved.clv;
  if (!c || !saved) return null;
  const n = c.pAlive.length;
  let total = 0;
  let alive = 0;
  for (let i = 0; i < n; i++) {
    total += c.clv ? c.clv[i]! : 0;
    alive += c.pAlive[i]!;
  }
  // Each segment's values in one stretch of a typed array (a counting sort by label), sorted numerically: on 2M
  // customers, arrays of boxed numbers sorted with a comparator took 1.8 s.
  const slot = (label: number): number => label + 1; // labels are −1 (noise) … k − 1
  let slots = 1;
  for (let i = 0; i < n; i++) slots = Math.max(slots, slot(seg.labels[i]!) + 1);
  const start = new Int32Array(slots + 1);
  const aliveSum = new Float64Array(slots);
  for (let i = 0; i < n; i++) {
    start[slot(seg.labels[i]!) + 1]!++;
    aliveSum[slot(seg.labels[i]!)]! += c.pAlive[i]!;
  }
  for (let t = 0; t < slots; t++) start[t + 1]! += start[t]!;
  const grouped = new Float64Array(c.clv ? n : 0);
  if (c.clv) {
    const fill = start.slice(0, slots);
    for (let i = 0; i < n; i++) grouped[fill[slot(seg.labels[i]!)]!++] = c.clv[i]!;
    for (let t = 0; t < slots; t++) grouped.subarray(start[t]!, start[t + 1]!).sort();
  }
  const perSegment = profiles.segments.map((p) => {
    const t = slot(p.noise ? -1 : p.segment - 1);
    const count = t < slots ? start[t + 1]! - start[t]! : 0;
    const clv = count > 0 && c.clv ? grouped.subarray(start[t]!, start[t + 1]!) : new Float64Array(0);
    const q = (p: number) => (clv.length === 0 ? NaN : quantile(clv, p));
    let sum = 0;
    for (const v of clv) sum += v;
    return {
      id: p.segment,
      name: p.name,
      p10: q(0.1),
      p25: q(0.25),
      p50: q(0.5),
      p75: q(0.75),
      p90: q(0.9),
      mean: clv.length > 0 ? sum / clv.length : NaN,
      total: c.clv ? sum : NaN,
      meanProbabilityAlive: count > 0 ? aliveSum[t]! / count : NaN,
    };
  });
  return {
    model: c.modelLabel,
    params: saved.params,
    spendParams: saved.spendParams,
    unit: saved.unit,
    months: saved.months,
    discountRate: saved.discountRate,
    totalClv: c.clv ? total : NaN,
    meanProbabilityAlive: n > 0 ? alive / n : NaN,
    perSegment,
    holdout: c.holdout,
  };
}

/** Linear interpolation between order statistics (numpy's default), on sorted values. */
function quantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function compositeBlock(value: CustomerValue): ReportValue['composite'] {
  const c = value.composite;
  const saved = value.saved.composite;
  if (!c || !saved) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of c.score) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) hi = lo + 1;
  const width = (hi - lo) / HISTOGRAM_BINS;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const v of c.score) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - lo) / width))]!++;
  return {
    weights: saved.weights,
    normalise: saved.normalisation.method,
    histogram: { edges: Array.from({ length: HISTOGRAM_BINS + 1 }, (_, b) => lo + b * width), counts },
    cuts: saved.cuts,
  };
}
