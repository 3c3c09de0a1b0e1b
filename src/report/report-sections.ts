/**
 * The static HTML of each part of the report, top to bottom. Tables and text are rendered here, in Node, so they
 * read (and print) without JavaScript; charts are empty `<canvas data-chart>` elements the page script fills.
 * @module
 */

import { MISSING, type ReportFormat } from './format.js';
import { escapeHtml as esc } from './html.js';
import {
  divergingColor,
  divergingGradientCss,
  readableTextColor,
  segmentColor,
  Z_SATURATION,
} from './palette.js';
import type { ReportData } from './report-data.js';

/** What every section renderer reads. */
export interface SectionContext {
  data: ReportData;
  fmt: ReportFormat;
}

/** A section of the page and its entry in the table of contents. */
export interface Section {
  id: string;
  title: string;
  html: string;
}

/** |z| from which a feature is called out in a segment's "stands out" list. */
const STANDS_OUT_Z = 0.5;

// ---------------------------------------------------------------------------------------------------------------
// Header

/** Title, inputs, dates, version, the summary cards and how k was chosen. */
export function headerHtml({ data, fmt }: SectionContext): string {
  const { summary, inputs } = data;
  const meta: [string, string][] = [];
  if (inputs.transactions !== undefined) meta.push(['Transactions file', esc(inputs.transactions)]);
  if (inputs.customers !== undefined) meta.push(['Customers file', esc(inputs.customers)]);
  if (inputs.events !== undefined) meta.push(['Events file', esc(inputs.events)]);
  meta.push(
    ['As of', `<time datetime="${esc(summary.asOf)}">${esc(fmt.date(summary.asOf))}</time>`],
    ['Generated', `<time datetime="${esc(data.generatedAt)}">${esc(fmt.dateTime(data.generatedAt))}</time>`],
    ['segmint', esc(versionText(data.version))],
  );
  const clustered = data.features.filter((f) => f.clustered).length;
  const revenueFull = fmt.money(summary.revenue);
  const revenueShort = fmt.moneyCompact(summary.revenue);
  const excluded = data.quality.customersExcluded.reduce((a, e) => a + e.count, 0);
  const perCustomer = summary.customers > 0 ? fmt.money(summary.revenue / summary.customers) : MISSING;
  const largest = data.segments.reduce<ReportData['segments'][number] | undefined>(
    (best, s) => (best === undefined || s.size > best.size ? s : best),
    undefined,
  );
  const cards = [
    card(
      'Customers segmented',
      fmt.int(summary.customers),
      excluded > 0 ? `${fmt.int(excluded)} more left out (see data quality)` : 'every customer seen',
    ),
    card(
      'Net revenue',
      esc(revenueShort),
      `${revenueShort === revenueFull ? '' : `${esc(revenueFull)} · `}${esc(perCustomer)} per customer`,
    ),
    card(
      'Segments',
      fmt.int(summary.k),
      largest === undefined
        ? ''
        : `largest: <span class="ellipsis">${esc(largest.name)}</span> (${fmt.pct(largest.share)})`,
    ),
    card(
      'Method',
      esc(summary.method),
      `on ${fmt.int(clustered)} of ${fmt.int(data.features.length)} feature${data.features.length === 1 ? '' : 's'}`,
      'card-method',
    ),
  ];
  return `<header class="report-header">
<div class="wrap">
<p class="eyebrow">Customer segmentation report</p>
<h1>${esc(data.title)}</h1>
<dl class="meta">${meta.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>
<div class="cards summary-cards">${cards.join('')}</div>
${summary.kReason.trim() === '' ? '' : `<p class="callout"><strong>How k was chosen.</strong> ${esc(summary.kReason)}</p>`}
</div>
</header>`;
}

/** In-page links to the sections present; hidden in print. */
export function navHtml(sections: Section[]): string {
  const links = sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.title)}</a></li>`).join('');
  return `<nav class="toc" aria-label="Sections"><div class="wrap"><ul>${links}</ul></div></nav>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Segment overview

