// The personas section in isolation: what each card says, escaping of names from data, and the shape checks that
// refuse personas naming unknown segments.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSamplePersonas } from '../../test/report/sample-persona-data.js';
import { buildSampleReportData } from '../../test/report/sample-report-data.js';
import { createFormat } from './format.js';
import { personasSection } from './personas-section.js';
import type { ReportData } from './report-data.js';
import { reportDataProblems } from './validate-report-data.js';

const fmt = createFormat('en-US', 'GBP');

function withPersonas(options: Parameters<typeof buildSamplePersonas>[1] = {}): ReportData {
  const data = buildSampleReportData();
  return { ...data, personas: buildSamplePersonas(data, options) };
}

describe('personasSection', () => {
  test('is null without personas', () => {
    const data = buildSampleReportData();
    assert.equal(personasSection({ data, fmt }), null);
    assert.equal(personasSection({ data: { ...data, personas: null }, fmt }), null);
    assert.equal(personasSection({ data: { ...data, personas: [] }, fmt }), null);
  });

  test('a card per persona with its name, size, shares, action, traits, products, channels and typical customer', () => {
    const data = withPersonas({ campaigns: true });
    const html = personasSection({ data, fmt })!.html;
    assert.equal(html.match(/<article class="seg-card persona-card"/g)?.length, data.personas!.length);
    for (const p of data.personas!) {
      const card = html.slice(html.indexOf(`data-segment="${p.segment}"`));
      const end = card.indexOf('</article>');
      const mine = card.slice(0, end);
      assert.ok(mine.includes(`<h4>${p.name}</h4>`), p.name);
      assert.ok(mine.includes(`${fmt.int(p.size)} customers (${fmt.pct(p.share)})`));
      assert.ok(mine.includes(`${fmt.pct(p.valueShare.revenue)} of revenue`));
      assert.ok(mine.includes(`<b>${p.action.name.replace(/&/g, '&amp;')}</b>`));
      for (const t of p.traits) assert.ok(mine.includes(`<li>${t}</li>`), t);
      assert.ok(mine.includes(p.behaviour.topProducts[0]!.product));
      assert.ok(mine.includes('>email_open<'));
      assert.ok(mine.includes('>AcceptedCmp1<'));
      assert.ok(mine.includes(`<b>${p.typicalCustomer!.customerId}</b>`));
      // Bars: 7 weekdays and 24 hours, the busiest highlighted (2 days, 3 hours).
      assert.equal(mine.match(/<span( class="top")? style="height:/g)?.length, 31);
      assert.equal(mine.match(/<span class="top"/g)?.length, 5);
    }
  });

  test('leaves out blocks with no data', () => {
    const data = withPersonas();
    const p = data.personas![0]!;
    p.behaviour = {
      ...p.behaviour,
      weekdays: null,
      hours: null,
      topProducts: [],
      channels: [],
      campaigns: [],
    };
    p.typicalCustomer = null;
    const html = personasSection({ data: { ...data, personas: [p] }, fmt })!.html;
    for (const h of ['When they buy', 'What they buy', 'Channels', 'Past campaigns', 'Typical customer']) {
      assert.ok(!html.includes(`<h5>${h}`), h);
    }
  });

  test('escapes every string from data', () => {
    const data = withPersonas();
    const p = data.personas![0]!;
    const evil = '<img src=x onerror=alert(1)>';
    p.name = evil;
    p.traits = [evil];
    p.action = { name: evil, why: evil };
    p.behaviour.topProducts = [{ product: evil, share: 0.1, lift: 2 }];
    p.typicalCustomer = { customerId: evil, values: [{ feature: 'x', label: evil, value: 1 }] };
    const html = personasSection({ data, fmt })!.html;
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  test('validation names personas of unknown or repeated segments and missing lists', () => {
    const data = withPersonas();
    const ps = data.personas!;
    ps[1]!.segment = 99;
    ps[2]!.segment = ps[0]!.segment;
    (ps[3]!.behaviour as { channels: unknown }).channels = undefined;
    const problems = reportDataProblems(data).map((p) => `${p.where} ${p.message}`);
    assert.deepEqual(problems, [
      'personas[1].segment is 99, which is not a segment id',
      `personas[2].segment duplicates segment id ${ps[0]!.segment}`,
      'personas[3].behaviour.channels is missing, expected an array',
    ]);
    assert.deepEqual(reportDataProblems(withPersonas()), []);
  });
});
