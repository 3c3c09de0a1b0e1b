import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { buildSampleReportData } from '../../test/report/sample-report-data.js';
import { SEGMENT_PALETTE } from './palette.js';
import type { ReportData } from './report-data.js';
import { renderReport } from './render-report.js';
import { reportDataProblems } from './validate-report-data.js';

const HOSTILE = '</script><img src=x onerror=alert(1)>';

/** The text of `<script type="application/json" id="…">`, exactly as the browser's parser would see it end. */
function jsonScript(html: string, id: string): string {
  const open = `<script type="application/json" id="${id}">`;
  const start = html.indexOf(open);
  assert.ok(start >= 0, `no #${id} element`);
  const end = html.indexOf('</script', start + open.length);
  return html.slice(start + open.length, end);
}

/** Markup outside `<script>` and `<style>` elements: what the parser turns into elements and text. */
function markupOnly(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '').replace(/<style>[\s\S]*?<\/style>/gi, '');
}

/** Names of all attributes on all tags, tokenised the way an HTML parser reads quoted attribute values. */
function attributeNames(markup: string): Set<string> {
  const names = new Set<string>();
  let tags = 0;
  for (const tag of markup.matchAll(
    /<[a-zA-Z][\w-]*((?:\s+[^\s=>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g,
  )) {
    for (const attr of tag[1]!.matchAll(/\s+([^\s=>"'/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?/g)) {
      names.add(attr[1]!.toLowerCase());
    }
    tags++;
  }
  assert.equal(tags, markup.match(/<[a-zA-Z]/g)?.length, 'every start tag was tokenised');
  return names;
}

/** Every data string a user controls, set to a hostile value. */
function hostileData(): ReportData {
  const data = buildSampleReportData({ names: [HOSTILE, `"quoted" & 'single' ${HOSTILE}`] });
  data.title = HOSTILE;
  data.version = HOSTILE;
  data.inputs = { transactions: HOSTILE, customers: `x" onmouseover="alert(1)`, events: '<!--' };
  data.summary.method = HOSTILE;
  data.summary.kReason = HOSTILE;
  data.summary.asOf = HOSTILE;
  data.summary.currency = HOSTILE;
  data.segments[0]!.flags = [HOSTILE];
  data.features[0]!.label = HOSTILE;
  data.features[1]!.name = HOSTILE;
  data.categories[0]!.attribute = HOSTILE;
  data.categories[0]!.perSegment[0]![0]![0] = HOSTILE;
  data.projection.method = HOSTILE;
  data.kSelection!.criterion = HOSTILE;
  data.kSelection!.note = HOSTILE;
  data.quality.rejectedByReason = { [HOSTILE]: data.quality.rejectedRows };
  data.quality.checks[0]!.name = HOSTILE;
  data.quality.checks[0]!.action = HOSTILE;
  data.quality.customersExcluded[0]!.reason = HOSTILE;
  return data;
}

describe('renderReport', () => {
  test('embeds the data as JSON that parses back to the same value', () => {
    const data = buildSampleReportData();
    const html = renderReport(data);
    assert.deepEqual(JSON.parse(jsonScript(html, 'segmint-data')), data);
  });

  test('embedded JSON survives hostile strings, quotes and line separators', () => {
    const data = hostileData();
    data.segments[1]!.name = 'line\u2028sep\u2029para <!-- & --> ]]>';
    const html = renderReport(data);
    const text = jsonScript(html, 'segmint-data');
    assert.doesNotMatch(text, /[<>]/, 'no angle bracket can reach the script body');
    assert.deepEqual(JSON.parse(text), data);
    // The view JSON carries formatted names too; it must parse as well.
    assert.doesNotThrow(() => JSON.parse(jsonScript(html, 'segmint-view')));
  });

  test('hostile names cannot inject markup or end a script early', () => {
    const html = renderReport(hostileData());
    assert.ok(!html.includes(HOSTILE), 'the raw hostile string must not appear anywhere');
    assert.equal(html.match(/<\/script/gi)?.length, 4, 'only the four script elements close a script');
    assert.equal(html.match(/<script/gi)?.length, 4);
    const markup = markupOnly(html);
    // Outside scripts every `<` from data is escaped, so any tag left is one the renderer wrote.
    assert.doesNotMatch(markup, /<img/i);
    const names = attributeNames(markup);
    assert.ok(names.has('class') && names.has('title'), 'the tokenizer sees attributes');
    assert.deepEqual(
      [...names].filter((n) => n.startsWith('on')),
      [],
      'no tag carries an event handler',
    );
    assert.ok(!names.has('src') && !names.has('x"'));
    assert.match(markup, /&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;/, 'shown as text instead');
    assert.match(markup, /x&quot; onmouseover=&quot;alert\(1\)/);
  });

  test('makes no network reference: no external src/href, no imports, a CSP that forbids fetching', () => {
    const html = renderReport(buildSampleReportData());
    const markup = markupOnly(html);
    const refs = [
      ...markup.matchAll(/\b(?:src|href|action|poster|srcset|data)\s*=\s*["']?([^"'\s>]*)/gi),
    ].map((m) => m[1]!);
    assert.ok(refs.length > 0, 'the table of contents has in-page links');
    for (const ref of refs) assert.match(ref, /^#[\w-]+$/, `only in-page links allowed, got ${ref}`);
    assert.doesNotMatch(markup, /https?:\/\//i);
    assert.doesNotMatch(markup, /<(link|img|iframe|object|embed|video|audio|source|base)\b/i);
    assert.doesNotMatch(html, /<script[^>]*\ssrc=/i);
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    assert.doesNotMatch(css, /@import|url\(/i);
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/,
    );
  });

  test('the CSP allows exactly the inline scripts on the page', () => {
    const html = renderReport(buildSampleReportData());
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]!;
    const allowed = [...csp.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]);
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) =>
      createHash('sha256').update(m[1]!, 'utf8').digest('base64'),
    );
    assert.equal(inline.length, 2, 'Chart.js and the page script');
    assert.deepEqual(allowed, inline);
    assert.ok(html.includes('Chart.js v4.'), 'Chart.js is inlined with its licence banner');
  });

  test('shows the headline figures formatted for people', () => {
    const html = markupOnly(renderReport(buildSampleReportData()));
    assert.match(html, /4,338/);
    assert.match(html, /£8\.9M/);
    assert.match(html, /£8,911,408/);
    assert.match(html, /541,909/);
    assert.match(html, /Used \+ rejected = input: 399,032 \+ 142,877 = 541,909\./);
    assert.match(html, /k = 5 had the highest silhouette/);
    assert.match(html, /2,000 of 4,338 customers shown\./);
    assert.match(html, /Mar 2, 2026, 09:41 UTC/);
    assert.match(html, /⚠ does not hold up: refits reproduce it at Jaccard 0.52/);
    assert.doesNotMatch(html, /NaN|Infinity|undefined/);
  });

  test('choosing k: every criterion charted and tabled, the votes, the silhouette plot and stability', () => {
    const data = buildSampleReportData();
    const markup = markupOnly(renderReport(data));
    for (const kind of ['k-elbow', 'k-silhouette', 'k-gap', 'k-stability', 'silhouette-plot']) {
      assert.match(markup, new RegExp(`data-chart="${kind}"`), kind);
    }
    assert.match(markup, /<tr class="chosen"><th scope="row">5 ✓<\/th>/);
    assert.match(markup, /Calinski–Harabasz/);
    assert.match(
      markup,
      /<strong>gap statistic<\/strong>: k = 5 — smallest k with Gap\(k\) ≥ Gap\(k\+1\) − s\(k\+1\)/,
    );
    assert.match(markup, /<strong>prediction strength<\/strong>: k = 4/);
    assert.match(markup, /id="validity"/);
    assert.match(
      markup,
      /<tr class="flagged"><th scope="row">[^<]+<\/th><td class="num">0\.52<\/td><td>does not hold up<\/td>/,
    );
    assert.doesNotMatch(markup, /No clear structure/);
    data.kSelection!.structure = 'none';
    assert.match(markupOnly(renderReport(data)), /⚠ No clear structure/);
  });

  test('flags rows that do not add up instead of hiding them', () => {
    const data = buildSampleReportData();
    data.quality.usedRows -= 10;
    data.quality.rejectedByReason = { 'missing customer id': 5 };
    const html = markupOnly(renderReport(data));
    assert.match(
      html,
      /class="bad"[\s\S]*?Used \+ rejected ≠ input: 399,022 \+ 142,877 = 541,899, but 541,909 rows/,
    );
    assert.match(html, /10 unaccounted for/);
    assert.match(html, /Rejections by reason add up to 5, not the 142,877 rejected rows\./);
  });

  test('one segment, fixed k, no categories, zero revenue and no currency', () => {
    const data = buildSampleReportData({
      segments: 1,
      kSweep: false,
      categories: false,
      revenue: 0,
      currency: '',
    });
    const html = renderReport(data);
    const markup = markupOnly(html);
    assert.doesNotMatch(markup, /data-chart="k-selection"/, 'no curve when k was fixed');
    assert.match(markup, /k = 1 was set in the configuration\. No range of k was compared/);
    assert.doesNotMatch(markup, /id="categories"/, 'no empty categories section');
    assert.doesNotMatch(markup, /href="#categories"/);
    assert.doesNotMatch(markup, /NaN|Infinity|undefined/);
    assert.equal(markup.match(/data-chart="segment-z"/g)?.length, 1);
    assert.deepEqual(JSON.parse(jsonScript(html, 'segmint-data')), data);
  });

  test('twelve segments with long names get twelve distinct colours and a stacked overview', () => {
    const long = 'Occasional high-value gift buyers who only appear in the run-up to Christmas';
    const data = buildSampleReportData({ segments: 12, names: [long, 'B'] });
    const markup = markupOnly(renderReport(data));
    const swatches = new Set(
      [...markup.matchAll(/class="swatch" style="background:(#[0-9A-Fa-f]{6})"/g)].map((m) => m[1]),
    );
    assert.equal(swatches.size, 12);
    assert.deepEqual([...swatches].sort(), [...SEGMENT_PALETTE].sort());
    assert.doesNotMatch(markup, /split-overview/, 'long names stack the chart above the table');
    assert.equal(markup.match(/data-chart="segment-z"/g)?.length, 12);
  });

  test('non-finite figures render as a dash and embed as null', () => {
    const data = buildSampleReportData();
    data.profile.z[0]![0] = NaN;
    data.profile.means[0]![0] = Infinity;
    data.segments[1]!.revenueShare = NaN;
    const html = renderReport(data);
    assert.doesNotMatch(markupOnly(html), /NaN|Infinity/);
    assert.match(markupOnly(html), /<span class="v">—<\/span><span class="z">—<\/span>/);
    const embedded = JSON.parse(jsonScript(html, 'segmint-data')) as ReportData;
    assert.equal(embedded.profile.z[0]![0], null);
  });

  test('rejects inconsistent data with every problem listed', () => {
    const data = buildSampleReportData();
    data.profile.z.pop();
    data.profile.means[0]!.pop();
    data.projection.y.pop();
    data.projection.segment[3] = 99;
    data.kSelection!.inertia.pop();
    const problems = reportDataProblems(data).map((p) => p.where);
    assert.deepEqual(problems, [
      'profile.means[0]',
      'profile.z',
      'projection.y',
      'projection.segment[3]',
      'kSelection.inertia',
    ]);
    assert.throws(
      () => renderReport(data),
      (err: unknown) => {
        assert.ok(err instanceof RangeError);
        assert.match(err.message, /5 problem\(s\)/);
        assert.match(err.message, /projection\.segment\[3\] is 99, which is not a segment id/);
        return true;
      },
    );
  });

  test('rejects an invalid locale naming it, and honours a valid one', () => {
    const data = buildSampleReportData();
    assert.throws(() => renderReport(data, { locale: 'not a locale!' }), /locale "not a locale!"/);
    const de = markupOnly(renderReport(data, { locale: 'de-DE' }));
    assert.match(de, /541\.909/);
  });
});
