import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSampleReportData } from '../../test/report/sample-report-data.js';
import type { ReportData, ReportValue } from './report-data.js';
import { renderReport } from './render-report.js';
import { reportDataProblems } from './validate-report-data.js';

const HOSTILE = '</script><img src=x onerror=alert(1)>';

/** Markup outside `<script>` and `<style>`: what the parser turns into elements and text. */
function markupOnly(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '').replace(/<style>[\s\S]*?<\/style>/gi, '');
}

/** The rendered `#value` section alone ('' when absent). */
function valueMarkup(data: ReportData): string {
  const markup = markupOnly(renderReport(data));
  const start = markup.indexOf('<section class="panel" id="value"');
  return start < 0 ? '' : markup.slice(start, markup.indexOf('</section>', start));
}

function value(data: ReportData): ReportValue {
  assert.ok(data.value, 'the sample has a value block');
  return data.value;
}

describe('customer value section', () => {
  test('is placed after the profiles, before the categories, and is in the nav', () => {
    const markup = markupOnly(renderReport(buildSampleReportData()));
    const at = (id: string) => markup.indexOf(`<section class="panel" id="${id}"`);
    assert.ok(
      at('profiles') < at('value') && at('value') < at('categories') && at('value') < at('k-selection'),
    );
    assert.match(markup, /<li><a href="#value">Value<\/a><\/li>/);
    for (const kind of ['clv-range', 'clv-tracking', 'clv-holdout-frequency', 'value-score']) {
      assert.match(markup, new RegExp(`data-chart="${kind}"`), kind);
    }
    assert.doesNotMatch(markup, /NaN|Infinity|undefined/);
  });

  test('is absent without value data, or when every block is null', () => {
    for (const data of [
      buildSampleReportData({ value: false }),
      Object.assign(buildSampleReportData(), { value: undefined }),
      Object.assign(buildSampleReportData(), { value: { rfm: null, clv: null, composite: null } }),
    ]) {
      const markup = markupOnly(renderReport(data));
      assert.doesNotMatch(markup, /id="value"|href="#value"|data-chart="clv-/);
    }
  });

  test('each block shows only when present', () => {
    const data = buildSampleReportData();
    value(data).clv = null;
    value(data).composite = null;
    const only = valueMarkup(data);
    assert.match(only, /class="rfm-grid"/);
    assert.doesNotMatch(only, /Predicted lifetime value|Value score|data-chart/);

    const clvOnly = buildSampleReportData();
    value(clvOnly).rfm = null;
    value(clvOnly).composite = null;
    const clv = valueMarkup(clvOnly);
    assert.doesNotMatch(clv, /rfm-grid|Value score/);
    assert.match(clv, /data-chart="clv-range"/);
  });

  test('RFM heat map: recent rows first, counts and mean spend in each cell, every named segment listed', () => {
    const data = buildSampleReportData();
    const rfm = value(data).rfm!;
    const html = valueMarkup(data);
    const rows = [...html.matchAll(/<tr><th scope="row">R(\d)<\/th>/g)].map((m) => Number(m[1]));
    assert.deepEqual(rows, [5, 4, 3, 2, 1]);
    assert.equal(html.match(/<td class="rfm-cell"/g)?.length, 25);
    const cell = rfm.grid.find((c) => c.r === 1 && c.f === 1)!;
    assert.match(
      html,
      new RegExp(`title="R 1 · F 1 · Hibernating: ${cell.customers.toLocaleString('en-US')} customers`),
    );
    // Each named segment is labelled once on the map and has a row (name, then its description) in the table.
    for (const s of rfm.segments) {
      if (rfm.grid.some((c) => c.segment === s.name)) {
        assert.equal(
          html.split(`<span class="rfm-name">${s.name.replace("'", '&#39;')}</span>`).length,
          2,
          s.name,
        );
      }
    }
    assert.equal(html.match(/class="rfm-seg-row/g)?.length, rfm.segments.length);
    // The empty segment is shown as zeros, greyed.
    assert.match(
      html,
      /<tr class="rfm-seg-row empty"><th scope="row" class="plain rfm-seg-name">Promising<\/th>\s*<td class="num">0<\/td><td class="num">0\.0%<\/td><td class="num">0\.0%<\/td>/,
    );
    // Outlines: a cell whose right-hand neighbour is in another segment gets a thick right border.
    assert.match(html, /border-right:2px solid #1f2328/);
    assert.match(html, /more \(up to [\d,]+\)/);
  });

  test('CLV: parameters with Greek names, headline cards, per-segment table', () => {
    const data = buildSampleReportData();
    const clv = value(data).clv!;
    const html = valueMarkup(data);
    assert.match(html, /Purchases: BG\/NBD/);
    const text = html.replace(/<[^>]+>/g, '').replace(/&nbsp;/g, ' ');
    assert.match(text, /Purchases: BG\/NBDr 0\.24 · α 4\.41 · a 0\.79 · b 2\.43/);
    assert.match(text, /Spend: Gamma–Gammap 6\.25 · q 3\.75 · v 15\.4/);
    assert.match(html, /Predicted value, next 12 months/);
    assert.match(html, new RegExp(`£${(clv.totalClv / 1e6).toFixed(1)}M`));
    assert.match(html, /discounted at 1\.0% a month/);
    assert.equal(html.match(/<tr><th scope="row"><span class="seg">/g)?.length, data.segments.length);
    assert.match(html, new RegExp(`£${Math.round(clv.perSegment[0]!.mean).toLocaleString('en-US')}`));

    clv.spendParams = null;
    assert.match(valueMarkup(data), /not fitted: too few repeat buyers/);
  });

  test('holdout: the sentence with totals, MAE and correlation; a note when there is none', () => {
    const data = buildSampleReportData();
    const h = value(data).clv!.holdout!;
    const html = valueMarkup(data);
    assert.match(
      html,
      new RegExp(
        `predicted <b>${h.predicted.toLocaleString('en-US', { maximumFractionDigits: 0 })}</b> repeat purchases`,
      ),
    );
    assert.match(
      html,
      new RegExp(
        `they made <b>${h.actual.toLocaleString('en-US')}</b>, so the prediction was [\\d.]+% (low|high)`,
      ),
    );
    assert.match(html, /off by\s+0\.87 purchases on average, and predicted and actual correlate at 0\.68/);
    assert.equal(
      html.match(/<table class="data holdout-table">[\s\S]*?<\/table>/)![0].match(/<tr>/g)?.length,
      1 + h.byFrequency.length,
    );
    assert.match(html, /<th scope="row">7\+<\/th>/);

    const none = valueMarkup(buildSampleReportData({ holdout: false }));
    assert.match(none, /No holdout check/);
    assert.doesNotMatch(none, /data-chart="clv-tracking"|Holdout check/);
  });

  test('composite: weights by feature label with their share, cut points listed', () => {
    const data = buildSampleReportData();
    const html = valueMarkup(data);
    assert.match(
      html,
      /<span title="monetary">Net revenue<\/span><\/th><td class="num">0\.4<\/td><td class="num">40\.0%<\/td>/,
    );
    assert.match(html, /Normalised by: percentile rank \(recency reversed\)/);
    const cuts = value(data)
      .composite!.cuts.map((c) => c.toFixed(2))
      .join(', ');
    assert.match(html, new RegExp(`cuts between score groups \\(${cuts}\\)`));
  });

  test('non-finite figures show as a dash', () => {
    const data = buildSampleReportData();
    const v = value(data);
    v.rfm!.grid[0]!.meanMonetary = NaN;
    v.clv!.totalClv = Infinity;
    v.clv!.perSegment[0]!.mean = NaN;
    v.clv!.holdout!.correlation = NaN;
    const html = valueMarkup(data);
    assert.doesNotMatch(html, /NaN|Infinity/);
    assert.match(html, /correlate at —/);
    assert.match(html, /<span class="v">[\d,]+<\/span><span class="z">—<\/span>/);
    assert.match(html, /<div class="card-value">—<\/div>/);
  });

  test('pipeline edge cases draw with notes: an unmapped cell, no spend model, no scores', () => {
    const data = buildSampleReportData();
    const v = value(data);
    const cell = v.rfm!.grid.find((c) => c.r === 1 && c.f === 5)!;
    cell.segment = '';
    for (const s of v.clv!.perSegment)
      Object.assign(s, { p10: NaN, p25: NaN, p50: NaN, p75: NaN, p90: NaN, mean: NaN, total: NaN });
    v.clv!.spendParams = null;
    v.clv!.totalClv = NaN;
    v.composite!.histogram = { edges: new Array(31).fill(NaN), counts: new Array(30).fill(0) };
    v.composite!.normalise = 'rank';
    assert.deepEqual(reportDataProblems(data), []);
    const html = valueMarkup(data);
    assert.match(html, /title="R 1 · F 5: [\d,]+ customers/);
    assert.doesNotMatch(html, /data-chart="clv-range"|data-chart="value-score"/);
    assert.match(html, /No scores to show/);
    assert.match(html, /Normalised by: percentile rank \(0 = lowest customer, 1 = highest\)/);
    assert.equal(
      html.match(/<tr><th scope="row"><span class="seg">/g)?.length,
      data.segments.length,
      'P(alive) table kept',
    );
    assert.doesNotMatch(html, /NaN|Infinity|undefined/);
  });

  test('segment names and descriptions are escaped in markup and tooltips', () => {
    const data = buildSampleReportData({ names: [HOSTILE] });
    const v = value(data);
    v.rfm!.segments[0]!.name = HOSTILE;
    v.rfm!.segments[0]!.description = `"quoted" & ${HOSTILE}`;
    for (const c of v.rfm!.grid) if (c.segment === 'Champions') c.segment = HOSTILE;
    v.clv!.model = HOSTILE;
    v.clv!.params = { [HOSTILE]: 1 };
    v.clv!.holdout!.byFrequency[0]!.frequency = HOSTILE;
    v.composite!.weights = { [HOSTILE]: 1 };
    v.composite!.normalise = HOSTILE;
    const html = renderReport(data);
    assert.ok(!html.includes(HOSTILE), 'the raw hostile string appears nowhere');
    const markup = markupOnly(html);
    assert.doesNotMatch(markup, /<img/i);
    assert.match(
      markup,
      /<span class="rfm-name">&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/span>/,
    );
    assert.match(markup, /&quot;quoted&quot; &amp; &lt;\/script&gt;/);
    assert.match(markup, /title="R 5 · F 4 · &lt;\/script&gt;&lt;img/);
  });

  test('malformed value data is rejected with the path of each problem', () => {
    const data = buildSampleReportData();
    const v = value(data);
    v.rfm!.bins = 0;
    v.rfm!.grid[3]!.segment = 'Nobody';
    v.rfm!.grid.push({ ...v.rfm!.grid[0]! });
    v.clv!.perSegment[1]!.id = 42;
    v.clv!.holdout!.tracking.predicted.pop();
    v.clv!.holdout!.tracking.calibrationIndex = 500;
    (v.clv!.params as Record<string, unknown>)['r'] = 'high';
    v.composite!.histogram.counts.pop();
    (v.composite as unknown as Record<string, unknown>)['cuts'] = 'none';
    const problems = reportDataProblems(data);
    assert.deepEqual(
      problems.map((p) => p.where),
      [
        'value.rfm.bins',
        'value.rfm.grid[3].segment',
        'value.rfm.grid[25]',
        'value.clv.params.r',
        'value.clv.perSegment[1].id',
        'value.clv.holdout.tracking.predicted',
        'value.clv.holdout.tracking.calibrationIndex',
        'value.composite.cuts',
        'value.composite.histogram.edges',
      ],
    );
    assert.throws(
      () => renderReport(data),
      (err: unknown) => {
        assert.ok(err instanceof RangeError);
        assert.match(err.message, /9 problem\(s\)/);
        assert.match(
          err.message,
          /value\.rfm\.grid\[3\]\.segment is "Nobody", which is not a name in value\.rfm\.segments/,
        );
        assert.match(err.message, /value\.clv\.perSegment\[1\]\.id is 42, which is not a segment id/);
        assert.match(err.message, /value\.clv\.holdout\.tracking\.predicted has 103 values, expected 104/);
        assert.match(err.message, /value\.composite\.cuts is "none", expected an array/);
        return true;
      },
    );
  });

  test('a value block of the wrong type names where', () => {
    const data = buildSampleReportData();
    (data as unknown as Record<string, unknown>)['value'] = {
      rfm: { bins: 5, grid: {}, segments: [] },
      clv: 3,
      composite: null,
    };
    assert.deepEqual(
      reportDataProblems(data).map((p) => `${p.where} ${p.message}`),
      ['value.rfm.grid is an object, expected an array', 'value.clv is 3, expected an object'],
    );
  });
});
