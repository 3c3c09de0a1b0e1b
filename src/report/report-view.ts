/**
 * What the in-page chart script needs besides the raw data: segment colours and text already formatted in Node,
 * so numbers read the same in charts, tables and tooltips.
 * @module
 */

import type { ReportFormat } from './format.js';
import { NOISE_COLOR, segmentColor, sequentialColor, withAlpha } from './palette.js';
import type { ReportData } from './report-data.js';

/** Embedded next to the data as `<script type="application/json" id="segmint-view">`. */
export interface ReportView {
  locale: string;
  colors: {
    /** Per segment, by position in `data.segments`: bars, swatches, lines. */
    solid: string[];
    /** The same colours as a light tint, under the revenue bars' hatching. */
    light: string[];
    /** The same colours for scatter points, translucent so dense areas read as denser. */
    point: string[];
  };
  /** Per segment, formatted for tooltips and bar labels. */
  segments: { customers: string; share: string; revenueShare: string; revenue: string }[];
  /** profile[s][f], formatted for the z-score bar tooltips. */
  profile: { mean: string; median: string; overall: string; z: string }[][];
  /** Symmetric x-range of every per-segment z chart, so the small multiples compare at a glance. */
  zLimit: number;
  /** Tick step on that range. */
  zStep: number;
  /** Axis titles of the projection, e.g. "PC 1 · 31.2% of variance". */
  projectionAxes: [string, string];
  /** Rejected rows by reason, largest first. */
  rejects: { labels: string[]; counts: number[]; text: string[] };
  /** What the customer-value charts need; null when `data.value` has no CLV or score to chart. */
  value: ValueView | null;
}

/** Text and colours for the customer-value charts. */
export interface ValueView {
  /** For money on chart axes: an ISO 4217 code Intl knows, else a symbol to prefix (may be empty). */
  currency: { code: string | null; symbol: string };
  /** Per `value.clv.perSegment` row: its segment colour, tint and tooltip lines. */
  clv: { solid: string[]; light: string[]; tooltips: string[][] } | null;
  /** Tracking plot: a short tick per period ("Dec 2011"), the full date for tooltips, the calibration end. */
  tracking: { ticks: string[]; dates: string[]; calibrationEnd: string } | null;
  /** One fill per score group (cuts + 1), light to dark, for the histogram bars between the cuts. */
  scoreColors: string[];
}

/**
 * Builds the {@link ReportView} for `data`.
 *
 * @example
 * const view = buildReportView(data, createFormat('en-US', data.summary.currency));
 */
export function buildReportView(data: ReportData, fmt: ReportFormat): ReportView {
  // Segment 0 (customers a density method left out of every segment) is grey, not a segment colour.
  const solid = data.segments.map((s, i) => (s.noise ? NOISE_COLOR : segmentColor(i)));
  let maxAbsZ = 0;
  for (const row of data.profile.z)
    for (const z of row) if (Number.isFinite(z)) maxAbsZ = Math.max(maxAbsZ, Math.abs(z));
  const rejects = Object.entries(data.quality.rejectedByReason)
    .filter(([, n]) => Number.isFinite(n) && n > 0)
    .sort((a, b) => b[1] - a[1]);
  const axis = (i: 0 | 1): string => {
    const share = data.projection.explained[i];
    const name = `${data.projection.method} ${i + 1}`;
    return Number.isFinite(share) ? `${name} · ${fmt.pct(share)} of variance` : name;
  };
  return {
    locale: fmt.locale,
    colors: {
      solid,
      light: solid.map((c) => withAlpha(c, 0.22)),
      point: solid.map((c) => withAlpha(c, 0.62)),
    },
    segments: data.segments.map((s) => ({
      customers: `${fmt.int(s.size)} customers`,
      share: fmt.pct(s.share),
      revenueShare: fmt.pct(s.revenueShare),
      revenue: fmt.moneyCompact(data.summary.revenue * s.revenueShare),
    })),
    profile: data.profile.means.map((row, s) =>
      row.map((mean, f) => ({
        mean: fmt.value(mean),
        median: fmt.value(data.profile.medians[s]?.[f] ?? NaN),
        overall: fmt.value(data.profile.overall[f] ?? NaN),
        z: fmt.z(data.profile.z[s]?.[f] ?? NaN),
      })),
    ),
    ...zAxis(maxAbsZ),
    projectionAxes: [axis(0), axis(1)],
    rejects: {
      labels: rejects.map(([reason]) => reason),
      counts: rejects.map(([, n]) => n),
      text: rejects.map(([, n]) => `${fmt.int(n)} (${fmt.pct(n / data.quality.rejectedRows)})`),
    },
    value: valueView(data, fmt, solid),
  };
}

function valueView(data: ReportData, fmt: ReportFormat, solid: string[]): ValueView | null {
  const v = data.value;
  if (!v || (!v.clv && !v.composite)) return null;
  const clv = v.clv ?? null;
  const index = new Map(data.segments.map((s, i) => [s.id, i]));
  const colorOf = (id: number): string => solid[index.get(id) ?? -1] ?? NOISE_COLOR;
  const h = clv?.holdout ?? null;
  return {
    currency: {
      code: fmt.currencyCode,
      symbol: fmt.currencyCode === null ? (data.summary.currency ?? '').trim() : '',
    },
    clv: clv && {
      solid: clv.perSegment.map((s) => colorOf(s.id)),
      light: clv.perSegment.map((s) => withAlpha(colorOf(s.id), 0.3)),
      tooltips: clv.perSegment.map((s) => [
        `Median ${fmt.money(s.p50)}, mean ${fmt.money(s.mean)}`,
        `Middle half: ${fmt.money(s.p25)} – ${fmt.money(s.p75)}`,
        `Middle 80%: ${fmt.money(s.p10)} – ${fmt.money(s.p90)}`,
        `Still active: ${fmt.pct(s.meanProbabilityAlive)}`,
      ]),
    },
    tracking: h && {
      ticks: h.tracking.dates.map((d) => fmt.month(d)),
      dates: h.tracking.dates.map((d) => fmt.date(d)),
      calibrationEnd: fmt.date(h.calibrationEnd),
    },
    scoreColors: scoreColors(v.composite?.cuts.filter((c) => Number.isFinite(c)).length ?? 0),
  };
}

/**
 * A whole-σ range for the z charts, never narrower than ±1σ so near-average segments do not look dramatic; past
 * ±3σ it grows in steps of 2 so the axis keeps five labels.
 */
function zAxis(maxAbsZ: number): { zLimit: number; zStep: number } {
  const limit = Math.max(1, Math.ceil(maxAbsZ - 1e-9));
  if (limit === 1) return { zLimit: 1, zStep: 0.5 };
  if (limit <= 3) return { zLimit: limit, zStep: 1 };
  return { zLimit: limit + (limit % 2), zStep: 2 };
}

/** Greys to blues, light to dark: a higher score group reads as "more" without borrowing a segment colour. */
function scoreColors(cuts: number): string[] {
  const groups = cuts + 1;
  return Array.from({ length: groups }, (_, g) =>
    sequentialColor(groups === 1 ? 0.6 : 0.35 + (0.65 * g) / (groups - 1)),
  );
}
