/**
 * The "Customer value" section: the RFM heat map and named-segment table, predicted lifetime value with its
 * holdout check, and the composite value score. Tables and text are rendered here; the four charts are canvases
 * the page script fills from `data.value`.
 * @module
 */

import { MISSING, type ReportFormat } from './format.js';
import { escapeHtml as esc } from './html.js';
import { readableTextColor, sequentialColor, sequentialGradientCss } from './palette.js';
import type { ReportData, ReportValue } from './report-data.js';
import { card, panel, segmentLabel, type Section, type SectionContext } from './report-sections.js';

type Rfm = NonNullable<ReportValue['rfm']>;
type Clv = NonNullable<ReportValue['clv']>;
type Holdout = NonNullable<Clv['holdout']>;
type Composite = NonNullable<ReportValue['composite']>;

/** The value stage's normalisation methods in words; anything else is shown as given. */
const NORMALISE: Record<string, string> = {
  rank: 'percentile rank (0 = lowest customer, 1 = highest)',
  minmax: 'min–max, to 0–1',
  zscore: 'z-score (standard deviations from the mean)',
};

/** Greek letters for the parameter names the models use, as the papers write them. */
const GREEK: Record<string, string> = { alpha: 'α', beta: 'β', gamma: 'γ' };

/**
 * The customer-value section; null when `data.value` is absent or every block in it is null.
 *
 * @example
 * const section = valueSection({ data, fmt: createFormat('en-US', 'GBP') });
 */