/** Bar chart of customer vs revenue share, and the segment table. */
export function overviewSection({ data, fmt }: SectionContext): Section {
  const { segments, summary } = data;
  const rows = segments
    .map((s, i) => {
      const revenue = summary.revenue * s.revenueShare;
      const perCustomer = s.size > 0 ? revenue / s.size : NaN;
      return `<tr>
<th scope="row">${segmentLabel(s.name, i)}${flagBadges(s.flags)}</th>
<td class="num">${fmt.int(s.size)}</td>
<td class="num">${fmt.pct(s.share)}</td>
<td class="num">${fmt.pct(s.revenueShare)}</td>
<td class="num">${esc(fmt.moneyCompact(revenue))}</td>
<td class="num">${esc(fmt.money(perCustomer))}</td>
</tr>`;
    })
    .join('');
  const perCustomerAll = summary.customers > 0 ? summary.revenue / summary.customers : NaN;
  // Totals are the sums of what is shown, so rounding or zero revenue cannot make the footer claim 100%.
  const shareSum = segments.reduce((a, s) => a + s.share, 0);
  const revenueShareSum = segments.reduce((a, s) => a + s.revenueShare, 0);
  const table = `<div class="table-wrap"><table class="data segments-table">
<thead><tr><th scope="col">Segment</th><th scope="col" class="num">Customers</th>
<th scope="col" class="num">% of customers</th><th scope="col" class="num">% of revenue</th>
<th scope="col" class="num">Net revenue</th><th scope="col" class="num">Per customer</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th scope="row">All segments</th><td class="num">${fmt.int(summary.customers)}</td>
<td class="num">${fmt.pct(shareSum)}</td><td class="num">${fmt.pct(revenueShareSum)}</td><td class="num">${esc(fmt.moneyCompact(summary.revenue))}</td>
<td class="num">${esc(fmt.money(perCustomerAll))}</td></tr></tfoot>
</table></div>`;
  // Side by side reads best, but only while names are short and segments few enough for a narrow chart.
  const sideBySide = segments.length <= 6 && segments.every((s) => s.name.length <= 28);
  const height = Math.max(150, 64 + segments.length * (sideBySide ? 46 : 40));
  const chart = `<div class="chart-box" style="height:${height}px"><canvas id="chart-overview" data-chart="overview"
data-label-max="${sideBySide ? 20 : 40}" role="img"
aria-label="Bar chart: share of customers and share of net revenue for each segment"></canvas></div>`;
  return {
    id: 'overview',
    title: 'Segments',
    html: panel(
      'overview',
      'Segment overview',
      'How big each segment is and what it is worth. Solid bars are the share of customers, striped bars the share ' +
        'of net revenue: where the striped bar is longer, the segment is worth more than its headcount.',
      sideBySide ? `<div class="split split-overview"><div>${chart}</div>${table}</div>` : `${chart}${table}`,
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Feature profiles

/** Heat map of z-scores with raw means, and one card per segment with what sets it apart. */
export function profilesSection({ data, fmt }: SectionContext): Section {
  const { features, segments, profile } = data;
  if (features.length === 0) {
    return {
      id: 'profiles',
      title: 'Profiles',
      html: panel('profiles', 'Feature profiles', '', '<p class="note">No features were profiled.</p>'),
    };
  }
  const cell = (si: number, fi: number): string => {
    const seg = segments[si]!;
    const f = features[fi]!;
    const z = profile.z[si]?.[fi] ?? NaN;
    const mean = profile.means[si]?.[fi] ?? NaN;
    const bg = divergingColor(z);
    const title =
      `${seg.name} · ${f.label}: mean ${fmt.value(mean)}, median ${fmt.value(profile.medians[si]?.[fi] ?? NaN)}; ` +
      `all customers ${fmt.value(profile.overall[fi] ?? NaN)}; ${fmt.z(z)} from average`;
    return `<td class="cell" style="background:${bg};color:${readableTextColor(bg)}" title="${esc(title)}">
<span class="v">${esc(fmt.value(mean))}</span><span class="z">${esc(fmt.z(z))}</span></td>`;
  };
  const overallCell = (fi: number): string =>
    `<td class="cell overall-cell"><span class="v">${esc(fmt.value(profile.overall[fi] ?? NaN))}</span></td>`;
  const featureName = (fi: number): string => {
    const f = features[fi]!;
    const mark = f.clustered
      ? '<span class="mark" title="used for clustering" aria-label="used for clustering">●</span>'
      : '';
    return `<span title="${esc(f.name)}">${esc(f.label)}</span>${mark}`;
  };
  const allCustomers =
    '<span class="seg"><span class="swatch swatch-all"></span><span class="seg-text">All customers</span></span>';
  const si = segments.map((_, i) => i);
  const fi = features.map((_, i) => i);
  // The longer dimension runs down the page, so a dozen features or a dozen segments never need a sideways scroll.
  const featuresAsRows = features.length > segments.length;
  const table = featuresAsRows
    ? `<table class="heatmap heatmap-by-feature">
<thead><tr><th scope="col" class="corner">Feature</th>${si
        .map((s) => `<th scope="col">${segmentLabel(segments[s]!.name, s)}</th>`)
        .join('')}<th scope="col" class="overall-col">${allCustomers}</th></tr></thead>
<tbody>${fi
        .map(
          (f) =>
            `<tr><th scope="row">${featureName(f)}</th>${si.map((s) => cell(s, f)).join('')}${overallCell(f)}</tr>`,
        )
        .join('')}</tbody></table>`
    : `<table class="heatmap heatmap-by-segment">
<thead><tr><th scope="col" class="corner">Segment</th>${fi
        .map((f) => `<th scope="col">${featureName(f)}</th>`)
        .join('')}</tr></thead>
<tbody>${si
        .map(
          (s) =>
            `<tr><th scope="row">${segmentLabel(segments[s]!.name, s)}</th>${fi.map((f) => cell(s, f)).join('')}</tr>`,
        )
        .join(
          '',
        )}<tr class="overall"><th scope="row">${allCustomers}</th>${fi.map(overallCell).join('')}</tr></tbody></table>`;
  const clusteredCount = features.filter((f) => f.clustered).length;
  const legend = `<div class="heat-legend" aria-hidden="true">
<span>below average</span><span class="heat-bar" style="background:${divergingGradientCss()}"></span><span>above average</span>
<span class="legend-scale">−${Z_SATURATION}σ … 0 … +${Z_SATURATION}σ</span></div>`;
  const heatmap = `${legend}<div class="table-wrap">${table}</div>
<p class="footnote"><span class="mark">●</span> used for clustering (${fmt.int(clusteredCount)} of ${fmt.int(features.length)});
the others are profiled only. Hover a cell for its median.</p>`;
  const cards = segments.map((s, si) => segmentCard({ data, fmt }, si)).join('');
  return {
    id: 'profiles',
    title: 'Profiles',
    html: panel(
      'profiles',
      'Feature profiles',
      'Each cell is the segment’s average in the feature’s own units; its colour is how far that is from the ' +
        'all-customer average, in standard deviations (σ). Orange is above average, purple below.',
      `${heatmap}<h3>What sets each segment apart</h3>${rulesNote(data, fmt)}<div class="seg-grid">${cards}</div>`,
    ),
  };
}

function segmentCard({ data, fmt }: SectionContext, si: number): string {
  const s = data.segments[si]!;
  const z = data.profile.z[si] ?? [];
  const standOut = data.features
    .map((f, fi) => ({ label: f.label, z: z[fi] ?? NaN }))
    .filter((x) => Number.isFinite(x.z) && Math.abs(x.z) >= STANDS_OUT_Z)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .slice(0, 3);
  const list =
    standOut.length === 0
      ? '<p class="stands-out muted">Close to the average customer on every feature.</p>'
      : `<ul class="stands-out">${standOut
          .map(
            (x) =>
              `<li><span class="arrow ${x.z > 0 ? 'up' : 'down'}" aria-hidden="true">${x.z > 0 ? '▲' : '▼'}</span>` +
              `${x.z > 0 ? 'Higher' : 'Lower'} ${esc(x.label)} <b>${esc(fmt.z(x.z))}</b></li>`,
          )
          .join('')}</ul>`;
  const height = 36 + data.features.length * 24;
  return `<article class="seg-card" style="border-top-color:${segmentColor(si)}">
<h4>${segmentLabel(s.name, si)}</h4>
<p class="seg-stats">${fmt.int(s.size)} customers · ${fmt.pct(s.share)} of customers · ${fmt.pct(s.revenueShare)} of revenue</p>
${flagBadges(s.flags)}${s.description ? `<p class="seg-description">${esc(s.description)}</p>` : ''}${rulesHtml(s.rules, fmt)}${importanceHtml(s.importance, fmt)}${list}
<div class="chart-box" style="height:${height}px"><canvas data-chart="segment-z" data-segment="${si}" role="img"
aria-label="${esc(`Bar chart: how far ${s.name} is from the average on each feature`)}"></canvas></div>
</article>`;
}

/** Method supervised: held-out accuracy, precision and recall per segment, and the confusion matrix. */
export function supervisedSection({ data, fmt }: SectionContext): Section | null {
  const sv = data.supervised;
  if (!sv) return null;
  const names = sv.perSegment.map((p) => p.name);
  const rows = sv.perSegment
    .map(
      (p, i) =>
        `<tr><th scope="row">${segmentLabel(p.name, i)}</th><td class="num">${esc(fmt.pct(p.precision))}</td><td class="num">${esc(fmt.pct(p.recall))}</td><td class="num">${fmt.int(p.support)}</td></tr>`,
    )
    .join('');
  const confusion = `<table class="data confusion"><thead><tr><th scope="col">Known ↓ / predicted →</th>${names
    .map((n) => `<th scope="col">${esc(n)}</th>`)
    .join('')}</tr></thead><tbody>${sv.confusion
    .map(
      (row, i) =>
        `<tr><th scope="row">${esc(names[i] ?? '')}</th>${row
          .map((c, j) => `<td class="num${i === j ? ' diag' : ''}">${fmt.int(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
  const lead =
    `A random forest learned the known segments of ${fmt.int(sv.labelled)} labelled customers and predicted the other ${fmt.int(sv.predicted)}. ` +
    `On ${fmt.int(sv.test)} labelled customers held out before fitting it put ${fmt.pct(sv.accuracy)} in their known segment` +
    (sv.oobScore !== null ? ` (out-of-bag on all labelled customers: ${fmt.pct(sv.oobScore)})` : '') +
    '.';
  return {
    id: 'supervised',
    title: 'Prediction check',
    html: panel(
      'supervised',
      'How well the known segments are predicted',
      lead,
      `<div class="table-wrap"><table class="data"><thead><tr><th scope="col">Segment</th><th scope="col" class="num">Precision</th><th scope="col" class="num">Recall</th><th scope="col" class="num">Held out</th></tr></thead><tbody>${rows}</tbody></table></div>
<h3>Known against predicted, held-out customers</h3><div class="table-wrap">${confusion}</div>`,
    ),
  };
}

/** How far the rules can be trusted: the share of customers whose segment the rules' tree reproduces. */
function rulesNote(data: ReportData, fmt: ReportFormat): string {
  const r = data.rules;
  if (!r || !Number.isFinite(r.fidelity)) return '';
  return `<p class="note">The rules under “Who is in it” come from a decision tree at most ${fmt.int(r.maxDepth)} conditions deep, trained on the segments over the clustered features in their own units; together they put ${esc(fmt.pct(r.fidelity))} of customers in the segment they are in.</p>`;
}

/** A segment's rules in words, each with its coverage and precision. */
function rulesHtml(rules: ReportData['segments'][number]['rules'], fmt: ReportFormat): string {
  if (!rules || rules.length === 0) return '';
  const items = rules
    .map(
      (r) =>
        `<li>${esc(r.text)} <span class="muted">— covers ${esc(fmt.pct(r.coverage))} of the segment, ${esc(fmt.pct(r.precision))} precise</span></li>`,
    )
    .join('');
  return `<div class="seg-rules"><p class="seg-rules-title">Who is in it</p><ul>${items}</ul></div>`;
}

/** The features a segment depends on most, by permutation importance. */
function importanceHtml(importance: ReportData['segments'][number]['importance'], fmt: ReportFormat): string {
  if (!importance || importance.length === 0) return '';
  const parts = importance.map((i) => `${esc(i.label)} <b>${esc(fmt.pct(i.value))}</b>`).join(', ');
  return `<p class="seg-importance" title="Share of the segment the rules no longer recognise when the feature is shuffled among customers">Depends most on: ${parts}</p>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Categories

/** Top categorical values per segment; null when the data has no categorical attributes. */
export function categoriesSection({ data, fmt }: SectionContext): Section | null {
  if (data.categories.length === 0) return null;
  const blocks = data.categories
    .map((c) => {
      const rows = data.segments
        .map((s, si) => {
          const values = [...(c.perSegment[si] ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 5);
          const chips =
            values.length === 0
              ? `<span class="muted">${MISSING}</span>`
              : values
                  .map(([value, share]) => {
                    const w = Number.isFinite(share) ? Math.max(0, Math.min(1, share)) * 100 : 0;
                    const tint = `${segmentColor(si)}40`;
                    return `<span class="chip" style="background:linear-gradient(90deg,${tint} ${w.toFixed(1)}%,#f6f8fa ${w.toFixed(1)}%)">
<span class="chip-label">${esc(value)}</span><span class="chip-share">${esc(fmt.pct(share))}</span></span>`;
                  })
                  .join('');
          return `<tr><th scope="row">${segmentLabel(s.name, si)}</th><td><div class="chips">${chips}</div></td></tr>`;
        })
        .join('');
      return `<h3>${esc(c.attribute)}</h3><div class="table-wrap"><table class="data cats">
<thead><tr><th scope="col">Segment</th><th scope="col">Most common values (share of the segment’s customers)</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
    })
    .join('');
  return {
    id: 'categories',
    title: 'Categories',
    html: panel(
      'categories',
      'Top categories',
      'The most common values of each categorical attribute within each segment; the shaded part of a value is its share.',
      blocks,
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Projection

/** Scatter of the 2-D projection, coloured by segment. */
export function projectionSection({ data, fmt }: SectionContext): Section {
  const p = data.projection;
  const n = p.x.length;
  let body: string;
  if (n === 0) {
    body = '<p class="note">No projection was computed for this run.</p>';
  } else {
    const shown =
      p.shown < p.total
        ? `${fmt.int(p.shown)} of ${fmt.int(p.total)} customers shown.`
        : `All ${fmt.int(p.total)} customers shown.`;
    const explained = p.explained[0] + p.explained[1];
    body = `<div class="chart-box chart-projection"><canvas id="chart-projection" data-chart="projection" role="img"
aria-label="${esc(`Scatter plot of customers on the first two ${p.method} axes, coloured by segment`)}"></canvas></div>
<p class="footnote">${shown} ${esc(p.method)} axes together explain ${esc(fmt.pct(explained))} of the variance in the
clustered features; well-separated colours mean well-separated segments, but overlap here can still be separation in
the dimensions not shown.</p>`;
  }
  return {
    id: 'projection',
    title: 'Map',
    html: panel(
      'projection',
      'Customer map',
      `Customers placed by a 2-D ${esc(p.method)} projection of the clustered features, coloured by segment.`,
      body,
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// k selection

/** Every criterion against k: elbow, silhouette, gap and stability charts, a table and the votes. */
export function kSelectionSection({ data, fmt }: SectionContext): Section {
  const ks = data.kSelection;
  let lead: string;
  let body: string;
  if (ks === null || ks.ks.length === 0) {
    lead = '';
    // k set in the configuration, or found by the method itself (density methods): say which, from kReason.
    const reason = data.summary.kReason.trim().replace(/([^.!?])$/, '$1.');
    body = `<p class="note">${esc(reason)} No range of k was compared, so there is no curve to
show.</p>`;
  } else {
    const has = (a: (number | null)[] | undefined) => !!a && a.some((v) => v !== null && Number.isFinite(v));
    lead =
      `Each k from ${fmt.int(Math.min(...ks.ks))} to ${fmt.int(Math.max(...ks.ks))} was fitted and scored by ` +
      'several criteria; each votes for a k and the recommendation is the k most of them agree on.';
    const charts: [string, string, string][] = [
      ['k-elbow', 'Elbow: inertia against k, with the knee found by Kneedle', 'Elbow (inertia)'],
      ['k-silhouette', 'Silhouette against k (higher is better)', 'Silhouette'],
    ];
    if (has(ks.gap))
      charts.push(['k-gap', 'Gap statistic against k with one standard error', 'Gap statistic']);
    if (has(ks.stability) || has(ks.predictionStrength))
      charts.push(['k-stability', 'Stability and prediction strength against k', 'Stability']);
    const grid = charts
      .map(
        ([kind, aria, title]) => `<figure class="k-chart"><figcaption>${esc(title)}</figcaption>
<div class="chart-box chart-k-small"><canvas data-chart="${kind}" role="img" aria-label="${esc(aria)}"></canvas></div></figure>`,
      )
      .join('');
    const structure =
      ks.structure === 'none'
        ? `<p class="warning">⚠ No clear structure: the data do not fall into well-separated, stable groups
(the gap statistic prefers a single group and no k holds up in refits). The ${fmt.int(ks.chosen)} segments below
are a convenient partition, not natural groups.</p>`
        : ks.structure === 'weak'
          ? `<p class="warning">⚠ The structure is weak: the criteria disagree or the segments overlap; treat the
boundaries as soft.</p>`
          : '';
    const votes = (ks.votes ?? [])
      .map(
        (v) =>
          `<li><strong>${esc(v.criterion)}</strong>: ${v.k === null ? 'no choice' : `k = ${fmt.int(v.k)}`} — ${esc(v.rule)}</li>`,
      )
      .join('');
    const cell = (a: (number | null)[] | undefined, i: number, digits: number) => {
      const v = a?.[i];
      return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
    };
    const columns: [string, (i: number) => string][] = [
      ['Inertia', (i) => fmt.value(ks.inertia[i]!)],
      ['Silhouette', (i) => cell(ks.silhouette, i, 3)],
    ];
    if (has(ks.calinskiHarabasz)) columns.push(['Calinski–Harabasz', (i) => cell(ks.calinskiHarabasz, i, 1)]);
    if (has(ks.daviesBouldin)) columns.push(['Davies–Bouldin', (i) => cell(ks.daviesBouldin, i, 3)]);
    if (has(ks.bic)) columns.push(['BIC', (i) => cell(ks.bic, i, 1)]);
    if (has(ks.gap)) columns.push(['Gap ± s', (i) => `${cell(ks.gap, i, 3)} ± ${cell(ks.gapSE, i, 3)}`]);
    if (has(ks.stability))
      columns.push(['Stability (ARI)', (i) => `${cell(ks.stability, i, 2)} ± ${cell(ks.stabilitySD, i, 2)}`]);
    if (has(ks.predictionStrength))
      columns.push(['Prediction strength', (i) => cell(ks.predictionStrength, i, 2)]);
    const table = `<div class="table-wrap"><table class="data k-table"><thead><tr><th scope="col">k</th>${columns
      .map(([h]) => `<th scope="col" class="num">${esc(h)}</th>`)
      .join('')}</tr></thead><tbody>${ks.ks
      .map(
        (k, i) =>
          `<tr${k === ks.chosen ? ' class="chosen"' : ''}><th scope="row">${fmt.int(k)}${k === ks.chosen ? ' ✓' : ''}</th>${columns
            .map(([, f]) => `<td class="num">${f(i)}</td>`)
            .join('')}</tr>`,
      )
      .join('')}</tbody></table></div>`;
    const notes = [
      `Recommended: k = ${fmt.int(ks.chosen)}.`,
      ...(ks.reasons ?? []).map((r) => esc(r.trim().replace(/([^.!?])$/, '$1.'))),
      esc(sentence(ks.note)),
    ].filter((t) => t !== '');
    body = `${structure}<div class="k-grid">${grid}</div>
${votes ? `<ul class="votes">${votes}</ul>` : ''}
${table}
<p class="footnote">${notes.join(' ')}</p>`;
  }
  return {
    id: 'k-selection',
    title: 'Choice of k',
    html: panel('k-selection', 'Choosing the number of segments', lead, body),
  };
}

/** Silhouette plot per segment and each segment's stability across refits. */
export function validitySection({ data, fmt }: SectionContext): Section | null {
  const sp = data.silhouettePlot;
  const stable = data.segments.filter((s) => typeof s.stability === 'number');
  if (!sp && stable.length === 0) return null;
  const parts: string[] = [];
  if (sp) {
    const height = Math.max(
      220,
      Math.min(560, 60 + sp.segments.reduce((a, s) => a + s.values.length, 0) * 1.6),
    );
    parts.push(`<h3>Silhouette of each customer, by segment</h3>
<div class="chart-box" style="height:${Math.round(height)}px"><canvas data-chart="silhouette-plot" role="img"
aria-label="Silhouette plot: each customer's silhouette, sorted within its segment"></canvas></div>
<p class="footnote">A bar per customer (thinned for drawing), sorted within its segment: near 1, the customer is much
closer to its own segment than to the next; below 0, it sits nearer another segment. The dashed line is the average,
${sp.average.toFixed(3)}${sp.shown < sp.total ? `, over a sample of ${fmt.int(sp.shown)} of ${fmt.int(sp.total)} customers` : ''}.</p>`);
  }
  if (stable.length > 0) {
    const rows = stable
      .map((s) => {
        const j = s.stability!;
        const verdict =
          j >= 0.85
            ? 'highly stable'
            : j >= 0.75
              ? 'stable'
              : j >= 0.6
                ? 'a pattern, not firm'
                : 'does not hold up';
        return `<tr${j < 0.6 ? ' class="flagged"' : ''}><th scope="row">${esc(s.name)}</th><td class="num">${j.toFixed(2)}</td><td>${esc(verdict)}</td></tr>`;
      })
      .join('');
    parts.push(`<h3>Do the segments hold up when refitted?</h3>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">Segment</th><th scope="col" class="num">Jaccard</th><th scope="col">Verdict</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="footnote">The method was refitted on random subsamples of the customers; for each segment, the Jaccard
similarity is the overlap with its best-matching segment in each refit, averaged (1 = reproduced exactly). Following
Hennig (2007): below 0.6 a segment should not be trusted, 0.6–0.75 it points to a pattern whose exact members are doubtful, 0.75 and above it is stable.</p>`);
  }
  return {
    id: 'validity',
    title: 'Validity',
    html: panel(
      'validity',
      'Are the segments real?',
      'How well each customer fits its segment, and whether the segments come back when the method is refitted.',
      parts.join('\n'),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Data quality

/** Row reconciliation, rejects by reason, the checks and the customers left out. */
export function qualitySection({ data, fmt }: SectionContext): Section {
  const q = data.quality;
  const cards = [
    card('Input rows', fmt.int(q.inputRows), 'read from the inputs'),
    card('Used rows', fmt.int(q.usedRows), `${fmt.pct(q.usedRows / q.inputRows)} of input`),
    card('Rejected rows', fmt.int(q.rejectedRows), `${fmt.pct(q.rejectedRows / q.inputRows)} of input`),
  ].join('');

  const sumUsed = q.usedRows + q.rejectedRows;
  const reconciles = sumUsed === q.inputRows;
  const byReason = Object.values(q.rejectedByReason).reduce((a, b) => a + b, 0);
  const reasonsAddUp = byReason === q.rejectedRows;
  const checks = [
    check(
      reconciles,
      reconciles
        ? `Used + rejected = input: ${fmt.int(q.usedRows)} + ${fmt.int(q.rejectedRows)} = ${fmt.int(q.inputRows)}.`
        : `Used + rejected ≠ input: ${fmt.int(q.usedRows)} + ${fmt.int(q.rejectedRows)} = ${fmt.int(sumUsed)}, ` +
            `but ${fmt.int(q.inputRows)} rows were read (${fmt.int(Math.abs(q.inputRows - sumUsed))} ` +
            `${q.inputRows > sumUsed ? 'unaccounted for' : 'too many'}).`,
    ),
    check(
      reasonsAddUp,
      reasonsAddUp
        ? `Rejections by reason add up to the ${fmt.int(q.rejectedRows)} rejected rows.`
        : `Rejections by reason add up to ${fmt.int(byReason)}, not the ${fmt.int(q.rejectedRows)} rejected rows.`,
    ),
  ].join('');

  const rejectsChart =
    Object.values(q.rejectedByReason).some((n) => n > 0) && q.rejectedRows > 0
      ? `<div class="chart-box" style="height:${
          56 + Object.values(q.rejectedByReason).filter((n) => n > 0).length * 34
        }px"><canvas id="chart-rejects" data-chart="rejects" role="img"
aria-label="Bar chart: rejected rows by reason"></canvas></div>`
      : '<p class="note">No rows were rejected.</p>';

  const checksTable =
    q.checks.length === 0
      ? '<p class="note">No findings were reported.</p>'
      : `<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">Check</th><th scope="col" class="num">Count</th><th scope="col">Action</th></tr></thead>
<tbody>${q.checks
          .map(
            (c) =>
              `<tr><th scope="row" class="plain">${esc(c.name)}</th><td class="num">${fmt.int(c.count)}</td><td>${esc(c.action)}</td></tr>`,
          )
          .join('')}</tbody></table></div>`;

  const excludedTotal = q.customersExcluded.reduce((a, b) => a + b.count, 0);
  const excluded =
    q.customersExcluded.length === 0
      ? '<p class="note">Every customer seen in the data was segmented.</p>'
      : `<div class="table-wrap"><table class="data narrow">
<thead><tr><th scope="col">Reason</th><th scope="col" class="num">Customers</th></tr></thead>
<tbody>${q.customersExcluded
          .map(
            (e) =>
              `<tr><th scope="row" class="plain">${esc(e.reason)}</th><td class="num">${fmt.int(e.count)}</td></tr>`,
          )
          .join('')}</tbody>
<tfoot><tr><th scope="row">Total not segmented</th><td class="num">${fmt.int(excludedTotal)}</td></tr></tfoot>
</table></div>`;

  return {
    id: 'quality',
    title: 'Data quality',
    html: panel(
      'quality',
      'Data quality',
      'What was read, what was used, and what was left out and why.',
      `<div class="cards">${cards}</div><ul class="checks">${checks}</ul>
<div class="split"><div><h3>Rejected rows by reason</h3>${rejectsChart}</div><div><h3>Checks</h3>${checksTable}</div></div>
<h3>Customers not segmented</h3>${excluded}`,
    ),
  };
}

/** Closing line: what made the page. */
export function footerHtml({ data, fmt }: SectionContext, chartJsVersion: string): string {
  return `<footer class="report-footer"><div class="wrap">Generated by segmint ${esc(versionText(data.version))} on
${esc(fmt.dateTime(data.generatedAt))}. This page is self-contained and works offline. Charts drawn with Chart.js
${esc(chartJsVersion)} (MIT licence).</div></footer>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Small pieces

/** A section's frame: `<section>` with its heading and lead; `leadText` and `body` are HTML. */
export function panel(id: string, title: string, leadText: string, body: string): string {
  return `<section class="panel" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${esc(title)}</h2>${leadText === '' ? '' : `<p class="lead">${leadText}</p>`}
${body}
</section>`;
}

/** A headline figure; `valueHtml` and `subHtml` are already escaped or built from formatted numbers. */
export function card(label: string, valueHtml: string, subHtml: string, extraClass = ''): string {
  return `<div class="card ${extraClass}"><div class="card-label">${esc(label)}</div>
<div class="card-value">${valueHtml}</div><div class="card-sub">${subHtml}</div></div>`;
}

function check(ok: boolean, text: string): string {
  return `<li class="${ok ? 'ok' : 'bad'}"><span class="check-mark" aria-hidden="true">${ok ? '✓' : '✗'}</span>
<span class="visually-hidden">${ok ? 'Passed:' : 'Failed:'}</span> ${esc(text)}</li>`;
}

/** A segment's name with its colour swatch. */
export function segmentLabel(name: string, index: number): string {
  return `<span class="seg"><span class="swatch" style="background:${segmentColor(index)}"></span><span class="seg-text">${esc(
    name,
  )}</span></span>`;
}

function flagBadges(flags: string[] | undefined): string {
  if (!flags || flags.length === 0) return '';
  return `<span class="flags">${flags.map((f) => `<span class="badge">⚠ ${esc(f)}</span>`).join('')}</span>`;
}

/** "fitted on a sample" → "Fitted on a sample." — notes in the data are sentence fragments. */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return '';
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.');
}

function versionText(version: string): string {
  return /^\d/.test(version) ? `v${version}` : version;
}