export function valueSection({ data, fmt }: SectionContext): Section | null {
  const v = data.value;
  if (!v) return null;
  const parts: string[] = [];
  if (v.rfm) parts.push(rfmHtml(v.rfm, fmt));
  if (v.clv) parts.push(clvHtml(v.clv, data, fmt));
  if (v.composite) parts.push(compositeHtml(v.composite, data, fmt));
  if (parts.length === 0) return null;
  return {
    id: 'value',
    title: 'Value',
    html: panel(
      'value',
      'Customer value',
      'Who is worth what, now and next: customers placed by how recently and how often they buy, the named ' +
        'groups that follow, their predicted lifetime value and how well that prediction held up.',
      parts.join('\n'),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// RFM

function rfmHtml(rfm: Rfm, fmt: ReportFormat): string {
  const bins = rfm.bins;
  const at = new Map(rfm.grid.map((c) => [`${c.r},${c.f}`, c]));
  const cellAt = (r: number, f: number) => at.get(`${r},${f}`);
  const segmentAt = (r: number, f: number): string | undefined => cellAt(r, f)?.segment;
  let most = 0;
  for (const c of rfm.grid) if (Number.isFinite(c.customers)) most = Math.max(most, c.customers);

  // Recent buyers on top, frequent ones on the right: the best customers sit top right, the lost bottom left.
  const rs = Array.from({ length: bins }, (_, i) => bins - i);
  const fs = Array.from({ length: bins }, (_, i) => i + 1);
  const labelled = new Set<string>();
  const cell = (r: number, f: number): string => {
    const c = cellAt(r, f);
    const seg = c?.segment;
    // A thick line wherever the neighbour belongs to another named segment (or is the edge): the outlines are
    // the segment map, the fill is how many customers each cell holds.
    const edge = (dr: number, df: number): string =>
      seg === undefined || segmentAt(r + dr, f + df) !== seg ? '2px solid #1f2328' : '1px solid #ffffff';
    const borders = `border-top:${edge(1, 0)};border-bottom:${edge(-1, 0)};border-left:${edge(0, -1)};border-right:${edge(0, 1)}`;
    if (c === undefined) {
      return `<td class="rfm-cell rfm-missing" style="${borders}"><span class="v">${MISSING}</span></td>`;
    }
    // √ scale: customers pile up in a few cells (one-time buyers long ago), which would leave the rest pale.
    const bg = sequentialColor(most > 0 && c.customers > 0 ? Math.sqrt(c.customers / most) : 0);
    // '' is a cell no rule of the map covers: it gets its own outline but no name.
    const name =
      c.segment === '' || labelled.has(c.segment) ? '' : `<span class="rfm-name">${esc(c.segment)}</span>`;
    labelled.add(c.segment);
    // An empty cell has no mean spend, whatever the pipeline wrote there.
    const spend = fmt.money(c.customers > 0 ? c.meanMonetary : NaN);
    const title = `R ${r} · F ${f}${c.segment === '' ? '' : ` · ${c.segment}`}: ${fmt.int(c.customers)} customers, mean spend ${spend}`;
    return `<td class="rfm-cell" style="background:${bg};color:${readableTextColor(bg)};${borders}" title="${esc(title)}">
${name}<span class="v">${fmt.int(c.customers)}</span><span class="z">${esc(spend)}</span></td>`;
  };
  const table = `<table class="rfm-grid">
<thead><tr><th scope="col" class="corner"><span class="visually-hidden">Recency score</span></th>${fs
    .map((f) => `<th scope="col">F${f}</th>`)
    .join('')}</tr></thead>
<tbody>${rs.map((r) => `<tr><th scope="row">R${r}</th>${fs.map((f) => cell(r, f)).join('')}</tr>`).join('')}</tbody></table>`;
  const legend = `<div class="heat-legend" aria-hidden="true"><span>fewer customers</span>
<span class="heat-bar heat-bar-short" style="background:${sequentialGradientCss()}"></span><span>more (up to ${fmt.int(most)})</span></div>`;
  const heatmap = `${legend}<div class="table-wrap">${table}</div>
<p class="footnote">R: recency score, ${bins} = bought most recently. F: frequency score, ${bins} = most orders.
Each cell: customers and their mean net spend; outlines group cells into the named segments.</p>`;

  // The description gets a row of its own, across the table, so the figures keep their width on a phone.
  const rows = rfm.segments
    .map((s) => {
      const empty = s.customers > 0 ? '' : ' empty';
      return `<tr class="rfm-seg-row${empty}"><th scope="row" class="plain rfm-seg-name">${esc(s.name)}</th>
<td class="num">${fmt.int(s.customers)}</td><td class="num">${fmt.pct(s.share)}</td><td class="num">${fmt.pct(s.revenueShare)}</td></tr>
<tr class="rfm-seg-desc${empty}"><td colspan="4">${esc(s.description)}</td></tr>`;
    })
    .join('');
  const segTable = `<div class="table-wrap"><table class="data rfm-segments">
<thead><tr><th scope="col">Segment</th><th scope="col" class="num">Customers</th>
<th scope="col" class="num">% of customers</th><th scope="col" class="num">% of revenue</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
  return `<h3>Recency and frequency</h3>
<div class="split split-rfm"><div>${heatmap}</div><div>${segTable}</div></div>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Lifetime value

function clvHtml(clv: Clv, data: ReportData, fmt: ReportFormat): string {
  const customers = data.summary.customers;
  const horizon = `${fmt.int(clv.months)} month${clv.months === 1 ? '' : 's'}`;
  const cards = [
    card(
      `Predicted value, next ${horizon}`,
      esc(fmt.moneyCompact(clv.totalClv)),
      `${esc(fmt.money(customers > 0 ? clv.totalClv / customers : NaN))} per customer`,
    ),
    card('Still active', esc(fmt.pct(clv.meanProbabilityAlive)), 'average chance a customer has not lapsed'),
  ];
  const h = clv.holdout;
  if (h) {
    cards.push(
      card(
        'Holdout check',
        esc(misses(fmt, h.predicted / h.actual - 1)),
        `predicted ${fmt.int(h.predicted)} vs ${fmt.int(h.actual)} actual repeat purchases`,
      ),
    );
  }
  const models = `<div class="table-wrap"><table class="data narrow clv-models">
<thead><tr><th scope="col">Model</th><th scope="col">Fitted parameters</th></tr></thead>
<tbody><tr><th scope="row" class="plain">Purchases: ${esc(clv.model)}</th><td>${paramsText(clv.params, fmt)}</td></tr>
<tr><th scope="row" class="plain">Spend: Gamma–Gamma</th><td>${
    clv.spendParams
      ? paramsText(clv.spendParams, fmt)
      : '<span class="muted">not fitted: too few repeat buyers</span>'
  }</td></tr></tbody></table></div>
<p class="footnote">Lifetime value is the net spend each customer is expected to make over the next ${horizon},
discounted at ${esc(fmt.pct(clv.discountRate))} a month. Purchase model time unit: ${esc(clv.unit)}.</p>`;

  const ids = new Map(data.segments.map((s, i) => [s.id, i]));
  const rows = clv.perSegment
    .map((s) => {
      const i = ids.get(s.id) ?? 0;
      const share = clv.totalClv !== 0 ? s.total / clv.totalClv : NaN;
      return `<tr><th scope="row">${segmentLabel(s.name, i)}</th>
<td class="num wide-only">${esc(fmt.money(s.p50))}</td><td class="num">${esc(fmt.money(s.mean))}</td>
<td class="num">${esc(fmt.moneyCompact(s.total))}<span class="share">${fmt.pct(share)}</span></td>
<td class="num">${fmt.pct(s.meanProbabilityAlive)}</td></tr>`;
    })
    .join('');
  const table = `<div class="table-wrap"><table class="data clv-table">
<thead><tr><th scope="col">Segment</th><th scope="col" class="num wide-only">Median</th><th scope="col" class="num">Mean</th>
<th scope="col" class="num">Total (share)</th><th scope="col" class="num">Still active</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
  const height = Math.max(170, 70 + clv.perSegment.length * 40);
  const chart = `<div class="chart-box" style="height:${height}px"><canvas data-chart="clv-range" role="img"
aria-label="Range chart: predicted lifetime value per customer in each segment, 10th to 90th percentile with the middle half and median"></canvas></div>
<p class="footnote">Per customer: the thin bar spans the middle 80% (10th–90th percentile), the box the middle
half, the white line is the median.</p>`;
  // Without a spend model there are no CLV quantiles to draw, but P(alive) per segment still reads in the table.
  const drawable = clv.perSegment.some((s) => Number.isFinite(s.p10) && Number.isFinite(s.p90));
  const bySegment =
    clv.perSegment.length === 0
      ? ''
      : `<h4 class="value-h4">By segment</h4>
${drawable ? `<div class="split split-clv"><div>${chart}</div>${table}</div>` : table}`;
  return `<h3>Predicted lifetime value</h3>
<div class="cards value-cards">${cards.join('')}</div>
${models}
${bySegment}
${holdoutHtml(h, fmt)}`;
}

function holdoutHtml(h: Holdout | null, fmt: ReportFormat): string {
  const title = '<h3>Did the model predict a period it had not seen?</h3>';
  if (!h) {
    return `${title}<p class="note">No holdout check: the history is too short to hold a period back, or the check
was switched off.</p>`;
  }
  const verdict = misses(fmt, h.predicted / h.actual - 1);
  const summary = `<p class="holdout-summary">Fitted on purchases up to ${esc(fmt.date(h.calibrationEnd))}, the model
predicted <b>${fmt.int(h.predicted)}</b> repeat purchases by ${fmt.int(h.customers)} customers from then to
${esc(fmt.date(h.observationEnd))}; they made <b>${fmt.int(h.actual)}</b>, so the prediction was ${esc(verdict)}. Per customer it was off by
${esc(fmt.value(h.mae))} purchases on average, and predicted and actual correlate at ${esc(fmt.fixed(h.correlation, 2))}.</p>`;
  const chart = `<div class="chart-box chart-tracking"><canvas data-chart="clv-tracking" role="img"
aria-label="Line chart: cumulative repeat purchases, actual against predicted, with the held-out period shaded"></canvas></div>`;
  const rows = h.byFrequency
    .map(
      (b) =>
        `<tr><th scope="row">${esc(b.frequency)}</th><td class="num">${fmt.int(b.customers)}</td>` +
        `<td class="num">${esc(fmt.fixed(b.predicted, 2))}</td><td class="num">${esc(fmt.fixed(b.actual, 2))}</td></tr>`,
    )
    .join('');
  const table = `<div class="table-wrap"><table class="data holdout-table">
<thead><tr><th scope="col">Repeat purchases before</th><th scope="col" class="num">Customers</th>
<th scope="col" class="num">Predicted</th><th scope="col" class="num">Actual</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
  const barsHeight = 250;
  const bars = `<div class="chart-box" style="height:${barsHeight}px"><canvas data-chart="clv-holdout-frequency" role="img"
aria-label="Bar chart: mean purchases per customer in the holdout, predicted and actual, by purchases before it"></canvas></div>`;
  return `${title}${summary}${chart}
<h4 class="value-h4">Purchases per customer in the holdout, by purchases before it</h4>
<div class="split"><div>${bars}</div>${table}</div>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Composite score

function compositeHtml(c: Composite, data: ReportData, fmt: ReportFormat): string {
  const labels = new Map(data.features.map((f) => [f.name, f.label]));
  const weights = Object.entries(c.weights);
  const absSum = weights.reduce((a, [, w]) => a + (Number.isFinite(w) ? Math.abs(w) : 0), 0);
  const rows = weights
    .map(
      ([name, w]) =>
        `<tr><th scope="row" class="plain"><span title="${esc(name)}">${esc(labels.get(name) ?? name)}</span></th>` +
        `<td class="num">${esc(fmt.value(w))}</td><td class="num">${fmt.pct(absSum > 0 ? Math.abs(w) / absSum : NaN)}</td></tr>`,
    )
    .join('');
  const table =
    weights.length === 0
      ? '<p class="note">No weights were given.</p>'
      : `<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">Feature</th><th scope="col" class="num">Weight</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="footnote">Normalised by: ${esc(NORMALISE[c.normalise] ?? c.normalise)}. The score is the weighted sum of the normalised
features.</p>`;
  const cuts = c.cuts.filter((x) => Number.isFinite(x));
  const chart =
    c.histogram.counts.length === 0 || !c.histogram.edges.every((e) => Number.isFinite(e))
      ? '<p class="note">No scores to show.</p>'
      : `<div class="chart-box chart-score"><canvas data-chart="value-score" role="img"
aria-label="Histogram of the value score with the cut points between score groups"></canvas></div>
<p class="footnote">${
          cuts.length === 0
            ? 'No cut points: the score is not split into groups.'
            : `Dashed lines: the cuts between score groups (${cuts.map((x) => esc(fmt.fixed(x, 2))).join(', ')}).`
        }</p>`;
  return `<h3>Value score</h3>
<div class="split"><div>${table}</div><div>${chart}</div></div>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Small pieces

/** "r 0.24 · α 4.41 · a 0.79 · b 2.43", escaped. */
function paramsText(params: Record<string, number>, fmt: ReportFormat): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return MISSING;
  return entries
    .map(([k, v]) => `<span class="param"><i>${esc(GREEK[k] ?? k)}</i>&nbsp;${esc(fmt.value(v))}</span>`)
    .join(' · ');
}

/** How far a prediction is from the actual, given (predicted / actual − 1): "3.7% high", "2.1% low". */
function misses(fmt: ReportFormat, gap: number): string {
  if (!Number.isFinite(gap)) return MISSING;
  if (Math.abs(gap) < 0.0005) return 'spot on';
  return `${fmt.pct(Math.abs(gap))} ${gap > 0 ? 'high' : 'low'}`;
}
